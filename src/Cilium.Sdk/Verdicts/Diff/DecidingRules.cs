using System;
using System.Collections.Generic;
using System.Linq;
using Cilium.Sdk.Policies;

namespace Cilium.Sdk.Verdicts;

/// <summary>The rules that gave a verdict its decision, in one line: those of the side(s) that decided it, or why no
/// rule did.</summary>
internal static class DecidingRules
{
    public static string Of(Verdict verdict)
    {
        var sides = new List<Direction>();
        if (verdict.Decision == Decision.Allowed)
        {
            sides.AddRange([Direction.Egress, Direction.Ingress]);
        }
        else
        {
            var wanted = verdict.Decision == Decision.Undecidable ? Decision.Undecidable : verdict.Decision;
            if (verdict.EgressDecision == wanted)
            {
                sides.Add(Direction.Egress);
            }

            if (verdict.IngressDecision == wanted)
            {
                sides.Add(Direction.Ingress);
            }
        }

        var reasons = verdict.Reasons.Where(r => r.Direction is { } d && sides.Contains(d)).ToList();
        var lines = reasons.Select(r => r.Direction.ToString()!.ToLowerInvariant() + ": " + (r.Policy is null ? r.Message : r.Policy + (r.Rule is null ? string.Empty : " " + r.Rule) + " (" + r.Message + ")")).Distinct(StringComparer.Ordinal).ToList();
        return lines.Count > 0 ? string.Join("; ", lines) : "no policy rule";
    }
}
