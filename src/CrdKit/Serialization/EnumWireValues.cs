using System;
using System.Collections.Frozen;
using System.Collections.Generic;
using System.ComponentModel;
using System.Linq;

namespace CrdKit.Serialization;

/// <summary>
/// The wire values of one generated string enum, and the values outside the schema's enum that were read. A value
/// from a newer release of a CRD is not a read failure: it is given a negative code of its own (the enum stays an open
/// set, as protobuf's C# enums keep unknown numbers), written back verbatim, and reported by <c>Validate()</c>.
/// Members 0..n-1 are the schema's values in order, so reading and writing are table look-ups, not per-type code.
/// </summary>
/// <remarks>
/// Codes of unknown values are interned per enum type for the life of the process, so two reads of the same text give
/// equal values (and equal records). At most <see cref="MaxUnknown"/> distinct unknown texts are kept per enum type;
/// beyond that reading fails with the ordinary "not an allowed value" error, so hostile input cannot grow the table
/// without bound.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class EnumWireValues
{
    /// <summary>The most distinct unknown texts kept per enum type.</summary>
    public const int MaxUnknown = 4096;

    private readonly string[] known;
    private readonly FrozenDictionary<string, int> codes;
    private readonly object gate = new();
    private readonly Dictionary<string, int> unknownCodes = new(StringComparer.Ordinal);
    private volatile string[] unknown = [];

    /// <summary>Creates the table of one enum.</summary>
    /// <param name="known">The schema's wire values, in member order.</param>
    public EnumWireValues(params string[] known)
    {
        this.known = known ?? throw new ArgumentNullException(nameof(known));
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < known.Length; i++)
        {
            map.TryAdd(known[i], i);
        }

        codes = map.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The schema's wire values, in member order.</summary>
    public string[] Known => known;

    /// <summary>The member code of a wire value: its index when the schema knows it, otherwise a negative code that
    /// stands for exactly this text.</summary>
    /// <param name="text">The wire value.</param>
    /// <returns>The code to cast to the enum type.</returns>
    /// <exception cref="CrdJsonException">More than <see cref="MaxUnknown"/> distinct unknown values were read.</exception>
    public int Code(string text)
    {
        if (codes.TryGetValue(text, out var code))
        {
            return code;
        }

        lock (gate)
        {
            if (unknownCodes.TryGetValue(text, out code))
            {
                return code;
            }

            if (unknownCodes.Count >= MaxUnknown)
            {
                throw new CrdJsonException(string.Empty, $"'{text}' is not an allowed value; use one of {string.Join(", ", known)} (more than {MaxUnknown} other values were read, so it is not kept)");
            }

            code = -1 - unknownCodes.Count;
            unknownCodes.Add(text, code);
            var grown = new string[unknown.Length + 1];
            unknown.CopyTo(grown, 0);
            grown[^1] = text;
            unknown = grown;
            return code;
        }
    }

    /// <summary>The wire value of a code: the schema's value, or the unknown text it was read from.</summary>
    /// <param name="code">The enum value as an integer.</param>
    /// <returns>The text to write.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The code was neither a member nor read from text.</exception>
    public string Text(int code) => TryText(code) ?? throw new ArgumentOutOfRangeException(nameof(code), code, $"not a value of this enum (use one of {string.Join(", ", known)})");

    /// <summary>The wire value of a code, or null when the code was neither a member nor read from text.</summary>
    /// <param name="code">The enum value as an integer.</param>
    /// <returns>The text, or null.</returns>
    public string? TryText(int code)
    {
        if ((uint)code < (uint)known.Length)
        {
            return known[code];
        }

        var table = unknown;
        var index = -1 - code;
        return index >= 0 && index < table.Length ? table[index] : null;
    }

    /// <summary>Whether a code is one of the schema's values.</summary>
    /// <param name="code">The enum value as an integer.</param>
    /// <returns>True for a member of the schema's enum.</returns>
    public bool IsKnown(int code) => (uint)code < (uint)known.Length;

    /// <summary>The schema value that differs from <paramref name="text"/> only in case, if any.</summary>
    /// <param name="text">A value.</param>
    /// <returns>The near value, or null.</returns>
    internal string? Near(string text) => known.FirstOrDefault(k => string.Equals(k, text, StringComparison.OrdinalIgnoreCase));
}
