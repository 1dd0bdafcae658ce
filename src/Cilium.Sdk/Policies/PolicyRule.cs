using System.Collections.Generic;

namespace Cilium.Sdk.Policies;

/// <summary>Which way a rule's traffic flows, seen from the selected endpoints.</summary>
public enum Direction
{
    /// <summary>Traffic into the selected endpoints.</summary>
    Ingress,

    /// <summary>Traffic out of the selected endpoints.</summary>
    Egress,
}

/// <summary>
/// One intent rule of a <see cref="Policy"/>: allow or deny traffic between the selected endpoints and
/// <see cref="Peers"/> on <see cref="Ports"/> (all ports when empty), optionally restricted by L7 rules, or ICMP types.
/// </summary>
/// <param name="Direction">Ingress or egress.</param>
/// <param name="IsDeny">True for a deny rule (deny wins over every allow).</param>
/// <param name="Peers">The peers; never empty (use <see cref="Peer.Any"/>).</param>
/// <param name="Ports">The ports; empty means every port.</param>
/// <param name="Http">HTTP rules (allow, TCP only).</param>
/// <param name="Dns">DNS rules (allow, egress to port 53 only).</param>
/// <param name="Icmps">ICMP types; a rule with ICMP types has no ports.</param>
public sealed record PolicyRule(
    Direction Direction,
    bool IsDeny,
    IReadOnlyList<Peer> Peers,
    IReadOnlyList<Port> Ports,
    IReadOnlyList<HttpMatch> Http,
    IReadOnlyList<DnsMatch> Dns,
    IReadOnlyList<IcmpType> Icmps);
