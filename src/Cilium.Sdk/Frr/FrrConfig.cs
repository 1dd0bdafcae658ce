using System.Collections.Generic;
using System.Net;
using Cilium.Sdk.Secrets;

namespace Cilium.Sdk.Frr;

/// <summary>
/// The gateway router's BGP configuration as a model (FRR 8.x syntax, as a UniFi gateway runs it). Build it with
/// <see cref="FrrConfigWriter.Build"/>, write it with <see cref="FrrConfigWriter.Write(FrrConfig)"/>, which refuses a
/// record that <see cref="Bgp.BgpValidator.Validate(FrrConfig)"/> finds an error in (a record changed with <c>with</c> is
/// checked as one made by <see cref="FrrConfigWriter.Build"/>).
/// </summary>
/// <remarks>
/// With a password the written file is <b>secret output</b> (<see cref="ContainsSecret"/>): the router needs the
/// password in clear text, so the file must not be committed unencrypted (write it SOPS-encrypted, or outside the
/// repository). <see cref="ToString"/> never shows the password.
/// </remarks>
/// <param name="ClusterName">The cluster's name (for the header).</param>
/// <param name="LocalAsn">The router's ASN (<c>router bgp</c>).</param>
/// <param name="RouterId">The router's ID (its address on the node network).</param>
/// <param name="PeerGroup">The neighbors' peer-group name.</param>
/// <param name="PeerGroupRemoteAsn">The peer-group's remote ASN when every node shares one; null when nodes have their own (then set per neighbor).</param>
/// <param name="KeepAliveSeconds">Keepalive interval.</param>
/// <param name="HoldTimeSeconds">Hold time.</param>
/// <param name="Password">The TCP MD5 password, or null.</param>
/// <param name="EbgpMultihop">eBGP multihop TTL, or null.</param>
/// <param name="Neighbors">One neighbor per node, ordered by address.</param>
/// <param name="MaximumPaths">ECMP width (under <c>address-family ipv4 unicast</c>).</param>
/// <param name="PrefixListName">The prefix-list of accepted LoadBalancer /32s.</param>
/// <param name="AcceptedPools">The LoadBalancer pools whose /32s are accepted.</param>
/// <param name="RouteMapName">The inbound route-map that applies the prefix-list.</param>
public sealed record FrrConfig(
    string ClusterName,
    uint LocalAsn,
    IPAddress RouterId,
    string PeerGroup,
    uint? PeerGroupRemoteAsn,
    int KeepAliveSeconds,
    int HoldTimeSeconds,
    SecretValue? Password,
    int? EbgpMultihop,
    IReadOnlyList<FrrNeighbor> Neighbors,
    int MaximumPaths,
    string PrefixListName,
    IReadOnlyList<IPNetwork> AcceptedPools,
    string RouteMapName)
{
    /// <summary>True when the written file holds the BGP password: treat it as a secret file.</summary>
    public bool ContainsSecret => Password is not null;
}

/// <summary>One BGP neighbor (a node).</summary>
/// <param name="Address">The node's peering address.</param>
/// <param name="Description">The node's name.</param>
/// <param name="RemoteAsn">The node's ASN when set per neighbor (nodes with different ASNs); null to inherit the peer-group's.</param>
/// <param name="GracefulRestart">Whether <c>graceful-restart</c> is set on this neighbor (FRR 8.4 does not apply it from a peer-group).</param>
public sealed record FrrNeighbor(IPAddress Address, string Description, uint? RemoteAsn, bool GracefulRestart);
