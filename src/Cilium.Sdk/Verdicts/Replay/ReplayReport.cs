using System;
using System.Collections.Generic;
using System.Globalization;
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
/// <param name="FirstLine">The line of the first flow of the group in its input.</param>
/// <param name="FirstFile">The input of the first flow of the group (a file name), or null for an unnamed stream.</param>
public sealed record ReplayGroup(string Source, string Destination, int Port, string Protocol, long Count, long ObservedAudit, Decision Decision, string Reason, long FirstLine, string? FirstFile = null)
{
    /// <summary>"443/TCP" or "ICMPv4 type 8".</summary>
    public string PortText => Protocol.StartsWith("ICMP", StringComparison.Ordinal)
        ? string.Create(CultureInfo.InvariantCulture, $"{Protocol} type {Port}")
        : string.Create(CultureInfo.InvariantCulture, $"{Port}/{Protocol}");

    /// <summary>Where the first flow is: "line 7" or "hubble-export.log line 7".</summary>
    public string FirstAt => FirstFile is null
        ? string.Create(CultureInfo.InvariantCulture, $"line {FirstLine}")
        : string.Create(CultureInfo.InvariantCulture, $"{FirstFile} line {FirstLine}");
}

/// <summary>A suggested allow policy for would-drop flows: SDK code and the YAML it renders.</summary>
/// <param name="Direction">The direction the flows were dropped in.</param>
/// <param name="Subject">The workload the policy selects.</param>
/// <param name="Policy">The policy, built with the intent layer.</param>
/// <param name="Code">C# using the intent layer.</param>
/// <param name="Yaml">The rendered CiliumNetworkPolicy.</param>
public sealed record RuleSuggestion(Direction Direction, string Subject, Policy Policy, string Code, string Yaml);

/// <summary>What a replay (<see cref="FlowReplay"/>) found. Memory is bounded by the number of distinct groups: bad and
/// unmappable lines are all counted, the first ones listed.</summary>
public sealed partial record ReplayReport
{
    private readonly long problemCount;
    private readonly long unmappedCount;

    /// <summary>Lines read.</summary>
    public required long Lines { get; init; }

    /// <summary>Flow lines read.</summary>
    public required long Flows { get; init; }

    /// <summary>Non-flow lines skipped (lost events, ...), by kind.</summary>
    public required IReadOnlyDictionary<string, long> SkippedNonFlow { get; init; }

    /// <summary>The first bad lines, with input and line numbers (all are counted in <see cref="ProblemCount"/>).</summary>
    public required IReadOnlyList<HubbleLineProblem> Problems { get; init; }

    /// <summary>All bad lines (not JSON, too long, malformed flows, unreadable inputs), listed or not.</summary>
    public long ProblemCount { get => Math.Max(problemCount, Problems.Count); init => problemCount = value; }

    /// <summary>Flows skipped because they are replies (conntrack passes them) or L7 responses.</summary>
    public required long SkippedReplies { get; init; }

    /// <summary>The first flows that could not be mapped to endpoints (no L4, no labels), with line and reason.</summary>
    public required IReadOnlyList<HubbleLineProblem> Unmapped { get; init; }

    /// <summary>All unmappable flows, listed or not.</summary>
    public long UnmappedCount { get => Math.Max(unmappedCount, Unmapped.Count); init => unmappedCount = value; }

    /// <summary>Flows evaluated.</summary>
    public required long Evaluated { get; init; }

    /// <summary>Evaluated flows the policies allow.</summary>
    public required long Allowed { get; init; }

    /// <summary>Would-drop flows, grouped and sorted by count (descending), then source, destination, port.</summary>
    public required IReadOnlyList<ReplayGroup> WouldDrop { get; init; }

    /// <summary>Flows the engine could not decide, grouped, with the reason.</summary>
    public required IReadOnlyList<ReplayGroup> Undecidable { get; init; }

    /// <summary>Allow policies that would let the would-drop flows pass (review before applying).</summary>
    public required IReadOnlyList<RuleSuggestion> Suggestions { get; init; }

    /// <summary>The inputs read, in the order they were read (file names; empty for one unnamed stream).</summary>
    public IReadOnlyList<string> Inputs { get; init; } = [];

    /// <summary>Bytes read from the inputs (compressed bytes for gzip files); 0 when not known.</summary>
    public long Bytes { get; init; }

    /// <summary>Whether the replay was stopped (Ctrl-C, a cancelled token) before the end of its inputs: the report
    /// covers the lines read until then.</summary>
    public bool Interrupted { get; init; }

    /// <summary>Whether enforce mode would drop anything.</summary>
    public bool HasDrops => WouldDrop.Count > 0;

    /// <summary>The number of would-drop flow events.</summary>
    public long WouldDropCount => Events(WouldDrop);

    /// <summary>The number of undecidable flow events.</summary>
    public long UndecidableCount => Events(Undecidable);

    private static long Events(IReadOnlyList<ReplayGroup> groups)
    {
        var n = 0L;
        foreach (var g in groups)
        {
            n += g.Count;
        }

        return n;
    }
}

/// <summary>How <see cref="FlowReplay.Run(PolicyVerdicts, IEnumerable{FlowInput}, ReplayOptions?, System.Threading.CancellationToken)"/> reads and reports.</summary>
public sealed record ReplayOptions
{
    /// <summary>The Cilium version suggestions are rendered for; 1.19 when null.</summary>
    public CiliumVersion? Version { get; init; }

    /// <summary>Threads that parse lines (chunks of the input are parsed in parallel and aggregated in order, so the
    /// result does not depend on it); null: one per processor.</summary>
    public int? Parallelism { get; init; }

    /// <summary>The longest line read, in bytes; a longer one is reported and skipped, never held.</summary>
    public int MaxLineLength { get; init; } = HubbleFlowReader.DefaultMaxLineLength;

    /// <summary>How many bad and unmappable lines are listed (all are counted).</summary>
    public int MaxListedProblems { get; init; } = HubbleFlowReader.DefaultMaxListedProblems;

    /// <summary>Counters the replay updates as it goes, for a progress display; null for none.</summary>
    public ReplayProgress? Progress { get; init; }

    /// <summary>Internal measurements (the benchmark); null for none.</summary>
    internal ReplayStats? Stats { get; init; }

    /// <summary>Whether to cache endpoint mappings and verdicts (off only to measure what the caches save).</summary>
    internal bool UseCaches { get; init; } = true;
}
