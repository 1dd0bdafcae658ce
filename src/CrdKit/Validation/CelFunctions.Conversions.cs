using System;
using System.ComponentModel;
using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;

namespace CrdKit.Validation;

// CEL's int()/double()/string() conversions, timestamp() and the Kubernetes quantity library, each as Go parses it.
// Where .NET and Go could disagree the guard (IsInt, IsDouble, IsTimestamp) is false, so the rule is left undecided
// rather than decided differently (never a false violation).
public static partial class CelFunctions
{
    private static readonly Regex DecimalFloat = new(@"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$", RegexOptions.CultureInvariant);

    // Go's time.RFC3339 as time.Parse reads it (upper-case T and Z; fraction of any length up to nanoseconds).
    private static readonly Regex Rfc3339 = new(@"^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,9}))?(?:Z|([+-])([0-9]{2}):([0-9]{2}))$", RegexOptions.CultureInvariant);

    private static readonly BigInteger NanosPerUnit = 1_000_000_000;
    private static readonly BigInteger MaxQuantityNanos = new BigInteger(long.MaxValue) * NanosPerUnit;

    /// <summary>Whether CEL <c>int(string)</c> succeeds (Go's <c>strconv.ParseInt(s, 10, 64)</c>).</summary>
    /// <param name="value">The text.</param>
    /// <returns>True when it is a base-10 64-bit integer.</returns>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static bool IsInt(string value) => TryInt(value, out _);

    /// <summary>CEL <c>int(string)</c> (callers check <see cref="IsInt(string)"/> first).</summary>
    /// <param name="value">The text.</param>
    /// <returns>The number.</returns>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static long Int(string value) => TryInt(value, out var result) ? result : 0;

    /// <summary>Whether CEL <c>int(double)</c> succeeds: finite and inside the 64-bit range.</summary>
    /// <param name="value">The number.</param>
    /// <returns>True when it converts.</returns>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static bool IsInt(double value) => value > -9.2233720368547758E18 && value < 9.2233720368547758E18;

    /// <summary>Whether CEL <c>double(string)</c> is decided here: plain decimal notation, finite (other forms Go
    /// accepts, such as hex floats or "inf", leave the rule undecided).</summary>
    /// <param name="value">The text.</param>
    /// <returns>True when it converts the same way in Go and .NET.</returns>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static bool IsDouble(string value) =>
        value is not null && DecimalFloat.IsMatch(value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && !double.IsInfinity(d);

    /// <summary>CEL <c>double(string)</c> (callers check <see cref="IsDouble"/> first).</summary>
    /// <param name="value">The text.</param>
    /// <returns>The number.</returns>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static double Double(string value) => double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>CEL <c>string(int)</c>.</summary>
    /// <param name="value">The number.</param>
    /// <returns>Its decimal text.</returns>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static string String(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Whether CEL <c>timestamp(string)</c> is decided here: RFC 3339 as Go's time.Parse reads it, within the
    /// years 1678-2261 that nanoseconds since 1970 hold.</summary>
    /// <param name="value">The text.</param>
    /// <returns>True when it parses.</returns>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static bool IsTimestamp(string value) => TryTimestamp(value, out _);

    /// <summary>CEL <c>timestamp(string)</c> as nanoseconds since 1970-01-01T00:00:00Z (callers check
    /// <see cref="IsTimestamp"/> first).</summary>
    /// <param name="value">The text.</param>
    /// <returns>The instant.</returns>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static long Timestamp(string value) => TryTimestamp(value, out var ns) ? ns : 0;

    /// <summary>Kubernetes CEL <c>isQuantity(string)</c>: resource.ParseQuantity's grammar and suffixes.</summary>
    /// <param name="value">The text.</param>
    /// <returns>True when it is a quantity.</returns>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static bool IsQuantity(string value) => TryQuantity(value, out _);

    /// <summary>Kubernetes CEL <c>quantity(string)</c> as an exact count of nano-units, as ParseQuantity keeps it
    /// (beyond its fast path: rounded up to a nano and capped at 2^63-1 units); callers check
    /// <see cref="IsComputableQuantity"/> first.</summary>
    /// <param name="value">The text.</param>
    /// <returns>The value in nano-units.</returns>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static BigInteger Quantity(string value) => TryQuantity(value, out var nanos) ? nanos : BigInteger.Zero;

    /// <summary>Whether <c>quantity(string)</c> is decided here: a quantity whose exponent is within 10^±1000 (others
    /// are valid but left undecided).</summary>
    /// <param name="value">The text.</param>
    /// <returns>True when <see cref="Quantity"/> gives its exact value.</returns>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static bool IsComputableQuantity(string value) => TryQuantity(value, out _, out var decided) && decided;

    /// <summary>Whether a quantity is a whole number (<c>isInteger()</c>).</summary>
    /// <param name="nanos">The quantity.</param>
    /// <returns>True for a whole number.</returns>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static bool IsInteger(BigInteger nanos) => (nanos % NanosPerUnit).IsZero;

    /// <summary>A whole quantity as an integer (<c>asInteger()</c>; callers check <see cref="IsInteger"/> first).</summary>
    /// <param name="nanos">The quantity.</param>
    /// <returns>The integer.</returns>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static long AsInteger(BigInteger nanos) => (long)(nanos / NanosPerUnit);

    private static bool TryInt(string value, out long result)
    {
        result = 0;
        if (string.IsNullOrEmpty(value) || value.Length > 20)
        {
            return false;
        }

        var start = value[0] is '+' or '-' ? 1 : 0;
        for (var i = start; i < value.Length; i++)
        {
            if (value[i] is < '0' or > '9')
            {
                return false;
            }
        }

        return start < value.Length && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out result);
    }

    private static bool TryTimestamp(string value, out long nanoseconds)
    {
        nanoseconds = 0;
        var m = value is null ? null : Rfc3339.Match(value);
        if (m is null || !m.Success)
        {
            return false;
        }

        int Group(int i) => int.Parse(m.Groups[i].Value, CultureInfo.InvariantCulture);
        int year = Group(1), month = Group(2), day = Group(3), hour = Group(4), minute = Group(5), second = Group(6);
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(1, year), month) || hour > 23 || minute > 59 || second > 59 || year is < 1678 or > 2261)
        {
            return false;
        }

        var offset = 0;
        if (m.Groups[8].Success)
        {
            int offsetHours = Group(9), offsetMinutes = Group(10);
            if (offsetHours > 23 || offsetMinutes > 59)
            {
                return false;
            }

            offset = (m.Groups[8].Value == "-" ? -1 : 1) * ((offsetHours * 60) + offsetMinutes);
        }

        var fraction = m.Groups[7].Success ? long.Parse(m.Groups[7].Value.PadRight(9, '0'), CultureInfo.InvariantCulture) : 0;
        var seconds = (new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc) - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerSecond - (offset * 60L);
        nanoseconds = (seconds * 1_000_000_000L) + fraction;
        return true;
    }

    /// <summary>resource.ParseQuantity: sign, digits, an optional fraction, then a suffix (n u m k M G T P E, Ki..Ei, or
    /// e/E with a signed exponent); non-zero values are rounded up to a nano and capped at 2^63-1.</summary>
    private static bool TryQuantity(string value, out BigInteger nanos) => TryQuantity(value, out nanos, out _);

    private static bool TryQuantity(string value, out BigInteger nanos, out bool decided)
    {
        nanos = BigInteger.Zero;
        decided = true;
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        var pos = 0;
        var negative = false;
        if (value[0] is '+' or '-')
        {
            negative = value[0] == '-';
            pos++;
        }

        var numberStart = pos;
        while (pos < value.Length && value[pos] is >= '0' and <= '9')
        {
            pos++;
        }

        var whole = value.Substring(numberStart, pos - numberStart);
        var fraction = string.Empty;
        if (pos < value.Length && value[pos] == '.')
        {
            var fractionStart = ++pos;
            while (pos < value.Length && value[pos] is >= '0' and <= '9')
            {
                pos++;
            }

            fraction = value.Substring(fractionStart, pos - fractionStart);
        }

        var suffixStart = pos;
        while (pos < value.Length && "eEinumkKMGTP".IndexOf(value[pos]) >= 0)
        {
            pos++;
        }

        if (pos < value.Length && value[pos] is '+' or '-')
        {
            pos++;
        }

        while (pos < value.Length && value[pos] is >= '0' and <= '9')
        {
            pos++;
        }

        if (pos != value.Length)
        {
            return false;
        }

        var suffix = value.Substring(suffixStart);
        int exponent10 = 0, exponent2 = 0;
        switch (suffix)
        {
            case "": break;
            case "n": exponent10 = -9; break;
            case "u": exponent10 = -6; break;
            case "m": exponent10 = -3; break;
            case "k": exponent10 = 3; break;
            case "M": exponent10 = 6; break;
            case "G": exponent10 = 9; break;
            case "T": exponent10 = 12; break;
            case "P": exponent10 = 15; break;
            case "E": exponent10 = 18; break;
            case "Ki": exponent2 = 10; break;
            case "Mi": exponent2 = 20; break;
            case "Gi": exponent2 = 30; break;
            case "Ti": exponent2 = 40; break;
            case "Pi": exponent2 = 50; break;
            case "Ei": exponent2 = 60; break;
            default:
                if (suffix.Length > 1 && suffix[0] is 'e' or 'E' && long.TryParse(suffix.Substring(1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var e)
                    && suffix.Substring(1).TrimStart('+', '-').Length > 0 && suffix.IndexOfAny(new[] { 'e', 'E' }, 1) < 0)
                {
                    exponent10 = unchecked((int)e); // Go: int32(parsed)
                    break;
                }

                return false;
        }

        var digits = BigInteger.Parse("0" + whole + fraction, CultureInfo.InvariantCulture);
        if (digits.IsZero)
        {
            return true;
        }

        if (exponent10 is > 1000 or < -1000)
        {
            decided = false; // a valid quantity, but too far out to compute here
            return true;
        }

        // ParseQuantity's fast path keeps the exact value (no rounding, no cap): up to 18 digits (leading zeros of the
        // whole part stripped) at a scale of at least a nano, or a whole binary amount that fits 64 bits.
        var num = whole.TrimStart('0');
        num = num.Length == 0 ? "0" : num;
        var fast = exponent2 == 0
            ? 18 - (num.Length + fraction.Length) >= 0 && exponent10 - fraction.Length >= -9
            : fraction.Length == 0 && 15 - num.Length - (int)(exponent2 * 3f / 10) - 1 >= 0 && digits << exponent2 <= long.MaxValue;

        // value = digits * 10^(exponent10 - fraction.Length) * 2^exponent2, in nanos: * 10^9.
        var scale = exponent10 - fraction.Length + 9;
        var numerator = digits << exponent2;
        BigInteger result;
        if (scale >= 0)
        {
            result = numerator * BigInteger.Pow(10, scale);
        }
        else
        {
            result = BigInteger.DivRem(numerator, BigInteger.Pow(10, -scale), out var remainder);
            if (!remainder.IsZero)
            {
                result += 1; // rounded up to the nano, away from zero
            }
        }

        if (!fast && result > MaxQuantityNanos)
        {
            result = MaxQuantityNanos;
        }

        nanos = negative ? -result : result;
        return true;
    }
}
