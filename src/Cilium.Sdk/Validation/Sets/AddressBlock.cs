using System;
using System.Net;
using System.Net.Sockets;
using CrdKit.Validation;

namespace Cilium.Sdk.Validation.Sets;

/// <summary>A contiguous range of IPv4 or IPv6 addresses (an LB pool block: a CIDR, or start and stop).</summary>
/// <param name="IsIPv6">The family.</param>
/// <param name="First">The first address as a number.</param>
/// <param name="Last">The last address as a number.</param>
internal readonly record struct AddressBlock(bool IsIPv6, UInt128 First, UInt128 Last)
{
    /// <summary>Whether the two ranges share an address.</summary>
    public bool Overlaps(AddressBlock other) => IsIPv6 == other.IsIPv6 && First <= other.Last && other.First <= Last;

    /// <summary>A CIDR read as Go's net/netip reads it (host bits are allowed: LB-IPAM masks them).</summary>
    public static AddressBlock? FromCidr(string? text)
    {
        if (text is null || !IPAddressText.TryParsePrefix(text, out var address, out var prefix))
        {
            return null;
        }

        var bits = address.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;
        var value = Number(address);
        var hostMask = prefix >= bits ? UInt128.Zero : (UInt128.One << (bits - prefix)) - 1;
        return new AddressBlock(bits == 128, value & ~hostMask, (value & ~hostMask) | hostMask);
    }

    /// <summary>A start-stop range (stop defaults to start, as LB-IPAM reads it); null when either is not an address,
    /// the families differ, or stop comes before start.</summary>
    public static AddressBlock? FromRange(string? start, string? stop)
    {
        if (start is null || !IPAddressText.TryParse(start, out var first))
        {
            return null;
        }

        IPAddress last = first;
        if (stop is not null && !IPAddressText.TryParse(stop, out last!))
        {
            return null;
        }

        if (first.AddressFamily != last.AddressFamily || Number(first) > Number(last))
        {
            return null;
        }

        return new AddressBlock(first.AddressFamily == AddressFamily.InterNetworkV6, Number(first), Number(last));
    }

    private static UInt128 Number(IPAddress address)
    {
        var value = UInt128.Zero;
        foreach (var b in address.GetAddressBytes())
        {
            value = (value << 8) | b;
        }

        return value;
    }
}
