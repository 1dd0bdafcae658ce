using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

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

    /// <summary>Parses "1.19", "1.20" or a full release such as "1.20.1" or "1.20.0-pre.1" (the patch is ignored).</summary>
    /// <param name="text">The version.</param>
    /// <returns>The version.</returns>
    /// <exception cref="ArgumentException">The text is not a supported Cilium version: another release ("1.21"), another
    /// spelling ("v1.20", "1.20.x") or not a version ("banana"). The message names the supported ones.</exception>
    public static CiliumVersion Parse(string text)
    {
        if (TryParse(text, out var version))
        {
            return version;
        }

        var supported = string.Join(", ", Supported);
        var hint = text is ['v' or 'V', ..] && TryParse(text[1..], out var unprefixed)
            ? $"write {unprefixed} (without the 'v')"
            : $"use one of {supported}";
        throw new ArgumentException($"Cilium version '{text}' is not supported (supported: {supported}). Fix: {hint}.", nameof(text));
    }

    /// <summary>Parses like <see cref="Parse"/>, without throwing.</summary>
    /// <param name="text">The version.</param>
    /// <param name="version">The version, when supported.</param>
    /// <returns>Whether <paramref name="text"/> is a supported version.</returns>
    public static bool TryParse(string? text, out CiliumVersion version)
    {
        version = default;
        if (text is null)
        {
            return false;
        }

        // major.minor[.patch[-pre-release]], decimal digits, nothing around it.
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        var numbers = (dash < 0 ? text : text[..dash]).Split('.');
        if (numbers.Length is < 2 or > 3 || (dash >= 0 && numbers.Length != 3) || dash == text.Length - 1
            || !numbers.All(IsNumber)
            || !int.TryParse(numbers[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            || !int.TryParse(numbers[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor))
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

    private static bool IsNumber(string part) => part.Length is > 0 and <= 9 && part.All(char.IsAsciiDigit);

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
