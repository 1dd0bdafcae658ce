using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Net;
using Cilium.Sdk.Secrets;
using Cilium.Sdk.Validation;
using CrdKit.Validation;

namespace Cilium.Sdk.Bgp;

/// <summary>
/// BGP between the cluster's nodes (Cilium's BGP control plane v2) and one gateway router (FRR, e.g. a UniFi
/// gateway). One model drives both ends: <see cref="BgpResources.Render"/> writes the Cilium resources and
/// <see cref="Frr.FrrConfigWriter"/> writes the router's config, so they always agree.
/// </summary>
/// <remarks>
/// Immutable: change it with <c>with</c>. The defaults are the template's values where they are right (the
/// advertisement, names, the node selector) and measured choices where the builder prefers faster failover (timers
/// 9/3 where the template defaults to 30/10, an explicit connect-retry, graceful restart off). A template repository
/// imported with <see cref="Migration.TemplateImporter"/> gets the template's own defaults. <see cref="ToString"/> never shows the
/// password (<see cref="SecretValue"/> prints <c>***</c>).
/// </remarks>
/// <param name="RouterAddress">The gateway router's IPv4 address the nodes peer with.</param>
/// <param name="RouterAsn">The router's ASN.</param>
/// <param name="NodeAsn">The ASN of every node (see <see cref="NodeAsns"/> for per-node ASNs).</param>
public sealed record BgpOptions(IPAddress RouterAddress, uint RouterAsn, uint NodeAsn)
{
    /// <summary>The namespace Cilium reads BGP secrets from by default (<c>bgp-secrets-namespace</c>).</summary>
    public const string DefaultSecretNamespace = "kube-system";

    /// <summary>Per-node ASNs by node name; nodes not listed use <see cref="NodeAsn"/>.</summary>
    public IReadOnlyDictionary<string, uint> NodeAsns { get; init; } = ImmutableSortedDictionary.Create<string, uint>(StringComparer.Ordinal);

    /// <summary>Session timers (both ends).</summary>
    public BgpTimerOptions Timers { get; init; } = BgpTimerOptions.Default;

    /// <summary>Graceful restart (both ends). Off by default: with it on, a dead node's routes stay for the restart time.</summary>
    public BgpGracefulRestartOptions GracefulRestart { get; init; } = BgpGracefulRestartOptions.Disabled;

    /// <summary>The router's ECMP width (<c>maximum-paths</c>); null means one path per node, at most 16.</summary>
    public int? EcmpMaxPaths { get; init; }

    /// <summary>The TCP MD5 password of every session, or null for none. Written to a Secret and into the router config.</summary>
    public SecretValue? Password { get; init; }

    /// <summary>What the nodes advertise; LoadBalancer IPs by default.</summary>
    public BgpAdvertise Advertise { get; init; } = BgpAdvertise.LoadBalancerIP;

    /// <summary>Per-node overrides (router ID, local address) by node name.</summary>
    public IReadOnlyDictionary<string, BgpNodeOverride> NodeOverrides { get; init; } = ImmutableSortedDictionary.Create<string, BgpNodeOverride>(StringComparer.Ordinal);

    /// <summary>The labels of the nodes that run BGP (the template's <c>kubernetes.io/os: linux</c>).</summary>
    public IReadOnlyDictionary<string, string> NodeSelector { get; init; } =
        ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal).Add("kubernetes.io/os", "linux");

    /// <summary>eBGP multihop TTL, needed when the router is not on the nodes' network; null for directly connected.</summary>
    public int? EbgpMultihop { get; init; }

    /// <summary>Peer iBGP (router ASN equal to node ASN) on purpose; otherwise equal ASNs are an error.</summary>
    public bool AllowIbgp { get; init; }

    /// <summary>
    /// Asks for BFD. Open-source Cilium has none, so this only produces a warning saying how fast the chosen timers
    /// fail over instead; nothing BFD-related is rendered.
    /// </summary>
    public bool Bfd { get; init; }

    /// <summary>The namespace of the password Secret (Cilium's BGP secrets namespace).</summary>
    public string SecretNamespace { get; init; } = DefaultSecretNamespace;

    /// <summary>The ASN of the named node (its <see cref="NodeAsns"/> entry, else <see cref="NodeAsn"/>).</summary>
    /// <param name="nodeName">The node's name.</param>
    /// <returns>The ASN.</returns>
    public uint AsnOf(string nodeName) => NodeAsns.TryGetValue(nodeName, out var asn) ? asn : NodeAsn;

    /// <summary>
    /// Builds options from the three settings that switch BGP on, as a cluster file gives them. All three unset:
    /// BGP is off (null, no error). All three set: options with defaults for the rest. Some set: null and one error
    /// per missing part; a partial BGP configuration never silently falls back to L2 announcements.
    /// </summary>
    /// <param name="routerAddress">The router's address, or null.</param>
    /// <param name="routerAsn">The router's ASN, or null.</param>
    /// <param name="nodeAsn">The nodes' ASN, or null.</param>
    /// <param name="errors">The missing parts, each an error under <c>bgp.</c>.</param>
    /// <returns>The options, or null when BGP is off or incomplete.</returns>
    public static BgpOptions? FromParts(IPAddress? routerAddress, uint? routerAsn, uint? nodeAsn, out IReadOnlyList<ValidationError> errors)
    {
        var missing = new List<ValidationError>();
        var anySet = routerAddress is not null || routerAsn is not null || nodeAsn is not null;
        if (anySet)
        {
            const string Why = "BGP needs the router address, the router ASN and the node ASN together; a partial set would silently leave the cluster on L2 announcements";
            if (routerAddress is null)
            {
                missing.Add(Missing("bgp.routerAddress", Why, "set the gateway router's IPv4 address (e.g. 192.168.1.1), or unset the other BGP settings to use L2 announcements"));
            }

            if (routerAsn is null)
            {
                missing.Add(Missing("bgp.routerAsn", Why, "set the router's ASN (e.g. 64513), or unset the other BGP settings to use L2 announcements"));
            }

            if (nodeAsn is null)
            {
                missing.Add(Missing("bgp.nodeAsn", Why, "set the nodes' ASN (e.g. 64514), or unset the other BGP settings to use L2 announcements"));
            }
        }

        errors = missing;
        return anySet && missing.Count == 0 ? new BgpOptions(routerAddress!, routerAsn!.Value, nodeAsn!.Value) : null;
    }

    private static ValidationError Missing(string path, string why, string fix) =>
        new(path, null, "is missing: " + why, fix, ValidationLayers.Cluster);
}

/// <summary>BGP session timers, in seconds (CiliumBGPPeerConfig <c>spec.timers</c> and FRR <c>timers</c>).</summary>
/// <param name="HoldTimeSeconds">Hold time: a silent peer is declared dead after this long.</param>
/// <param name="KeepAliveTimeSeconds">Keepalive interval; at most a third of the hold time.</param>
/// <param name="ConnectRetryTimeSeconds">How long a node waits before redialling; null leaves Cilium's default (120 s).</param>
public sealed record BgpTimerOptions(int HoldTimeSeconds, int KeepAliveTimeSeconds, int? ConnectRetryTimeSeconds)
{
    /// <summary>Hold 9 s, keepalive 3 s (a dead node is withdrawn in about 9 s; the template's defaults are 30/10), connect-retry
    /// 10 s (measured: a session is back 18 s after a router restart).</summary>
    public static BgpTimerOptions Default { get; } = new(9, 3, 10);

    /// <summary>Hold 3 s, keepalive 1 s, connect-retry 5 s: a silently dead node is withdrawn in about 3 s (measured 2.3-3.0 s).</summary>
    public static BgpTimerOptions Fast { get; } = new(3, 1, 5);
}

/// <summary>Graceful restart (CiliumBGPPeerConfig <c>spec.gracefulRestart</c>; FRR per-neighbor <c>graceful-restart</c>).</summary>
/// <param name="Enabled">Whether graceful restart is on.</param>
/// <param name="RestartTimeSeconds">How long the router keeps a restarting node's routes (1-4095).</param>
public sealed record BgpGracefulRestartOptions(bool Enabled, int RestartTimeSeconds)
{
    /// <summary>Off (restart time kept at Cilium's default 120 s for when it is switched on).</summary>
    public static BgpGracefulRestartOptions Disabled { get; } = new(false, 120);

    /// <summary>On, with the given restart time.</summary>
    /// <param name="restartTimeSeconds">The restart time in seconds (1-4095).</param>
    /// <returns>The options.</returns>
    public static BgpGracefulRestartOptions On(int restartTimeSeconds = 120) => new(true, restartTimeSeconds);
}

/// <summary>Per-node settings (rendered as a CiliumBGPNodeConfigOverride named after the node).</summary>
/// <param name="RouterId">The node's BGP router ID (IPv4), or null for Cilium's choice.</param>
/// <param name="LocalAddress">The address the node peers from, or null for the node address; the router's neighbor
/// for this node is this address.</param>
public sealed record BgpNodeOverride(IPAddress? RouterId = null, IPAddress? LocalAddress = null);

/// <summary>What the nodes advertise to the router.</summary>
[Flags]
public enum BgpAdvertise
{
    /// <summary>Nothing (an error: BGP without advertisements is pointless).</summary>
    None = 0,

    /// <summary>Services' LoadBalancer IPs (the default).</summary>
    LoadBalancerIP = 1,

    /// <summary>Services' cluster IPs.</summary>
    ClusterIP = 2,

    /// <summary>Services' external IPs.</summary>
    ExternalIP = 4,

    /// <summary>Each node's pod CIDR.</summary>
    PodCIDR = 8,
}
