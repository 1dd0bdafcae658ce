using System;
using System.Collections.Immutable;

namespace Cilium.Sdk.L2;

/// <summary>
/// L2 announcements: nodes answer ARP for LoadBalancer IPs, so pool addresses must be on the nodes' own network.
/// Rendered as a <c>CiliumL2AnnouncementPolicy</c> (served as <c>cilium.io/v2alpha1</c>) plus <c>l2announcements.enabled</c>.
/// </summary>
public sealed record L2Announcements
{
    /// <summary>The policy's object name.</summary>
    public string PolicyName { get; init; } = "l2-policy";

    /// <summary>Interface name regexes that announce (e.g. <c>^eth[0-9]+</c>); empty: every interface.</summary>
    public ImmutableArray<string> Interfaces { get; init; } = ImmutableArray<string>.Empty;

    /// <summary>Nodes that announce; default every Linux node.</summary>
    public ImmutableSortedDictionary<string, string> NodeSelector { get; init; } =
        ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal).Add("kubernetes.io/os", "linux");

    /// <summary>Announce LoadBalancer IPs (default).</summary>
    public bool LoadBalancerIps { get; init; } = true;

    /// <summary>Announce Services' external IPs.</summary>
    public bool ExternalIps { get; init; }

    /// <summary>The template's policy: LoadBalancer IPs from every Linux node, on any interface.</summary>
    public static L2Announcements Default { get; } = new();

    /// <summary>A copy announcing only on interfaces matching these regexes.</summary>
    public L2Announcements OnInterfaces(params string[] regexes) => this with { Interfaces = [.. regexes] };
}
