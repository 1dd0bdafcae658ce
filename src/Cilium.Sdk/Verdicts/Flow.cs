using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Cilium.Sdk.Policies;

namespace Cilium.Sdk.Verdicts;

/// <summary>The L4 protocol of a <see cref="Flow"/>.</summary>
public enum FlowProtocol
{
    /// <summary>TCP.</summary>
    Tcp,

    /// <summary>UDP.</summary>
    Udp,

    /// <summary>SCTP.</summary>
    Sctp,

    /// <summary>ICMP for IPv4 (<see cref="Flow.Port"/> is the ICMP type).</summary>
    IcmpV4,

    /// <summary>ICMPv6 (<see cref="Flow.Port"/> is the ICMP type).</summary>
    IcmpV6,
}

/// <summary>An HTTP request a flow carries, for L7 HTTP rules.</summary>
/// <param name="Method">The method, such as "GET".</param>
/// <param name="Path">The path, such as "/api/v1/users" (no scheme, host or query).</param>
/// <param name="Host">The Host header / authority, or null when unknown.</param>
/// <param name="Headers">Request headers ("Name" → value), or null when unknown (rules on headers are then undecidable).</param>
public sealed record HttpRequest(string Method, string Path, string? Host = null, IReadOnlyDictionary<string, string>? Headers = null)
{
    /// <inheritdoc />
    public override string ToString() => Host is null ? $"{Method} {Path}" : $"{Method} {Host}{Path}";
}

/// <summary>
/// A new connection from <see cref="Source"/> to <see cref="Destination"/>: protocol and destination port (or ICMP
/// type), optionally the HTTP request or DNS query it carries. Replies are not flows: conntrack lets them through.
/// </summary>
public sealed record Flow
{
    private Flow(Endpoint source, Endpoint destination, FlowProtocol protocol, int port)
    {
        Source = source;
        Destination = destination;
        Protocol = protocol;
        Port = port;
    }

    /// <summary>Who opens the connection.</summary>
    public Endpoint Source { get; }

    /// <summary>Who it goes to.</summary>
    public Endpoint Destination { get; }

    /// <summary>The protocol.</summary>
    public FlowProtocol Protocol { get; }

    /// <summary>The destination port (1-65535), or the ICMP type for ICMP.</summary>
    public int Port { get; }

    /// <summary>The HTTP request, or null.</summary>
    public HttpRequest? Http { get; private init; }

    /// <summary>The DNS name queried (a DNS request to port 53), or null.</summary>
    public string? DnsQuery { get; private init; }

    /// <summary>Whether the flow is ICMP.</summary>
    public bool IsIcmp => Protocol is FlowProtocol.IcmpV4 or FlowProtocol.IcmpV6;

    /// <summary>A flow on a numbered port from the intent layer (<c>Port.Tcp(443)</c>), or on a named port the
    /// destination declares (<see cref="Endpoint.WithNamedPort"/>).</summary>
    /// <param name="source">The source.</param>
    /// <param name="destination">The destination.</param>
    /// <param name="port">One port on TCP, UDP or SCTP (not a range, not ANY).</param>
    /// <returns>The flow.</returns>
    /// <exception cref="ArgumentException">The port is a range, is on ANY, or is a name the destination does not declare.</exception>
    public static Flow Of(Endpoint source, Endpoint destination, Policies.Port port)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(port);
        if (port.EndPort is not null)
        {
            throw new ArgumentException($"a flow goes to one port, not the range {port}: check each port you care about", nameof(port));
        }

        if (port.Protocol == Policies.Protocol.Any)
        {
            throw new ArgumentException($"a flow has one protocol, not ANY ({port}): use Port.Tcp, Port.Udp or Port.Sctp", nameof(port));
        }

        var resolved = port;
        if (port.IsNamed && !destination.NamedPorts.TryGetValue(port.Value, out resolved!))
        {
            throw new ArgumentException($"the destination {destination} declares no port named '{port.Value}': add it with WithNamedPort, or use the number", nameof(port));
        }

        var protocol = resolved.Protocol switch
        {
            Policies.Protocol.Tcp => FlowProtocol.Tcp,
            Policies.Protocol.Udp => FlowProtocol.Udp,
            _ => FlowProtocol.Sctp,
        };
        return new Flow(source, destination, protocol, resolved.Number!.Value);
    }

    /// <summary>A TCP flow.</summary>
    /// <param name="source">The source.</param>
    /// <param name="destination">The destination.</param>
    /// <param name="port">The destination port.</param>
    /// <returns>The flow.</returns>
    public static Flow Tcp(Endpoint source, Endpoint destination, int port) => Create(source, destination, FlowProtocol.Tcp, port);

    /// <summary>A UDP flow.</summary>
    /// <param name="source">The source.</param>
    /// <param name="destination">The destination.</param>
    /// <param name="port">The destination port.</param>
    /// <returns>The flow.</returns>
    public static Flow Udp(Endpoint source, Endpoint destination, int port) => Create(source, destination, FlowProtocol.Udp, port);

    /// <summary>A flow of any protocol; for ICMP, <paramref name="port"/> is the ICMP type (0-255).</summary>
    /// <param name="source">The source.</param>
    /// <param name="destination">The destination.</param>
    /// <param name="protocol">The protocol.</param>
    /// <param name="port">The destination port, or the ICMP type.</param>
    /// <returns>The flow.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The port is outside 1-65535 (0-255 for ICMP).</exception>
    public static Flow Create(Endpoint source, Endpoint destination, FlowProtocol protocol, int port)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        var icmp = protocol is FlowProtocol.IcmpV4 or FlowProtocol.IcmpV6;
        if (icmp ? port is < 0 or > 255 : port is < 1 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(port), port, icmp ? "an ICMP type is 0-255" : "a destination port is 1-65535");
        }

        return new Flow(source, destination, protocol, port);
    }

    /// <summary>The same flow carrying an HTTP request (TCP only).</summary>
    /// <param name="request">The request.</param>
    /// <returns>A new flow.</returns>
    public Flow WithHttp(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Protocol != FlowProtocol.Tcp)
        {
            throw new ArgumentException("HTTP runs over TCP: build the flow with Flow.Tcp", nameof(request));
        }

        return this with { Http = request };
    }

    /// <summary>The same flow carrying a DNS query for <paramref name="name"/>.</summary>
    /// <param name="name">The name queried, such as "api.github.com".</param>
    /// <returns>A new flow.</returns>
    public Flow WithDnsQuery(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return this with { DnsQuery = name.TrimEnd('.').ToLowerInvariant() };
    }

    /// <summary>"a → b 443/TCP" (with the HTTP request or DNS query when present).</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        var l4 = IsIcmp
            ? string.Create(CultureInfo.InvariantCulture, $"{(Protocol == FlowProtocol.IcmpV4 ? "ICMPv4" : "ICMPv6")} type {Port}")
            : string.Create(CultureInfo.InvariantCulture, $"{Port}/{ProtocolWire(Protocol)}");
        var l7 = Http is not null ? " HTTP " + Http : DnsQuery is not null ? " DNS " + DnsQuery : string.Empty;
        return $"{Source} -> {Destination} {l4}{l7}";
    }

    internal static string ProtocolWire(FlowProtocol protocol) => protocol switch
    {
        FlowProtocol.Tcp => "TCP",
        FlowProtocol.Udp => "UDP",
        FlowProtocol.Sctp => "SCTP",
        FlowProtocol.IcmpV4 => "ICMPv4",
        _ => "ICMPv6",
    };
}
