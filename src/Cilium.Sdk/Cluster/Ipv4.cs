using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

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
/// Strict IPv4 parsing for user input. Written here because <see cref="IPAddress.TryParse(string, out IPAddress)"/>
/// accepts forms no one means in a cluster file ("10" is 0.0.0.10, "10.1" is 10.0.0.1) and
/// <see cref="IPNetwork.TryParse(string, out IPNetwork)"/> only says no to host bits, where the user needs the fix.
/// </summary>
internal static class Ipv4
{
    public static bool TryParseAddress(string? text, out IPAddress address, out string fix)
    {
        address = IPAddress.None;
        fix = "write a dotted IPv4 address such as 192.168.1.10";
        if (string.IsNullOrWhiteSpace(text) || text.Split('.').Length != 4 || text.Contains('/', StringComparison.Ordinal))
        {
            if (text is not null && text.Contains('/', StringComparison.Ordinal))
            {
                fix = $"write the address without a prefix length, e.g. {text[..text.IndexOf('/', StringComparison.Ordinal)]}";
            }

            return false;
        }

        if (!IPAddress.TryParse(text, out var parsed) || parsed.AddressFamily != AddressFamily.InterNetwork)
        {
            return false;
        }

        address = parsed;
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

        if (!TryParseAddress(text[..slash], out var address, out _)
            || !int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix)
            || prefix is < 0 or > 32)
        {
            return false;
        }

        var hostBits = 32 - prefix;
        var mask = hostBits == 32 ? 0u : uint.MaxValue << hostBits;
        var value = ToUInt(address);
        if ((value & mask) != value)
        {
            fix = $"the address has bits set after the /{prefix.ToString(CultureInfo.InvariantCulture)} prefix; did you mean {Text(value & mask)}/{prefix.ToString(CultureInfo.InvariantCulture)}?";
            return false;
        }

        network = new IPNetwork(address, prefix);
        return true;
    }

    public static uint ToUInt(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
    }

    public static IPAddress FromUInt(uint value) => new([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);

    public static string Text(uint value) => string.Create(CultureInfo.InvariantCulture, $"{value >> 24}.{(value >> 16) & 255}.{(value >> 8) & 255}.{value & 255}");
}
