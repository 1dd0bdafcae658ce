using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Cilium.Sdk.Validation;

/// <summary>
/// The CEL library functions that generated <c>Validate()</c> methods call when they check translated
/// <c>x-kubernetes-validations</c> rules offline; each follows the Kubernetes CEL library's definition.
/// </summary>
public static class CelFunctions
{
    private static readonly ConcurrentDictionary<string, Regex?> Patterns = new(StringComparer.Ordinal);

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

    /// <summary>Kubernetes CEL <c>isIP(string)</c>: an IPv4 or IPv6 address without zone and, for IPv4, in dotted-quad form.</summary>
    /// <param name="value">The text.</param>
    /// <returns>Whether it parses as an IP address.</returns>
    public static bool IsIP(string value) => ParseIP(value) is not null;

    /// <summary>Kubernetes CEL <c>isCIDR(string)</c>: an address and a prefix length.</summary>
    /// <param name="value">The text.</param>
    /// <returns>Whether it parses as a CIDR.</returns>
    public static bool IsCidr(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || ParseIP(value[..slash]) is not { } address)
        {
            return false;
        }

        var bits = address.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;
        return int.TryParse(value.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) && prefix <= bits;
    }

    /// <summary>Kubernetes CEL <c>ip(string).family()</c>: 4 or 6.</summary>
    /// <param name="value">An IP address (callers check <see cref="IsIP"/> first).</param>
    /// <returns>4 or 6; 0 when it is not an address.</returns>
    public static long IPFamily(string value) => ParseIP(value)?.AddressFamily switch
    {
        AddressFamily.InterNetwork => 4,
        AddressFamily.InterNetworkV6 => 6,
        _ => 0,
    };

    /// <summary>Kubernetes CEL <c>cidr(string).prefixLength()</c>.</summary>
    /// <param name="value">A CIDR (callers check <see cref="IsCidr"/> first).</param>
    /// <returns>The prefix length, or -1 when it is not a CIDR.</returns>
    public static long PrefixLength(string value) =>
        IsCidr(value) ? int.Parse(value.AsSpan(value.IndexOf('/', StringComparison.Ordinal) + 1), NumberStyles.None, CultureInfo.InvariantCulture) : -1;

    /// <summary>Kubernetes CEL <c>cidr(string).containsIP(ip)</c>.</summary>
    /// <param name="cidr">A CIDR.</param>
    /// <param name="ip">An IP address.</param>
    /// <returns>Whether the address lies in the prefix.</returns>
    public static bool ContainsIP(string cidr, string ip)
    {
        if (!IsCidr(cidr) || ParseIP(ip) is not { } address)
        {
            return false;
        }

        var slash = cidr.IndexOf('/', StringComparison.Ordinal);
        var prefix = int.Parse(cidr.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture);
        var baseBytes = ParseIP(cidr[..slash])!.GetAddressBytes();
        var bytes = address.GetAddressBytes();
        if (bytes.Length != baseBytes.Length)
        {
            return false;
        }

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
        var regex = Patterns.GetOrAdd(pattern, static p =>
        {
            try
            {
                return new Regex(p, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
            }
            catch (ArgumentException)
            {
                return null;
            }
        });
        return regex?.IsMatch(value) ?? false;
    }

    private static IPAddress? ParseIP(string value)
    {
        ArgumentNullException.ThrowIfNull(value);

        // Kubernetes' isIP rejects zones and IPv4 shorthands ("10.1"), which IPAddress.TryParse accepts.
        if (value.Length == 0 || value.Contains('%', StringComparison.Ordinal) || !IPAddress.TryParse(value, out var address))
        {
            return null;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork && value.Split('.').Length != 4)
        {
            return null;
        }

        return address;
    }
}
