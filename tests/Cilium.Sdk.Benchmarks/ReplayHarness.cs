using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Cilium.Sdk.Hubble.Flows;
using Cilium.Sdk.Migration;
using Cilium.Sdk.Policies;
using Cilium.Sdk.Tests.Verdicts.Oracle;
using Cilium.Sdk.Verdicts;

namespace Cilium.Sdk.Benchmarks;

/// <summary>
/// Issue 21's replay benchmark. Captures of 0.2, 2 and 20 GB are generated from the corpus samples
/// (<see cref="CaptureGenerator"/>, streamed, never stored) and replayed against the template case e-policies-audit,
/// each run in a fresh child process whose peak resident memory (<c>VmHWM</c>, or the kernel's <c>ru_maxrss</c> of
/// a waited-for child) is its high-water mark over the whole run. Prints medians with min-max over the runs.
/// <list type="bullet">
/// <item><c>fast</c>: <c>FlowReplay.Run</c> in the child on the generated stream, one parse thread per core.</item>
/// <item><c>cli</c>: the real <c>cilium-sdk replay --flows - --format json --quiet</c>, the generator writing into its
/// standard input through a pipe from another process; time from process start to exit.</item>
/// <item><c>nocache</c>, <c>p1</c>: the fast path without its caches, or with one parse thread (what each buys).</item>
/// <item><c>legacy</c>: today's reader and replay (the oracle: everything in memory), for the baseline.</item>
/// </list>
/// <c>--replay-write GB</c> writes a generated capture to standard output instead (to try the tool on one).
/// </summary>
internal static class ReplayHarness
{
    private const double Gb = 1e9;

    public static int Run(string[] args)
    {
        if (args.Length >= 2 && args[0] == "--replay-child")
        {
            return Child(long.Parse(args[1], CultureInfo.InvariantCulture), args.Length > 2 ? args[2] : "fast");
        }

        if (args.Length >= 2 && args[0] == "--replay-cli-child")
        {
            return CliChild(long.Parse(args[1], CultureInfo.InvariantCulture));
        }

        if (args.Length >= 2 && args[0] == "--replay-write")
        {
            // The generated capture on standard output, to pipe into the tool: ... --replay-write 2 | cilium-sdk replay --flows - ...
            using var capture = CaptureGenerator.FromCorpus(Paths.Flows).Open((long)(double.Parse(args[1], CultureInfo.InvariantCulture) * Gb));
            using var output = Console.OpenStandardOutput();
            capture.CopyTo(output, 1 << 20);
            return 0;
        }

        var sizes = Value(args, "--sizes")?.Split(',').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray() ?? [0.2, 2, 20];
        var runs = int.Parse(Value(args, "--runs") ?? "3", CultureInfo.InvariantCulture);
        var modes = Value(args, "--modes")?.Split(',') ?? ["fast", "cli"];
        var generator = CaptureGenerator.FromCorpus(Paths.Flows);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"replay benchmark: {Environment.ProcessorCount} cores, .NET {Environment.Version}; capture block from {generator.Samples} corpus lines: {generator.LinesPerBlock} lines, {generator.BlockBytes / 1e6:F1} MB; template case e-policies-audit"));
        Floor(generator);
        Console.WriteLine("mode     size      lines        flows        time s (median, min-max)    flows/s (median, min-max)      peak RSS MB (median, min-max)  parse/decide CPU   engine calls");
        foreach (var mode in modes)
        {
            foreach (var size in sizes)
            {
                var results = new List<JsonObject>();
                for (var run = 0; run < (size >= 20 ? Math.Min(runs, 1) : runs); run++)
                {
                    results.Add(Spawn(mode == "cli" ? ["--replay-cli-child", ((long)(size * Gb)).ToString(CultureInfo.InvariantCulture)] : ["--replay-child", ((long)(size * Gb)).ToString(CultureInfo.InvariantCulture), mode]));
                }

                Print(mode, size, results);
            }
        }

        return 0;
    }

    /// <summary>
    /// The parse against its floor, on one thread over the same block of lines: Utf8JsonReader reading every token of
    /// every line (what any correct parser of these lines must at least do: a bad line anywhere must be found), then
    /// the replay's parse (fields found, sides and L7 kept raw) with the cache keys hashed. 40 rounds, the first 10 are
    /// warm-up; medians with min-max in microseconds per line.
    /// </summary>
    private static void Floor(CaptureGenerator generator)
    {
        var data = new byte[generator.BlockBytes];
        generator.Open(generator.BlockBytes).ReadExactly(data);
        var lines = new List<(int Start, int Length)>();
        for (int i = 0, start = 0; i < data.Length; i++)
        {
            if (data[i] == (byte)'\n')
            {
                lines.Add((start, i - start));
                start = i + 1;
            }
        }

        var parsed = new ParsedLine();
        var floor = new List<double>();
        var parse = new List<double>();
        ulong keep = 0;
        for (var round = 0; round < 40; round++)
        {
            var watch = Stopwatch.StartNew();
            foreach (var (start, length) in lines)
            {
                var reader = new Utf8JsonReader(data.AsSpan(start, length));
                try
                {
                    while (reader.Read())
                    {
                    }
                }
                catch (JsonException)
                {
                }
            }

            var tokens = watch.Elapsed.TotalMilliseconds * 1000 / lines.Count;
            watch.Restart();
            foreach (var (start, length) in lines)
            {
                FlowLineParser.Parse(data, start, length, parsed);
                if (parsed.Kind == LineKind.Flow)
                {
                    var f = parsed.Flow;
                    keep ^= ByteKey.Of(data, f.Source, f.IpSource).Hash ^ ByteKey.Of(data, f.Destination, f.IpDestination, f.DestinationNames).Hash ^ ByteKey.Of(data, f.L7).Hash;
                }
            }

            if (round >= 10)
            {
                floor.Add(tokens);
                parse.Add(watch.Elapsed.TotalMilliseconds * 1000 / lines.Count);
            }
        }

        static string Stat(List<double> v)
        {
            var s = v.Order().ToArray();
            return string.Create(CultureInfo.InvariantCulture, $"{(s[(s.Length / 2) - 1] + s[s.Length / 2]) / 2:F2} ({s[0]:F2}-{s[^1]:F2})");
        }

        var ratio = parse.Order().ElementAt(parse.Count / 2) / floor.Order().ElementAt(floor.Count / 2);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"parse on one thread, us/line over {lines.Count} lines: floor (Utf8JsonReader, every token) {Stat(floor)}; replay parse + cache keys {Stat(parse)}; {ratio:F2}x the floor [{keep % 10}]"));
    }

    private static void Print(string mode, double size, List<JsonObject> results)
    {
        double D(JsonObject r, string k) => r[k]!.GetValue<double>();
        string Stat(string key, string format)
        {
            var values = results.Select(r => D(r, key)).Order().ToArray();
            var median = values.Length % 2 == 1 ? values[values.Length / 2] : (values[(values.Length / 2) - 1] + values[values.Length / 2]) / 2;
            return string.Create(CultureInfo.InvariantCulture, $"{median.ToString(format, CultureInfo.InvariantCulture)} ({values[0].ToString(format, CultureInfo.InvariantCulture)}-{values[^1].ToString(format, CultureInfo.InvariantCulture)})");
        }

        var first = results[0];
        var shares = first.ContainsKey("parseCpu")
            ? string.Create(CultureInfo.InvariantCulture, $"{100 * D(first, "parseCpu") / (D(first, "parseCpu") + D(first, "decideCpu")):F0}% / {100 * D(first, "decideCpu") / (D(first, "parseCpu") + D(first, "decideCpu")):F0}%")
            : "-";
        var calls = first.ContainsKey("evaluations") ? D(first, "evaluations").ToString("N0", CultureInfo.InvariantCulture) : "-";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{mode,-8} {size,5:0.0} GB {D(first, "lines"),12:N0} {D(first, "flows"),12:N0}  {Stat("seconds", "F2"),-27} {Stat("flowsPerSecond", "N0"),-30} {Stat("peakRssMb", "F0"),-30} {shares,-17} {calls}"));
        foreach (var r in results)
        {
            Console.WriteLine("         run: " + r.ToJsonString());
        }
    }

    private static JsonObject Spawn(string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(typeof(ReplayHarness).Assembly.Location);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var child = Process.Start(start)!;
        var output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        if (child.ExitCode != 0)
        {
            throw new InvalidOperationException($"the benchmark child {string.Join(' ', args)} failed ({child.ExitCode}):\n{output}");
        }

        return (JsonObject)JsonNode.Parse(output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1])!;
    }

    /// <summary>One measured replay in this fresh process.</summary>
    private static int Child(long bytes, string mode)
    {
        var setup = Stopwatch.StartNew();
        var dir = Path.Combine(Paths.Shared, "corpus", "template", "cases", "e-policies-audit");
        var cluster = TemplateImporter.ImportFiles(Path.Combine(dir, "cluster.yaml"), Path.Combine(dir, "nodes.yaml")).Cluster!.Build();
        var verdicts = PolicyVerdicts.For(cluster.Spec.Policies!.Render(cluster.Spec.Version, PolicyMode.Enforce));
        var generator = CaptureGenerator.FromCorpus(Paths.Flows);
        setup.Stop();
        GC.Collect();
        var rssAfterSetup = Status("VmRSS:");
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var collections = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var stats = new ReplayStats();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        ReplayReport report;
        if (mode == "legacy")
        {
            using var text = new StreamReader(generator.Open(bytes), Encoding.UTF8);
            report = LegacyFlowReplay.Run(verdicts, LegacyHubbleFlowReader.Read(text), cluster.Spec.Version);
        }
        else
        {
            var options = new ReplayOptions
            {
                Version = cluster.Spec.Version,
                Stats = stats,
                UseCaches = mode != "nocache",
                Parallelism = mode == "p1" ? 1 : null,
            };
            report = FlowReplay.Run(verdicts, [FlowInput.FromStream(generator.Open(bytes), "generated")], options);
        }

        var text2 = report.ToJson();
        watch.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var result = Summary(report, watch.Elapsed.TotalSeconds, Status("VmHWM:"), text2.Length);
        result["setupSeconds"] = setup.Elapsed.TotalSeconds;
        result["rssAfterSetupMb"] = rssAfterSetup;
        result["allocatedMb"] = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1e6;
        result["gcs"] = string.Create(CultureInfo.InvariantCulture, $"{GC.CollectionCount(0) - collections.Item1}/{GC.CollectionCount(1) - collections.Item2}/{GC.CollectionCount(2) - collections.Item3}");
        result["cpuSeconds"] = cpu.TotalSeconds;
        if (mode != "legacy")
        {
            result["parseCpu"] = stats.Parse.TotalSeconds;
            result["decideCpu"] = stats.Aggregate.TotalSeconds;
            result["engineCpu"] = stats.Evaluate.TotalSeconds;
            result["evaluations"] = stats.Evaluations;
        }

        Console.WriteLine(result.ToJsonString());
        return 0;
    }

    /// <summary>The real CLI as a child of this process, fed through a pipe; its peak RSS from getrusage.</summary>
    private static int CliChild(long bytes)
    {
        var generator = CaptureGenerator.FromCorpus(Paths.Flows);
        var cli = Path.Combine(Paths.Repo, "src", "Cilium.Sdk.Cli", "bin", "Release", "net10.0", "cilium-sdk.dll");
        if (!File.Exists(cli))
        {
            throw new InvalidOperationException($"{cli} is missing: build it with 'dotnet build src/Cilium.Sdk.Cli -c Release'.");
        }

        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { cli, "replay", "--flows", "-", "--config", Path.Combine(Paths.Shared, "corpus", "template", "cases", "e-policies-audit", "cluster.yaml"), "--format", "json", "--quiet" })
        {
            start.ArgumentList.Add(a);
        }

        var watch = Stopwatch.StartNew();
        using var child = Process.Start(start)!;
        var output = child.StandardOutput.ReadToEndAsync();
        var errors = child.StandardError.ReadToEndAsync();
        using (var input = generator.Open(bytes))
        {
            var buffer = new byte[1 << 20];
            int n;
            var pipe = child.StandardInput.BaseStream;
            while ((n = input.Read(buffer, 0, buffer.Length)) > 0)
            {
                pipe.Write(buffer, 0, n);
            }

            pipe.Close();
        }

        child.WaitForExit();
        watch.Stop();
        Task.WaitAll(output, errors);
        if (child.ExitCode is not (0 or 1))
        {
            throw new InvalidOperationException($"cilium-sdk replay failed ({child.ExitCode}): {errors.Result}");
        }

        var report = JsonNode.Parse(output.Result)!;
        var usage = new long[18];
        _ = GetRusage(-1, usage); // RUSAGE_CHILDREN: the CLI is this process's only child; ru_maxrss in KiB.
        var flows = report["flows"]!.GetValue<long>();
        var result = new JsonObject
        {
            ["lines"] = report["lines"]!.GetValue<long>(),
            ["flows"] = flows,
            ["seconds"] = watch.Elapsed.TotalSeconds,
            ["flowsPerSecond"] = flows / watch.Elapsed.TotalSeconds,
            ["peakRssMb"] = usage[4] * 1024 / 1e6,
            ["wouldDrop"] = report["wouldDropCount"]!.GetValue<long>(),
            ["groups"] = report["wouldDrop"]!.AsArray().Count,
            ["badLines"] = report["badLineCount"]!.GetValue<long>(),
        };
        Console.WriteLine(result.ToJsonString());
        return 0;
    }

    private static JsonObject Summary(ReplayReport report, double seconds, double peakRssMb, int reportChars) => new()
    {
        ["lines"] = report.Lines,
        ["flows"] = report.Flows,
        ["seconds"] = seconds,
        ["flowsPerSecond"] = report.Flows / seconds,
        ["peakRssMb"] = peakRssMb,
        ["evaluated"] = report.Evaluated,
        ["wouldDrop"] = report.WouldDropCount,
        ["groups"] = report.WouldDrop.Count,
        ["undecidable"] = report.UndecidableCount,
        ["badLines"] = report.ProblemCount,
        ["reportChars"] = reportChars,
    };

    /// <summary>A memory line of /proc/self/status (VmHWM: the peak resident set, VmRSS: the current one), in MB.</summary>
    private static double Status(string field)
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(line[field.Length..].Replace("kB", string.Empty, StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture) * 1024 / 1e6;
    }

    private static string? Value(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    [DllImport("libc", EntryPoint = "getrusage")]
    private static extern int GetRusage(int who, [Out] long[] usage);

    private static class Paths
    {
        public static readonly string Repo = FindRepo();

        public static string Shared => Path.GetFullPath(Path.Combine(Repo, "..", "shared"));

        public static string Flows => Path.Combine(Shared, "corpus", "cilium", "flows");

        private static string FindRepo()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Cilium.Sdk.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new HarnessSetupException("Cilium.Sdk.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
