using System;
using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace CrdKit.Validation;

/// <summary>
/// Reads IP addresses and prefixes as Go's <c>net/netip</c> does, which is how the Cilium agent and operator and the
/// Kubernetes CEL library (<c>isIP</c>, <c>ip</c>, <c>cidr</c>) read them: IPv4 only as four decimal fields of 0-255
/// without leading zeros, IPv6 as RFC 4291 text (groups of up to four hex digits, one <c>::</c>, an optional dotted
/// IPv4 tail), and prefixes as an address, <c>/</c> and a decimal length without leading zeros. Zones (<c>%eth0</c>),
/// brackets, signs and white space are refused.
/// </summary>
/// <remarks>
/// Written here because <see cref="IPAddress.TryParse(string, out IPAddress)"/> follows the BSD <c>inet_aton</c>
/// rules: <c>"010.0.0.1"</c> is octal (8.0.0.1), <c>"0x0a.0.0.1"</c> is hex (10.0.0.1) and <c>"10.1"</c> is 10.0.0.1,
/// where Go, and so Cilium, refuses all three. Every address, CIDR and range the SDK reads goes through here.
/// </remarks>
public static class IPAddressText
{
    /// <summary>Reads a dotted-decimal IPv4 address: exactly four fields of 0-255, each without leading zeros.</summary>
    /// <param name="text">The text, nothing around it.</param>
    /// <param name="address">The address as a big-endian number (192.168.1.10 is 0xC0A8010A).</param>
    /// <returns>Whether <paramref name="text"/> is such an address.</returns>
    public static bool TryParseIPv4(ReadOnlySpan<char> text, out uint address)
    {
        address = 0;
        var i = 0;
        for (var field = 0; field < 4; field++)
        {
            if (field > 0)
            {
                if (i >= text.Length || text[i] != '.')
                {
                    return false;
                }

                i++;
            }

            var start = i;
            var value = 0;
            while (i < text.Length && text[i] is >= '0' and <= '9' && i - start < 3)
            {
                value = (value * 10) + (text[i] - '0');
                i++;
            }

            var digits = i - start;
            if (digits == 0 || value > 255 || (digits > 1 && text[start] == '0') || (i < text.Length && text[i] is >= '0' and <= '9'))
            {
                return false;
            }

            address = (address << 8) | (uint)value;
        }

        return i == text.Length;
    }

    /// <summary>Reads an IPv4 or IPv6 address (<c>netip.ParseAddr</c> without zones).</summary>
    /// <param name="text">The text, nothing around it.</param>
    /// <param name="address">The address; IPv4 as <see cref="System.Net.Sockets.AddressFamily.InterNetwork"/>, IPv6
    /// (including IPv4-mapped forms such as <c>::ffff:10.0.0.1</c>) as <see cref="System.Net.Sockets.AddressFamily.InterNetworkV6"/>.</param>
    /// <returns>Whether <paramref name="text"/> is an address.</returns>
    public static bool TryParse(ReadOnlySpan<char> text, [NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        if (text.Contains(':'))
        {
            Span<byte> bytes = stackalloc byte[16];
            if (!TryParseIPv6(text, bytes))
            {
                return false;
            }

            address = new IPAddress(bytes);
            return true;
        }

        if (!TryParseIPv4(text, out var value))
        {
            return false;
        }

        address = FromIPv4(value);
        return true;
    }

    /// <summary>Reads a prefix (<c>netip.ParsePrefix</c> without zones): an address, <c>/</c>, and a length of 0-32
    /// (IPv4) or 0-128 (IPv6) without leading zeros. Bits after the prefix may be set, as Go allows.</summary>
    /// <param name="text">The text, nothing around it.</param>
    /// <param name="address">The address as written (host bits kept).</param>
    /// <param name="prefixLength">The prefix length.</param>
    /// <returns>Whether <paramref name="text"/> is a prefix.</returns>
    public static bool TryParsePrefix(ReadOnlySpan<char> text, [NotNullWhen(true)] out IPAddress? address, out int prefixLength)
    {
        address = null;
        prefixLength = -1;
        var slash = text.LastIndexOf('/');
        if (slash < 0 || !TryParse(text[..slash], out var parsed) || !TryParseLength(text[(slash + 1)..], out var length)
            || length > (parsed.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128))
        {
            return false;
        }

        address = parsed;
        prefixLength = length;
        return true;
    }

    /// <summary>Reads a prefix as <see cref="TryParsePrefix"/> does and requires every bit after it to be zero, as an
    /// <see cref="IPNetwork"/> (and a CIDR in a policy or a pool) must have.</summary>
    /// <param name="text">The text, nothing around it.</param>
    /// <param name="network">The network.</param>
    /// <returns>Whether <paramref name="text"/> is a prefix without host bits.</returns>
    public static bool TryParseNetwork(ReadOnlySpan<char> text, out IPNetwork network)
    {
        network = default;
        if (!TryParsePrefix(text, out var address, out var length) || HasHostBits(address, length))
        {
            return false;
        }

        network = new IPNetwork(address, length);
        return true;
    }

    /// <summary>Whether any bit of <paramref name="address"/> after the first <paramref name="prefixLength"/> is set.</summary>
    internal static bool HasHostBits(IPAddress address, int prefixLength)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var count);
        for (var bit = prefixLength; bit < count * 8; bit++)
        {
            if ((bytes[bit / 8] & (0x80 >> (bit % 8))) != 0)
            {
                return true;
            }
        }

        return false;
    }

    internal static IPAddress FromIPv4(uint value) => new([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);

    // Go's rule for the length: decimal digits, no sign, no leading zero unless it is "0".
    private static bool TryParseLength(ReadOnlySpan<char> text, out int length)
    {
        length = 0;
        if (text.IsEmpty || text.Length > 3 || (text.Length > 1 && text[0] == '0'))
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            length = (length * 10) + (c - '0');
        }

        return true;
    }

    // RFC 4291 text as netip's parseIPv6 reads it; a zone is refused.
    private static bool TryParseIPv6(ReadOnlySpan<char> text, Span<byte> bytes)
    {
        bytes.Clear();
        var ellipsis = -1; // the byte index where "::" stands, if any
        var i = 0;
        if (text.StartsWith("::"))
        {
            ellipsis = 0;
            text = text[2..];
            if (text.IsEmpty)
            {
                return true;
            }
        }

        while (i < 16)
        {
            var digits = 0;
            var value = 0;
            while (digits < text.Length && HexValue(text[digits]) is var hex && hex >= 0)
            {
                if (digits == 4)
                {
                    return false; // more than 16 bits in one group
                }

                value = (value << 4) | hex;
                digits++;
            }

            if (digits == 0)
            {
                return false;
            }

            if (digits < text.Length && text[digits] == '.')
            {
                // A dotted IPv4 tail stands for the last two groups.
                if ((ellipsis < 0 && i != 12) || i + 4 > 16 || !TryParseIPv4(text, out var v4))
                {
                    return false;
                }

                bytes[i] = (byte)(v4 >> 24);
                bytes[i + 1] = (byte)(v4 >> 16);
                bytes[i + 2] = (byte)(v4 >> 8);
                bytes[i + 3] = (byte)v4;
                i += 4;
                text = ReadOnlySpan<char>.Empty;
                break;
            }

            bytes[i] = (byte)(value >> 8);
            bytes[i + 1] = (byte)value;
            i += 2;
            text = text[digits..];
            if (text.IsEmpty)
            {
                break;
            }

            if (text[0] != ':' || text.Length == 1)
            {
                return false;
            }

            text = text[1..];
            if (text[0] == ':')
            {
                if (ellipsis >= 0)
                {
                    return false; // a second "::"
                }

                ellipsis = i;
                text = text[1..];
                if (text.IsEmpty)
                {
                    break;
                }
            }
        }

        if (!text.IsEmpty)
        {
            return false;
        }

        if (i < 16)
        {
            if (ellipsis < 0)
            {
                return false; // too few groups
            }

            // Move the groups after "::" to the end; the zeros they leave are what "::" stands for.
            var shift = 16 - i;
            for (var j = i - 1; j >= ellipsis; j--)
            {
                bytes[j + shift] = bytes[j];
                bytes[j] = 0;
            }

            return true;
        }

        return ellipsis < 0; // "::" must stand for at least one group
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
