using System;
using System.Collections.Generic;
using System.Linq;
using Cilium.Sdk.Rendering;
using Cilium.Sdk.Validation;
using CrdKit.Validation;

namespace Cilium.Sdk.Cluster;

/// <summary>
/// A validated cluster: the entry point (<see cref="Create"/>) and the result of
/// <see cref="CiliumClusterBuilder.Build"/>. Immutable; render it as often as you like, the bytes are the same.
/// </summary>
/// <example>
/// <code>
/// var cluster = CiliumCluster.Create("home")
///     .WithNodeCidr("192.168.1.0/24")
///     .WithNode(ClusterNode.Controller("k8s-0", "192.168.1.10"))
///     .WithLoadBalancerPool(LbPool.Create("pool").WithRange("192.168.1.200", "192.168.1.239"))
///     .Build();
/// var output = cluster.Render();
/// </code>
/// </example>
public sealed class CiliumCluster
{
    // The policies as written by Build() (texts, by folder then file name); every render lays out the same ones.
    private readonly IReadOnlyList<Policies.PolicyFile>? policyFiles;

    internal CiliumCluster(ClusterSpec spec, IReadOnlyList<ValidationError> warnings, IReadOnlyList<Policies.PolicyFile>? policyFiles)
    {
        Spec = spec;
        Warnings = warnings;
        this.policyFiles = policyFiles;
    }

    /// <summary>Starts describing a cluster. The builder is immutable: every <c>With...</c> returns a new builder.</summary>
    /// <param name="name">The cluster's name (a DNS-1123 label, e.g. <c>home</c>).</param>
    public static CiliumClusterBuilder Create(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return new CiliumClusterBuilder(new ClusterSpec { Name = name });
    }

    /// <summary>The description, as validated.</summary>
    public ClusterSpec Spec { get; }

    /// <summary>Advice found while validating (errors would have stopped <c>Build()</c>).</summary>
    public IReadOnlyList<ValidationError> Warnings { get; }

    /// <summary>Renders the GitOps tree, Talos patch and the typed records behind them.</summary>
    /// <param name="layout">Where files go; default the Talos/Flux template's layout.</param>
    /// <exception cref="ClusterValidationException">A record customized through
    /// <see cref="CiliumClusterBuilder.CustomizeResources"/> breaks its schema.</exception>
    public RenderedCluster Render(GitOpsLayout? layout = null) =>
        ClusterRenderer.Render(Spec, layout ?? GitOpsLayout.Default, Warnings, policyFiles);

    /// <summary>
    /// The annotations a LoadBalancer Service needs for its pinned address (<c>lbipam.cilium.io/ips</c>), to put on the
    /// Service (or the Gateway's infrastructure, or the chart's service annotations) that owns it. Empty when not pinned.
    /// </summary>
    /// <param name="namespace">The Service's namespace.</param>
    /// <param name="service">The Service's name.</param>
    public IReadOnlyDictionary<string, string> ServiceAnnotations(string @namespace, string service)
    {
        var addresses = Spec.PinnedIps.Where(p => p.Namespace == @namespace && p.Name == service).Select(p => p.Address).ToList();
        return addresses.Count == 0
            ? new SortedDictionary<string, string>(StringComparer.Ordinal)
            : new SortedDictionary<string, string>(StringComparer.Ordinal) { [LoadBalancing.PinnedServiceIp.Annotation] = string.Join(",", addresses) };
    }

    /// <summary>
    /// The gateway router's whole FRR config, the BGP password included in clear, or null without BGP. The rendered
    /// tree keeps a config with a password only in a SOPS secret file (<c>unifi/bgp.sops.yaml</c>); this is the text to
    /// paste into the router (what <c>cilium-sdk router-config</c> prints). Never commit it unencrypted.
    /// </summary>
    /// <returns>The config text, or null when BGP is off.</returns>
    public string? RouterConfig() =>
        Spec.Bgp is { } bgp && ClusterValidator.BgpTopologyOf(Spec) is { } topology ? Frr.FrrConfigWriter.Write(bgp, topology) : null;

    /// <summary>A summary without secrets.</summary>
    public override string ToString() => $"CiliumCluster {Spec.Name} (Cilium {Spec.Version}, {Spec.Nodes.Length} node(s))";
}
