using System;
using System.Globalization;
using System.Net;
using System.Linq;
using System.Net.Sockets;
using Cilium.Sdk.Validation;
using CrdKit.Validation;

namespace Cilium.Sdk.Cluster;

/// <summary>An inclusive IPv4 address range, as numbers (pools, CIDRs and single addresses all reduce to one).</summary>
internal readonly record struct Ipv4Range(uint First, uint Last)
{
    public ulong Size => (ulong)Last - First + 1;

    public bool Contains(uint address) => address >= First && address <= Last;

    public bool Overlaps(Ipv4Range other) => First <= other.Last && other.First <= Last;

    public bool Within(Ipv4Range outer) => First >= outer.First && Last <= outer.Last;

    public static Ipv4Range Of(IPNetwork network)
    {
        var first = Ipv4.ToUInt(network.BaseAddress);
        var hostBits = 32 - network.PrefixLength;
        var last = hostBits == 32 ? uint.MaxValue : first | ((1u << hostBits) - 1);
        return new Ipv4Range(first, last);
    }

    /// <summary>The fewest CIDRs that cover exactly this range (for prefix lists and BGP pools).</summary>
    public System.Collections.Generic.IReadOnlyList<IPNetwork> ToCidrs()
    {
        var result = new System.Collections.Generic.List<IPNetwork>();
        ulong start = First;
        while (start <= Last)
        {
            var prefix = 32;
            // Grow the block while it stays aligned on start and inside the range.
            while (prefix > 0)
            {
                var size = 1UL << (32 - (prefix - 1));
                if (start % size != 0 || start + size - 1 > Last)
                {
                    break;
                }

                prefix--;
            }

            result.Add(new IPNetwork(Ipv4.FromUInt((uint)start), prefix));
            start += 1UL << (32 - prefix);
        }

        return result;
    }

    public override string ToString() => First == Last ? Ipv4.Text(First) : $"{Ipv4.Text(First)}-{Ipv4.Text(Last)}";
}

/// <summary>
/// IPv4 parsing for the builder and the importer, with the fix a user needs. The reading itself is
/// <see cref="IPAddressText"/>'s (decimal only, as Go and so Cilium reads addresses); this adds what to write instead:
/// the decimal form of an address written with leading zeros, the network of a CIDR with host bits, the missing prefix.
/// </summary>
internal static class Ipv4
{
    private const string Dotted = "write a dotted IPv4 address such as 192.168.1.10";

    public static bool TryParseAddress(string? text, out IPAddress address, out string fix)
    {
        address = IPAddress.None;
        fix = Dotted;
        if (text is null)
        {
            return false;
        }

        if (!IPAddressText.TryParseIPv4(text, out var value))
        {
            var slash = text.IndexOf('/', StringComparison.Ordinal);
            fix = slash >= 0 ? $"write the address without a prefix length, e.g. {text[..slash]}" : NonDecimalFix(text) ?? Dotted;
            return false;
        }

        address = FromUInt(value);
        return true;
    }

    public static bool TryParseCidr(string? text, out IPNetwork network, out string fix)
    {
        network = default;
        fix = "write an IPv4 CIDR such as 10.42.0.0/16";
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            if (TryParseAddress(text, out _, out _))
            {
                fix = $"add the prefix length: {text}/32 for one address, or the network's mask (e.g. /24)";
            }

            return false;
        }

        var lengthText = text[(slash + 1)..];
        if (!IPAddressText.TryParsePrefix(text, out var parsed, out var prefix)
            || parsed.AddressFamily != AddressFamily.InterNetwork)
        {
            if (NonDecimalFix(text[..slash], "/" + lengthText.TrimStart('0').PadLeft(1, '0')) is { } addressFix)
            {
                fix = addressFix;
            }
            else if (lengthText.Length > 1 && lengthText[0] == '0' && lengthText.All(char.IsAsciiDigit))
            {
                fix = $"write the prefix length without a leading zero: {text[..slash]}/{lengthText.TrimStart('0').PadLeft(1, '0')}";
            }

            return false;
        }

        var value = ToUInt(parsed);
        var hostBits = 32 - prefix;
        var mask = hostBits == 32 ? 0u : uint.MaxValue << hostBits;
        if ((value & mask) != value)
        {
            fix = $"the address has bits set after the /{prefix.ToString(CultureInfo.InvariantCulture)} prefix; did you mean {Text(value & mask)}/{prefix.ToString(CultureInfo.InvariantCulture)}?";
            return false;
        }

        network = new IPNetwork(parsed, prefix);
        return true;
    }

    /// <summary>For four dotted parts that are numbers written another way (leading zeros, hex), what to write instead;
    /// <paramref name="suffix"/> (a prefix length) goes after the suggested address.</summary>
    private static string? NonDecimalFix(string text, string suffix = "")
    {
        var parts = text.Split('.');
        if (parts.Length != 4)
        {
            return null;
        }

        if (parts.Any(p => p.StartsWith("0x", StringComparison.OrdinalIgnoreCase)))
        {
            return "write each part of the address in decimal, without 0x, e.g. 192.168.1.10" + suffix + " (Go's net/netip parser, which the API server's CEL checks and the Cilium agent both use, refuses hex)";
        }

        if (parts.All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit) && int.Parse(p, CultureInfo.InvariantCulture) <= 255))
        {
            var plain = string.Join('.', parts.Select(p => int.Parse(p, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture)));
            return $"write it without leading zeros: {plain}{suffix} (Go's net/netip parser, which the API server's CEL checks and the Cilium agent both use, refuses leading zeros; other tools read them as octal)";
        }

        return null;
    }

    public static uint ToUInt(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
    }

    public static IPAddress FromUInt(uint value) => IPAddressText.FromIPv4(value);

    public static string Text(uint value) => string.Create(CultureInfo.InvariantCulture, $"{value >> 24}.{(value >> 16) & 255}.{(value >> 8) & 255}.{value & 255}");
}
