using System;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.ComponentModel;

namespace CrdKit.Serialization;

/// <summary>
/// A Kubernetes <c>x-kubernetes-int-or-string</c> value that remembers which one it is: the string "8080" stays a
/// string and the number 8080 stays a number on the way back out. (KubernetesClient's own type stores text only
/// and cannot tell them apart, so it is not used here.)
/// </summary>
[JsonConverter(typeof(IntOrStringJsonConverter))]
public readonly struct IntOrString : IEquatable<IntOrString>
{
    private readonly string? text;
    private readonly long number;

    private IntOrString(string? text, long number)
    {
        this.text = text;
        this.number = number;
    }

    /// <summary>Whether the value is a string (otherwise an integer).</summary>
    public bool IsString => text is not null;

    /// <summary>The integer value; 0 when <see cref="IsString"/>.</summary>
    public long IntValue => number;

    /// <summary>The string value; null when the value is an integer.</summary>
    public string? StringValue => text;

    /// <summary>An integer value.</summary>
    /// <param name="value">The number.</param>
    /// <returns>The value.</returns>
    public static IntOrString FromInt(long value) => new(null, value);

    /// <summary>A string value, kept as a string even when it looks like a number.</summary>
    /// <param name="value">The text.</param>
    /// <returns>The value.</returns>
    public static IntOrString FromString(string value) => new(value ?? throw new ArgumentNullException(nameof(value)), 0);

    /// <summary>An integer value.</summary>
    /// <param name="value">The number.</param>
    public static implicit operator IntOrString(int value) => FromInt(value);

    /// <summary>An integer value.</summary>
    /// <param name="value">The number.</param>
    public static implicit operator IntOrString(long value) => FromInt(value);

    /// <summary>A string value.</summary>
    /// <param name="value">The text.</param>
    public static implicit operator IntOrString(string value) => FromString(value);

    /// <summary>Equal when both are strings with the same text or both integers with the same value.</summary>
    /// <param name="left">One value.</param>
    /// <param name="right">The other.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool operator ==(IntOrString left, IntOrString right) => left.Equals(right);

    /// <summary>Not <see cref="op_Equality"/>.</summary>
    /// <param name="left">One value.</param>
    /// <param name="right">The other.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(IntOrString left, IntOrString right) => !left.Equals(right);

    /// <inheritdoc />
    public bool Equals(IntOrString other) => text is null ? other.text is null && number == other.number : string.Equals(text, other.text, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is IntOrString other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => text is null ? number.GetHashCode() : StringComparer.Ordinal.GetHashCode(text);

    /// <inheritdoc />
    public override string ToString() => text ?? number.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Reads and writes <see cref="IntOrString"/> keeping the JSON token type.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class IntOrStringJsonConverter : JsonConverter<IntOrString>
{
    /// <inheritdoc />
    public override IntOrString Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => CrdJson.ReadIntOrString(ref reader);

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, IntOrString value, JsonSerializerOptions options) => CrdJson.WriteIntOrString(writer, value);
}
