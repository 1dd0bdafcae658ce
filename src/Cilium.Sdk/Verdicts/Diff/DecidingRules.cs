using System;
using System.Linq;

namespace Cilium.Sdk.Verdicts;

/// <summary>The rules that gave a verdict its decision, in one line: those of the side(s) that decided it, or why no
/// rule did.</summary>
internal static class DecidingRules
{
    public static string Of(Verdict verdict)
    {
        var reasons = verdict.DecidingReasons;
        var lines = reasons.Select(r => r.Direction.ToString()!.ToLowerInvariant() + ": " + (r.Policy is null ? r.Message : r.Policy + (r.Rule is null ? string.Empty : " " + r.Rule) + " (" + r.Message + ")")).Distinct(StringComparer.Ordinal).ToList();
        return lines.Count > 0 ? string.Join("; ", lines) : "no policy rule";
    }
}
