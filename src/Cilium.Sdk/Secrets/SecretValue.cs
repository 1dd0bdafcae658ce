using System;

namespace Cilium.Sdk.Secrets;

/// <summary>
/// A secret (a BGP password, a token). It never shows itself: <see cref="ToString"/>, records that hold it and
/// logs print <c>***</c>. Only writers of <c>*.sops.yaml</c> Secret manifests and the router config read
/// <see cref="Reveal"/>.
/// </summary>
public sealed class SecretValue : IEquatable<SecretValue>
{
    private readonly string value;

    /// <summary>Wraps a secret.</summary>
    /// <exception cref="ArgumentException">The secret is empty.</exception>
    public SecretValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0)
        {
            throw new ArgumentException("A secret cannot be empty. Fix: leave the setting unset instead.", nameof(value));
        }

        this.value = value;
    }

    /// <summary>The redaction every <see cref="ToString"/> shows.</summary>
    public const string Redacted = "***";

    /// <summary>The secret itself; call it only where the secret must be written.</summary>
    public string Reveal() => value;

    /// <summary>Always <see cref="Redacted"/>.</summary>
    public override string ToString() => Redacted;

    /// <inheritdoc />
    public bool Equals(SecretValue? other) => other is not null && string.Equals(value, other.value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as SecretValue);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(value);
}
