using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace Cilium.Sdk.Benchmarks;

/// <summary>
/// The default mode: a documented Stopwatch harness that prints medians. For every scenario it measures
/// cold (the first run in a fresh process), warm (median of 20 new drivers after 5 warm-ups) and rerun
/// (median of 20 <c>RunGenerators</c> calls on one driver with unchanged compilation and inputs).
/// </summary>
internal static class QuickHarness
{
    public const int WarmUpRuns = 5;
    public const int MeasuredRuns = 20;

    private const string ColdMarker = "COLD-MS ";
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Runs the quick harness. Returns the process exit code.</summary>
    public static int Run(HarnessPaths paths, bool strict, bool samples)
    {
        // (a) Cold, in this process: the very first thing done after reading scenario 1's files.
        var first = Scenario.Load(ScenarioId.CiliumNetworkPolicy, paths);
        var inProcessCold = TimeColdRun(first);

        Console.WriteLine("Cilium.Sdk CRD generator benchmark (quick harness, Stopwatch medians)");
        Console.WriteLine($"  runtime {Environment.Version}, {RuntimeInformationText()}, Roslyn {typeof(GeneratorDriver).Assembly.GetName().Version}");
        Console.WriteLine($"  repo    {paths.RepoRoot}");
        Console.WriteLine($"  corpus  {paths.CrdCorpus}");
        Console.WriteLine($"  warm = median of {MeasuredRuns} new drivers after {WarmUpRuns} warm-ups; rerun = median of {MeasuredRuns} RunGenerators calls on one primed driver, unchanged input");
        Console.WriteLine();

        var results = new List<ScenarioResult>();
        foreach (var id in new[] { ScenarioId.CiliumNetworkPolicy, ScenarioId.AllV120, ScenarioId.SdkSchemas })
        {
            var scenario = id == ScenarioId.CiliumNetworkPolicy ? first : Scenario.Load(id, paths);
            var cold = id == ScenarioId.CiliumNetworkPolicy
                ? (Ms: inProcessCold, Source: "this process")
                : (Ms: ColdInChildProcess(id), Source: "child process");
            Console.Error.WriteLine($"  measuring {scenario.Title} ...");
            results.Add(Measure(scenario, cold.Ms, cold.Source));
        }

        // Second pass: the identical warm and rerun measurements again, now that every scenario has run 30+ times in this
        // process and the JIT has promoted the hot code (tiered compilation). Reported beside pass 1, not instead of it.
        Console.Error.WriteLine("  second pass ...");
        for (var i = 0; i < results.Count; i++)
        {
            results[i] = results[i] with { Warm2 = TimeWarm(results[i].Scenario), Rerun2 = TimeRerun(results[i].Scenario).Times };
        }

        return Report(results, strict, samples);
    }

    /// <summary>Child-process entry for cold runs: loads one scenario, times one fresh run, prints the marker line.</summary>
    public static int RunColdChild(HarnessPaths paths, ScenarioId id)
    {
        var scenario = Scenario.Load(id, paths);
        var ms = TimeColdRun(scenario);
        Console.WriteLine(ColdMarker + ms.ToString("R", Inv));
        return 0;
    }

    private static double TimeColdRun(Scenario scenario)
    {
        Collect();
        var start = Stopwatch.GetTimestamp();
        var driver = scenario.RunFresh();
        var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        GC.KeepAlive(driver);
        return ms;
    }

    private static ScenarioResult Measure(Scenario scenario, double coldMs, string coldSource)
    {
        // Output figures from one full generation (outside any timed region).
        var stats = OutputStats.From(scenario.RunFresh());

        // (b) Warm: each iteration a NEW driver over the same inputs (full generation).
        for (var i = 0; i < WarmUpRuns; i++)
        {
            GC.KeepAlive(scenario.RunFresh());
        }

        var warm = TimeWarm(scenario);

        // (c) Rerun on unchanged input: one driver, run once, then time further runs with the same compilation and inputs.
        var (rerun, primed) = TimeRerun(scenario);
        var rerunStats = OutputStats.From(primed);
        var floor = TimeReruns(scenario.CreateDriver(new FloorGenerator()).RunGenerators(scenario.Compilation, CancellationToken.None), scenario);
        return new ScenarioResult(scenario, coldMs, coldSource, warm, rerun, floor, stats, rerunStats, CheckIncremental(scenario));
    }

    /// <summary>Warm: <see cref="MeasuredRuns"/> full generations, each by a new driver over the same inputs.</summary>
    private static double[] TimeWarm(Scenario scenario)
    {
        var warm = new double[MeasuredRuns];
        for (var i = 0; i < MeasuredRuns; i++)
        {
            Collect();
            var start = Stopwatch.GetTimestamp();
            var driver = scenario.RunFresh();
            warm[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            GC.KeepAlive(driver);
        }

        return warm;
    }

    /// <summary>Rerun: one new driver run once (untimed), then <see cref="MeasuredRuns"/> timed reruns on unchanged input.</summary>
    private static (double[] Times, GeneratorDriver Driver) TimeRerun(Scenario scenario)
    {
        var driver = scenario.CreateDriver().RunGenerators(scenario.Compilation, CancellationToken.None);
        var rerun = new double[MeasuredRuns];
        for (var i = 0; i < MeasuredRuns; i++)
        {
            Collect();
            var start = Stopwatch.GetTimestamp();
            driver = driver.RunGenerators(scenario.Compilation, CancellationToken.None);
            rerun[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        return (rerun, driver);
    }

    /// <summary>Times <see cref="MeasuredRuns"/> reruns of an already-run driver on unchanged input.</summary>
    private static double[] TimeReruns(GeneratorDriver driver, Scenario scenario)
    {
        var times = new double[MeasuredRuns];
        for (var i = 0; i < WarmUpRuns; i++)
        {
            driver = driver.RunGenerators(scenario.Compilation, CancellationToken.None);
        }

        for (var i = 0; i < MeasuredRuns; i++)
        {
            Collect();
            var start = Stopwatch.GetTimestamp();
            driver = driver.RunGenerators(scenario.Compilation, CancellationToken.None);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        GC.KeepAlive(driver);
        return times;
    }

    /// <summary>
    /// Confirms the rerun really is served from the incremental cache: a step-tracking driver (not timed) is run
    /// twice and every tracked step output of the second run must be Cached or Unchanged.
    /// </summary>
    private static string CheckIncremental(Scenario scenario)
    {
        var driver = scenario.CreateDriver(trackSteps: true).RunGenerators(scenario.Compilation, CancellationToken.None);
        driver = driver.RunGenerators(scenario.Compilation, CancellationToken.None);
        var result = driver.GetRunResult().Results.Single();
        var reasons = result.TrackedSteps.Values.Concat(result.TrackedOutputSteps.Values)
            .SelectMany(steps => steps)
            .SelectMany(step => step.Outputs)
            .GroupBy(output => output.Reason)
            .OrderBy(g => g.Key)
            .Select(g => $"{g.Key} {g.Count()}")
            .ToArray();
        var clean = result.TrackedSteps.Values.Concat(result.TrackedOutputSteps.Values)
            .SelectMany(steps => steps)
            .SelectMany(step => step.Outputs)
            .All(o => o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged);
        return (clean ? "all cached: " : "NOT fully cached: ") + string.Join(", ", reasons);
    }

    private static double ColdInChildProcess(ScenarioId id)
    {
        var self = Environment.ProcessPath;
        if (string.IsNullOrEmpty(self))
        {
            return double.NaN;
        }

        var info = new ProcessStartInfo(self)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (string.Equals(System.IO.Path.GetFileNameWithoutExtension(self), "dotnet", StringComparison.OrdinalIgnoreCase))
        {
            info.ArgumentList.Add(typeof(QuickHarness).Assembly.Location);
        }

        info.ArgumentList.Add("--cold");
        info.ArgumentList.Add(((int)id).ToString(Inv));
        using var process = Process.Start(info);
        if (process is null)
        {
            return double.NaN;
        }

        var stdoutTask = process.StandardOutput.ReadToEndAsync();
        var stderrTask = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            return double.NaN;
        }

        var line = stdoutTask.Result.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(ColdMarker, StringComparison.Ordinal));
        if (process.ExitCode != 0 || line is null)
        {
            Console.Error.WriteLine($"  cold child for scenario {id} failed (exit {process.ExitCode}): {stderrTask.Result.Trim()}");
            return double.NaN;
        }

        return double.Parse(line.Substring(ColdMarker.Length), NumberStyles.Float, Inv);
    }

    private static int Report(IReadOnlyList<ScenarioResult> results, bool strict, bool samples)
    {
        var rows = new List<string[]>
        {
            new[] { "scenario", "files", "cold ms", "warm ms", "warm ms 2nd", "warm target", "rerun ms", "rerun ms 2nd", "rerun target", "types (enums)", "types target", "generated bytes", "errors" },
        };
        var missed = new List<string>();
        foreach (var r in results)
        {
            var warmTarget = r.Scenario.Id switch
            {
                ScenarioId.CiliumNetworkPolicy => 50.0,
                ScenarioId.AllV120 => 150.0,
                _ => (double?)null,
            };
            int? typesTarget = r.Scenario.Id == ScenarioId.CiliumNetworkPolicy ? 60 : null;
            const double rerunTarget = 0.1;

            var warmMedian = Median(r.Warm);
            var rerunMedian = Median(r.Rerun);
            var warmMedian2 = Median(r.Warm2);
            var rerunMedian2 = Median(r.Rerun2);
            rows.Add(new[]
            {
                r.Scenario.Title,
                r.Scenario.Files.Count.ToString(Inv),
                double.IsNaN(r.ColdMs) ? "n/a" : F(r.ColdMs) + (r.ColdSource == "this process" ? " *" : ""),
                F(warmMedian),
                F(warmMedian2),
                warmTarget is null ? "-" : $"<= {warmTarget.Value:0} {Verdict(warmMedian <= warmTarget.Value, $"{r.Scenario.Title} warm", missed)}/{Verdict(warmMedian2 <= warmTarget.Value, $"{r.Scenario.Title} warm 2nd pass", missed)}",
                F(rerunMedian),
                F(rerunMedian2),
                $"<= {rerunTarget:0.0} {Verdict(rerunMedian <= rerunTarget, $"{r.Scenario.Title} rerun", missed)}/{Verdict(rerunMedian2 <= rerunTarget, $"{r.Scenario.Title} rerun 2nd pass", missed)}",
                $"{r.Stats.Types} ({r.Stats.Enums})",
                typesTarget is null ? "-" : $"<= {typesTarget} {Verdict(r.Stats.Types <= typesTarget.Value, $"{r.Scenario.Title} types", missed)}",
                r.Stats.Bytes.ToString("N0", Inv),
                r.Stats.Errors.Count().ToString(Inv),
            });
        }

        PrintTable(rows);
        Console.WriteLine();
        Console.WriteLine("  * cold for scenario 1 = this process's very first generator run (measured at start-up, before anything else ran);");
        Console.WriteLine("    cold for scenarios 2 and 3 = the first run in a fresh child process of this harness (--cold N). One sample each: noisy.");
        Console.WriteLine("  warm / rerun = medians of 20 (pass 1: right after the scenario's 5 warm-ups; 2nd: the same again after all scenarios ran).");
        Console.WriteLine("  target verdicts read pass 1 / 2nd pass.");
        Console.WriteLine("  types = `public sealed partial record` + `public enum` declarations in the generated sources (root and list records included).");
        Console.WriteLine();

        var exitCode = 0;
        foreach (var r in results)
        {
            Console.WriteLine($"{r.Scenario.Title}:");
            Console.WriteLine($"  warm  ms: median {F(Median(r.Warm))}, min {F(r.Warm.Min())}, max {F(r.Warm.Max())}; 2nd pass median {F(Median(r.Warm2))}, min {F(r.Warm2.Min())}, max {F(r.Warm2.Max())}");
            Console.WriteLine($"  rerun ms: median {F(Median(r.Rerun))}, min {F(r.Rerun.Min())}, max {F(r.Rerun.Max())}; 2nd pass median {F(Median(r.Rerun2))}, min {F(r.Rerun2.Min())}, max {F(r.Rerun2.Max())} (output after reruns: {r.RerunStats.Files} files, {r.RerunStats.Bytes.ToString("N0", Inv)} bytes)");
            Console.WriteLine($"  driver floor, rerun of a no-op generator with the same input pipeline (context, not a target): median {F(Median(r.Floor))} ms");
            if (samples)
            {
                Console.WriteLine($"  warm  samples (run order): {string.Join(" ", r.Warm.Select(F))}");
                Console.WriteLine($"  rerun samples (run order): {string.Join(" ", r.Rerun.Select(F))}");
                Console.WriteLine($"  warm  samples, 2nd pass:   {string.Join(" ", r.Warm2.Select(F))}");
                Console.WriteLine($"  rerun samples, 2nd pass:   {string.Join(" ", r.Rerun2.Select(F))}");
            }

            Console.WriteLine($"  incremental check (tracked driver, 2nd run): {r.Incremental}");
            Console.WriteLine($"  output: {r.Stats.Files} generated files, {r.Stats.Records} records + {r.Stats.Enums} enums = {r.Stats.Types} types, {r.Stats.Bytes.ToString("N0", Inv)} bytes");
            Console.WriteLine($"  diagnostics: {r.Stats.SeveritySummary}");
            foreach (var error in r.Stats.Errors)
            {
                Console.WriteLine($"    ERROR {error}");
            }

            if (r.Stats.GeneratorException is not null)
            {
                Console.WriteLine($"    GENERATOR EXCEPTION {r.Stats.GeneratorException}");
                exitCode = 3;
            }
        }

        Console.WriteLine();
        Console.WriteLine(missed.Count == 0 ? "All targets met." : "Targets missed: " + string.Join("; ", missed));
        if (exitCode == 0 && strict && missed.Count > 0)
        {
            exitCode = 1;
        }

        return exitCode;
    }

    private static string Verdict(bool met, string what, List<string> missed)
    {
        if (!met)
        {
            missed.Add(what);
        }

        return met ? "ok" : "MISSED";
    }

    private static void PrintTable(List<string[]> rows)
    {
        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        for (var i = 0; i < rows.Count; i++)
        {
            Console.WriteLine("| " + string.Join(" | ", rows[i].Select((cell, c) => c == 0 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))) + " |");
            if (i == 0)
            {
                Console.WriteLine("|" + string.Join("|", widths.Select((w, c) => new string('-', w + 1) + (c == 0 ? "-" : ":"))) + "|");
            }
        }
    }

    private static double Median(double[] values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static string F(double ms) => ms.ToString("0.00", Inv);

    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static string RuntimeInformationText() =>
        $"{System.Runtime.InteropServices.RuntimeInformation.OSDescription.Trim()} {System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture}, {Environment.ProcessorCount} CPUs, Server GC {System.Runtime.GCSettings.IsServerGC}";

    private sealed record ScenarioResult(
        Scenario Scenario,
        double ColdMs,
        string ColdSource,
        double[] Warm,
        double[] Rerun,
        double[] Floor,
        OutputStats Stats,
        OutputStats RerunStats,
        string Incremental)
    {
        /// <summary>Warm, second pass (after all scenarios ran).</summary>
        public double[] Warm2 { get; init; } = Array.Empty<double>();

        /// <summary>Rerun, second pass (after all scenarios ran).</summary>
        public double[] Rerun2 { get; init; } = Array.Empty<double>();
    }
}
