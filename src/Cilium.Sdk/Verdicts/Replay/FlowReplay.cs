using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Hubble.Flows;

namespace Cilium.Sdk.Verdicts;

/// <summary>
/// Replays observed Hubble flows against a cluster's policies: for each new, non-reply flow, the verdict enforce mode
/// would give; the flows it would drop (and every flow Hubble showed as <c>AUDIT</c>) grouped by source workload,
/// destination workload, port and protocol; and allow rules that would let them pass. Enforce-mode terms are used
/// whatever the engine's mode, so audit shows as a drop.
/// </summary>
/// <remarks>
/// Captures stream: flows are aggregated as they are read, so memory is bounded by the number of distinct groups, not
/// by the size of the capture. <see cref="Run(PolicyVerdicts, IEnumerable{FlowInput}, ReplayOptions?, CancellationToken)"/>
/// is the fast path (parallel parsing, aggregation in input order, so the report does not depend on the parallelism).
/// </remarks>
public static class FlowReplay
{
    /// <summary>Replays a capture: files (rotated sets in order with <see cref="FlowInput.Files"/>, gzip or plain),
    /// standard input or streams. Cancelling <paramref name="cancellationToken"/> stops reading; the report then covers
    /// the lines read until then and says it was <see cref="ReplayReport.Interrupted"/>.</summary>
    /// <param name="verdicts">The engine.</param>
    /// <param name="inputs">The inputs, in the order to read them.</param>
    /// <param name="options">Version, parallelism, limits, progress; defaults when null.</param>
    /// <param name="cancellationToken">Stops the replay early (Ctrl-C).</param>
    /// <returns>The report.</returns>
    public static ReplayReport Run(PolicyVerdicts verdicts, IEnumerable<FlowInput> inputs, ReplayOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        ArgumentNullException.ThrowIfNull(inputs);
        options ??= new ReplayOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxLineLength, 2);
        return new ReplayPipeline(verdicts, options).Run([.. inputs], cancellationToken);
    }

    /// <summary>Replays one stream of <c>hubble observe -o json</c> output (plain or gzip); the stream is disposed.</summary>
    /// <param name="verdicts">The engine.</param>
    /// <param name="flows">The bytes.</param>
    /// <param name="options">Version, parallelism, limits, progress; defaults when null.</param>
    /// <param name="cancellationToken">Stops the replay early.</param>
    /// <returns>The report.</returns>
    public static ReplayReport Run(PolicyVerdicts verdicts, Stream flows, ReplayOptions? options = null, CancellationToken cancellationToken = default) =>
        Run(verdicts, [FlowInput.FromStream(flows)], options, cancellationToken);

    /// <summary>Runs <see cref="Run(PolicyVerdicts, IEnumerable{FlowInput}, ReplayOptions?, CancellationToken)"/> on
    /// its own thread.</summary>
    /// <param name="verdicts">The engine.</param>
    /// <param name="inputs">The inputs, in the order to read them.</param>
    /// <param name="options">Version, parallelism, limits, progress; defaults when null.</param>
    /// <param name="cancellationToken">Stops the replay early.</param>
    /// <returns>The report.</returns>
    public static Task<ReplayReport> RunAsync(PolicyVerdicts verdicts, IEnumerable<FlowInput> inputs, ReplayOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        ArgumentNullException.ThrowIfNull(inputs);
        var list = inputs.ToArray();
        return Task.Factory.StartNew(() => Run(verdicts, list, options, cancellationToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Replays flows one by one as they come (a <see cref="HubbleFlowReader"/>, or flows a caller filtered);
    /// a reader's line counts, skipped lines and problems go into the report.</summary>
    /// <param name="verdicts">The engine.</param>
    /// <param name="flows">The flows, in input order.</param>
    /// <param name="options">Version and listing limit; defaults when null (parallelism does not apply).</param>
    /// <param name="cancellationToken">Stops the replay early (checked between flows).</param>
    /// <returns>The report.</returns>
    public static ReplayReport Run(PolicyVerdicts verdicts, IEnumerable<HubbleFlow> flows, ReplayOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        ArgumentNullException.ThrowIfNull(flows);
        options ??= new ReplayOptions();
        var accumulator = new ReplayAccumulator(options.MaxListedProblems);
        var interrupted = false;
        foreach (var observed in flows)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                interrupted = true;
                break;
            }

            accumulator.Flows++;
            Add(verdicts, observed, accumulator);
        }

        var report = accumulator.Report(options.Version, [], 0, interrupted);
        return flows is HubbleFlowReader reader
            ? report with { Lines = reader.Lines, Bytes = reader.Bytes, SkippedNonFlow = reader.SkippedNonFlow, Problems = reader.Problems, ProblemCount = reader.ProblemCount }
            : report with { Lines = accumulator.Flows };
    }

    /// <summary>Replays flows read all at once (<see cref="HubbleFlowReader.Read(TextReader, int)"/>).</summary>
    /// <param name="verdicts">The engine.</param>
    /// <param name="read">The flows read.</param>
    /// <param name="version">The version suggestions are rendered for; 1.19 when null.</param>
    /// <returns>The report.</returns>
    public static ReplayReport Run(PolicyVerdicts verdicts, HubbleReadResult read, CiliumVersion? version = null)
    {
        ArgumentNullException.ThrowIfNull(read);
        var report = Run(verdicts, read.Flows, new ReplayOptions { Version = version, MaxListedProblems = int.MaxValue });
        return report with { Lines = read.Lines, SkippedNonFlow = read.SkippedNonFlow, Problems = read.Problems, ProblemCount = read.Problems.Count };
    }

    private static void Add(PolicyVerdicts verdicts, HubbleFlow observed, ReplayAccumulator accumulator)
    {
        if (observed.IsReply == true || observed.L7Type == "RESPONSE")
        {
            accumulator.Reply();
            return;
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
            accumulator.Unmappable(observed.Line, why!, observed.File);
            return;
        }

        ReplayGroupCounter? drop = null, undecidable = null;
        accumulator.Decided(verdicts.Evaluate(flow), string.Equals(observed.Verdict, "AUDIT", StringComparison.Ordinal), observed.Line, observed.File, ref drop, ref undecidable);
    }
}
