using System;
using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Cilium.Sdk.Helm;
using Cilium.Sdk.Hubble;
using Cilium.Sdk.L2;
using Cilium.Sdk.LoadBalancing;
using Cilium.Sdk.Routing;

namespace Cilium.Sdk.Cluster;

/// <summary>
/// Everything a cluster's Cilium networking is made of, as the user described it (immutable). The builder
/// (<see cref="CiliumClusterBuilder"/>) produces it; <see cref="CiliumClusterBuilder.Build"/> validates it as a whole.
/// Defaults are a sound Talos homelab's (the Jinja template's values where they are right).
/// </summary>
public sealed record ClusterSpec
{
    /// <summary>The cluster's name (a DNS-1123 label), used in headers and the Flux source.</summary>
    public required string Name { get; init; }

    /// <summary>The Cilium release the output targets.</summary>
    public CiliumVersion Version { get; init; } = CiliumVersion.V1_20;

    /// <summary>The chart Flux installs; unset: Cilium's official chart for <see cref="Version"/>.</summary>
    public ChartSource? Chart { get; init; }

    /// <summary>The nodes, in the order given.</summary>
    public ImmutableArray<ClusterNode> Nodes { get; init; } = ImmutableArray<ClusterNode>.Empty;

    /// <summary>Node, pod and Service networks, the API and gateway addresses.</summary>
    public ClusterNetworks Networks { get; init; } = new();

    /// <summary>Pod routing (native by default).</summary>
    public RoutingOptions Routing { get; init; } = RoutingOptions.Native();

    /// <summary>kube-proxy replacement and the API endpoint Cilium uses (Talos KubePrism by default).</summary>
    public KubeProxyReplacement KubeProxyReplacement { get; init; } = KubeProxyReplacement.On();

    /// <summary>Service load balancing (maglev, DSR by default).</summary>
    public LoadBalancerOptions LoadBalancer { get; init; } = new();

    /// <summary>LoadBalancer IP pools.</summary>
    public ImmutableArray<LbPool> Pools { get; init; } = ImmutableArray<LbPool>.Empty;

    /// <summary>Services whose LoadBalancer IP is pinned.</summary>
    public ImmutableArray<PinnedServiceIp> PinnedIps { get; init; } = ImmutableArray<PinnedServiceIp>.Empty;

    /// <summary>L2 announcements; null when off (BGP announces instead, or nothing does).</summary>
    public L2Announcements? L2 { get; init; } = L2Announcements.Default;

    /// <summary>BGP control plane v2 towards the gateway router; null when off. Mutually exclusive with <see cref="L2"/>.</summary>
    public Bgp.BgpOptions? Bgp { get; init; }

    /// <summary>Network policies the cluster ships; null when none.</summary>
    public Policies.PolicySet? Policies { get; init; }

    /// <summary>Audit (Cilium's policy audit mode: AUDIT verdicts, nothing dropped) or enforce.</summary>
    public Policies.PolicyMode PolicyMode { get; init; } = Sdk.Policies.PolicyMode.Audit;

    /// <summary>Hubble; null when off.</summary>
    public HubbleOptions? Hubble { get; init; }

    /// <summary>The monitoring stack that receives ServiceMonitors and dashboards; null when the cluster has none.</summary>
    public Monitoring? Monitoring { get; init; }

    /// <summary>The escape hatch for Helm values: merged over everything the SDK sets (objects key by key, an explicit
    /// null removes a key). Not checked by the SDK: keep to keys the chart has.</summary>
    public JsonObject? HelmValueOverrides { get; init; }

    /// <summary>Fields and comments merged into the rendered manifests, by file and object (what an adoption keeps from
    /// a repository's files); see <see cref="CiliumClusterBuilder.WithManifestOverrides"/>.</summary>
    public JsonObject? ManifestOverrides { get; init; }

    /// <summary>The escape hatch to the raw records: called on the rendered resources before they are validated and
    /// written, so any field the builder does not cover can be set (the result is still validated).</summary>
    public Action<ClusterResources>? CustomizeResources { get; init; }
}
