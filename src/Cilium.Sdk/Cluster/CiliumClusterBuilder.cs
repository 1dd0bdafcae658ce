using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using Cilium.Sdk.Helm;
using Cilium.Sdk.Hubble;
using Cilium.Sdk.L2;
using Cilium.Sdk.LoadBalancing;
using Cilium.Sdk.Routing;
using Cilium.Sdk.Validation;
using CrdKit.Validation;

namespace Cilium.Sdk.Cluster;

/// <summary>
/// Describes a cluster, Testcontainers-style: the builder is immutable, every <c>With...</c> returns a new builder
/// (scalars replace, lists append), so a builder can be shared and branched safely. <see cref="Build"/> validates
/// the whole description and returns a <see cref="CiliumCluster"/>, or throws with every error at once.
/// </summary>
public sealed class CiliumClusterBuilder
{
    internal CiliumClusterBuilder(ClusterSpec spec) => Spec = spec;

    /// <summary>The description so far.</summary>
    public ClusterSpec Spec { get; }

    private CiliumClusterBuilder With(Func<ClusterSpec, ClusterSpec> change) => new(change(Spec));

    /// <summary>The Cilium release to target (default 1.20).</summary>
    public CiliumClusterBuilder WithCiliumVersion(CiliumVersion version) => With(s => s with { Version = version });

    /// <summary>The chart Flux installs (default: Cilium's official OCI chart for the version).</summary>
    public CiliumClusterBuilder WithChart(ChartSource chart) => With(s => s with { Chart = chart });

    /// <summary>Adds a node.</summary>
    public CiliumClusterBuilder WithNode(ClusterNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return With(s => s with { Nodes = s.Nodes.Add(node) });
    }

    /// <summary>Adds nodes.</summary>
    public CiliumClusterBuilder WithNodes(params ClusterNode[] nodes) => nodes.Aggregate(this, (b, n) => b.WithNode(n));

    /// <summary>The node (LAN) network, e.g. <c>192.168.1.0/24</c>. Required.</summary>
    public CiliumClusterBuilder WithNodeCidr(string cidr) => With(s => s with { Networks = s.Networks with { NodeCidr = cidr } });

    /// <summary>The pod network (default <c>10.42.0.0/16</c>).</summary>
    public CiliumClusterBuilder WithPodCidr(string cidr) => With(s => s with { Networks = s.Networks with { PodCidr = cidr } });

    /// <summary>The Service network (default <c>10.43.0.0/16</c>).</summary>
    public CiliumClusterBuilder WithServiceCidr(string cidr) => With(s => s with { Networks = s.Networks with { ServiceCidr = cidr } });

    /// <summary>The Kubernetes API's virtual address on the node network.</summary>
    public CiliumClusterBuilder WithApiAddress(string address) => With(s => s with { Networks = s.Networks with { ApiAddress = address } });

    /// <summary>The node network's gateway (default: its first address).</summary>
    public CiliumClusterBuilder WithGateway(string address) => With(s => s with { Networks = s.Networks with { Gateway = address } });

    /// <summary>Pod routing: <see cref="RoutingOptions.Native"/> (default) or <see cref="RoutingOptions.Tunnel"/>.</summary>
    public CiliumClusterBuilder WithRouting(RoutingOptions routing) => With(s => s with { Routing = routing });

    /// <summary>kube-proxy replacement and the API endpoint (default: on, Talos KubePrism).</summary>
    public CiliumClusterBuilder WithKubeProxyReplacement(KubeProxyReplacement kubeProxyReplacement) =>
        With(s => s with { KubeProxyReplacement = kubeProxyReplacement });

    /// <summary>Service load balancing (default maglev + DSR).</summary>
    public CiliumClusterBuilder WithLoadBalancer(LoadBalancerAlgorithm algorithm, LoadBalancerMode mode) =>
        With(s => s with { LoadBalancer = new LoadBalancerOptions(algorithm, mode) });

    /// <summary>Adds a LoadBalancer IP pool.</summary>
    public CiliumClusterBuilder WithLoadBalancerPool(LbPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return With(s => s with { Pools = s.Pools.Add(pool) });
    }

    /// <summary>Pins a LoadBalancer Service's address (the <c>lbipam.cilium.io/ips</c> annotation).</summary>
    public CiliumClusterBuilder WithPinnedServiceIp(string @namespace, string service, string address) =>
        With(s => s with { PinnedIps = s.PinnedIps.Add(new PinnedServiceIp(@namespace, service, address)) });

    /// <summary>L2 announcements (on by default with <see cref="L2Announcements.Default"/>).</summary>
    public CiliumClusterBuilder WithL2Announcements(L2Announcements? l2 = null) => With(s => s with { L2 = l2 ?? L2Announcements.Default });

    /// <summary>Turns L2 announcements off (nothing announces LoadBalancer IPs unless BGP does).</summary>
    public CiliumClusterBuilder WithoutL2Announcements() => With(s => s with { L2 = null });

    /// <summary>Announces LoadBalancer IPs with BGP to the gateway router instead of L2 (turns L2 announcements off).</summary>
    public CiliumClusterBuilder WithBgp(Bgp.BgpOptions bgp)
    {
        ArgumentNullException.ThrowIfNull(bgp);
        return With(s => s with { Bgp = bgp, L2 = null });
    }

    /// <summary>Adds network policies (to those added before) and sets the mode: <see cref="Policies.PolicyMode.Audit"/>
    /// first, then <see cref="Policies.PolicyMode.Enforce"/> once Hubble shows no AUDIT verdicts you did not intend.</summary>
    public CiliumClusterBuilder WithPolicies(Policies.PolicySet policies, Policies.PolicyMode mode = Sdk.Policies.PolicyMode.Audit)
    {
        ArgumentNullException.ThrowIfNull(policies);
        return With(s => s with { Policies = (s.Policies ?? Sdk.Policies.PolicySet.Empty).Add(policies.Policies), PolicyMode = mode });
    }

    /// <summary>Hubble (default <see cref="HubbleOptions.Default"/>: relay and standard metrics).</summary>
    public CiliumClusterBuilder WithHubble(HubbleOptions? hubble = null) => With(s => s with { Hubble = hubble ?? HubbleOptions.Default });

    /// <summary>The monitoring stack that receives ServiceMonitors and Grafana dashboards.</summary>
    public CiliumClusterBuilder WithMonitoring(Monitoring? monitoring = null) => With(s => s with { Monitoring = monitoring ?? new Monitoring() });

    /// <summary>Escape hatch: raw chart values merged over what the SDK sets (objects key by key; null removes a key).</summary>
    public CiliumClusterBuilder WithHelmValues(JsonObject overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var merged = HelmValues.CombineOverrides(Spec.HelmValueOverrides ?? new JsonObject(), overrides);
        return With(s => s with { HelmValueOverrides = merged });
    }

    /// <summary>
    /// Fields and comments to merge into the manifests the SDK renders, by file (relative to the repository root) and
    /// object (<c>Kind/name</c>): <c>fields</c> are merged key by key over the rendered object (an explicit null removes
    /// a key), <c>comments.above</c> / <c>comments.beside</c> map a key path (<c>spec.values.bpf.hostLegacyRouting</c>,
    /// list items as <c>[i]</c>) to a comment written above or beside that key. What <c>cilium-sdk render --adopt</c>
    /// keeps from a repository's files (in <c>cilium-overrides.yaml</c>): fields the SDK does not set, and comments.
    /// Several calls combine (the later wins). Secret files and Helm values (use <see cref="WithHelmValues"/>) take none.
    /// </summary>
    /// <example><c>{"kubernetes/apps/kube-system/cilium/ks.yaml": {"Kustomization/cilium": {"fields": {"spec": {"postBuild": {"substituteFrom": [{"kind": "Secret", "name": "cluster-secrets"}]}}}}}}</c></example>
    public CiliumClusterBuilder WithManifestOverrides(JsonObject overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var merged = HelmValues.CombineOverrides(Spec.ManifestOverrides ?? new JsonObject(), overrides);
        return With(s => s with { ManifestOverrides = merged });
    }

    /// <summary>Escape hatch to the raw records: <paramref name="customize"/> runs on the rendered records before they
    /// are validated and written. Several calls run in order.</summary>
    public CiliumClusterBuilder CustomizeResources(Action<ClusterResources> customize)
    {
        ArgumentNullException.ThrowIfNull(customize);
        var previous = Spec.CustomizeResources;
        return With(s => s with { CustomizeResources = previous is null ? customize : r => { previous(r); customize(r); } });
    }

    /// <summary>Every error and warning of the whole description, sorted by severity then path. Empty when valid.</summary>
    public IReadOnlyList<ValidationError> Validate() => ClusterValidator.Validate(Spec);

    /// <summary>Validates the whole description and returns the cluster.</summary>
    /// <exception cref="ClusterValidationException">There is at least one error; the exception lists them all.</exception>
    public CiliumCluster Build()
    {
        // The policies are written here, as they are checked: what rendering lays out.
        var (problems, policyFiles) = ClusterValidator.ValidateAndWritePolicies(Spec, Rendering.ClusterRenderer.Document);
        if (problems.Any(p => p.IsError))
        {
            throw new ClusterValidationException(problems);
        }

        return new CiliumCluster(Spec, problems, policyFiles);
    }
}
