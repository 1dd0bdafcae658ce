using System;
using System.Globalization;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using System.ComponentModel;

namespace CrdKit.Validation;

/// <summary>The OpenAPI string formats the Kubernetes API server checks, as it checks them.</summary>
/// <remarks>Addresses and CIDRs are read by <see cref="IPAddressText"/>, as Go's <c>net/netip</c> reads them. The API
/// server's own format check tolerates leading zeros for compatibility (it reads <c>010</c> as decimal 10), but the
/// Cilium agent and operator, which act on the value, refuse them, so such a value is refused here. A <c>cidr</c> must
/// also have no bits set after its prefix.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Formats
{
    private static readonly Regex Hostname = new(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking | RegexOptions.IgnoreCase);
    private static readonly Regex Uuid = new(@"^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking | RegexOptions.IgnoreCase);
    private static readonly Regex Mac = new(@"^([0-9a-f]{2}[:-]){5}[0-9a-f]{2}$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking | RegexOptions.IgnoreCase);
    private static readonly Regex Duration = new(@"^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);

    /// <summary>Checks <paramref name="value"/> against <paramref name="format"/>; unknown formats pass, as upstream.</summary>
    /// <param name="format">The format name.</param>
    /// <param name="value">The value.</param>
    /// <param name="fix">A suggested fix when it fails.</param>
    /// <returns>Whether it is valid.</returns>
    public static bool IsValid(string format, string value, out string fix)
    {
        fix = string.Empty;
        switch (format)
        {
            case "cidr":
                if (IPAddressText.TryParseNetwork(value, out _))
                {
                    return true;
                }

                fix = IPAddressText.TryParse(value, out var address)
                    ? $"a CIDR needs a prefix length: did you mean {value}/{(address.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32)}?"
                    : "write an address with a prefix length, such as 10.0.0.0/24 (decimal, no leading zeros; host bits must be zero)";
                return false;
            case "ipv4":
                fix = "write a dotted decimal IPv4 address without leading zeros, such as 192.168.1.10";
                return IPAddressText.TryParseIPv4(value, out _);
            case "ipv6":
                fix = "write an IPv6 address such as fd00::1";
                return value.Contains(':', StringComparison.Ordinal) && IPAddressText.TryParse(value, out _);
            case "ip":
                fix = "write an IPv4 address (decimal, no leading zeros) or an IPv6 address";
                return IPAddressText.TryParse(value, out _);
            case "hostname":
                fix = "use lower-case letters, digits, '-' and '.' (RFC 1123)";
                return value.Length <= 253 && Hostname.IsMatch(value);
            case "uri":
                fix = "write an absolute URI such as https://example.com/path";
                return Uri.TryCreate(value, UriKind.Absolute, out _);
            case "uuid":
                fix = "write a UUID such as 123e4567-e89b-12d3-a456-426614174000";
                return Uuid.IsMatch(value);
            case "mac":
                fix = "write a MAC address such as 00:11:22:33:44:55";
                return Mac.IsMatch(value);
            case "date-time":
            case "datetime":
                fix = "write an RFC 3339 timestamp such as 2026-01-02T03:04:05Z";
                return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _) && value.Contains('T', StringComparison.OrdinalIgnoreCase);
            case "date":
                fix = "write a date such as 2026-01-02";
                return DateTime.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
            case "duration":
                fix = "write a Go duration such as 30s, 5m or 1h30m";
                return Duration.IsMatch(value);
            case "byte":
                fix = "write base64-encoded bytes";
                return value.Length % 4 == 0 && Convert.TryFromBase64String(value, new byte[value.Length], out _);
            default:
                return true;
        }
    }
}
