using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CrdKit.Serialization;

/// <summary>
/// How a plain (unquoted) YAML scalar is read, and which strings must be quoted on the way out.
/// </summary>
/// <remarks>
/// Reading follows go-yaml v2's <c>resolve()</c> (the YAML 1.1 reader under sigs.k8s.io/yaml, i.e. what kubectl and
/// the API machinery do), so a manifest means the same here as in the cluster. Writing quotes any string that either
/// a YAML 1.1 reader (go-yaml v2, PyYAML) or a YAML 1.2 core-schema reader would take for something else.
/// </remarks>
internal static partial class YamlScalars
{
    /// <summary>The kind a plain scalar resolves to.</summary>
    internal enum PlainKind
    {
        /// <summary>A string.</summary>
        String,

        /// <summary>null.</summary>
        Null,

        /// <summary>A boolean.</summary>
        Boolean,

        /// <summary>An integer.</summary>
        Integer,

        /// <summary>A finite float.</summary>
        Float,

        /// <summary>A YAML float JSON cannot hold (.inf, .nan); kept as its text.</summary>
        NonFinite,

        /// <summary>The merge key <c>&lt;&lt;</c>.</summary>
        Merge,
    }

    // go-yaml v2 resolveMapList, verbatim: exactly these spellings, no other case forms (e.g. "yEs" is a string).
    private static readonly Dictionary<string, (PlainKind Kind, bool Value)> Words = new(StringComparer.Ordinal)
    {
        ["y"] = (PlainKind.Boolean, true), ["Y"] = (PlainKind.Boolean, true),
        ["yes"] = (PlainKind.Boolean, true), ["Yes"] = (PlainKind.Boolean, true), ["YES"] = (PlainKind.Boolean, true),
        ["true"] = (PlainKind.Boolean, true), ["True"] = (PlainKind.Boolean, true), ["TRUE"] = (PlainKind.Boolean, true),
        ["on"] = (PlainKind.Boolean, true), ["On"] = (PlainKind.Boolean, true), ["ON"] = (PlainKind.Boolean, true),
        ["n"] = (PlainKind.Boolean, false), ["N"] = (PlainKind.Boolean, false),
        ["no"] = (PlainKind.Boolean, false), ["No"] = (PlainKind.Boolean, false), ["NO"] = (PlainKind.Boolean, false),
        ["false"] = (PlainKind.Boolean, false), ["False"] = (PlainKind.Boolean, false), ["FALSE"] = (PlainKind.Boolean, false),
        ["off"] = (PlainKind.Boolean, false), ["Off"] = (PlainKind.Boolean, false), ["OFF"] = (PlainKind.Boolean, false),
        [string.Empty] = (PlainKind.Null, false), ["~"] = (PlainKind.Null, false),
        ["null"] = (PlainKind.Null, false), ["Null"] = (PlainKind.Null, false), ["NULL"] = (PlainKind.Null, false),
        [".nan"] = (PlainKind.NonFinite, false), [".NaN"] = (PlainKind.NonFinite, false), [".NAN"] = (PlainKind.NonFinite, false),
        [".inf"] = (PlainKind.NonFinite, false), [".Inf"] = (PlainKind.NonFinite, false), [".INF"] = (PlainKind.NonFinite, false),
        ["+.inf"] = (PlainKind.NonFinite, false), ["+.Inf"] = (PlainKind.NonFinite, false), ["+.INF"] = (PlainKind.NonFinite, false),
        ["-.inf"] = (PlainKind.NonFinite, false), ["-.Inf"] = (PlainKind.NonFinite, false), ["-.INF"] = (PlainKind.NonFinite, false),
        ["<<"] = (PlainKind.Merge, false),
    };

    private static readonly (string Word, PlainKind Kind)[] WordList = [.. System.Linq.Enumerable.Select(Words, w => (w.Key, w.Value.Kind))];

    // go-yaml v2 yamlStyleFloat, applied after underscores are removed.
    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex GoYamlFloatRegex();

    private static readonly Regex GoYamlFloat = GoYamlFloatRegex();

    // What Go's strconv.ParseFloat accepts for a scalar that starts with '.' (go-yaml's '.' hint).
    [GeneratedRegex(@"^\.[0-9]+([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DotFloatRegex();

    private static readonly Regex DotFloat = DotFloatRegex();

    // PyYAML's YAML 1.1 int and float resolvers (base 60 included): other YAML 1.1 readers take these for numbers.
    [GeneratedRegex(@"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$", RegexOptions.CultureInvariant)]
    private static partial Regex Yaml11IntRegex();

    private static readonly Regex Yaml11Int = Yaml11IntRegex();

    [GeneratedRegex(@"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", RegexOptions.CultureInvariant)]
    private static partial Regex Yaml11FloatRegex();

    private static readonly Regex Yaml11Float = Yaml11FloatRegex();

    // YAML 1.2 core schema numbers (0o octal, exponent without a dot).
    [GeneratedRegex(@"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?)$", RegexOptions.CultureInvariant)]
    private static partial Regex Yaml12NumberRegex();

    private static readonly Regex Yaml12Number = Yaml12NumberRegex();

    // YAML 1.1 timestamps (go-yaml v2 encoder and PyYAML quote or convert them); a loose prefix match is enough to quote.
    [GeneratedRegex(@"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:$|[Tt \t])", RegexOptions.CultureInvariant)]
    private static partial Regex TimestampRegex();

    private static readonly Regex Timestamp = TimestampRegex();

    /// <summary>Resolves a plain scalar as go-yaml v2 does.</summary>
    /// <param name="text">The scalar's text.</param>
    /// <param name="value">The JSON value for Null (null), Boolean, Integer and Float; otherwise null.</param>
    /// <returns>The kind.</returns>
    internal static PlainKind ResolvePlain(string text, out JsonNode? value)
    {
        value = null;
        if (Words.TryGetValue(text, out var word))
        {
            if (word.Kind == PlainKind.Boolean)
            {
                value = JsonValue.Create(word.Value);
            }

            return word.Kind;
        }

        // go-yaml only tries numbers when the first character hints at one ('+', '-', a digit, or '.').
        var first = text[0];
        if (first == '.')
        {
            return DotFloat.IsMatch(text) && TryFiniteDouble(text, out value) ? PlainKind.Float : PlainKind.String;
        }

        if (first is not ('+' or '-') && !IsDigit(first))
        {
            return PlainKind.String;
        }

        // go-yaml removes every underscore before trying ParseInt/ParseUint/ParseFloat ("1_000" is 1000).
        var plain = text.Replace("_", string.Empty, StringComparison.Ordinal);
        if (TryGoInteger(plain, out value))
        {
            return PlainKind.Integer;
        }

        // Too big for int64/uint64 or not an integer: a float if it has the YAML float shape and is finite
        // (Go's ParseFloat reports ±Inf as a range error, and go-yaml then keeps the string).
        return GoYamlFloat.IsMatch(plain) && TryFiniteDouble(plain, out value) ? PlainKind.Float : PlainKind.String;
    }

    /// <summary>Parses an integer as Go's <c>strconv.ParseInt(s, 0, 64)</c>, falling back to <c>ParseUint</c>.</summary>
    /// <param name="text">The text, underscores removed.</param>
    /// <param name="value">The JSON number.</param>
    /// <returns>Whether it is an integer.</returns>
    internal static bool TryGoInteger(string text, out JsonNode? value)
    {
        value = null;
        if (!TryGoInteger(text, out var sign, out var magnitude))
        {
            return false;
        }

        // In range (checked there): -2^63..-1 as int64, up to int64 max as int64, above it (unsigned) as uint64.
        value = sign == '-' ? JsonValue.Create(magnitude == (ulong)long.MaxValue + 1 ? long.MinValue : -(long)magnitude)
            : magnitude <= long.MaxValue ? JsonValue.Create((long)magnitude)
            : JsonValue.Create(magnitude);
        return true;
    }

    /// <summary>Parses a float (Go syntax already checked by the caller); infinite results are refused.</summary>
    /// <param name="text">The text.</param>
    /// <param name="value">The JSON number.</param>
    /// <returns>Whether it is a finite float.</returns>
    internal static bool TryFiniteDouble(string text, out JsonNode? value)
    {
        value = null;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
        {
            value = JsonValue.Create(d);
            return true;
        }

        return false;
    }

    /// <summary>Whether a string must be quoted so that YAML 1.1 and 1.2 readers both read it back as that string.</summary>
    /// <param name="text">The string (single line).</param>
    /// <returns>Whether to quote it.</returns>
    internal static bool NeedsQuotes(string text) => NeedsQuotes(text.AsSpan());

    /// <summary>Whether a string must be quoted so that YAML 1.1 and 1.2 readers both read it back as that string.
    /// Allocates nothing: it runs for every string the writer writes.</summary>
    /// <param name="text">The string (single line).</param>
    /// <returns>Whether to quote it.</returns>
    internal static bool NeedsQuotes(ReadOnlySpan<char> text)
    {
        if (IsPlainName(text))
        {
            return false;
        }

        // Empty reads as null.
        if (text.Length == 0)
        {
            return true;
        }

        // Anything go-yaml v2 (kubectl) reads as null, bool, number, .inf/.nan or the merge key.
        if (ClassifyPlain(text) != PlainKind.String)
        {
            return true;
        }

        // YAML 1.1 booleans/nulls in any case, and what PyYAML or a YAML 1.2 core reader takes for a number
        // ("0o17", "1:30" base 60, "0b1_0") or a timestamp. Every one of those patterns starts with a sign, a dot or a
        // digit, so the patterns only run then (most strings are names: this runs for every string written).
        if (IsAnyCaseWord(text) || (text[0] is '+' or '-' or '.' or (>= '0' and <= '9') && LooksLikeNumberOrTimestamp(text)))
        {
            return true;
        }

        // Leading/trailing blanks are stripped from plain scalars.
        if (IsBlank(text[0]) || IsBlank(text[^1]))
        {
            return true;
        }

        // A leading indicator starts a sequence, mapping, flow collection, comment, anchor, alias, tag, block
        // scalar, quoted scalar or directive instead of a plain string.
        if ("-?:,[]{}#&*!|>'\"%@`".Contains(text[0], StringComparison.Ordinal))
        {
            return true;
        }

        // "---" and "..." at the start of a line are document markers (a top-level string would end the document).
        if (text.StartsWith("---", StringComparison.Ordinal) || text.StartsWith("...", StringComparison.Ordinal))
        {
            return true;
        }

        // ": " starts a mapping value, " #" a comment, a trailing ':' a key.
        if (text.IndexOf(": ", StringComparison.Ordinal) >= 0 || text.IndexOf(":\t", StringComparison.Ordinal) >= 0 ||
            text.IndexOf(" #", StringComparison.Ordinal) >= 0 || text.IndexOf("\t#", StringComparison.Ordinal) >= 0 || text[^1] == ':')
        {
            return true;
        }

        // Control and non-printable characters (and tabs, BOM, line/paragraph separators) cannot be written plain.
        return HasSpecial(text, allowTab: false);
    }

    /// <summary>
    /// The common case, decided in one vectorized scan: a name-like string (an ASCII letter first, then letters,
    /// digits, blanks and <c>-._/:@+=</c>, no trailing blank or colon, no <c>": "</c>) that is not a YAML 1.1 boolean or
    /// null word is plain for every reader, and has no line break. <see cref="NeedsQuotes(ReadOnlySpan{char})"/> would say
    /// the same (tests hold them together); it is only faster.
    /// </summary>
    /// <param name="text">The string.</param>
    /// <returns>True when the string is certainly written plain; false when the full rules must decide.</returns>
    internal static bool IsPlainName(ReadOnlySpan<char> text) =>
        text.Length > 0 && char.IsAsciiLetter(text[0]) && !text.ContainsAnyExcept(NameCharacters)
        && text[^1] is not (' ' or ':') && text.IndexOf(": ", StringComparison.Ordinal) < 0
        && (text.Length > 5 || !IsAnyCaseWord(text));

    private static readonly SearchValues<char> NameCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -._/:@+=");

    // The characters PyYAML's and YAML 1.2's number patterns are made of: a string with any other cannot match them.
    private static readonly SearchValues<char> NumberCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+-.:");

    // The YAML 1.1/1.2 number patterns and the timestamp prefix, each run only when it could match.
    private static bool LooksLikeNumberOrTimestamp(ReadOnlySpan<char> text)
    {
        if (!text.ContainsAnyExcept(NumberCharacters) && (Yaml11Int.IsMatch(text) || Yaml11Float.IsMatch(text) || Yaml12Number.IsMatch(text)))
        {
            return true;
        }

        return text.Length >= 8 && text[4] == '-' && Timestamp.IsMatch(text);
    }

    /// <summary>Whether a multi-line string can be written as a literal block (<c>|</c> or <c>|-</c>) and read back exactly.</summary>
    /// <param name="text">The string, containing a line feed.</param>
    /// <returns>Whether a literal block is safe.</returns>
    internal static bool CanBeLiteral(string text) => CanBeLiteral(text.AsSpan());

    /// <summary>Whether a multi-line string can be written as a literal block (<c>|</c> or <c>|-</c>) and read back exactly.</summary>
    /// <param name="text">The string, containing a line feed.</param>
    /// <returns>Whether a literal block is safe.</returns>
    internal static bool CanBeLiteral(ReadOnlySpan<char> text)
    {
        // Leading spaces/line feed on the first line would need an indentation indicator; more than one trailing line
        // feed would need "|+" (keep), whose open end some emitters mark with "...": use double quotes instead.
        if (text[0] is ' ' or '\t' or '\n' || text.EndsWith("\n\n", StringComparison.Ordinal))
        {
            return false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n')
            {
                continue;
            }

            // Trailing spaces on a line are invisible and stripped by editors (and the emitter refuses them).
            if (c is ' ' or '\t' && (i + 1 == text.Length || text[i + 1] == '\n'))
            {
                return false;
            }
        }

        return !HasSpecial(text, allowTab: true);
    }

    /// <summary>The kind <see cref="ResolvePlain"/> gives, without making the value or any string.</summary>
    /// <param name="text">The scalar's text (not empty).</param>
    /// <returns>The kind.</returns>
    internal static PlainKind ClassifyPlain(ReadOnlySpan<char> text)
    {
        if (TryWord(text, out var word))
        {
            return word;
        }

        // go-yaml only tries numbers when the first character hints at one ('+', '-', a digit, or '.').
        var first = text[0];
        if (first == '.')
        {
            return DotFloat.IsMatch(text) && IsFiniteDouble(text) ? PlainKind.Float : PlainKind.String;
        }

        if (first is not ('+' or '-') && !IsDigit(first))
        {
            return PlainKind.String;
        }

        // go-yaml removes every underscore before trying ParseInt/ParseUint/ParseFloat ("1_000" is 1000).
        var underscores = text.Count('_');
        if (underscores == 0)
        {
            return ClassifyNumber(text);
        }

        var length = text.Length - underscores;
        var rented = length > 256 ? System.Buffers.ArrayPool<char>.Shared.Rent(length) : null;
        var plain = rented is null ? stackalloc char[length] : rented.AsSpan(0, length);
        var n = 0;
        foreach (var c in text)
        {
            if (c != '_')
            {
                plain[n++] = c;
            }
        }

        var kind = ClassifyNumber(plain);
        if (rented is not null)
        {
            System.Buffers.ArrayPool<char>.Shared.Return(rented);
        }

        return kind;
    }

    // Underscores removed: an integer as ParseInt/ParseUint take it, else a finite float of the YAML float shape.
    // (GoYamlFloat can only match signs, digits, dots and exponents: addresses and paths skip it.)
    private static PlainKind ClassifyNumber(ReadOnlySpan<char> plain) =>
        IsGoInteger(plain) ? PlainKind.Integer
        : !plain.ContainsAnyExcept(FloatCharacters) && GoYamlFloat.IsMatch(plain) && IsFiniteDouble(plain) ? PlainKind.Float
        : PlainKind.String;

    private static readonly SearchValues<char> FloatCharacters = SearchValues.Create("0123456789+-.eE");

    // Go's strconv.ParseInt(s, 0, 64) falling back to ParseUint: base prefixes as Go's base 0 (0x/0o/0b in any case,
    // only with a digit after; else a leading 0 means octal), then whether the magnitude fits int64 (negative), int64
    // (with '+': ParseUint takes no sign) or uint64 (no sign).
    private static bool IsGoInteger(ReadOnlySpan<char> text) => TryGoInteger(text, out _, out _);

    private static bool TryGoInteger(ReadOnlySpan<char> text, out char sign, out ulong magnitude)
    {
        magnitude = 0;
        sign = text.Length > 0 && text[0] is '+' or '-' ? text[0] : '\0';
        var body = sign == '\0' ? text : text[1..];
        if (body.Length == 0)
        {
            return false;
        }

        var radix = 10;
        var digits = body;
        if (body[0] == '0')
        {
            if (body.Length >= 3 && char.ToLowerInvariant(body[1]) is 'x' or 'o' or 'b')
            {
                radix = char.ToLowerInvariant(body[1]) switch { 'x' => 16, 'o' => 8, _ => 2 };
                digits = body[2..];
            }
            else
            {
                radix = 8;
                digits = body[1..];
            }
        }

        var overflow = false;
        foreach (var c in digits)
        {
            var d = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'f' => c - 'a' + 10,
                >= 'A' and <= 'F' => c - 'A' + 10,
                _ => 99,
            };
            if (d >= radix)
            {
                return false;
            }

            overflow |= magnitude > (ulong.MaxValue - (ulong)d) / (ulong)radix;
            magnitude = unchecked((magnitude * (ulong)radix) + (ulong)d);
        }

        return !overflow && sign switch
        {
            '-' => magnitude <= (ulong)long.MaxValue + 1,
            '+' => magnitude <= long.MaxValue,
            _ => true,
        };
    }

    private static bool IsFiniteDouble(ReadOnlySpan<char> text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d);

    // go-yaml's exact spellings (Words), found without a string: every one is at most 5 characters long.
    private static bool TryWord(ReadOnlySpan<char> text, out PlainKind kind)
    {
        kind = PlainKind.String;
        if (text.Length > 5 || (text.Length > 0 && text[0] is not ('y' or 'Y' or 'n' or 'N' or 't' or 'T' or 'f' or 'F' or 'o' or 'O' or '~' or '.' or '+' or '-' or '<')))
        {
            return false;
        }

        foreach (var (word, entry) in WordList)
        {
            if (text.SequenceEqual(word))
            {
                kind = entry;
                return true;
            }
        }

        return false;
    }

    // YAML 1.1 booleans and nulls in any case form (some readers are case-insensitive, so quote them all): y, n,
    // yes, no, on, off, true, false, null, and ~, =, <<.
    private static bool IsAnyCaseWord(ReadOnlySpan<char> text) => text.Length switch
    {
        1 => text[0] is 'y' or 'Y' or 'n' or 'N' or '~' or '=',
        2 => text.Equals("no", StringComparison.OrdinalIgnoreCase) || text.Equals("on", StringComparison.OrdinalIgnoreCase) || text.SequenceEqual("<<"),
        3 => text.Equals("yes", StringComparison.OrdinalIgnoreCase) || text.Equals("off", StringComparison.OrdinalIgnoreCase),
        4 => text.Equals("true", StringComparison.OrdinalIgnoreCase) || text.Equals("null", StringComparison.OrdinalIgnoreCase),
        5 => text.Equals("false", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    private static bool IsDigit(char c) => c is >= '0' and <= '9';

    private static bool IsBlank(char c) => c is ' ' or '\t';

    // Control characters (line feeds excepted, tabs optionally), DEL, C1 controls, BOM, line/paragraph separators,
    // non-characters and surrogates. YamlDotNet's emitter writes characters outside the BMP (emoji) only as
    // "\U0001F41D" escapes inside double quotes, so such strings are double-quoted by decision, not by its fallback.
    private static bool HasSpecial(ReadOnlySpan<char> text, bool allowTab)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n' || (allowTab && c == '\t'))
            {
                continue;
            }

            if (c < ' ' || c is '\u007f' or '\ufeff' or '\u2028' or '\u2029' or '\ufffe' or '\uffff' || (c >= '\u0080' && c <= '\u009f') || char.IsSurrogate(c))
            {
                return true;
            }
        }

        return false;
    }
}
