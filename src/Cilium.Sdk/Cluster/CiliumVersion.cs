using System;
using System.Collections.Generic;
using System.Globalization;

namespace Cilium.Sdk.Cluster;

/// <summary>
/// A Cilium minor release the SDK targets. The version decides which API versions and fields exist
/// (for example: 1.20 removed Kafka and generic L7 rules from network policies).
/// </summary>
public readonly record struct CiliumVersion : IComparable<CiliumVersion>
{
    private CiliumVersion(int major, int minor)
    {
        Major = major;
        Minor = minor;
    }

    /// <summary>Cilium 1.19.</summary>
    public static CiliumVersion V1_19 { get; } = new(1, 19);

    /// <summary>Cilium 1.20.</summary>
    public static CiliumVersion V1_20 { get; } = new(1, 20);

    /// <summary>Every version the SDK supports, oldest first.</summary>
    public static IReadOnlyList<CiliumVersion> Supported { get; } = [V1_19, V1_20];

    /// <summary>The major version (1).</summary>
    public int Major { get; }

    /// <summary>The minor version.</summary>
    public int Minor { get; }

    /// <summary>Parses "1.19", "1.20" or a full release such as "1.20.1" (the patch is ignored).</summary>
    /// <exception cref="ArgumentException">The text is not a supported Cilium version.</exception>
    public static CiliumVersion Parse(string text)
    {
        if (TryParse(text, out var version))
        {
            return version;
        }

        var supported = string.Join(", ", Supported);
        throw new ArgumentException($"Cilium version '{text}' is not supported. Fix: use one of {supported}.", nameof(text));
    }

    /// <summary>Parses like <see cref="Parse"/>, without throwing.</summary>
    public static bool TryParse(string? text, out CiliumVersion version)
    {
        version = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var parts = text.Trim().TrimStart('v').Split('.');
        if (parts.Length < 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor))
        {
            return false;
        }

        foreach (var candidate in Supported)
        {
            if (candidate.Major == major && candidate.Minor == minor)
            {
                version = candidate;
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc />
    public int CompareTo(CiliumVersion other) =>
        Major != other.Major ? Major.CompareTo(other.Major) : Minor.CompareTo(other.Minor);

    /// <summary>"1.19" or "1.20": the form generated <c>Validate(version)</c> methods take.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}");

    /// <summary>Orders versions.</summary>
    public static bool operator <(CiliumVersion left, CiliumVersion right) => left.CompareTo(right) < 0;

    /// <summary>Orders versions.</summary>
    public static bool operator >(CiliumVersion left, CiliumVersion right) => left.CompareTo(right) > 0;

    /// <summary>Orders versions.</summary>
    public static bool operator <=(CiliumVersion left, CiliumVersion right) => left.CompareTo(right) <= 0;

    /// <summary>Orders versions.</summary>
    public static bool operator >=(CiliumVersion left, CiliumVersion right) => left.CompareTo(right) >= 0;
}
