using System;
using System.Collections.Generic;
using System.Linq;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Hubble.Flows;

namespace Cilium.Sdk.Verdicts;

/// <summary>The flows of one would-drop or undecidable group so far: the first flow's verdict and place, and counts.</summary>
internal sealed class ReplayGroupCounter(Verdict first, long line, string? file)
{
    public Verdict First { get; } = first;

    public long Line { get; } = line;

    public string? File { get; } = file;

    public long Count { get; set; }

    public long Audited { get; set; }
}

/// <summary>
/// What a replay has seen, aggregated as it goes, in input order: counts, the groups enforce mode would drop (and the
/// undecidable ones) keyed by source and destination workload, port and protocol, and the first bad lines. Memory is
/// bounded by the number of distinct groups. Both replay paths (streamed flows and the fast parallel one) feed it, so
/// they count alike.
/// </summary>
internal sealed class ReplayAccumulator(int maxListed)
{
    private readonly Dictionary<GroupKey, ReplayGroupCounter> drops = [];
    private readonly List<ReplayGroupCounter> dropOrder = [];
    private readonly Dictionary<GroupKey, ReplayGroupCounter> undecided = [];
    private readonly List<HubbleLineProblem> unmapped = [];
    private readonly List<HubbleLineProblem> problems = [];
    private readonly SortedDictionary<string, long> skipped = new(StringComparer.Ordinal);

    public long Lines { get; set; }

    public long Flows { get; set; }

    public long Replies { get; private set; }

    public long Evaluated { get; private set; }

    public long Allowed { get; private set; }

    public long WouldDrop { get; private set; }

    public long ProblemCount { get; private set; }

    public long UnmappedCount { get; private set; }

    public void Skipped(string kind) => skipped[kind] = skipped.GetValueOrDefault(kind) + 1;

    public void Problem(long line, string message, string? file)
    {
        ProblemCount++;
        if (problems.Count < maxListed)
        {
            problems.Add(new HubbleLineProblem(line, message, file));
        }
    }

    public void Reply() => Replies++;

    public void Unmappable(long line, string why, string? file)
    {
        UnmappedCount++;
        if (unmapped.Count < maxListed)
        {
            unmapped.Add(new HubbleLineProblem(line, why, file));
        }
    }

    /// <summary>One evaluated flow. <paramref name="drop"/> and <paramref name="undecidable"/> may hold the group this
    /// kind of flow went to before (a cache of the lookup); they are filled in here.</summary>
    public void Decided(Verdict verdict, bool audited, long line, string? file, ref ReplayGroupCounter? drop, ref ReplayGroupCounter? undecidable)
    {
        Evaluated++;
        if (verdict.WouldDrop || audited)
        {
            var group = drop ??= Group(drops, dropOrder, verdict, line, file);
            group.Count++;
            WouldDrop++;
            if (audited)
            {
                group.Audited++;
            }
        }
        else if (verdict.Decision == Decision.Undecidable)
        {
            (undecidable ??= Group(undecided, null, verdict, line, file)).Count++;
        }
        else
        {
            Allowed++;
        }
    }

    /// <summary>The report of what was seen, with the reader's counts.</summary>
    public ReplayReport Report(CiliumVersion? version, IReadOnlyList<string> inputs, long bytes, bool interrupted) => new()
    {
        Lines = Lines,
        Flows = Flows,
        SkippedNonFlow = skipped,
        Problems = problems,
        ProblemCount = ProblemCount,
        SkippedReplies = Replies,
        Unmapped = unmapped,
        UnmappedCount = UnmappedCount,
        Evaluated = Evaluated,
        Allowed = Allowed,
        WouldDrop = Sorted(drops.Values),
        Undecidable = Sorted(undecided.Values),
        Suggestions = RuleSuggestions.For(dropOrder.Select(g => g.First), version ?? CiliumVersion.V1_19),
        Inputs = inputs,
        Bytes = bytes,
        Interrupted = interrupted,
    };

    private static ReplayGroupCounter Group(Dictionary<GroupKey, ReplayGroupCounter> groups, List<ReplayGroupCounter>? order, Verdict verdict, long line, string? file)
    {
        var flow = verdict.Flow;
        var key = new GroupKey(flow.Source.Name, flow.Destination.Name, flow.Port, flow.Protocol);
        if (!groups.TryGetValue(key, out var group))
        {
            group = new ReplayGroupCounter(verdict, line, file);
            groups[key] = group;
            order?.Add(group);
        }

        return group;
    }

    private static List<ReplayGroup> Sorted(IEnumerable<ReplayGroupCounter> groups) =>
        groups
            .Select(a => new ReplayGroup(
                a.First.Flow.Source.Name,
                a.First.Flow.Destination.Name,
                a.First.Flow.Port,
                HubbleFlowMapping.ProtocolName(a.First.Flow.Protocol),
                a.Count,
                a.Audited,
                a.First.Decision,
                string.Join("; ", a.First.Reasons.Select(r => r.ToString())),
                a.Line,
                a.File))
            .OrderByDescending(g => g.Count)
            .ThenBy(g => g.Source, StringComparer.Ordinal)
            .ThenBy(g => g.Destination, StringComparer.Ordinal)
            .ThenBy(g => g.Port)
            .ThenBy(g => g.Protocol, StringComparer.Ordinal)
            .ToList();

    private readonly record struct GroupKey(string Source, string Destination, int Port, FlowProtocol Protocol);
}
