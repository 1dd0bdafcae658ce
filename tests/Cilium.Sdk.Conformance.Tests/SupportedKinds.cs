using System.Collections.Generic;
using System.IO;

namespace Cilium.Sdk.Conformance.Tests;

/// <summary>A kind the SDK builds: where our schema is and where upstream's is.</summary>
/// <param name="Kind">The CRD kind.</param>
/// <param name="OurFile">Path of our schema, relative to the Schemas directory.</param>
/// <param name="UpstreamFile">Path of upstream's CRD relative to the corpus, with {cilium} standing for the Cilium version.</param>
/// <param name="Versions">The API versions we model; every one must be served upstream, and every served one modelled.</param>
/// <param name="CiliumVersions">Cilium releases to compare against; empty for Flux kinds.</param>
internal sealed record SupportedKind(string Kind, string OurFile, string UpstreamFile, IReadOnlyList<string> Versions, IReadOnlyList<string> CiliumVersions)
{
    /// <summary>Upstream's file for one Cilium version (ignored for Flux).</summary>
    public string UpstreamPath(string? ciliumVersion) =>
        Path.Combine(SharedData.CorpusDirectory, UpstreamFile.Replace("{cilium}", ciliumVersion ?? string.Empty, System.StringComparison.Ordinal));

    /// <summary>Our file.</summary>
    public string OurPath => Path.Combine(SharedData.SchemasDirectory, OurFile);
}

/// <summary>The catalog of kinds the SDK builds.</summary>
internal static class SupportedKinds
{
    /// <summary>Cilium releases the single union schema must match.</summary>
    public static readonly IReadOnlyList<string> CiliumReleases = ["1.19", "1.20"];

    /// <summary>All supported kinds.</summary>
    public static readonly IReadOnlyList<SupportedKind> All =
    [
        Cilium("CiliumNetworkPolicy", "ciliumnetworkpolicies", "v2", ["v2"]),
        Cilium("CiliumClusterwideNetworkPolicy", "ciliumclusterwidenetworkpolicies", "v2", ["v2"]),
        Cilium("CiliumLoadBalancerIPPool", "ciliumloadbalancerippools", "v2", ["v2", "v2alpha1"]),
        Cilium("CiliumL2AnnouncementPolicy", "ciliuml2announcementpolicies", "v2alpha1", ["v2alpha1"]),
        Cilium("CiliumBGPClusterConfig", "ciliumbgpclusterconfigs", "v2", ["v2", "v2alpha1"]),
        Cilium("CiliumBGPPeerConfig", "ciliumbgppeerconfigs", "v2", ["v2", "v2alpha1"]),
        Cilium("CiliumBGPAdvertisement", "ciliumbgpadvertisements", "v2", ["v2", "v2alpha1"]),
        Cilium("CiliumBGPNodeConfigOverride", "ciliumbgpnodeconfigoverrides", "v2", ["v2", "v2alpha1"]),
        Cilium("CiliumCIDRGroup", "ciliumcidrgroups", "v2", ["v2", "v2alpha1"]),
        Flux("HelmRelease", "helmreleases", "helm.toolkit.fluxcd.io", "v2"),
        Flux("OCIRepository", "ocirepositories", "source.toolkit.fluxcd.io", "v1"),
        Flux("Kustomization", "kustomizations", "kustomize.toolkit.fluxcd.io", "v1"),
    ];

    private static SupportedKind Cilium(string kind, string plural, string folder, IReadOnlyList<string> versions) =>
        new(kind, $"cilium/{plural}.yaml", $"cilium/crds/v{{cilium}}/{folder}/{plural}.yaml", versions, CiliumReleases);

    private static SupportedKind Flux(string kind, string plural, string group, string version) =>
        new(kind, $"flux/{plural}.yaml", $"flux/crds/{group}_{plural}.yaml", [version], []);
}
