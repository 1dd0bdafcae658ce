using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace CrdKit.Validation;

// The rest of the Kubernetes CEL library that CRD rules use: durations (Go's time.ParseDuration), the strings
// extension (code-point indexes, as cel-go's ext.Strings) and the format library (format.X().validate(s)).
public static partial class CelFunctions
{
    private const long Nanosecond = 1, Microsecond = 1_000, Millisecond = 1_000_000, Second = 1_000_000_000, Minute = 60 * Second, Hour = 60 * Minute;

    /// <summary>Whether <paramref name="value"/> is a Go duration (<c>duration(string)</c> succeeds).</summary>
    /// <param name="value">The text, e.g. <c>1h30m</c>, <c>300ms</c>, <c>-1.5s</c>, <c>0</c>.</param>
    /// <returns>Whether it parses within Go's range.</returns>
    public static bool IsDuration(string value) => TryParseDuration(value, out _);

    /// <summary>CEL <c>duration(string)</c> in nanoseconds (callers check <see cref="IsDuration"/> first).</summary>
    /// <param name="value">The text.</param>
    /// <returns>The duration in nanoseconds; 0 when it does not parse.</returns>
    public static long Duration(string value) => TryParseDuration(value, out var ns) ? ns : 0;

    /// <summary>Go's <c>time.ParseDuration</c>: <c>[-+]?([0-9]*(\.[0-9]*)?(ns|us|µs|μs|ms|s|m|h))+</c> or <c>0</c>.</summary>
    private static bool TryParseDuration(string value, out long nanoseconds)
    {
        ArgumentNullException.ThrowIfNull(value);
        nanoseconds = 0;
        var s = value.AsSpan();
        var negative = false;
        if (s.Length > 0 && s[0] is '-' or '+')
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        if (s is "0")
        {
            return true;
        }

        if (s.IsEmpty)
        {
            return false;
        }

        decimal total = 0;
        while (!s.IsEmpty)
        {
            var digits = 0;
            while (digits < s.Length && char.IsAsciiDigit(s[digits]))
            {
                digits++;
            }

            var whole = s[..digits];
            s = s[digits..];
            var fraction = ReadOnlySpan<char>.Empty;
            if (!s.IsEmpty && s[0] == '.')
            {
                s = s[1..];
                var f = 0;
                while (f < s.Length && char.IsAsciiDigit(s[f]))
                {
                    f++;
                }

                fraction = s[..f];
                s = s[f..];
            }

            if (whole.IsEmpty && fraction.IsEmpty)
            {
                return false;
            }

            var unitLength = 0;
            while (unitLength < s.Length && !char.IsAsciiDigit(s[unitLength]) && s[unitLength] != '.')
            {
                unitLength++;
            }

            long unit = s[..unitLength] switch
            {
                "ns" => Nanosecond,
                "us" or "µs" or "μs" => Microsecond,
                "ms" => Millisecond,
                "s" => Second,
                "m" => Minute,
                "h" => Hour,
                _ => 0,
            };
            if (unit == 0 || whole.Length > 20)
            {
                return false;
            }

            s = s[unitLength..];
            var number = decimal.Parse(whole.IsEmpty ? "0" : whole, NumberStyles.None, CultureInfo.InvariantCulture);
            if (!fraction.IsEmpty)
            {
                number += decimal.Parse("0." + fraction.ToString(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
            }

            total += decimal.Truncate(number * unit);
            if (total > long.MaxValue)
            {
                return false;
            }
        }

        nanoseconds = (long)(negative ? -total : total);
        return true;
    }

    /// <summary>cel-go <c>lowerAscii()</c>: ASCII letters lowered, everything else kept.</summary>
    /// <param name="value">The text.</param>
    /// <returns>The result.</returns>
    public static string LowerAscii(string value) => MapAscii(value, lower: true);

    /// <summary>cel-go <c>upperAscii()</c>: ASCII letters raised, everything else kept.</summary>
    /// <param name="value">The text.</param>
    /// <returns>The result.</returns>
    public static string UpperAscii(string value) => MapAscii(value, lower: false);

    private static string MapAscii(string value, bool lower)
    {
        ArgumentNullException.ThrowIfNull(value);
        var chars = value.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (lower && chars[i] is >= 'A' and <= 'Z')
            {
                chars[i] = (char)(chars[i] + 32);
            }
            else if (!lower && chars[i] is >= 'a' and <= 'z')
            {
                chars[i] = (char)(chars[i] - 32);
            }
        }

        return new string(chars);
    }

    /// <summary>cel-go <c>trim()</c>: leading and trailing Unicode white space removed (Go's strings.TrimSpace).</summary>
    /// <param name="value">The text.</param>
    /// <returns>The result.</returns>
    public static string Trim(string value) => (value ?? throw new ArgumentNullException(nameof(value))).Trim();

    /// <summary>Whether <c>substring(start, end)</c> is in range (code points, 0 &lt;= start &lt;= end &lt;= size).</summary>
    /// <param name="value">The text.</param>
    /// <param name="start">Start, in code points.</param>
    /// <param name="end">End, in code points (exclusive), or -1 for the end.</param>
    /// <returns>Whether the call succeeds in CEL.</returns>
    public static bool InRange(string value, long start, long end)
    {
        var size = Size(value);
        var stop = end < 0 ? size : end;
        return start >= 0 && start <= stop && stop <= size;
    }

    /// <summary>cel-go <c>substring(start[, end])</c> over code points (callers check <see cref="InRange"/>).</summary>
    /// <param name="value">The text.</param>
    /// <param name="start">Start, in code points.</param>
    /// <param name="end">End (exclusive), or -1 for the end.</param>
    /// <returns>The part.</returns>
    public static string Substring(string value, long start, long end = -1)
    {
        var from = Offset(value, start);
        var to = end < 0 ? value.Length : Offset(value, end);
        return value.Substring(from, to - from);
    }

    /// <summary>cel-go <c>indexOf(sub)</c>: the code-point index of the first occurrence, or -1.</summary>
    /// <param name="value">The text.</param>
    /// <param name="sub">What to find.</param>
    /// <returns>The index.</returns>
    public static long IndexOf(string value, string sub)
    {
        var at = value.IndexOf(sub, StringComparison.Ordinal);
        return at < 0 ? -1 : Size(value.Substring(0, at));
    }

    /// <summary>cel-go <c>lastIndexOf(sub)</c>: the code-point index of the last occurrence, or -1.</summary>
    /// <param name="value">The text.</param>
    /// <param name="sub">What to find.</param>
    /// <returns>The index.</returns>
    public static long LastIndexOf(string value, string sub)
    {
        var at = sub.Length == 0 ? value.Length : value.LastIndexOf(sub, StringComparison.Ordinal);
        return at < 0 ? -1 : Size(value.Substring(0, at));
    }

    /// <summary>cel-go <c>split(separator)</c> (Go's strings.Split: an empty separator splits into code points).</summary>
    /// <param name="value">The text.</param>
    /// <param name="separator">The separator.</param>
    /// <returns>The parts.</returns>
    public static IList<string> Split(string value, string separator)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(separator);
        if (separator.Length > 0)
        {
            return new List<string>(value.Split(separator, StringSplitOptions.None));
        }

        var parts = new List<string>();
        for (var i = 0; i < value.Length; i += char.IsSurrogatePair(value, i) ? 2 : 1)
        {
            parts.Add(value.Substring(i, char.IsSurrogatePair(value, i) ? 2 : 1));
        }

        return parts;
    }

    /// <summary>cel-go <c>join(separator)</c> on a list of strings.</summary>
    /// <param name="values">The strings.</param>
    /// <param name="separator">The separator.</param>
    /// <returns>The joined text.</returns>
    public static string Join(IEnumerable<string> values, string separator) => string.Join(separator, values);

    /// <summary>cel-go <c>replace(old, new)</c>: every occurrence.</summary>
    /// <param name="value">The text.</param>
    /// <param name="old">What to replace.</param>
    /// <param name="replacement">The replacement.</param>
    /// <returns>The result.</returns>
    public static string Replace(string value, string old, string replacement)
    {
        if (old.Length > 0)
        {
            return value.Replace(old, replacement, StringComparison.Ordinal);
        }

        // Go's strings.Replace with an empty old string inserts the replacement around every code point.
        var b = new StringBuilder(replacement);
        foreach (var part in Split(value, string.Empty))
        {
            b.Append(part).Append(replacement);
        }

        return b.ToString();
    }

    /// <summary>Whether the Kubernetes format library knows <paramref name="name"/> (<c>format.name()</c>).</summary>
    /// <param name="name">The format, e.g. <c>dns1123Label</c>.</param>
    /// <returns>Whether <see cref="IsFormat"/> checks it.</returns>
    public static bool IsKnownFormat(string name) => name is "dns1123Label" or "dns1123Subdomain" or "dns1035Label" or "qualifiedName"
        or "dns1123LabelPrefix" or "dns1123SubdomainPrefix" or "dns1035LabelPrefix" or "labelValue" or "uri" or "uuid" or "byte" or "date" or "datetime";

    /// <summary>Kubernetes <c>format.name().validate(value) == null</c>: whether the value has the format.</summary>
    /// <param name="name">The format (see <see cref="IsKnownFormat"/>).</param>
    /// <param name="value">The value.</param>
    /// <returns>Whether it is valid.</returns>
    public static bool IsFormat(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return name switch
        {
            "dns1123Label" => KubernetesNames.IsDns1123Label(value, out _),
            "dns1123Subdomain" => KubernetesNames.IsDns1123Subdomain(value, out _),
            "dns1035Label" => value.Length is > 0 and <= 63 && value[0] is >= 'a' and <= 'z' && KubernetesNames.IsDns1123Label(value, out _),
            "qualifiedName" => KubernetesNames.IsLabelKey(value, out _),
            // A prefix (generateName) may end in '-': valid when it is the start of a valid name.
            "dns1123LabelPrefix" => IsFormat("dns1123Label", Prefixed(value)),
            "dns1123SubdomainPrefix" => IsFormat("dns1123Subdomain", Prefixed(value)),
            "dns1035LabelPrefix" => IsFormat("dns1035Label", Prefixed(value)),
            "labelValue" => KubernetesNames.IsLabelValue(value, out _),
            "uri" => Uri.TryCreate(value, UriKind.Absolute, out _),
            "uuid" => IsUuid(value),
            "byte" => value.Length % 4 == 0 && Convert.TryFromBase64String(value, new byte[value.Length], out _),
            "date" => DateTime.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
            "datetime" => Formats.IsValid("date-time", value, out _),
            _ => true,
        };
    }

    private static string Prefixed(string value) => value.EndsWith('-') ? value + "a" : value;

    // google/uuid.Parse: 36 characters with dashes, 38 in braces, 45 as urn:uuid:, or 32 hex digits; either case.
    private static bool IsUuid(string value)
    {
        var s = value;
        if (s.Length == 45 && s.StartsWith("urn:uuid:", StringComparison.OrdinalIgnoreCase))
        {
            s = s[9..];
        }
        else if (s.Length == 38 && s[0] == '{' && s[^1] == '}')
        {
            s = s[1..^1];
        }

        if (s.Length == 32)
        {
            return System.Linq.Enumerable.All(s, Uri.IsHexDigit);
        }

        if (s.Length != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-')
        {
            return false;
        }

        for (var i = 0; i < s.Length; i++)
        {
            if (i is not (8 or 13 or 18 or 23) && !Uri.IsHexDigit(s[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static int Offset(string value, long codePoints)
    {
        var i = 0;
        for (long n = 0; n < codePoints && i < value.Length; n++)
        {
            i += char.IsSurrogatePair(value, i) ? 2 : 1;
        }

        return i;
    }
}
