using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using System.ComponentModel;

namespace CrdKit.Validation;

/// <summary>
/// The CEL library functions that generated <c>Validate()</c> methods call when they check translated
/// <c>x-kubernetes-validations</c> rules offline; each follows the Kubernetes CEL library's definition.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static partial class CelFunctions
{
    /// <summary>CEL <c>size(string)</c>: the number of Unicode code points.</summary>
    /// <param name="value">The string.</param>
    /// <returns>The code point count.</returns>
    public static long Size(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        long count = 0;
        for (var i = 0; i < value.Length; i++)
        {
            if (!char.IsLowSurrogate(value[i]))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Kubernetes CEL <c>isIP(string)</c>: an address as <c>netip.ParseAddr</c> reads it (IPv4 dotted decimal
    /// without leading zeros), without a zone and not an IPv4-mapped IPv6 address.</summary>
    /// <param name="value">The text.</param>
    /// <returns>Whether it parses as an IP address.</returns>
    public static bool IsIP(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return ParseIP(value) is not null;
    }

    /// <summary>Kubernetes CEL <c>isCIDR(string)</c>: a prefix as <c>netip.ParsePrefix</c> reads it (bits after the
    /// prefix may be set), without a zone and not IPv4-mapped.</summary>
    /// <param name="value">The text.</param>
    /// <returns>Whether it parses as a CIDR.</returns>
    public static bool IsCidr(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return IPAddressText.TryParsePrefix(value, out var address, out _) && !address.IsIPv4MappedToIPv6;
    }

    /// <summary>Kubernetes CEL <c>ip(string).family()</c>: 4 or 6.</summary>
    /// <param name="value">An IP address (callers check <see cref="IsIP"/> first).</param>
    /// <returns>4 or 6; 0 when it is not an address.</returns>
    public static long IPFamily(string value) => ParseIP(value ?? throw new ArgumentNullException(nameof(value)))?.AddressFamily switch
    {
        AddressFamily.InterNetwork => 4,
        AddressFamily.InterNetworkV6 => 6,
        _ => 0,
    };

    /// <summary>Kubernetes CEL <c>cidr(string).prefixLength()</c>.</summary>
    /// <param name="value">A CIDR (callers check <see cref="IsCidr"/> first).</param>
    /// <returns>The prefix length, or -1 when it is not a CIDR.</returns>
    public static long PrefixLength(string value) => IsCidr(value) && IPAddressText.TryParsePrefix(value, out _, out var prefix) ? prefix : -1;

    /// <summary>Kubernetes CEL <c>cidr(string).containsIP(ip)</c>.</summary>
    /// <param name="cidr">A CIDR.</param>
    /// <param name="ip">An IP address.</param>
    /// <returns>Whether the address lies in the prefix.</returns>
    public static bool ContainsIP(string cidr, string ip)
    {
        ArgumentNullException.ThrowIfNull(cidr);
        ArgumentNullException.ThrowIfNull(ip);
        if (!IPAddressText.TryParsePrefix(cidr, out var network, out var prefix) || network.IsIPv4MappedToIPv6
            || ParseIP(ip) is not { } address || address.AddressFamily != network.AddressFamily)
        {
            return false;
        }

        var baseBytes = network.GetAddressBytes();
        var bytes = address.GetAddressBytes();
        for (var bit = 0; bit < prefix; bit++)
        {
            var mask = 0x80 >> (bit % 8);
            if ((bytes[bit / 8] & mask) != (baseBytes[bit / 8] & mask))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>CEL <c>string.matches(regex)</c>, on .NET's non-backtracking engine (linear time, like RE2).</summary>
    /// <param name="value">The text.</param>
    /// <param name="pattern">An RE2 pattern.</param>
    /// <returns>Whether any part of <paramref name="value"/> matches; false when the pattern is not supported.</returns>
    public static bool Matches(string value, string pattern)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Re2.Compile(pattern)?.IsMatch(value) ?? false;
    }

    /// <summary>Whether <see cref="Matches"/> can run <paramref name="pattern"/> with RE2's meaning; a rule whose pattern
    /// cannot is not checked (generated code tests this first), never reported.</summary>
    /// <param name="pattern">An RE2 pattern.</param>
    /// <returns>Whether the pattern is supported.</returns>
    public static bool IsSupportedPattern(string pattern) => Re2.Compile(pattern) is not null;

    // Kubernetes' ip()/isIP() and cidr(): netip's reading, with zones and IPv4-mapped IPv6 addresses refused.
    private static IPAddress? ParseIP(ReadOnlySpan<char> value) =>
        IPAddressText.TryParse(value, out var address) && !address.IsIPv4MappedToIPv6 ? address : null;
}
