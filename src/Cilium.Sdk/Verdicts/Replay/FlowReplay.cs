using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Hubble.Flows;
using Cilium.Sdk.Policies;

namespace Cilium.Sdk.Verdicts;

/// <summary>A group of observed flows with the same source and destination workload, port and protocol.</summary>
/// <param name="Source">The source workload ("ns/name", or an entity such as "host").</param>
/// <param name="Destination">The destination workload.</param>
/// <param name="Port">The destination port, or the ICMP type.</param>
/// <param name="Protocol">TCP, UDP, SCTP, ICMPv4 or ICMPv6.</param>
/// <param name="Count">How many flow events.</param>
/// <param name="ObservedAudit">How many of them Hubble showed as <c>AUDIT</c>.</param>
/// <param name="Decision">The engine's enforce-mode decision.</param>
/// <param name="Reason">The engine's explanation for the first flow of the group.</param>
/// <param name="FirstLine">The line of the first flow of the group in the input.</param>
public sealed record ReplayGroup(string Source, string Destination, int Port, string Protocol, int Count, int ObservedAudit, Decision Decision, string Reason, int FirstLine)
{
    /// <summary>"443/TCP" or "ICMPv4 type 8".</summary>
    public string PortText => Protocol.StartsWith("ICMP", StringComparison.Ordinal)
        ? string.Create(CultureInfo.InvariantCulture, $"{Protocol} type {Port}")
        : string.Create(CultureInfo.InvariantCulture, $"{Port}/{Protocol}");
}

/// <summary>A suggested allow policy for would-drop flows: SDK code and the YAML it renders.</summary>
/// <param name="Direction">The direction the flows were dropped in.</param>
/// <param name="Subject">The workload the policy selects.</param>
/// <param name="Policy">The policy, built with the intent layer.</param>
/// <param name="Code">C# using the intent layer.</param>
/// <param name="Yaml">The rendered CiliumNetworkPolicy.</param>
public sealed record RuleSuggestion(Direction Direction, string Subject, Policy Policy, string Code, string Yaml);

/// <summary>What <see cref="FlowReplay.Run"/> found.</summary>
public sealed partial record ReplayReport
{
    /// <summary>Lines read.</summary>
    public required int Lines { get; init; }

    /// <summary>Flow lines read.</summary>
    public required int Flows { get; init; }

    /// <summary>Non-flow lines skipped (lost events, ...), by kind.</summary>
    public required IReadOnlyDictionary<string, int> SkippedNonFlow { get; init; }

    /// <summary>Bad lines, with line numbers.</summary>
    public required IReadOnlyList<HubbleLineProblem> Problems { get; init; }

    /// <summary>Flows skipped because they are replies (conntrack passes them) or L7 responses.</summary>
    public required int SkippedReplies { get; init; }

    /// <summary>Flows that could not be mapped to endpoints (no L4, no labels), with line and reason.</summary>
    public required IReadOnlyList<HubbleLineProblem> Unmapped { get; init; }

    /// <summary>Flows evaluated.</summary>
    public required int Evaluated { get; init; }

    /// <summary>Evaluated flows the policies allow.</summary>
    public required int Allowed { get; init; }

    /// <summary>Would-drop flows, grouped and sorted by count (descending), then source, destination, port.</summary>
    public required IReadOnlyList<ReplayGroup> WouldDrop { get; init; }

    /// <summary>Flows the engine could not decide, grouped, with the reason.</summary>
    public required IReadOnlyList<ReplayGroup> Undecidable { get; init; }

    /// <summary>Allow policies that would let the would-drop flows pass (review before applying).</summary>
    public required IReadOnlyList<RuleSuggestion> Suggestions { get; init; }

    /// <summary>Whether enforce mode would drop anything.</summary>
    public bool HasDrops => WouldDrop.Count > 0;

    /// <summary>The number of would-drop flow events.</summary>
    public int WouldDropCount => WouldDrop.Sum(g => g.Count);
}

/// <summary>
/// Replays observed Hubble flows against a cluster's policies: for each new, non-reply flow, the verdict enforce mode
/// would give; the flows it would drop (and every flow Hubble showed as <c>AUDIT</c>) grouped by source workload,
/// destination workload, port and protocol; and allow rules that would let them pass.
/// </summary>
public static class FlowReplay
{
    /// <summary>Replays <paramref name="read"/> against <paramref name="verdicts"/> (enforce-mode options are used
    /// whatever the engine's mode, so audit shows as a drop).</summary>
    /// <param name="verdicts">The engine.</param>
    /// <param name="read">The flows read.</param>
    /// <param name="version">The version suggestions are rendered for; 1.19 when null.</param>
    /// <returns>The report.</returns>
    public static ReplayReport Run(PolicyVerdicts verdicts, HubbleReadResult read, CiliumVersion? version = null)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        ArgumentNullException.ThrowIfNull(read);
        var unmapped = new List<HubbleLineProblem>();
        var drops = new Dictionary<string, Acc>(StringComparer.Ordinal);
        var undecided = new Dictionary<string, Acc>(StringComparer.Ordinal);
        int replies = 0, evaluated = 0, allowed = 0;
        foreach (var observed in read.Flows)
        {
            if (observed.IsReply == true || observed.L7Type == "RESPONSE")
            {
                replies++;
                continue;
            }

            Flow? flow;
            string? why;
            try
            {
                flow = HubbleFlowMapping.ToFlow(observed, out why);
            }
            catch (ArgumentException e)
            {
                // A value the model refuses (an empty label key, a malformed name): report the line, keep going.
                flow = null;
                why = e.Message;
            }

            if (flow is null)
            {
                unmapped.Add(new HubbleLineProblem(observed.Line, why!));
                continue;
            }

            evaluated++;
            var verdict = verdicts.Evaluate(flow);
            var audited = string.Equals(observed.Verdict, "AUDIT", StringComparison.Ordinal);
            var key = $"{flow.Source.Name}\n{flow.Destination.Name}\n{flow.Port.ToString(CultureInfo.InvariantCulture)}\n{Flow.ProtocolWire(flow.Protocol)}";
            if (verdict.WouldDrop || audited)
            {
                Accumulate(drops, key, verdict, observed, audited);
            }
            else if (verdict.Decision == Decision.Undecidable)
            {
                Accumulate(undecided, key, verdict, observed, false);
            }
            else
            {
                allowed++;
            }
        }

        var dropGroups = Groups(drops);
        return new ReplayReport
        {
            Lines = read.Lines,
            Flows = read.Flows.Count,
            SkippedNonFlow = read.SkippedNonFlow,
            Problems = read.Problems,
            SkippedReplies = replies,
            Unmapped = unmapped,
            Evaluated = evaluated,
            Allowed = allowed,
            WouldDrop = dropGroups,
            Undecidable = Groups(undecided),
            Suggestions = RuleSuggestions.For(drops.Values.Select(a => a.First), version ?? CiliumVersion.V1_19),
        };
    }

    private static void Accumulate(Dictionary<string, Acc> groups, string key, Verdict verdict, HubbleFlow observed, bool audited)
    {
        if (!groups.TryGetValue(key, out var acc))
        {
            acc = new Acc(verdict, observed.Line);
            groups[key] = acc;
        }

        acc.Count++;
        if (audited)
        {
            acc.Audited++;
        }
    }

    private static List<ReplayGroup> Groups(Dictionary<string, Acc> groups) =>
        groups.Values
            .Select(a => new ReplayGroup(
                a.First.Flow.Source.Name,
                a.First.Flow.Destination.Name,
                a.First.Flow.Port,
                Flow.ProtocolWire(a.First.Flow.Protocol),
                a.Count,
                a.Audited,
                a.First.Decision,
                string.Join("; ", a.First.Reasons.Select(r => r.ToString())),
                a.Line))
            .OrderByDescending(g => g.Count)
            .ThenBy(g => g.Source, StringComparer.Ordinal)
            .ThenBy(g => g.Destination, StringComparer.Ordinal)
            .ThenBy(g => g.Port)
            .ThenBy(g => g.Protocol, StringComparer.Ordinal)
            .ToList();

    private sealed class Acc(Verdict first, int line)
    {
        public Verdict First { get; } = first;

        public int Line { get; } = line;

        public int Count { get; set; }

        public int Audited { get; set; }
    }
}
