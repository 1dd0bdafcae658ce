using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Serialization;
using CrdKit.Validation;

namespace Cilium.Sdk.Validation.Sets;

/// <summary>
/// What Cilium 1.19 and 1.20 serve: every kind of the <c>cilium.io</c> group with its scope and the versions served
/// (facts of upstream's CRDs of those releases), so a document is checked even when the SDK has no schema for its
/// kind: an apiVersion a release does not serve, a kind it removed, a deprecated version, a cluster-scoped kind
/// with a namespace, a missing name.
/// </summary>
internal static class CiliumApis
{
    private static readonly CiliumVersion V119 = CiliumVersion.V1_19;
    private static readonly CiliumVersion V120 = CiliumVersion.V1_20;

    /// <summary>Kind, whether namespaced, and per version: the first and the first-not release serving it, whether deprecated.</summary>
    private static readonly Api[] All =
    [
        Cluster("CiliumBGPAdvertisement", V("v2"), V("v2alpha1", deprecated: true)),
        Cluster("CiliumBGPClusterConfig", V("v2"), V("v2alpha1", deprecated: true)),
        Cluster("CiliumBGPNodeConfig", V("v2"), V("v2alpha1", deprecated: true)),
        Cluster("CiliumBGPNodeConfigOverride", V("v2"), V("v2alpha1", deprecated: true)),
        Cluster("CiliumBGPPeerConfig", V("v2"), V("v2alpha1", deprecated: true)),
        new("CiliumBGPPeeringPolicy", false, [V("v2alpha1", removedIn: V119)], "BGP control plane v1 was removed in Cilium 1.19: describe the sessions with CiliumBGPClusterConfig, CiliumBGPPeerConfig and CiliumBGPAdvertisement (cilium.io/v2)"),
        Cluster("CiliumCIDRGroup", V("v2"), V("v2alpha1", deprecated: true)),
        Cluster("CiliumClusterwideEnvoyConfig", V("v2")),
        Cluster("CiliumClusterwideNetworkPolicy", V("v2")),
        Cluster("CiliumDatapathPlugin", V("v2alpha1", addedIn: V120, deprecated: true)),
        Cluster("CiliumEgressGatewayPolicy", V("v2")),
        Namespaced("CiliumEndpoint", V("v2")),
        Cluster("CiliumEndpointSlice", V("v2alpha1")),
        Namespaced("CiliumEnvoyConfig", V("v2")),
        Namespaced("CiliumGatewayClassConfig", V("v2alpha1")),
        Cluster("CiliumIdentity", V("v2")),
        Cluster("CiliumL2AnnouncementPolicy", V("v2alpha1")),
        Cluster("CiliumLoadBalancerIPPool", V("v2"), V("v2alpha1", deprecated: true)),
        Namespaced("CiliumLocalRedirectPolicy", V("v2")),
        Namespaced("CiliumNetworkPolicy", V("v2")),
        Cluster("CiliumNode", V("v2")),
        Namespaced("CiliumNodeConfig", V("v2"), V("v2alpha1", removedIn: V120, deprecated: true)),
        Cluster("CiliumPodIPPool", V("v2alpha1")),
    ];

    private static readonly Dictionary<string, Api> ByKind = All.ToDictionary(a => a.Kind, StringComparer.Ordinal);

    /// <summary>Whether the kind (or its list kind) is one Cilium 1.19 or 1.20 serves at all.</summary>
    public static bool IsKnown(string kind) => ByKind.ContainsKey(RootKind(kind));

    /// <summary>The per-document checks of a <c>cilium.io</c> document for <paramref name="version"/>.</summary>
    /// <param name="document">The document (read without error).</param>
    /// <param name="version">The target release.</param>
    /// <param name="served">Whether the release serves the document's apiVersion and kind (false: nothing else applies).</param>
    public static IEnumerable<ValidationError> Check(ManifestDocument document, CiliumVersion version, out bool served)
    {
        served = false;
        var problems = new List<ValidationError>();
        var kind = document.Kind;
        var apiVersion = document.ApiVersion;
        if (kind is null || apiVersion is null)
        {
            problems.Add(Error(kind is null ? "kind" : "apiVersion", null, "is not set: the API server cannot tell what this is", "set apiVersion and kind, e.g. apiVersion: cilium.io/v2 and kind: CiliumNetworkPolicy"));
            return problems;
        }

        var versionName = apiVersion[(apiVersion.IndexOf('/', StringComparison.Ordinal) + 1)..];
        var isList = kind.EndsWith("List", StringComparison.Ordinal) && ByKind.ContainsKey(kind[..^4]);
        if (!ByKind.TryGetValue(RootKind(kind), out var api))
        {
            problems.Add(Error("kind", kind, $"is not a kind Cilium {version} serves in cilium.io", "check the spelling (e.g. CiliumNetworkPolicy, CiliumLoadBalancerIPPool), or the CRD it comes from"));
            return problems;
        }

        var entry = api.Versions.FirstOrDefault(v => v.Name == versionName);
        var servedNow = api.Versions.Where(v => v.ServedIn(version)).Select(v => "cilium.io/" + v.Name).ToList();
        if (entry is null || !entry.ServedIn(version))
        {
            var fix = servedNow.Count > 0
                ? $"use apiVersion: {string.Join(" or ", servedNow)}"
                : api.Replacement ?? $"this kind is not served by Cilium {version}";
            var why = entry?.RemovedIn is { } removed && version >= removed
                ? $"is not served by Cilium {version}: {apiVersion} {kind} was removed in {removed}"
                : $"is not served by Cilium {version} for {kind}";
            problems.Add(Error("apiVersion", apiVersion, why, api.Replacement is not null && servedNow.Count == 0 ? api.Replacement : fix));
            return problems;
        }

        served = true;
        if (entry.Deprecated)
        {
            problems.Add(Warning("apiVersion", apiVersion, $"is deprecated for {kind}: the API server warns on every apply, and a later release stops serving it", $"use apiVersion: {servedNow.First(v => v != apiVersion)}"));
        }

        if (isList || document.Node is not JsonObject obj)
        {
            return problems;
        }

        var metadata = obj["metadata"] as JsonObject;
        if (metadata?["name"] is not JsonValue && metadata?["generateName"] is not JsonValue)
        {
            problems.Add(Error("metadata.name", null, "is required: the API server refuses an object without a name", "set metadata.name (a DNS-1123 subdomain, e.g. allow-dns)"));
        }

        if (!api.Namespaced && metadata?["namespace"] is JsonValue ns)
        {
            problems.Add(Warning("metadata.namespace", ns.ToString(), $"is ignored: {kind} is cluster-scoped and applies to the whole cluster", api.Kind == "CiliumClusterwideNetworkPolicy"
                ? "remove it, or use a CiliumNetworkPolicy to limit the policy to that namespace"
                : "remove it"));
        }

        return problems;
    }

    private static string RootKind(string kind) =>
        kind.EndsWith("List", StringComparison.Ordinal) && ByKind.ContainsKey(kind[..^4]) ? kind[..^4] : kind;

    private static ValidationError Error(string path, string? value, string message, string fix) => new(path, value, message, fix, ValidationLayers.Schema);

    private static ValidationError Warning(string path, string? value, string message, string fix) => new(path, value, message, fix, ValidationLayers.Schema, ValidationSeverity.Warning);

    private static Api Cluster(string kind, params ApiVersion[] versions) => new(kind, false, versions, null);

    private static Api Namespaced(string kind, params ApiVersion[] versions) => new(kind, true, versions, null);

    private static ApiVersion V(string name, CiliumVersion? addedIn = null, CiliumVersion? removedIn = null, bool deprecated = false) => new(name, addedIn, removedIn, deprecated);

    private sealed record Api(string Kind, bool Namespaced, ApiVersion[] Versions, string? Replacement);

    private sealed record ApiVersion(string Name, CiliumVersion? AddedIn, CiliumVersion? RemovedIn, bool Deprecated)
    {
        public bool ServedIn(CiliumVersion version) => (AddedIn is null || version >= AddedIn) && (RemovedIn is null || version < RemovedIn);
    }
}
