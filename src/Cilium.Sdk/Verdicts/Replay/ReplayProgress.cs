using System;
using System.Diagnostics;
using System.Globalization;
using System.Threading;
using Cilium.Sdk.Hubble.Flows;

namespace Cilium.Sdk.Verdicts;

/// <summary>
/// Counters a running replay updates (give one in <see cref="ReplayOptions.Progress"/>): read them from another thread,
/// for example from a timer, to show progress. The replay never prints anything itself.
/// </summary>
public sealed class ReplayProgress
{
    private FlowInput.CountingStream.Counter? bytes;
    private long totalBytes = -1;
    private long started;
    private long lines;
    private long flows;
    private long wouldDrop;

    /// <summary>Bytes read from the inputs so far (compressed bytes for gzip files).</summary>
    public long Bytes => Volatile.Read(ref bytes)?.Bytes ?? 0;

    /// <summary>The inputs' total size when every input's size is known (files), else null.</summary>
    public long? TotalBytes => Volatile.Read(ref totalBytes) is var t and >= 0 ? t : null;

    /// <summary>Lines aggregated so far.</summary>
    public long Lines => Volatile.Read(ref lines);

    /// <summary>Flows aggregated so far.</summary>
    public long Flows => Volatile.Read(ref flows);

    /// <summary>Flow events that enforce mode would drop, so far.</summary>
    public long WouldDrop => Volatile.Read(ref wouldDrop);

    /// <summary>Time since the replay started (zero before).</summary>
    public TimeSpan Elapsed => Volatile.Read(ref started) is var s and > 0 ? Stopwatch.GetElapsedTime(s) : TimeSpan.Zero;

    /// <summary>The progress line: "1.2 GB of 2.0 GB (61%), 1,234,567 flows, 412,345 flows/s, 1,234 would drop".</summary>
    /// <returns>The text (one line, no line break).</returns>
    public override string ToString() => Describe(Bytes, TotalBytes, Flows, Elapsed, WouldDrop);

    /// <summary>The progress line for the given counters.</summary>
    internal static string Describe(long bytes, long? totalBytes, long flows, TimeSpan elapsed, long wouldDrop)
    {
        var read = totalBytes is { } total && total > 0
            ? $"{Size(bytes)} of {Size(total)} ({Math.Min(100, bytes * 100 / total).ToString(CultureInfo.InvariantCulture)}%)"
            : Size(bytes);
        var rate = elapsed.TotalSeconds > 0 ? flows / elapsed.TotalSeconds : 0;
        return string.Create(CultureInfo.InvariantCulture, $"{read}, {flows:N0} flows, {rate:N0} flows/s, {wouldDrop:N0} would drop");
    }

    internal void Start(FlowInput.CountingStream.Counter counter, long? total)
    {
        Volatile.Write(ref totalBytes, total ?? -1);
        Volatile.Write(ref bytes, counter);
        Volatile.Write(ref started, Stopwatch.GetTimestamp());
    }

    internal void Update(long lineCount, long flowCount, long wouldDropCount)
    {
        Volatile.Write(ref lines, lineCount);
        Volatile.Write(ref flows, flowCount);
        Volatile.Write(ref wouldDrop, wouldDropCount);
    }

    private static string Size(long n) => n switch
    {
        >= 1_000_000_000 => string.Create(CultureInfo.InvariantCulture, $"{n / 1e9:F2} GB"),
        >= 1_000_000 => string.Create(CultureInfo.InvariantCulture, $"{n / 1e6:F1} MB"),
        >= 1_000 => string.Create(CultureInfo.InvariantCulture, $"{n / 1e3:F0} kB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{n} B"),
    };
}

/// <summary>Where a replay's time goes (the benchmark reads it): CPU time of each stage, summed over threads.</summary>
internal sealed class ReplayStats
{
    private long parseTicks;
    private long aggregateTicks;
    private long evaluateTicks;
    private long evaluations;

    /// <summary>Parsing lines (all parse threads).</summary>
    public TimeSpan Parse => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref parseTicks));

    /// <summary>Mapping, deciding and grouping, in order (the aggregating thread), the engine's calls included.</summary>
    public TimeSpan Aggregate => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref aggregateTicks));

    /// <summary>Inside the verdict engine (cache misses).</summary>
    public TimeSpan Evaluate => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref evaluateTicks));

    /// <summary>Calls of the verdict engine.</summary>
    public long Evaluations => Interlocked.Read(ref evaluations);

    public void AddParse(long ticks) => Interlocked.Add(ref parseTicks, ticks);

    public void AddAggregate(long ticks) => Interlocked.Add(ref aggregateTicks, ticks);

    public void AddEvaluate(long ticks)
    {
        Interlocked.Add(ref evaluateTicks, ticks);
        Interlocked.Increment(ref evaluations);
    }
}
