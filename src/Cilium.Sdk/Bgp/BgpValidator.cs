using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using Cilium.Sdk.Frr;
using Cilium.Sdk.Secrets;
using Cilium.Sdk.Validation;
using CrdKit.Validation;

namespace Cilium.Sdk.Bgp;

/// <summary>
/// The cross-field rules of a BGP setup, for both ends (Cilium and the FRR router). Errors stop rendering; warnings
/// are advice with the reason measured against real FRR and GoBGP peers.
/// </summary>
public static class BgpValidator
{
    /// <summary>The widest ECMP a UniFi gateway takes (<c>maximum-paths</c> 1-16).</summary>
    public const int MaxEcmpPaths = 16;

    /// <summary>The longest hold time the template accepts.</summary>
    public const int TemplateMaxHoldTimeSeconds = 300;

    /// <summary>The longest TCP MD5 key Linux takes (<c>TCP_MD5SIG_MAXKEYLEN</c>).</summary>
    public const int MaxPasswordLength = 80;

    /// <summary>Connect-retry above this delays recovery after a router restart noticeably (warning).</summary>
    public const int SlowConnectRetrySeconds = 30;

    private static readonly uint[] ReservedAsns = [0, 23456, 65535, 4294967295];

    /// <summary>Every error and warning of <paramref name="options"/> on <paramref name="topology"/>, in a stable order.</summary>
    /// <param name="options">The BGP settings.</param>
    /// <param name="topology">The cluster's nodes and pools.</param>
    /// <returns>Errors and warnings; paths start with <c>bgp.</c>; layer <see cref="ValidationLayers.Cluster"/>.</returns>
    public static IReadOnlyList<ValidationError> Validate(BgpOptions options, BgpTopology topology) =>
        Run(options, topology, clusterRulesDone: false);

    /// <summary>The rules, without those a whole cluster's validation has already run (pinned IPs and the router's
    /// address against the pools), so one mistake is reported once.</summary>
    internal static IReadOnlyList<ValidationError> ValidateInCluster(BgpOptions options, BgpTopology topology) =>
        Run(options, topology, clusterRulesDone: true);

    private static IReadOnlyList<ValidationError> Run(BgpOptions options, BgpTopology topology, bool clusterRulesDone)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(topology);
        var found = new List<ValidationError>();
        Asns(options, topology, found);
        Timers(options, found);
        GracefulRestart(options, found);
        Ecmp(options, topology, found);
        Addresses(options, topology, clusterRulesDone, found);
        Password("bgp.password", options.Password, found);
        Rest(options, topology, found);
        return found;
    }

    /// <summary>Every error of an <see cref="FrrConfig"/> record: the checks <see cref="Validate(BgpOptions, BgpTopology)"/>
    /// makes on the settings it comes from, applied to the record itself, which is public and can be built or changed
    /// (<c>with</c>) by hand. <see cref="FrrConfigWriter.Write(FrrConfig)"/> refuses a record with an error.</summary>
    /// <param name="config">The router config model.</param>
    /// <returns>Errors; paths start with <c>frr.</c> and name the record's properties; layer <see cref="ValidationLayers.Cluster"/>.</returns>
    public static IReadOnlyList<ValidationError> Validate(FrrConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var found = new List<ValidationError>();
        ClusterName("frr.clusterName", config.ClusterName, found);
        Asn("frr.localAsn", config.LocalAsn, found);
        if (config.RouterId is not { AddressFamily: AddressFamily.InterNetwork })
        {
            found.Add(Error("frr.routerId", config.RouterId?.ToString(), "is not an IPv4 address (a BGP router ID is a 32-bit dotted quad)", "use the router's IPv4 address on the node network, e.g. 192.168.1.1"));
        }

        FrrWord("frr.peerGroup", config.PeerGroup, FrrConfigWriter.PeerGroupName, found);
        if (config.PeerGroupRemoteAsn is { } groupAsn)
        {
            Asn("frr.peerGroupRemoteAsn", groupAsn, found);
        }

        if (HoldTime("frr.holdTimeSeconds", config.HoldTimeSeconds, found))
        {
            KeepAlive("frr.keepAliveSeconds", config.KeepAliveSeconds, config.HoldTimeSeconds, found);
        }
        else if (config.KeepAliveSeconds < 1)
        {
            KeepAlive("frr.keepAliveSeconds", config.KeepAliveSeconds, int.MaxValue, found);
        }

        Password("frr.password", config.Password, found);
        Multihop("frr.ebgpMultihop", config.EbgpMultihop, found);

        var neighbors = config.Neighbors ?? [];
        if (neighbors.Count == 0)
        {
            found.Add(Error("frr.neighbors", null, "is empty: no node would peer with the router", "add one neighbor per node (FrrConfigWriter.Build does)"));
        }

        var addresses = new HashSet<IPAddress>();
        for (var i = 0; i < neighbors.Count; i++)
        {
            var path = $"frr.neighbors[{Text(i)}]";
            var neighbor = neighbors[i];
            if (neighbor is null)
            {
                found.Add(Error(path, null, "is null", "remove it, or give the node's address and name"));
                continue;
            }

            if (neighbor.Address is not { AddressFamily: AddressFamily.InterNetwork })
            {
                found.Add(Error(path + ".address", neighbor.Address?.ToString(), "is not IPv4; the rendered peering is IPv4 unicast", "use the node's IPv4 address"));
            }
            else if (!addresses.Add(neighbor.Address))
            {
                found.Add(Error(path + ".address", neighbor.Address.ToString(), "is used by another neighbor: the router would see one neighbor", "give every node its own address"));
            }
            else if (neighbor.Address.Equals(config.RouterId))
            {
                found.Add(Error(path + ".address", neighbor.Address.ToString(), "is the router's own address", "use the node's address"));
            }

            NeighborDescription(path + ".description", neighbor.Description, found);
            if (neighbor.RemoteAsn is { } asn)
            {
                Asn(path + ".remoteAsn", asn, found);
            }
            else if (config.PeerGroupRemoteAsn is null)
            {
                found.Add(Error(path + ".remoteAsn", null, "is unset and the peer-group has no remote-as, so FRR has no ASN for the neighbor", "set the node's ASN, or the peer-group's when all nodes share one"));
            }
        }

        EcmpWidth("frr.maximumPaths", config.MaximumPaths, neighbors.Count, found);
        FrrWord("frr.prefixListName", config.PrefixListName, FrrConfigWriter.PrefixListName, found);
        var pools = config.AcceptedPools ?? [];
        if (pools.Count == 0)
        {
            found.Add(Error("frr.acceptedPools", null, "is empty: the router would accept no route", "list the LoadBalancer pools whose /32s the router accepts"));
        }

        for (var i = 0; i < pools.Count; i++)
        {
            if (pools[i].BaseAddress is not { AddressFamily: AddressFamily.InterNetwork })
            {
                found.Add(Error($"frr.acceptedPools[{Text(i)}]", pools[i].ToString(), "is not IPv4; the router config accepts IPv4 /32s only", "list IPv4 LoadBalancer pools"));
            }
        }

        FrrWord("frr.routeMapName", config.RouteMapName, FrrConfigWriter.RouteMapName, found);
        return found;
    }

    /// <summary>The ECMP width the router gets: <see cref="BgpOptions.EcmpMaxPaths"/>, else one path per node (1-16).</summary>
    /// <param name="options">The BGP settings.</param>
    /// <param name="topology">The cluster's nodes.</param>
    /// <returns>The width.</returns>
    public static int EffectiveEcmpMaxPaths(BgpOptions options, BgpTopology topology) =>
        options.EcmpMaxPaths ?? Math.Clamp(topology.Nodes.Count, 1, MaxEcmpPaths);

    /// <summary>Whether FRR's config file and a TCP MD5 key can carry <paramref name="password"/> unchanged.</summary>
    /// <param name="password">The password.</param>
    /// <param name="problem">What is wrong, without the password itself.</param>
    /// <returns>True when it can.</returns>
    public static bool IsFrrSafePassword(SecretValue password, out string problem)
    {
        ArgumentNullException.ThrowIfNull(password);
        var text = password.Reveal();
        if (text.Length > MaxPasswordLength)
        {
            problem = string.Create(CultureInfo.InvariantCulture, $"is {text.Length} characters; a TCP MD5 key holds at most {MaxPasswordLength}");
            return false;
        }

        foreach (var c in text)
        {
            // FRR's parser splits on whitespace and takes no quoting (measured: `password "a b"` is an unknown
            // command); '!' and '#' start comments; quotes and backslashes would be taken literally by FRR but not
            // by every tool that writes the other end.
            if (c < '!' || c > '~' || c is '"' or '\'' or '\\' or '!' or '#' or '?')
            {
                problem = c is ' ' or '\t'
                    ? "contains whitespace, which FRR cannot carry in `neighbor ... password` (it splits the line; quoting is not supported)"
                    : "contains a character FRR cannot carry in `neighbor ... password` (allowed: printable ASCII without space, quotes, backslash, '!', '#', '?')";
                return false;
            }
        }

        problem = string.Empty;
        return true;
    }

    private static void Asns(BgpOptions options, BgpTopology topology, List<ValidationError> found)
    {
        Asn("bgp.routerAsn", options.RouterAsn, found);
        Asn("bgp.nodeAsn", options.NodeAsn, found);
        foreach (var (node, asn) in options.NodeAsns.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var path = $"bgp.nodeAsns[{node}]";
            Asn(path, asn, found);
            if (!topology.Nodes.Any(n => string.Equals(n.Name, node, StringComparison.Ordinal)))
            {
                found.Add(Error(path, node, "names no node of the cluster", "use one of: " + NodeNames(topology)));
            }
        }

        if (!options.AllowIbgp)
        {
            if (options.NodeAsn == options.RouterAsn)
            {
                found.Add(Error("bgp.nodeAsn", Text(options.NodeAsn), "equals the router ASN, which makes the sessions iBGP; the routes the router learns would need a route reflector or full mesh, and eBGP is intended",
                    $"give the nodes their own private ASN (e.g. {Text(options.RouterAsn == 64514 ? 64513u : 64514u)}), or set AllowIbgp if iBGP is really meant"));
            }

            foreach (var (node, asn) in options.NodeAsns.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                if (asn == options.RouterAsn)
                {
                    found.Add(Error($"bgp.nodeAsns[{node}]", Text(asn), "equals the router ASN (iBGP) while eBGP is intended", "use an ASN other than the router's, or set AllowIbgp"));
                }
            }
        }
    }

    private static void Asn(string path, uint asn, List<ValidationError> found)
    {
        if (Array.IndexOf(ReservedAsns, asn) >= 0)
        {
            var why = asn switch
            {
                0 => "ASN 0 is reserved (RFC 7607) and outside 1-4294967295",
                23456 => "ASN 23456 is AS_TRANS (RFC 6793), reserved for 2-byte/4-byte translation",
                65535 => "ASN 65535 is reserved (RFC 7300)",
                _ => "ASN 4294967295 is reserved (RFC 7300)",
            };
            found.Add(Error(path, Text(asn), why, "use a private ASN: 64512-65534, or 4200000000-4294967294"));
        }
    }

    private static void Timers(BgpOptions options, List<ValidationError> found)
    {
        var t = options.Timers;
        if (HoldTime("bgp.timers.holdTime", t.HoldTimeSeconds, found) && t.HoldTimeSeconds > TemplateMaxHoldTimeSeconds)
        {
            found.Add(Error("bgp.timers.holdTime", Text(t.HoldTimeSeconds), "is outside 3-300 seconds, the range the cluster template accepts (a dead node would keep its routes for minutes)", "use 3-300 seconds, e.g. 9"));
        }

        if (KeepAlive("bgp.timers.keepAlive", t.KeepAliveTimeSeconds, t.HoldTimeSeconds, found) && t.KeepAliveTimeSeconds * 3 > t.HoldTimeSeconds)
        {
            found.Add(Warning("bgp.timers.keepAlive", Text(t.KeepAliveTimeSeconds), $"is above a third of the hold time ({Text(t.HoldTimeSeconds)} s): fewer than three keepalives fit in a hold time, so one or two lost packets drop the session (RFC 4271 suggests a third)",
                $"use {Text(Math.Max(1, t.HoldTimeSeconds / 3))}"));
        }

        if (t.ConnectRetryTimeSeconds is null)
        {
            found.Add(Warning("bgp.timers.connectRetry", null, "is unset, so Cilium's default of 120 s applies: Cilium never listens (it always dials), so after a router restart a session returns only after the connect-retry back-off (measured: 18 s with 10 s; minutes with 120 s)",
                "set it explicitly, e.g. 10"));
        }
        else if (t.ConnectRetryTimeSeconds < 1)
        {
            found.Add(Error("bgp.timers.connectRetry", Text(t.ConnectRetryTimeSeconds.Value), "must be at least 1 second", "use e.g. 10"));
        }
        else if (t.ConnectRetryTimeSeconds > SlowConnectRetrySeconds)
        {
            found.Add(Warning("bgp.timers.connectRetry", Text(t.ConnectRetryTimeSeconds.Value), "delays recovery after a router restart: Cilium never listens, so the session returns only after the connect-retry back-off (measured: 18 s with 10 s; minutes with Cilium's default 120 s)",
                "use e.g. 10"));
        }

        if (options.Bfd)
        {
            var failover = options.GracefulRestart.Enabled ? Math.Max(t.HoldTimeSeconds, options.GracefulRestart.RestartTimeSeconds) : t.HoldTimeSeconds;
            found.Add(Warning("bgp.bfd", "true", $"BFD is not available in open-source Cilium, so nothing is rendered for it; with these settings a silently dead node is withdrawn after about {Text(failover)} s (measured: 2.3-3.0 s with hold 3 s, 8.1 s with hold 9 s, graceful restart off)",
                "rely on the timers: BgpTimerOptions.Fast (keepalive 1 s, hold 3 s) with graceful restart off fails over in about 3 s"));
        }
    }

    /// <summary>The hold time's range (the CiliumBGPPeerConfig schema's); false when it is outside.</summary>
    private static bool HoldTime(string path, int seconds, List<ValidationError> found)
    {
        if (seconds is >= 3 and <= 65535)
        {
            return true;
        }

        found.Add(Error(path, Text(seconds), "is outside 3-65535 seconds (the CiliumBGPPeerConfig schema's range)", "use 3-300 seconds, e.g. 9"));
        return false;
    }

    /// <summary>The keepalive: at least 1 second and at most the hold time; false when it is not.</summary>
    private static bool KeepAlive(string path, int seconds, int holdTimeSeconds, List<ValidationError> found)
    {
        if (seconds < 1)
        {
            found.Add(Error(path, Text(seconds), "must be at least 1 second", "use a third of the hold time, e.g. 3 for a hold time of 9"));
            return false;
        }

        if (seconds > holdTimeSeconds)
        {
            found.Add(Error(path, Text(seconds), $"exceeds the hold time ({Text(holdTimeSeconds)} s); the CiliumBGPPeerConfig schema rejects it",
                $"use at most a third of the hold time: {Text(Math.Max(1, holdTimeSeconds / 3))}"));
            return false;
        }

        return true;
    }

    private static void GracefulRestart(BgpOptions options, List<ValidationError> found)
    {
        var gr = options.GracefulRestart;
        if (gr.RestartTimeSeconds is < 1 or > 4095)
        {
            found.Add(Error("bgp.gracefulRestart.restartTime", Text(gr.RestartTimeSeconds), "is outside 1-4095 seconds (the BGP capability field is 12 bits; the CRD rejects it)", "use e.g. 120, or a few seconds when fast failover matters"));
        }
        else if (gr.Enabled && gr.RestartTimeSeconds > options.Timers.HoldTimeSeconds)
        {
            found.Add(Warning("bgp.gracefulRestart.restartTime", Text(gr.RestartTimeSeconds),
                $"defeats fast failover: with graceful restart on, the router keeps a dead node's routes for the restart time instead of the hold time ({Text(options.Timers.HoldTimeSeconds)} s); FRR is a helper by default and Cilium sets the notification bit, so even a hold-timer expiry counts as graceful (measured: the route stayed about 122 s with 120 s, 5-7 s with 5 s)",
                "turn graceful restart off (BgpGracefulRestartOptions.Disabled), or use a restart time no longer than the hold time"));
        }
    }

    private static void Ecmp(BgpOptions options, BgpTopology topology, List<ValidationError> found)
    {
        if (options.EcmpMaxPaths is { } width && !EcmpWidth("bgp.ecmpMaxPaths", width, topology.Nodes.Count, found))
        {
            return;
        }

        var effective = EffectiveEcmpMaxPaths(options, topology);
        var advertising = Math.Min(topology.Nodes.Count, MaxEcmpPaths);
        if (effective < advertising)
        {
            found.Add(Warning("bgp.ecmpMaxPaths", Text(effective), $"is below the {Text(topology.Nodes.Count)} nodes that advertise the same LoadBalancer IP, so the router drops the extra paths (measured: 4 nodes, maximum-paths 3, only 3 paths installed)",
                $"use {Text(advertising)}"));
        }
    }

    private static bool EcmpWidth(string path, int width, int nodes, List<ValidationError> found)
    {
        if (width is >= 1 and <= MaxEcmpPaths)
        {
            return true;
        }

        found.Add(Error(path, Text(width), "is outside 1-16, the maximum-paths range of a UniFi gateway", $"use {Text(Math.Clamp(nodes, 1, MaxEcmpPaths))} (one path per node)"));
        return false;
    }

    private static void Addresses(BgpOptions options, BgpTopology topology, bool clusterRulesDone, List<ValidationError> found)
    {
        var router = options.RouterAddress;
        if (router.AddressFamily != AddressFamily.InterNetwork)
        {
            found.Add(Error("bgp.routerAddress", router.ToString(), "is not IPv4; the rendered peering is IPv4 unicast", "use the router's IPv4 address on the node network, e.g. 192.168.1.1"));
        }

        for (var i = 0; i < topology.LoadBalancerPools.Count; i++)
        {
            var pool = topology.LoadBalancerPools[i];
            if (pool.BaseAddress.AddressFamily != AddressFamily.InterNetwork)
            {
                found.Add(Error($"bgp.loadBalancerPools[{Text(i)}]", pool.ToString(), "is not IPv4; the router config accepts IPv4 /32s only", "advertise an IPv4 LoadBalancer pool"));
            }
            else if (!clusterRulesDone && pool.Contains(router))
            {
                found.Add(Error("bgp.routerAddress", router.ToString(), $"lies inside the LoadBalancer pool {pool}: LB-IPAM could hand the router's address to a Service", "use a dedicated LoadBalancer pool that excludes the router (e.g. a separate /24), or pick another router address"));
            }
        }

        if (topology.LoadBalancerPools.Count == 0)
        {
            found.Add(Error("bgp.loadBalancerPools", null, "is empty: the router would accept no route", "pass the LoadBalancer pool CIDR (or the node CIDR when the pool is the node network)"));
        }

        if (router.AddressFamily == AddressFamily.InterNetwork && !topology.NodeCidr.Contains(router) && options.EbgpMultihop is null)
        {
            found.Add(Error("bgp.routerAddress", router.ToString(), $"is off the nodes' network {topology.NodeCidr}, and eBGP sessions are single-hop (TTL 1) unless multihop is configured",
                "put the router on the node network, or set EbgpMultihop (e.g. 2) to the number of hops"));
        }

        for (var i = 0; !clusterRulesDone && i < topology.PinnedLoadBalancerIps.Count; i++)
        {
            var ip = topology.PinnedLoadBalancerIps[i];
            if (!topology.LoadBalancerPools.Any(p => p.Contains(ip)))
            {
                found.Add(Error($"bgp.pinnedLoadBalancerIps[{Text(i)}]", ip.ToString(), "lies in no LoadBalancer pool: LB-IPAM cannot assign it and the router's prefix-list would drop it",
                    "move the pinned IP into the pool " + string.Join(", ", topology.LoadBalancerPools.Select(p => p.ToString()))));
            }
        }
    }

    private static void Password(string path, SecretValue? password, List<ValidationError> found)
    {
        if (password is not null && !IsFrrSafePassword(password, out var problem))
        {
            found.Add(Error(path, SecretValue.Redacted, problem, "use a password of letters, digits and -_.+=@%:,/~^*()[]{}<>|;$&` up to 80 characters"));
        }
    }

    private static void Rest(BgpOptions options, BgpTopology topology, List<ValidationError> found)
    {
        Multihop("bgp.ebgpMultihop", options.EbgpMultihop, found);

        if ((options.Advertise & (BgpAdvertise.LoadBalancerIP | BgpAdvertise.ClusterIP | BgpAdvertise.ExternalIP | BgpAdvertise.PodCIDR)) == 0)
        {
            found.Add(Error("bgp.advertise", options.Advertise.ToString(), "advertises nothing", "advertise at least LoadBalancerIP"));
        }

        if (string.IsNullOrWhiteSpace(options.SecretNamespace))
        {
            found.Add(Error("bgp.secretNamespace", options.SecretNamespace, "is empty", "use kube-system (Cilium's default BGP secrets namespace)"));
        }

        ClusterName("bgp.clusterName", topology.ClusterName, found);

        if (topology.Nodes.Count == 0)
        {
            found.Add(Error("bgp.nodes", null, "is empty: no node would peer with the router", "pass the cluster's nodes"));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var addresses = new HashSet<IPAddress>();
        for (var i = 0; i < topology.Nodes.Count; i++)
        {
            var node = topology.Nodes[i];
            var path = $"bgp.nodes[{Text(i)}]";
            if (NeighborDescription(path + ".name", node.Name, found) && !names.Add(node.Name))
            {
                found.Add(Error(path + ".name", node.Name, "is a duplicate node name", "give every node its own name"));
            }

            var peerAddress = options.NodeOverrides.TryGetValue(node.Name, out var o) && o.LocalAddress is not null ? o.LocalAddress : node.Address;
            if (!addresses.Add(peerAddress))
            {
                found.Add(Error(path + ".address", peerAddress.ToString(), "is used by another node: the router would see one neighbor", "give every node its own address"));
            }

            if (node.Address.AddressFamily != AddressFamily.InterNetwork)
            {
                found.Add(Error(path + ".address", node.Address.ToString(), "is not IPv4; the rendered peering is IPv4 unicast", "use the node's IPv4 address"));
            }
            else if (node.Address.Equals(options.RouterAddress))
            {
                found.Add(Error(path + ".address", node.Address.ToString(), "is the router's address", "use the node's own address"));
            }
        }

        foreach (var (node, o) in options.NodeOverrides.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var path = $"bgp.nodeOverrides[{node}]";
            if (!topology.Nodes.Any(n => string.Equals(n.Name, node, StringComparison.Ordinal)))
            {
                found.Add(Error(path, node, "names no node of the cluster", "use one of: " + NodeNames(topology)));
            }

            if (o.RouterId is { AddressFamily: not AddressFamily.InterNetwork })
            {
                found.Add(Error(path + ".routerId", o.RouterId.ToString(), "is not an IPv4 address (a BGP router ID is a 32-bit dotted quad)", "use the node's IPv4 address"));
            }

            if (o.LocalAddress is { AddressFamily: not AddressFamily.InterNetwork })
            {
                found.Add(Error(path + ".localAddress", o.LocalAddress.ToString(), "is not IPv4; the rendered peering is IPv4 unicast", "use an IPv4 address of the node"));
            }
        }
    }

    private static void FrrWord(string path, string? name, string example, List<ValidationError> found)
    {
        if (!IsPrintableWord(name, allowSpace: false))
        {
            found.Add(Error(path, Shown(name), "must be a non-empty word of printable ASCII without spaces or control characters (FRR reads it as one token of one line)", $"use a name such as {example}"));
        }
    }

    private static void Multihop(string path, int? ttl, List<ValidationError> found)
    {
        if (ttl is < 1 or > 255)
        {
            found.Add(Error(path, Text(ttl.Value), "is outside 1-255 (an IP TTL)", "use the number of hops to the router, e.g. 2"));
        }
    }

    private static void ClusterName(string path, string? name, List<ValidationError> found)
    {
        if (!IsPrintableWord(name, allowSpace: true))
        {
            found.Add(Error(path, Shown(name), "must be one line of printable ASCII (it is written into the router config's header)", "use the cluster's name, e.g. home-ops"));
        }
    }

    private static bool NeighborDescription(string path, string? name, List<ValidationError> found)
    {
        if (IsPrintableWord(name, allowSpace: false))
        {
            return true;
        }

        found.Add(Error(path, Shown(name), "must be a non-empty name without spaces or control characters (it becomes the router neighbor's description)", "use the Kubernetes node name, e.g. k8s-0"));
        return false;
    }

    /// <summary>A value for a message: control characters escaped, so a newline cannot start a line of its own.</summary>
    private static string? Shown(string? text)
    {
        if (text is null || !text.Any(char.IsControl))
        {
            return text;
        }

        var shown = new System.Text.StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            _ = c switch
            {
                '\n' => shown.Append("\\n"),
                '\r' => shown.Append("\\r"),
                '\t' => shown.Append("\\t"),
                _ when char.IsControl(c) => shown.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
                _ => shown.Append(c),
            };
        }

        return shown.ToString();
    }

    private static bool IsPrintableWord(string? text, bool allowSpace) =>
        !string.IsNullOrEmpty(text) && text.All(c => (c > ' ' && c <= '~') || (allowSpace && c == ' '));

    private static string NodeNames(BgpTopology topology) =>
        topology.Nodes.Count == 0 ? "(no nodes)" : string.Join(", ", topology.Nodes.Select(n => n.Name));

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static ValidationError Error(string path, string? value, string message, string fix) =>
        new(path, value, message, fix, ValidationLayers.Cluster, ValidationSeverity.Error);

    private static ValidationError Warning(string path, string? value, string message, string fix) =>
        new(path, value, message, fix, ValidationLayers.Cluster, ValidationSeverity.Warning);
}
