using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text.RegularExpressions;
using Cilium.Sdk.LoadBalancing;
using Cilium.Sdk.Routing;
using Cilium.Sdk.Validation;
using CrdKit.Validation;

namespace Cilium.Sdk.Cluster;

/// <summary>
/// The cross-field rules of a whole cluster (what no single manifest's schema can see): address plan overlaps,
/// pools against nodes and pinned IPs, L2 reachability, DSR prerequisites, names. Every rule adds to one list, so the
/// user sees all problems at once; paths follow the builder (<c>loadBalancer.pools[0].blocks[1]</c>).
/// </summary>
internal sealed class ClusterValidator
{
    private readonly ClusterSpec spec;
    private readonly List<ValidationError> problems = [];
    private readonly Func<object, string>? writePolicy;
    private IReadOnlyList<Policies.PolicyFile>? policyFiles;

    private ClusterValidator(ClusterSpec spec, Func<object, string>? writePolicy)
    {
        this.spec = spec;
        this.writePolicy = writePolicy;
    }

    /// <summary>Every problem, errors first, each group in the order the rules run: the address plan, then nodes, pools,
    /// pinned IPs, BGP and policies, so a root cause comes before what follows from it.</summary>
    public static IReadOnlyList<ValidationError> Validate(ClusterSpec spec) => Run(spec, null).Problems;

    /// <summary>Every problem, and each valid policy written with <paramref name="writePolicy"/> as soon as it is checked
    /// (what <c>Build()</c> keeps for rendering: texts, not thousands of records).</summary>
    public static (IReadOnlyList<ValidationError> Problems, IReadOnlyList<Policies.PolicyFile>? PolicyFiles) ValidateAndWritePolicies(ClusterSpec spec, Func<object, string> writePolicy) =>
        Run(spec, writePolicy);

    private static (IReadOnlyList<ValidationError> Problems, IReadOnlyList<Policies.PolicyFile>? PolicyFiles) Run(ClusterSpec spec, Func<object, string>? writePolicy)
    {
        var validator = new ClusterValidator(spec, writePolicy);
        validator.Run();
        // A stable sort: within a severity the rules' own order (root causes first), not the alphabet.
        var sorted = validator.problems.OrderBy(p => p.Severity).ToList();
        return (sorted, validator.policyFiles);
    }

    private void Error(string path, string? value, string message, string fix) =>
        problems.Add(new ValidationError(path, value, message, fix, ValidationLayers.Cluster));

    private void Warning(string path, string? value, string message, string fix) =>
        problems.Add(new ValidationError(path, value, message, fix, ValidationLayers.Cluster, ValidationSeverity.Warning));

    private void Run()
    {
        if (!KubernetesNames.IsDns1123Label(spec.Name, out var nameFix))
        {
            Error("name", spec.Name, "is not a valid cluster name", nameFix);
        }

        var networks = spec.Networks;
        var nodeCidr = Cidr("networks.nodeCidr", networks.NodeCidr, required: true);
        var podCidr = Cidr("networks.podCidr", networks.PodCidr, required: true);
        var serviceCidr = Cidr("networks.serviceCidr", networks.ServiceCidr, required: true);
        var overlapping = NoOverlap(("networks.nodeCidr", nodeCidr), ("networks.podCidr", podCidr), ("networks.serviceCidr", serviceCidr));

        var nodeRange = nodeCidr is { } n ? Ipv4Range.Of(n) : (Ipv4Range?)null;
        var nodeNetworkWrong = nodeRange is { } declared && NoNodeOnNetwork(declared);
        if (nodeNetworkWrong)
        {
            // One mistake, one error: the node network is wrong, so what is measured against it (nodes, API address,
            // gateway, L2 pools on the link) is not reported again until it is fixed.
            nodeRange = null;
        }

        var infrastructure = new List<(string Path, uint Address)>();
        var api = OnNodeNetwork("networks.apiAddress", networks.ApiAddress, nodeRange);
        if (api is { } a)
        {
            infrastructure.Add(("networks.apiAddress", a));
        }

        var gatewayText = networks.Gateway ?? (nodeRange is { } r && r.Size > 2 ? Ipv4.Text(r.First + 1) : null);
        var gateway = OnNodeNetwork(networks.Gateway is null ? "networks.gateway (default: first address of networks.nodeCidr)" : "networks.gateway", gatewayText, nodeRange);
        if (gateway is { } g)
        {
            infrastructure.Add(("networks.gateway", g));
        }

        ValidateNodes(nodeRange, infrastructure);
        if (spec.Bgp is { } bgpOptions && bgpOptions.RouterAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
        {
            // The router's address must stay out of the pools like the cluster's own; checked here once, with the others.
            infrastructure.Add(("bgp.routerAddress", Ipv4.ToUInt(bgpOptions.RouterAddress)));
        }

        ValidateRouting(podCidr);
        // A pod or Service CIDR already reported as overlapping is not measured against the pools again (one mistake).
        var pools = ValidatePools(nodeRange, overlapping.Contains("networks.podCidr") ? null : podCidr, overlapping.Contains("networks.serviceCidr") ? null : serviceCidr, infrastructure);
        ValidatePinnedIps(pools, poolErrors: nodeNetworkWrong || problems.Any(p => p.IsError && p.Path.StartsWith("loadBalancer.pools", StringComparison.Ordinal)));
        ValidateObservability();
        ValidateBgp();
        if (spec.Policies is { } policies)
        {
            // Each policy's records are checked (and, for Build(), written) and let go: keeping thousands of young
            // records alive until rendering made the GC copy them all and grow the heap (see the render benchmark).
            if (writePolicy is null)
            {
                problems.AddRange(policies.Validate(spec.Version, spec.PolicyMode));
            }
            else
            {
                var (files, policyProblems) = policies.ValidateAndWrite(spec.Version, spec.PolicyMode, writePolicy);
                problems.AddRange(policyProblems);
                policyFiles = files;
            }
        }
    }

    private IPNetwork? Cidr(string path, string? text, bool required)
    {
        if (text is null)
        {
            if (required)
            {
                Error(path, null, "is required", "set it, e.g. .WithNodeCidr(\"192.168.1.0/24\")");
            }

            return null;
        }

        if (!Ipv4.TryParseCidr(text, out var network, out var fix))
        {
            Error(path, text, "is not a valid IPv4 CIDR", fix);
            return null;
        }

        return network;
    }

    /// <summary>Reports each network overlapping an earlier one; returns the paths reported.</summary>
    private HashSet<string> NoOverlap(params (string Path, IPNetwork? Network)[] networks)
    {
        var reported = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < networks.Length; i++)
        {
            for (var j = i + 1; j < networks.Length; j++)
            {
                if (networks[i].Network is { } x && networks[j].Network is { } y && Ipv4Range.Of(x).Overlaps(Ipv4Range.Of(y)))
                {
                    Error(networks[j].Path, y.ToString(), $"overlaps {networks[i].Path} ({x})", "give each network its own non-overlapping range");
                    reported.Add(networks[j].Path);
                }
            }
        }

        return reported;
    }

    /// <summary>True (and reported once at networks.nodeCidr, naming every node) when no node lies in the node network.</summary>
    private bool NoNodeOnNetwork(Ipv4Range declared)
    {
        var nodes = spec.Nodes.IsDefault ? [] : spec.Nodes
            .Select(node => (node, Parsed: Ipv4.TryParseAddress(node.Address, out var ip, out _) ? Ipv4.ToUInt(ip) : (uint?)null))
            .Where(x => x.Parsed is not null)
            .ToList();
        if (nodes.Count == 0 || nodes.Any(x => declared.Contains(x.Parsed!.Value)))
        {
            return false;
        }

        var listed = string.Join(", ", nodes.Select(x => $"{x.node.Name} ({x.node.Address})"));
        var first = nodes.Min(x => x.Parsed!.Value);
        var last = nodes.Max(x => x.Parsed!.Value);
        var prefix = 32;
        while (prefix > 8 && (first >> (32 - prefix)) != (last >> (32 - prefix)))
        {
            prefix--;
        }

        prefix = Math.Min(prefix, 24);
        var suggestion = Ipv4.Text(first & (uint)(0xFFFFFFFFUL << (32 - prefix))) + "/" + prefix.ToString(CultureInfo.InvariantCulture);
        Error("networks.nodeCidr", spec.Networks.NodeCidr, $"contains none of the nodes: {listed}",
            $"use the nodes' network, e.g. {suggestion}, or fix the nodes' addresses");
        return true;
    }

    private uint? OnNodeNetwork(string path, string? text, Ipv4Range? nodeRange)
    {
        if (text is null)
        {
            return null;
        }

        if (!Ipv4.TryParseAddress(text, out var address, out var fix))
        {
            Error(path, text, "is not a valid IPv4 address", fix);
            return null;
        }

        var value = Ipv4.ToUInt(address);
        if (nodeRange is { } range && !range.Contains(value))
        {
            Error(path, text, $"is outside the node network ({range})", "use an address inside networks.nodeCidr, or fix the node CIDR");
        }

        return value;
    }

    private void ValidateNodes(Ipv4Range? nodeRange, List<(string Path, uint Address)> infrastructure)
    {
        if (spec.Nodes.IsDefaultOrEmpty)
        {
            Error("nodes", null, "the cluster has no nodes", "add at least one with .WithNode(ClusterNode.Controller(\"k8s-0\", \"192.168.1.10\"))");
            return;
        }

        if (!spec.Nodes.Any(n => n.Role == NodeRole.Controller))
        {
            Error("nodes", null, "no node is a controller", "make at least one node ClusterNode.Controller(...)");
        }

        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        var addresses = new Dictionary<uint, string>();
        foreach (var (path, address) in infrastructure)
        {
            addresses.TryAdd(address, path);
        }

        for (var i = 0; i < spec.Nodes.Length; i++)
        {
            var node = spec.Nodes[i];
            var at = ValidationPath.Index("nodes", i);
            if (!KubernetesNames.IsDns1123Subdomain(node.Name, out var fix))
            {
                Error(at + ".name", node.Name, "is not a valid node name", fix);
            }
            else if (!names.TryAdd(node.Name, i))
            {
                Error(at + ".name", node.Name, $"is also the name of nodes[{names[node.Name].ToString(CultureInfo.InvariantCulture)}]", "give every node a unique name");
            }

            var value = OnNodeNetwork(at + ".address", node.Address, nodeRange);
            if (value is { } v && !addresses.TryAdd(v, at + ".address"))
            {
                Error(at + ".address", node.Address, $"is already used by {addresses[v]}", "give every node its own address, distinct from the API and gateway addresses");
            }

            foreach (var (key, labelValue) in node.Labels)
            {
                Label($"{at}.labels[{key}]", key, labelValue);
            }
        }

        infrastructure.AddRange(addresses.Where(a => a.Value.StartsWith("nodes[", StringComparison.Ordinal)).Select(a => (a.Value, a.Key)));
    }

    private void Label(string path, string key, string value)
    {
        if (!KubernetesNames.IsLabelKey(key, out var keyFix))
        {
            Error(path, key, "is not a valid label key", keyFix);
        }

        if (!KubernetesNames.IsLabelValue(value, out var valueFix))
        {
            Error(path, value, "is not a valid label value", valueFix);
        }
    }

    private void ValidateRouting(IPNetwork? podCidr)
    {
        var routing = spec.Routing;
        if (routing.Mode == RoutingMode.Native && routing.NativeRoutingCidr is { } text)
        {
            var native = Cidr("routing.nativeRoutingCidr", text, required: false);
            if (native is { } n && podCidr is { } p && !Ipv4Range.Of(p).Within(Ipv4Range.Of(n)))
            {
                Error("routing.nativeRoutingCidr", text, $"does not contain the pod CIDR ({p}); pod traffic outside it is masqueraded", "use the pod CIDR or a range that contains it");
            }
        }

        var kpr = spec.KubeProxyReplacement;
        if (kpr.ApiPort is < 1 or > 65535)
        {
            Error("kubeProxyReplacement.apiPort", kpr.ApiPort.ToString(CultureInfo.InvariantCulture), "is not a TCP port", "use 1-65535 (Talos KubePrism: 7445)");
        }

        var mode = spec.LoadBalancer.Mode;
        if (mode != LoadBalancerMode.Snat)
        {
            var name = mode.ToString().ToLowerInvariant();
            if (!kpr.Enabled)
            {
                Error("loadBalancer.mode", name, $"{name} needs kube-proxy replacement (Cilium implements DSR in its own service load balancer)", "turn kube-proxy replacement on, or use LoadBalancerMode.Snat");
            }

            if (routing.Mode != RoutingMode.Native)
            {
                Error("loadBalancer.mode", name, $"{name} needs native routing (in tunnel mode replies would bypass the tunnel)", "use RoutingOptions.Native(), or LoadBalancerMode.Snat");
            }
        }
    }

    private List<(int Pool, Ipv4Range Usable, string Path)> ValidatePools(Ipv4Range? nodeRange, IPNetwork? podCidr, IPNetwork? serviceCidr, List<(string Path, uint Address)> infrastructure)
    {
        var ranges = new List<(int Pool, Ipv4Range Usable, string Path)>();
        var announces = spec.L2 is not null;
        if (spec.Pools.IsDefaultOrEmpty)
        {
            if (announces)
            {
                Warning("loadBalancer.pools", null, "L2 announcements are on but there is no LoadBalancer IP pool, so no Service gets an address to announce", "add a pool with .WithLoadBalancerPool(LbPool.Create(\"pool\").WithRange(...))");
            }

            return ranges;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var p = 0; p < spec.Pools.Length; p++)
        {
            var pool = spec.Pools[p];
            var at = ValidationPath.Index("loadBalancer.pools", p);
            if (!KubernetesNames.IsDns1123Subdomain(pool.Name, out var fix))
            {
                Error(at + ".name", pool.Name, "is not a valid object name", fix);
            }
            else if (!names.Add(pool.Name))
            {
                Error(at + ".name", pool.Name, "is the name of another pool", "give every pool a unique name");
            }

            if (pool.Blocks.IsDefaultOrEmpty)
            {
                Error(at + ".blocks", null, "the pool has no address blocks", "add one with .WithCidr(...) or .WithRange(start, stop)");
            }

            foreach (var (key, value) in pool.ServiceSelector)
            {
                Label($"{at}.serviceSelector[{key}]", key, value);
            }

            for (var b = 0; b < pool.Blocks.Length; b++)
            {
                var blockPath = ValidationPath.Index(at + ".blocks", b);
                if (Block(blockPath, pool.Blocks[b], pool.AllowFirstLastIps) is { } usable)
                {
                    ranges.Add((p, usable, blockPath));
                }
            }
        }

        for (var i = 0; i < ranges.Count; i++)
        {
            var (_, range, path) = ranges[i];
            for (var j = 0; j < i; j++)
            {
                if (ranges[j].Usable.Overlaps(range))
                {
                    Error(path, range.ToString(), $"overlaps {ranges[j].Path} ({ranges[j].Usable}); LB-IPAM disables conflicting pools", "make pool blocks disjoint");
                }
            }

            foreach (var (name, network) in new[] { ("networks.podCidr", podCidr), ("networks.serviceCidr", serviceCidr) })
            {
                if (network is { } n && Ipv4Range.Of(n).Overlaps(range))
                {
                    Error(path, range.ToString(), $"overlaps {name} ({n})", "take LoadBalancer addresses from the node network or a dedicated range");
                }
            }

            // Every address of the cluster's own a block contains, in one error: it is one mistake (the block's bounds).
            var taken = infrastructure.Where(x => range.Contains(x.Address))
                .GroupBy(x => x.Address).OrderBy(g => g.Key)
                .Select(g => (Address: g.Key, Owners: string.Join(" and ", g.Select(x => x.Path).Distinct().Order(StringComparer.Ordinal))))
                .ToList();
            if (taken.Count == 1)
            {
                Error(path, range.ToString(), $"contains {Ipv4.Text(taken[0].Address)}, which is {taken[0].Owners}; LB-IPAM would hand it to a Service", "use a range that excludes node, API and gateway addresses (e.g. a start/stop range at the top of the node network)");
            }
            else if (taken.Count > 1)
            {
                Error(path, range.ToString(),
                    $"contains {taken.Count.ToString(CultureInfo.InvariantCulture)} addresses the cluster itself uses, which LB-IPAM would hand to Services: " + string.Join(", ", taken.Select(t => $"{Ipv4.Text(t.Address)} ({t.Owners})")),
                    "use a range that excludes node, API, gateway and router addresses (e.g. a start/stop range at the top of the node network, or a dedicated network)");
            }

            if (announces && nodeRange is { } nodes && !range.Within(nodes))
            {
                Error(path, range.ToString(), $"is not on the nodes' network ({nodes}); L2 announcements answer ARP only on the local link", "use addresses inside networks.nodeCidr, or announce with BGP instead");
            }
        }

        return ranges;
    }

    private Ipv4Range? Block(string path, LbPoolBlock block, bool allowFirstLast)
    {
        if (block.CidrText is { } cidrText)
        {
            if (!Ipv4.TryParseCidr(cidrText, out var network, out var fix))
            {
                Error(path + ".cidr", cidrText, "is not a valid IPv4 CIDR", fix);
                return null;
            }

            var range = Ipv4Range.Of(network);
            // LB-IPAM skips the network and broadcast address of blocks larger than /31 unless allowFirstLastIPs.
            return allowFirstLast || network.PrefixLength >= 31 ? range : new Ipv4Range(range.First + 1, range.Last - 1);
        }

        var startOk = Ipv4.TryParseAddress(block.Start, out var start, out var startFix);
        var stopOk = Ipv4.TryParseAddress(block.Stop, out var stop, out var stopFix);
        if (!startOk)
        {
            Error(path + ".start", block.Start, "is not a valid IPv4 address", startFix);
        }

        if (!stopOk)
        {
            Error(path + ".stop", block.Stop, "is not a valid IPv4 address", stopFix);
        }

        if (!startOk || !stopOk)
        {
            return null;
        }

        var first = Ipv4.ToUInt(start);
        var last = Ipv4.ToUInt(stop);
        if (first > last)
        {
            Error(path, block.ToString(), "starts after it stops", $"swap them: {block.Stop}-{block.Start}");
            return null;
        }

        return new Ipv4Range(first, last);
    }

    /// <param name="pools">The usable ranges of every pool block that parsed.</param>
    /// <param name="poolErrors">True when a pool (or the node network) has an error: pins are then not measured against
    /// the pools (a wrong pool is the root cause of pins that fall outside it; they are checked once it is right).</param>
    private void ValidatePinnedIps(List<(int Pool, Ipv4Range Usable, string Path)> pools, bool poolErrors)
    {
        var seen = new Dictionary<uint, string>();
        var perPool = new Dictionary<int, int>();
        var outside = new List<(string Path, PinnedServiceIp Pin)>();
        for (var i = 0; i < spec.PinnedIps.Length; i++)
        {
            var pin = spec.PinnedIps[i];
            var at = ValidationPath.Index("loadBalancer.pinnedIps", i);
            if (!KubernetesNames.IsDns1123Label(pin.Namespace, out var nsFix))
            {
                Error(at + ".namespace", pin.Namespace, "is not a valid namespace", nsFix);
            }

            if (!KubernetesNames.IsDns1123Label(pin.Name, out var nameFix))
            {
                Error(at + ".name", pin.Name, "is not a valid Service name", nameFix);
            }

            if (!Ipv4.TryParseAddress(pin.Address, out var address, out var fix))
            {
                Error(at + ".address", pin.Address, "is not a valid IPv4 address", fix);
                continue;
            }

            var value = Ipv4.ToUInt(address);
            if (seen.TryGetValue(value, out var other))
            {
                Error(at + ".address", pin.Address, $"is also pinned by {other}; LB-IPAM gives it to one Service only", "pin a different address (unless both Services share it with lbipam.cilium.io/sharing-key)");
            }
            else
            {
                seen[value] = $"{at} ({pin.Namespace}/{pin.Name})";
            }

            if (poolErrors)
            {
                continue;
            }

            var pool = pools.FirstOrDefault(r => r.Usable.Contains(value));
            if (pool.Path is null)
            {
                outside.Add((at, pin));
            }
            else
            {
                perPool[pool.Pool] = perPool.GetValueOrDefault(pool.Pool) + 1;
            }
        }

        var known = pools.Count == 0 ? "there is no pool" : "pools: " + string.Join(", ", pools.Select(r => r.Usable.ToString()));
        if (outside.Count == 1)
        {
            Error(outside[0].Path + ".address", outside[0].Pin.Address, $"is in no LoadBalancer IP pool ({known}); the Service would stay pending", "pin an address inside a pool, or add a pool that contains it");
        }
        else if (outside.Count > 1)
        {
            // Several pins outside every pool is one mistake (the pools or the pins are in the wrong network): one error.
            Error("loadBalancer.pinnedIps", string.Join(", ", outside.Select(o => o.Pin.Address)),
                $"{outside.Count.ToString(CultureInfo.InvariantCulture)} pinned addresses are in no LoadBalancer IP pool ({known}), so their Services would stay pending: "
                + string.Join(", ", outside.Select(o => $"{o.Pin.Namespace}/{o.Pin.Name} {o.Pin.Address} ({o.Path})")),
                "pin addresses inside a pool, or add a pool that contains them");
        }

        foreach (var (poolIndex, pinned) in perPool.OrderBy(p => p.Key))
        {
            var size = pools.Where(r => r.Pool == poolIndex).Sum(r => (long)r.Usable.Size);
            if (pinned >= size)
            {
                Error(ValidationPath.Index("loadBalancer.pools", poolIndex), spec.Pools[poolIndex].Name,
                    $"pinned IPs take all {size.ToString(CultureInfo.InvariantCulture)} usable addresses; no address is left for other LoadBalancer Services",
                    "make the pool larger, or pin fewer Services");
            }
        }
    }

    private void ValidateBgp()
    {
        if (spec.Bgp is not { } bgp)
        {
            return;
        }

        if (spec.L2 is not null)
        {
            Error("l2", spec.L2.PolicyName, "L2 announcements and BGP are both on; the router and ARP would both claim the LoadBalancer IPs", "use one: WithBgp(...) turns L2 off, WithL2Announcements() after it turns it back on");
        }

        // BGP's own rules need the parsed network; when those have errors they are already reported above.
        if (BgpTopologyOf(spec) is { } topology)
        {
            // Pinned IPs and the router's address against the pools are the cluster rules' (above), reported once there.
            problems.AddRange(Bgp.BgpValidator.ValidateInCluster(bgp, topology));
        }
    }

    /// <summary>What BGP needs to know of the cluster; null when the address plan does not parse.</summary>
    internal static Bgp.BgpTopology? BgpTopologyOf(ClusterSpec spec)
    {
        if (!Ipv4.TryParseCidr(spec.Networks.NodeCidr, out var nodeCidr, out _))
        {
            return null;
        }

        var nodes = new List<Bgp.BgpNode>();
        foreach (var node in spec.Nodes)
        {
            if (!Ipv4.TryParseAddress(node.Address, out var address, out _))
            {
                return null;
            }

            nodes.Add(new Bgp.BgpNode(node.Name, address));
        }

        var pools = new List<IPNetwork>();
        foreach (var block in spec.Pools.SelectMany(p => p.Blocks))
        {
            if (block.DeclaredRange() is not { } range)
            {
                return null;
            }

            // A CIDR block stays one prefix; a start/stop range becomes the fewest prefixes that cover it.
            pools.AddRange(block.CidrText is not null && Ipv4.TryParseCidr(block.CidrText, out var network, out _) ? [network] : range.ToCidrs());
        }

        var pinned = spec.PinnedIps.Select(p => Ipv4.TryParseAddress(p.Address, out var ip, out _) ? ip : null).OfType<IPAddress>().ToList();
        return new Bgp.BgpTopology(spec.Name, spec.Version, nodes, nodeCidr, pools) { PinnedLoadBalancerIps = pinned };
    }

    private void ValidateObservability()
    {
        if (spec.L2 is { } l2)
        {
            if (!KubernetesNames.IsDns1123Subdomain(l2.PolicyName, out var fix))
            {
                Error("l2.policyName", l2.PolicyName, "is not a valid object name", fix);
            }

            for (var i = 0; i < l2.Interfaces.Length; i++)
            {
                try
                {
                    _ = new Regex(l2.Interfaces[i], RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
                }
                catch (ArgumentException e)
                {
                    Error(ValidationPath.Index("l2.interfaces", i), l2.Interfaces[i], "is not a valid regular expression: " + e.Message, "write an interface regex such as ^eth[0-9]+");
                }
            }

            foreach (var (key, value) in l2.NodeSelector)
            {
                Label($"l2.nodeSelector[{key}]", key, value);
            }
        }

        if (spec.Hubble is { } hubble)
        {
            if (hubble.Ui && (!hubble.Enabled || !hubble.Relay))
            {
                Error("hubble.ui", "true", "the Hubble UI needs Hubble and Hubble relay", "enable Hubble with relay, or turn the UI off");
            }

            if (hubble.Relay && hubble.RelayReplicas < 1)
            {
                Error("hubble.relayReplicas", hubble.RelayReplicas.ToString(CultureInfo.InvariantCulture), "must be at least 1", "use 1 or more, or turn relay off");
            }

            var exemplars = hubble.Metrics.FirstOrDefault(m => m.Options?.Contains("exemplars=true", StringComparison.Ordinal) == true);
            if (exemplars is not null && !hubble.OpenMetrics)
            {
                Error("hubble.metrics", exemplars.ToString(), "exemplars need OpenMetrics", "set OpenMetrics = true, or drop exemplars");
            }

            if (exemplars is not null && spec.Monitoring is not { Tracing: true })
            {
                Warning("hubble.metrics", exemplars.ToString(), "exemplars point at traces, but the cluster has no tracing backend", "use .WithMonitoring(new Monitoring(Tracing: true)) or HubbleMetric.HttpV2() without exemplars");
            }
        }

        if (spec.Monitoring is { } monitoring && !KubernetesNames.IsDns1123Label(monitoring.Namespace, out var monitoringFix))
        {
            Error("monitoring.namespace", monitoring.Namespace, "is not a valid namespace", monitoringFix);
        }
    }
}
