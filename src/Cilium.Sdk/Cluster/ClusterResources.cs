using System.Collections.Generic;
using Cilium.Sdk.Flux.V1;
using Cilium.Sdk.Flux.V2;
using Cilium.Sdk.Resources.V2;
using k8s;

namespace Cilium.Sdk.Cluster;

/// <summary>
/// The typed records a cluster renders to, before they are written: the raw layer under the builder. Reach it with
/// <see cref="CiliumClusterBuilder.CustomizeResources"/> to set what the builder does not cover; the result is still
/// validated against the target Cilium version.
/// </summary>
public sealed class ClusterResources
{
    internal ClusterResources(OCIRepository source, HelmRelease release, Kustomization fluxKustomization)
    {
        Source = source;
        Release = release;
        FluxKustomization = fluxKustomization;
    }

    /// <summary>The Flux source of the Cilium chart (<c>ocirepository.yaml</c>).</summary>
    public OCIRepository Source { get; }

    /// <summary>The Cilium HelmRelease (<c>helmrelease.yaml</c>); its values are a JSON object you may edit.</summary>
    public HelmRelease Release { get; }

    /// <summary>The Flux Kustomization that applies the Cilium app folder (<c>ks.yaml</c>).</summary>
    public Kustomization FluxKustomization { get; }

    /// <summary>LoadBalancer IP pools (<c>networks.yaml</c>).</summary>
    public List<CiliumLoadBalancerIPPool> Pools { get; } = [];

    /// <summary>The L2 announcement policy, when L2 announcements are on (<c>networks.yaml</c>).</summary>
    public Resources.V2alpha1.CiliumL2AnnouncementPolicy? L2Policy { get; set; }

    /// <summary>The BGP resources and password Secret, when BGP is on (<c>networks.yaml</c>, <c>secret.sops.yaml</c>).</summary>
    public Bgp.BgpRendered? Bgp { get; internal set; }

    /// <summary>The network policies, each with the folder it is written to.</summary>
    public List<Policies.RenderedPolicy> Policies { get; } = [];

    /// <summary>More objects to write into <c>networks.yaml</c> (any generated record or KubernetesClient model).</summary>
    public List<IKubernetesObject> Extra { get; } = [];
}
