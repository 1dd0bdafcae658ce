using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace Cilium.Sdk.Verdicts;

/// <summary>What a change does to one group of flows: same source and destination workload, port and protocol, and the
/// same decision before and after.</summary>
public sealed record PolicyDiffChange
{
    /// <summary>The source workload (<c>namespace/name</c>, or a reserved identity such as <c>world 203.0.113.10</c>).</summary>
    public required string Source { get; init; }

    /// <summary>The destination workload.</summary>
    public required string Destination { get; init; }

    /// <summary>The protocol: TCP, UDP, SCTP, ICMPv4 or ICMPv6.</summary>
    public required string Protocol { get; init; }

    /// <summary>The destination port (the ICMP type for ICMP).</summary>
    public required int Port { get; init; }

    /// <summary>The HTTP request the probe flows carry (<c>GET /api/x</c>), or null for the connection alone (and for
    /// observed flows, which are grouped by connection). Accept patterns match the connection (<see cref="Flow"/>),
    /// whatever the request.</summary>
    public string? Request { get; init; }

    /// <summary>The decision with the base policies.</summary>
    public required Decision Before { get; init; }

    /// <summary>The decision with the head policies.</summary>
    public required Decision After { get; init; }

    /// <summary>The rules that decided before (or why none did).</summary>
    public required string BeforeReason { get; init; }

    /// <summary>The rules that decide after.</summary>
    public required string AfterReason { get; init; }

    /// <summary>How many probe flows (endpoint pairs of the workloads) changed so.</summary>
    public int ProbeFlows { get; init; }

    /// <summary>How many flows of the capture changed so.</summary>
    public long ObservedFlows { get; init; }

    /// <summary>Where the first of those was in the capture (<c>file line N</c>), or null.</summary>
    public string? FirstObserved { get; init; }

    /// <summary>The accept pattern that accepted the change, or null.</summary>
    public string? AcceptedBy { get; init; }

    /// <summary>"SOURCE -> DESTINATION PORT/PROTOCOL", as accept patterns match it.</summary>
    public string Flow => string.Create(CultureInfo.InvariantCulture, $"{Source} -> {Destination} {Port}/{Protocol}");

    /// <summary>Allowed before and dropped now (denied, or audited in audit mode).</summary>
    public bool IsNewlyDenied => Before == Decision.Allowed && After is Decision.Denied or Decision.Audit;

    /// <summary>A newly denied change nobody accepted: it makes <c>policy-diff</c> exit 1.</summary>
    public bool IsBreaking => IsNewlyDenied && AcceptedBy is null;

    /// <summary>The kind of change: <c>newly-denied</c>, <c>newly-undecidable</c>, <c>newly-allowed</c> or <c>other</c>.</summary>
    public string Kind => IsNewlyDenied ? "newly-denied"
        : After == Decision.Undecidable ? "newly-undecidable"
        : After == Decision.Allowed ? "newly-allowed"
        : "other";

    internal static int Order(PolicyDiffChange a, PolicyDiffChange b)
    {
        var c = Rank(a).CompareTo(Rank(b));
        c = c != 0 ? c : string.CompareOrdinal(a.Source, b.Source);
        c = c != 0 ? c : string.CompareOrdinal(a.Destination, b.Destination);
        c = c != 0 ? c : string.CompareOrdinal(a.Protocol, b.Protocol);
        c = c != 0 ? c : a.Port.CompareTo(b.Port);
        c = c != 0 ? c : string.CompareOrdinal(a.Request, b.Request);
        c = c != 0 ? c : a.Before.CompareTo(b.Before);
        return c != 0 ? c : a.After.CompareTo(b.After);
    }

    private static int Rank(PolicyDiffChange c) => c.Kind switch
    {
        "newly-denied" => 0,
        "newly-undecidable" => 1,
        "newly-allowed" => 2,
        _ => 3,
    };
}

/// <summary>The result of <see cref="PolicyDiff.Compare"/>: every flow whose verdict changes, grouped, in text,
/// Markdown (for a pull-request comment) and JSON (schema <c>cilium-sdk/policy-diff/v1</c>, sorted).</summary>
public sealed class PolicyDiffReport
{
    internal PolicyDiffReport(string baseName, string headName, int baseSpecs, int headSpecs, int endpoints, int ports, long probeFlows, long observedFlows, long unmappable, IReadOnlyList<PolicyDiffChange> changes, IReadOnlyList<string> unusedAccept)
    {
        BaseName = baseName;
        HeadName = headName;
        BaseSpecs = baseSpecs;
        HeadSpecs = headSpecs;
        Endpoints = endpoints;
        Ports = ports;
        ProbeFlows = probeFlows;
        ObservedFlows = observedFlows;
        UnmappableFlows = unmappable;
        Changes = changes;
        UnusedAcceptPatterns = unusedAccept;
    }

    /// <summary>The base side's name.</summary>
    public string BaseName { get; }

    /// <summary>The head side's name.</summary>
    public string HeadName { get; }

    /// <summary>Policy specs on the base side.</summary>
    public int BaseSpecs { get; }

    /// <summary>Policy specs on the head side.</summary>
    public int HeadSpecs { get; }

    /// <summary>Endpoints probed.</summary>
    public int Endpoints { get; }

    /// <summary>Ports (with protocol) probed.</summary>
    public int Ports { get; }

    /// <summary>Probe flows evaluated on each side.</summary>
    public long ProbeFlows { get; }

    /// <summary>Flows of the capture evaluated on each side (replies not counted).</summary>
    public long ObservedFlows { get; }

    /// <summary>Flows of the capture that could not be mapped to endpoints.</summary>
    public long UnmappableFlows { get; }

    /// <summary>The changes: newly denied first, then newly undecidable, newly allowed, other; each by source,
    /// destination, protocol and port.</summary>
    public IReadOnlyList<PolicyDiffChange> Changes { get; }

    /// <summary>Accept patterns that matched no change (stale, or mistyped).</summary>
    public IReadOnlyList<string> UnusedAcceptPatterns { get; }

    /// <summary>Whether something that was allowed is denied now and was not accepted.</summary>
    public bool HasBreakingChanges => Changes.Any(c => c.IsBreaking);

    /// <summary>The report as plain text.</summary>
    /// <returns>The text.</returns>
    public string ToText()
    {
        var w = new StringBuilder();
        w.Append(Inv($"policy diff: {BaseName} ({BaseSpecs} policy spec(s)) -> {HeadName} ({HeadSpecs})\n"));
        w.Append(Inv($"probed {ProbeFlows:N0} flow(s) over {Endpoints} endpoint(s) and {Ports} port(s)"));
        w.Append(ObservedFlows + UnmappableFlows > 0 ? Inv($"; observed {ObservedFlows:N0} flow(s), {UnmappableFlows:N0} unmappable\n") : "\n");
        w.Append(Summary()).Append('\n');
        foreach (var (title, group) in Sections())
        {
            w.Append('\n').Append(title.ToUpperInvariant()).Append(":\n");
            foreach (var c in group)
            {
                w.Append("  ").Append(c.Flow).Append(c.Request is null ? string.Empty : " " + c.Request).Append("  [").Append(Counts(c)).Append("]\n");
                w.Append("    before (").Append(Word(c.Before)).Append("): ").Append(c.BeforeReason).Append('\n');
                w.Append("    after  (").Append(Word(c.After)).Append("): ").Append(c.AfterReason).Append('\n');
                if (c.AcceptedBy is not null)
                {
                    w.Append("    accepted by '").Append(c.AcceptedBy).Append("'\n");
                }
            }
        }

        foreach (var p in UnusedAcceptPatterns)
        {
            w.Append("\nnote: accept pattern '").Append(p).Append("' matched no change");
        }

        if (UnusedAcceptPatterns.Count > 0)
        {
            w.Append('\n');
        }

        return w.ToString();
    }

    /// <summary>The report as Markdown for a pull-request comment.</summary>
    /// <returns>The Markdown.</returns>
    public string ToMarkdown()
    {
        var w = new StringBuilder();
        w.Append("### Cilium policy diff: `").Append(BaseName).Append("` → `").Append(HeadName).Append("`\n\n");
        w.Append(HasBreakingChanges ? "**" + Summary() + "**" : Summary()).Append('\n');
        w.Append(Inv($"\nProbed {ProbeFlows:N0} flows over {Endpoints} endpoints and {Ports} ports"));
        w.Append(ObservedFlows + UnmappableFlows > 0 ? Inv($", and {ObservedFlows:N0} observed flows ({UnmappableFlows:N0} unmappable).\n") : ".\n");
        foreach (var (title, group) in Sections())
        {
            w.Append("\n#### ").Append(title).Append("\n\n");
            w.Append("| Source | Destination | Port | Flows | Before | After | Accepted |\n|---|---|---|---:|---|---|---|\n");
            foreach (var c in group)
            {
                w.Append("| `").Append(Cell(c.Source)).Append("` | `").Append(Cell(c.Destination)).Append("` | ")
                    .Append(Inv($"{c.Port}/{c.Protocol}")).Append(c.Request is null ? string.Empty : " `" + Cell(c.Request) + "`").Append(" | ").Append(Counts(c)).Append(" | ")
                    .Append(Word(c.Before)).Append(": ").Append(Cell(c.BeforeReason)).Append(" | ")
                    .Append(Word(c.After)).Append(": ").Append(Cell(c.AfterReason)).Append(" | ")
                    .Append(c.AcceptedBy is null ? (c.IsNewlyDenied ? "**no**" : string.Empty) : "`" + Cell(c.AcceptedBy) + "`").Append(" |\n");
            }
        }

        if (UnusedAcceptPatterns.Count > 0)
        {
            w.Append("\nAccept patterns that matched no change: ").Append(string.Join(", ", UnusedAcceptPatterns.Select(p => "`" + Cell(p) + "`"))).Append('\n');
        }

        return w.ToString();
    }

    /// <summary>The report as JSON: schema <c>cilium-sdk/policy-diff/v1</c>, changes in <see cref="Changes"/> order, the
    /// same bytes for the same input.</summary>
    /// <returns>The JSON text (indented, ending with a newline).</returns>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var j = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            j.WriteStartObject();
            j.WriteString("schema", "cilium-sdk/policy-diff/v1");
            j.WriteStartObject("base");
            j.WriteString("name", BaseName);
            j.WriteNumber("specs", BaseSpecs);
            j.WriteEndObject();
            j.WriteStartObject("head");
            j.WriteString("name", HeadName);
            j.WriteNumber("specs", HeadSpecs);
            j.WriteEndObject();
            j.WriteStartObject("probed");
            j.WriteNumber("endpoints", Endpoints);
            j.WriteNumber("ports", Ports);
            j.WriteNumber("flows", ProbeFlows);
            j.WriteEndObject();
            j.WriteStartObject("observed");
            j.WriteNumber("flows", ObservedFlows);
            j.WriteNumber("unmappable", UnmappableFlows);
            j.WriteEndObject();
            j.WriteStartObject("summary");
            j.WriteNumber("changes", Changes.Count);
            j.WriteNumber("newlyDenied", Changes.Count(c => c.IsNewlyDenied));
            j.WriteNumber("newlyUndecidable", Changes.Count(c => c.Kind == "newly-undecidable"));
            j.WriteNumber("newlyAllowed", Changes.Count(c => c.Kind == "newly-allowed"));
            j.WriteNumber("accepted", Changes.Count(c => c.AcceptedBy is not null));
            j.WriteNumber("breaking", Changes.Count(c => c.IsBreaking));
            j.WriteEndObject();
            j.WriteStartArray("changes");
            foreach (var c in Changes)
            {
                j.WriteStartObject();
                j.WriteString("kind", c.Kind);
                j.WriteString("source", c.Source);
                j.WriteString("destination", c.Destination);
                j.WriteNumber("port", c.Port);
                j.WriteString("protocol", c.Protocol);
                j.WriteString("request", c.Request); // null writes JSON null

                j.WriteString("before", Word(c.Before));
                j.WriteString("after", Word(c.After));
                j.WriteBoolean("breaking", c.IsBreaking);
                j.WriteString("acceptedBy", c.AcceptedBy); // null writes JSON null

                j.WriteNumber("probeFlows", c.ProbeFlows);
                j.WriteNumber("observedFlows", c.ObservedFlows);
                j.WriteString("firstObserved", c.FirstObserved); // null writes JSON null

                j.WriteString("beforeReason", c.BeforeReason);
                j.WriteString("afterReason", c.AfterReason);
                j.WriteEndObject();
            }

            j.WriteEndArray();
            j.WriteStartArray("unusedAccept");
            foreach (var p in UnusedAcceptPatterns)
            {
                j.WriteStringValue(p);
            }

            j.WriteEndArray();
            j.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private string Summary()
    {
        if (Changes.Count == 0)
        {
            return "No flow changes its verdict.";
        }

        var denied = Changes.Where(c => c.IsNewlyDenied).ToList();
        var parts = new List<string>
        {
            Inv($"{denied.Count} newly denied ({denied.Count(c => c.AcceptedBy is not null)} accepted)"),
            Inv($"{Changes.Count(c => c.Kind == "newly-undecidable")} newly undecidable"),
            Inv($"{Changes.Count(c => c.Kind == "newly-allowed")} newly allowed"),
        };
        var other = Changes.Count(c => c.Kind == "other");
        if (other > 0)
        {
            parts.Add(Inv($"{other} other"));
        }

        return Inv($"{Changes.Count} change(s): ") + string.Join(", ", parts) + (HasBreakingChanges ? Inv($"; {Changes.Count(c => c.IsBreaking)} not accepted: this change breaks traffic that works today") : string.Empty);
    }

    private IEnumerable<(string Title, List<PolicyDiffChange> Group)> Sections()
    {
        foreach (var (kind, title) in new[] { ("newly-denied", "Newly denied (allowed before)"), ("newly-undecidable", "Newly undecidable"), ("newly-allowed", "Newly allowed (denied before)"), ("other", "Other changes") })
        {
            var group = Changes.Where(c => c.Kind == kind).ToList();
            if (group.Count > 0)
            {
                yield return (title, group);
            }
        }
    }

    private static string Counts(PolicyDiffChange c)
    {
        var s = Inv($"{c.ProbeFlows} probe(s)");
        if (c.ObservedFlows > 0)
        {
            s += Inv($", {c.ObservedFlows:N0} observed, first at {c.FirstObserved}");
        }

        return s;
    }

    private static string Word(Decision d) => d switch
    {
        Decision.Allowed => "allowed",
        Decision.Denied => "denied",
        Decision.Audit => "audit",
        _ => "undecidable",
    };

    private static string Cell(string s) => s.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal).Replace("`", "'", StringComparison.Ordinal);

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
