using System;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cilium.Sdk.Verdicts;

/// <content>Text and JSON forms of the report (deterministic: sorted, invariant culture, "\n").</content>
public sealed partial record ReplayReport
{
    /// <summary>The report for people: counts, would-drop groups, undecidable groups, suggested rules.</summary>
    /// <returns>The text.</returns>
    public string ToText()
    {
        var t = new StringBuilder();
        if (Interrupted)
        {
            t.Append($"INTERRUPTED: stopped before the end of the input; this report covers the {N(Lines)} line(s) read until then\n");
        }

        if (Inputs.Count > 1)
        {
            t.Append("inputs, in the order read: ").Append(string.Join(", ", Inputs)).Append('\n');
        }

        var skipped = SkippedNonFlow.Count == 0 ? "none" : string.Join(", ", SkippedNonFlow.Select(kv => $"{kv.Key} {N(kv.Value)}"));
        t.Append($"read {N(Lines)} line(s): {N(Flows)} flow(s); skipped non-flow lines: {skipped}; bad lines: {N(ProblemCount)}\n");
        foreach (var p in Problems.Take(ListedInText))
        {
            t.Append("  bad ").Append(p).Append('\n');
        }

        if (ProblemCount > Math.Min(Problems.Count, ListedInText))
        {
            t.Append($"  ... {N(ProblemCount - Math.Min(Problems.Count, ListedInText))} more bad line(s)\n");
        }

        t.Append($"evaluated {N(Evaluated)} flow(s): {N(Allowed)} allowed, {N(WouldDropCount)} would drop in enforce mode, {N(UndecidableCount)} undecidable; skipped {N(SkippedReplies)} repl(ies), {N(UnmappedCount)} unmappable\n");
        foreach (var u in Unmapped.Take(20))
        {
            t.Append("  unmappable ").Append(u).Append('\n');
        }

        if (UnmappedCount > 20)
        {
            t.Append($"  ... {N(UnmappedCount - 20)} more unmappable\n");
        }

        t.Append('\n').Append(WouldDrop.Count == 0 ? "nothing would drop in enforce mode\n" : "WOULD DROP in enforce mode (count, source -> destination port):\n");
        foreach (var g in WouldDrop)
        {
            var audit = g.ObservedAudit > 0 ? $" (AUDIT in the log: {N(g.ObservedAudit)})" : string.Empty;
            t.Append($"  {N(g.Count),6}  {g.Source} -> {g.Destination} {g.PortText}{audit}  [{g.FirstAt}]\n");
            t.Append("          ").Append(g.Decision == Decision.Allowed ? "the policies given allow it; the log's AUDIT came from other policies" : g.Reason).Append('\n');
        }

        if (Undecidable.Count > 0)
        {
            t.Append("\nUNDECIDABLE (the engine refuses to guess):\n");
            foreach (var g in Undecidable)
            {
                t.Append($"  {N(g.Count),6}  {g.Source} -> {g.Destination} {g.PortText}  [{g.FirstAt}]\n");
                t.Append("          ").Append(g.Reason).Append('\n');
            }
        }

        if (Suggestions.Count > 0)
        {
            t.Append("\nSUGGESTED ALLOW RULES (review: allow only what you intend):\n");
            foreach (var s in Suggestions)
            {
                t.Append("\n// ").Append(s.Subject).Append(' ').Append(s.Direction == Policies.Direction.Egress ? "egress" : "ingress").Append('\n');
                t.Append(s.Code);
                t.Append("---\n").Append(s.Yaml);
            }
        }

        return t.ToString();
    }

    /// <summary>The report for machines (indented JSON, one trailing "\n").</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson()
    {
        static JsonArray Groups(System.Collections.Generic.IEnumerable<ReplayGroup> groups) => new(groups.Select(g => (JsonNode)new JsonObject
        {
            ["source"] = g.Source,
            ["destination"] = g.Destination,
            ["port"] = g.Port,
            ["protocol"] = g.Protocol,
            ["count"] = g.Count,
            ["observedAudit"] = g.ObservedAudit,
            ["decision"] = g.Decision.ToString(),
            ["reason"] = g.Reason,
            ["firstLine"] = g.FirstLine,
            ["firstFile"] = g.FirstFile,
        }).ToArray());

        static JsonArray LineList(System.Collections.Generic.IEnumerable<Hubble.Flows.HubbleLineProblem> problems) =>
            new(problems.Select(p => (JsonNode)new JsonObject { ["file"] = p.File, ["line"] = p.Line, ["message"] = p.Message }).ToArray());

        var skipped = new JsonObject();
        foreach (var (k, v) in SkippedNonFlow)
        {
            skipped[k] = v;
        }

        var doc = new JsonObject
        {
            ["interrupted"] = Interrupted,
            ["inputs"] = new JsonArray(Inputs.Select(i => (JsonNode)i).ToArray()),
            ["bytes"] = Bytes,
            ["lines"] = Lines,
            ["flows"] = Flows,
            ["skippedNonFlow"] = skipped,
            ["badLineCount"] = ProblemCount,
            ["badLines"] = LineList(Problems),
            ["skippedReplies"] = SkippedReplies,
            ["unmappableCount"] = UnmappedCount,
            ["unmappable"] = LineList(Unmapped),
            ["evaluated"] = Evaluated,
            ["allowed"] = Allowed,
            ["wouldDropCount"] = WouldDropCount,
            ["wouldDrop"] = Groups(WouldDrop),
            ["undecidable"] = Groups(Undecidable),
            ["suggestions"] = new JsonArray(Suggestions.Select(s => (JsonNode)new JsonObject
            {
                ["direction"] = s.Direction == Policies.Direction.Egress ? "egress" : "ingress",
                ["subject"] = s.Subject,
                ["policy"] = s.Policy.Key,
                ["code"] = s.Code,
                ["yaml"] = s.Yaml,
            }).ToArray()),
        };
        return doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }).Replace("\r\n", "\n", System.StringComparison.Ordinal) + "\n";
    }

    // Text lists at most this many bad lines; JSON lists all kept (ReplayOptions.MaxListedProblems).
    private const int ListedInText = 20;

    private static string N(long n) => n.ToString(CultureInfo.InvariantCulture);
}
