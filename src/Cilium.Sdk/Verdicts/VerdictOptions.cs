using Cilium.Sdk.Policies;

namespace Cilium.Sdk.Verdicts;

/// <summary>The agent's <c>enable-policy</c> option: when endpoints are in default deny.</summary>
public enum PolicyEnforcement
{
    /// <summary><c>default</c> (Cilium's default): an endpoint is in default deny for a direction once a policy with
    /// rules in that direction selects it; initializing endpoints (<c>reserved:init</c>) always are.</summary>
    Default,

    /// <summary><c>always</c>: every endpoint is in default deny in both directions, selected or not.</summary>
    Always,

    /// <summary><c>never</c>: policies are not enforced; everything is allowed, deny rules included.</summary>
    Never,
}

/// <summary>The agent's <c>policy-cidr-match-mode</c> option: what CIDR rules can select.</summary>
public enum CidrMatchMode
{
    /// <summary>Empty (Cilium's default): CIDR rules select addresses outside the cluster only, never pods or nodes.</summary>
    Default,

    /// <summary><c>nodes</c>: CIDR rules also select the cluster's nodes (host and remote-node) by their IPs.</summary>
    Nodes,
}

/// <summary>How <see cref="PolicyVerdicts"/> evaluates: the agent options an answer can depend on, each with Cilium's default.</summary>
/// <param name="Mode"><see cref="PolicyMode.Audit"/>: flows policy would drop are <see cref="Decision.Audit"/> (Cilium's
/// <c>policyAuditMode</c>); <see cref="PolicyMode.Enforce"/>: they are <see cref="Decision.Denied"/>.</param>
/// <param name="AllowLocalhost">Cilium's <c>allow-localhost</c> default: the local host (kubelet probes) always reaches the pods on its node (a deny rule still wins).</param>
public sealed record VerdictOptions(PolicyMode Mode = PolicyMode.Enforce, bool AllowLocalhost = true)
{
    /// <summary>Enforce mode, allow-localhost on, every other option at Cilium's default.</summary>
    public static VerdictOptions Default { get; } = new();

    /// <summary>The agent's <c>enable-policy</c>; <see cref="PolicyEnforcement.Default"/> unless set.</summary>
    public PolicyEnforcement Enforcement { get; init; } = PolicyEnforcement.Default;

    /// <summary>The agent's host firewall (<c>hostFirewall.enabled</c>, off by default): when on, host policies
    /// (<c>nodeSelector</c>) apply to flows to and from nodes, matched against <see cref="Endpoint.NodeLabels"/>.</summary>
    public bool HostFirewall { get; init; }

    /// <summary>The agent's <c>policy-cidr-match-mode</c>; <see cref="CidrMatchMode.Default"/> unless set.</summary>
    public CidrMatchMode CidrMatchMode { get; init; } = CidrMatchMode.Default;

    /// <summary>The agent's <c>cluster-name</c>: local pods carry it as <c>io.cilium.k8s.policy.cluster</c>, and the
    /// <c>cluster</c> entity selects only them. Null (the default) treats every pod as local, whatever cluster label it
    /// carries (a capture's pods carry their cluster's name); set it to tell a cluster mesh's remote pods apart.
    /// A pod without the label gets this value, or Cilium's default <c>default</c>.</summary>
    public string? ClusterName { get; init; }

    /// <summary>Whether mutual authentication can succeed (<c>authentication.mutual.spire.enabled</c>, off by default):
    /// off, a flow that an <c>authentication: {mode: required}</c> rule allows is dropped, as the agent drops it
    /// without an authentication handler; on, it passes once authenticated.</summary>
    public bool MutualAuthentication { get; init; }
}
