using System.Collections.Generic;
using System.Collections.Immutable;
using Cilium.Sdk.Secrets;

namespace Cilium.Sdk.Migration;

/// <summary>One node of the template's <c>nodes.yaml</c> (the fields the Cilium parts use).</summary>
/// <param name="Name">The node name.</param>
/// <param name="Address">Its address.</param>
/// <param name="Controller">True for control-plane nodes.</param>
public sealed record TemplateNode(string Name, string Address, bool Controller);

/// <summary>
/// The Cilium-relevant settings of a makejinja cluster template's <c>cluster.yaml</c> + <c>nodes.yaml</c>, typed,
/// with the template's defaults applied. Secrets are held as <see cref="SecretValue"/> and never printed.
/// </summary>
public sealed record TemplateSettings
{
    /// <summary>The cluster's name: the last segment of <c>repository_name</c> (e.g. <c>home-ops</c>), else <c>cluster</c>.</summary>
    public string ClusterName { get; init; } = "cluster";

    /// <summary><c>node_cidr</c>.</summary>
    public required string NodeCidr { get; init; }

    /// <summary><c>cluster_pod_cidr</c> (default 10.42.0.0/16).</summary>
    public string PodCidr { get; init; } = "10.42.0.0/16";

    /// <summary><c>cluster_svc_cidr</c> (default 10.43.0.0/16).</summary>
    public string ServiceCidr { get; init; } = "10.43.0.0/16";

    /// <summary><c>cluster_api_addr</c>.</summary>
    public string? ApiAddress { get; init; }

    /// <summary><c>node_default_gateway</c> (default: the node network's first address).</summary>
    public string? Gateway { get; init; }

    /// <summary><c>cluster_gateway_addr</c>: envoy-internal's pinned LoadBalancer IP.</summary>
    public string? InternalGatewayAddress { get; init; }

    /// <summary><c>cluster_dns_gateway_addr</c>: k8s-gateway's pinned LoadBalancer IP.</summary>
    public string? DnsGatewayAddress { get; init; }

    /// <summary><c>cloudflare_gateway_addr</c>: envoy-external's pinned LoadBalancer IP.</summary>
    public string? ExternalGatewayAddress { get; init; }

    /// <summary><c>cilium_loadbalancer_mode</c>: dsr (default) or snat.</summary>
    public string LoadBalancerMode { get; init; } = "dsr";

    /// <summary><c>cilium_lb_pool_cidr</c>: a dedicated LoadBalancer CIDR (else the node network).</summary>
    public string? LbPoolCidr { get; init; }

    /// <summary><c>cilium_bgp_router_addr</c>.</summary>
    public string? BgpRouterAddress { get; init; }

    /// <summary><c>cilium_bgp_router_asn</c> (a string of digits in the template).</summary>
    public uint? BgpRouterAsn { get; init; }

    /// <summary><c>cilium_bgp_node_asn</c>.</summary>
    public uint? BgpNodeAsn { get; init; }

    /// <summary><c>cilium_bgp_hold_time</c> (3-300).</summary>
    public int? BgpHoldTime { get; init; }

    /// <summary><c>cilium_bgp_keepalive_time</c> (1-100).</summary>
    public int? BgpKeepaliveTime { get; init; }

    /// <summary><c>cilium_bgp_graceful_restart</c>.</summary>
    public bool? BgpGracefulRestart { get; init; }

    /// <summary><c>cilium_bgp_graceful_restart_time</c> (30-600).</summary>
    public int? BgpGracefulRestartTime { get; init; }

    /// <summary><c>cilium_bgp_ecmp_max_paths</c> (1-16).</summary>
    public int? BgpEcmpMaxPaths { get; init; }

    /// <summary><c>cilium_bgp_password</c>.</summary>
    public SecretValue? BgpPassword { get; init; }

    /// <summary><c>hubble_enabled</c>.</summary>
    public bool HubbleEnabled { get; init; }

    /// <summary><c>hubble_ui_enabled</c>.</summary>
    public bool HubbleUiEnabled { get; init; }

    /// <summary><c>monitoring_enabled</c>.</summary>
    public bool MonitoringEnabled { get; init; }

    /// <summary><c>tracing_enabled</c>.</summary>
    public bool TracingEnabled { get; init; }

    /// <summary><c>network_policies_enabled</c>.</summary>
    public bool NetworkPoliciesEnabled { get; init; }

    /// <summary><c>network_policies_mode</c>: audit (default) or enforce.</summary>
    public string NetworkPoliciesMode { get; init; } = "audit";

    /// <summary>Every <c>*_enabled</c> flag of the file (component switches the policies depend on), by key.</summary>
    public ImmutableSortedDictionary<string, bool> ComponentFlags { get; init; } = ImmutableSortedDictionary<string, bool>.Empty;

    /// <summary>The nodes.</summary>
    public ImmutableArray<TemplateNode> Nodes { get; init; } = ImmutableArray<TemplateNode>.Empty;

    /// <summary>True when the three BGP keys that switch the template to BGP are all set.</summary>
    public bool BgpEnabled => BgpRouterAddress is not null && BgpRouterAsn is not null && BgpNodeAsn is not null;

    /// <summary>A summary that never shows the password.</summary>
    public override string ToString() =>
        $"TemplateSettings {{ NodeCidr = {NodeCidr}, Nodes = {Nodes.Length}, Bgp = {BgpEnabled}, Password = {(BgpPassword is null ? "unset" : SecretValue.Redacted)} }}";

    internal static IReadOnlyList<string> CiliumKeys { get; } =
    [
        "repository_name", "node_cidr", "cluster_pod_cidr", "cluster_svc_cidr", "cluster_api_addr", "node_default_gateway", "cluster_gateway_addr",
        "cluster_dns_gateway_addr", "cloudflare_gateway_addr", "cilium_loadbalancer_mode", "cilium_lb_pool_cidr",
        "cilium_bgp_router_addr", "cilium_bgp_router_asn", "cilium_bgp_node_asn", "cilium_bgp_hold_time", "cilium_bgp_keepalive_time",
        "cilium_bgp_graceful_restart", "cilium_bgp_graceful_restart_time", "cilium_bgp_ecmp_max_paths", "cilium_bgp_password",
        "hubble_enabled", "hubble_ui_enabled", "monitoring_enabled", "tracing_enabled", "network_policies_enabled", "network_policies_mode",
    ];
}
