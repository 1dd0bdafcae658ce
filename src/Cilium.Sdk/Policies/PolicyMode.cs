using System;
using System.Text.Json.Nodes;

namespace Cilium.Sdk.Policies;

/// <summary>How a <see cref="PolicySet"/> is applied: observed (audit) or enforced.</summary>
public enum PolicyMode
{
    /// <summary>
    /// Cilium's policy audit mode: the agent evaluates every policy but drops nothing; flows a policy would drop
    /// pass and Hubble shows them with the verdict <c>AUDIT</c> (<c>hubble observe --verdict AUDIT</c>). Set through the
    /// Helm value <c>policyAuditMode: true</c> (<see cref="PolicyModes.HelmValues"/>). Policies carry no
    /// <c>enableDefaultDeny</c> of their own unless a policy overrides it explicitly, so Cilium's default applies and
    /// the AUDIT verdicts show exactly what enforce mode would drop.
    /// </summary>
    Audit,

    /// <summary>
    /// Policies enforce: each policy writes <c>enableDefaultDeny: true</c> for every direction it has rules in, so
    /// what its rules do not allow is dropped (<c>policyAuditMode: false</c>).
    /// </summary>
    Enforce,
}

/// <summary>What a <see cref="PolicyMode"/> means for the cluster's Helm values.</summary>
public static class PolicyModes
{
    /// <summary>
    /// The Cilium Helm values fragment for <paramref name="mode"/>: <c>{"policyAuditMode": true}</c> for audit,
    /// <c>{"policyAuditMode": false}</c> for enforce. The cluster builder merges it into the Cilium values; it is the
    /// only switch that turns drops into AUDIT verdicts (toggling <c>enableDefaultDeny</c> on each policy does not).
    /// </summary>
    /// <param name="mode">The mode.</param>
    /// <returns>A new JSON object the caller owns.</returns>
    public static JsonObject HelmValues(PolicyMode mode) => mode switch
    {
        PolicyMode.Audit => new JsonObject { ["policyAuditMode"] = true },
        PolicyMode.Enforce => new JsonObject { ["policyAuditMode"] = false },
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "not a PolicyMode value"),
    };
}
