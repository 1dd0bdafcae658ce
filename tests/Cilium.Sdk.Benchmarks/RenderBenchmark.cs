using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.LoadBalancing;
using Cilium.Sdk.Policies;
using Cilium.Sdk.Rendering;
using Cilium.Sdk.Serialization;

namespace Cilium.Sdk.Benchmarks;

/// <summary>
/// Rendering a large cluster (100 nodes, 2,000 network policies, 20 pools) to its in-memory file tree, against honest
/// floors measured in the same process, interleaved: raw <c>JsonSerializer.Serialize</c> of the same finished records
/// with the same options (issue 20's floor: what a serializer costs), and the SDK's own YAML writer of those records
/// (<c>Manifests.Write</c>, issue 4's floor). Stopwatch harness: 40 warm-ups, then 15 samples of each, with a full
/// garbage collection before every sample; medians with min-max, allocation per sample and per phase.
/// </summary>
internal static class RenderBenchmark
{
    // Enough warm-up rounds for the JIT to promote the hot code (tiered compilation needs 30 calls and dynamic PGO
    // an instrumented pass first): with 3, the interleaved samples measured partly unoptimized code (3-5x slower).
    private const int WarmUps = 40;
    private const int Runs = 15;

    /// <summary>Issue 20: build + validate + render + layout at most twice raw JSON serialization of the records.</summary>
    private const double JsonTarget = 2.0;

    /// <summary>Issue 20: 20,000 policies rendered in at most this many MB allocated.</summary>
    private const double ScaleMbTarget = 150;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The benchmark's cluster: 100 nodes, 20 pools and <paramref name="policyCount"/> policies over 40 namespaces.</summary>
    public static CiliumClusterBuilder LargeCluster(int policyCount = 2000)
    {
        var builder = CiliumCluster.Create("large").WithNodeCidr("10.10.0.0/16").WithPodCidr("10.42.0.0/16").WithServiceCidr("10.43.0.0/16");
        for (var i = 0; i < 100; i++)
        {
            var address = string.Create(CultureInfo.InvariantCulture, $"10.10.0.{i + 10}");
            builder = builder.WithNode(i < 3 ? ClusterNode.Controller($"node-{i:D3}", address) : ClusterNode.Worker($"node-{i:D3}", address));
        }

        for (var p = 0; p < 20; p++)
        {
            builder = builder.WithLoadBalancerPool(LbPool.Create($"pool-{p:D2}").WithCidr(string.Create(CultureInfo.InvariantCulture, $"10.10.{100 + p}.0/24")));
        }

        var policies = PolicySet.Empty;
        for (var i = 0; i < policyCount; i++)
        {
            var ns = $"team-{i % 40:D2}";
            policies = policies.Add(Policy.Namespaced($"app-{i:D4}", ns)
                .Selecting(new Dictionary<string, string> { ["app.kubernetes.io/name"] = $"app-{i:D4}" })
                .AllowIngress(Peer.Endpoints(new Dictionary<string, string> { ["app.kubernetes.io/name"] = $"client-{i:D4}" }, ns), Port.Tcp(8080), Port.Tcp(8443))
                .AllowEgress(Peer.Entity(Entity.KubeApiServer), Port.Tcp(6443))
                .AllowEgress(Peer.Cidr("192.168.0.0/16", "192.168.1.0/24"), Port.Udp(53)));
        }

        return builder.WithPolicies(policies, PolicyMode.Enforce);
    }

    /// <summary>The SDK's YAML floor (issue 4): every record written with <c>Manifests.Write</c>, the manifests kept in
    /// memory (as a render keeps its files), in order.</summary>
    public static List<string> WriteAll(List<object> records)
    {
        var manifests = new List<string>(records.Count);
        foreach (var record in records)
        {
            manifests.Add(Manifests.Write(record));
        }

        return manifests;
    }

    /// <summary>The serializer floor (issue 20): raw <c>JsonSerializer.Serialize</c> of every record with the options
    /// the SDK writes with (the generated contexts' converters), the JSON texts kept in memory, in order.</summary>
    public static List<string> SerializeAll(List<object> records)
    {
        var texts = new List<string>(records.Count);
        var options = Manifests.SerializerOptions;
        foreach (var record in records)
        {
            texts.Add(JsonSerializer.Serialize(record, options.GetTypeInfo(record.GetType())));
        }

        return texts;
    }

    /// <summary>The records one render of <paramref name="builder"/> produces, for the floors: the Helm release, the
    /// chart source, the Flux Kustomization, the pools and the policies.</summary>
    public static List<object> FinishedRecords(CiliumClusterBuilder builder)
    {
        var finished = builder.Build().Render().Resources;
        var records = new List<object> { finished.Release, finished.Source, finished.FluxKustomization };
        records.AddRange(finished.Pools);
        records.AddRange(finished.Policies.Select(p => (object)p.Resource));
        return records;
    }

    private static long BuildAndRender(CiliumClusterBuilder builder) => builder.Build().Render().Tree.Files.Sum(f => (long)f.Content.Length);

    private static long Chars(List<string> texts) => texts.Sum(t => (long)t.Length);

    public static int Run(bool samples)
    {
        var builder = LargeCluster();
        var finished = builder.Build().Render().Resources;
        var records = FinishedRecords(builder);

        for (var i = 0; i < WarmUps; i++)
        {
            BuildAndRender(builder);
            SerializeAll(records);
            WriteAll(records);
        }

        // Interleaved: one sample of each in turn, so drift and the JIT's state hit all three alike.
        var full = new List<Sample>();
        var json = new List<Sample>();
        var yaml = new List<Sample>();
        long fullChars = 0, jsonChars = 0, yamlChars = 0;
        for (var i = 0; i < Runs; i++)
        {
            full.Add(Measure(() => fullChars = BuildAndRender(builder)));
            json.Add(Measure(() => jsonChars = Chars(SerializeAll(records))));
            yaml.Add(Measure(() => yamlChars = Chars(WriteAll(records))));
        }

        // Where the time and the allocation go: each phase on its own (its input made before the full collection).
        var phases = new List<(string Name, Stats Stats)>
        {
            Phase("Build() (validate the whole; expand, validate and write each policy)", () => builder, b => b.Build()),
            Phase("Render() of a built cluster (the other records, layout, Flux files)", () => builder.Build(), built => built.Render()),
            Phase("Policy.Build x2000 (expand + validate each)", () => builder.Build(), built => built.Spec.Policies!.Policies.Select(p => p.Build(built.Spec.Version, built.Spec.PolicyMode)).ToList()),
            Phase("generated Validate() x2000 of the finished records", () => finished.Policies, Validate),
            Phase("YAML writer: Manifests.Write of the finished records", () => records, r => WriteAll(r)),
            Phase("raw JSON: JsonSerializer.Serialize of the finished records", () => records, r => SerializeAll(r)),
        };

        var fullStats = new Stats(full);
        var jsonStats = new Stats(json);
        var yamlStats = new Stats(yaml);
        var ratio = fullStats.Median.Ms / jsonStats.Median.Ms;
        Console.WriteLine("Cilium.Sdk render benchmark (100 nodes, 2,000 policies, 20 pools; Stopwatch, interleaved, medians [min-max] of " + Runs + ")");
        Console.WriteLine(string.Create(Inv, $"  runtime {Environment.Version}, {Environment.ProcessorCount} CPUs, {records.Count} records, {finished.Policies.Count} policies"));
        Console.WriteLine(string.Create(Inv, $"  build + validate + render + layout:        {fullStats} ({fullChars / 1024} Ki chars of files)"));
        Console.WriteLine(string.Create(Inv, $"  floor, raw JsonSerializer.Serialize:      {jsonStats} ({jsonChars / 1024} Ki chars of JSON)"));
        Console.WriteLine(string.Create(Inv, $"  floor, the SDK's YAML writer (Manifests.Write): {yamlStats} ({yamlChars / 1024} Ki chars of YAML)"));
        Console.WriteLine(string.Create(Inv, $"  ratio to raw JSON {ratio:F2} (target <= {JsonTarget:F2}): {(ratio <= JsonTarget ? "met" : "MISSED")}; per-sample ratios {RatioRange(full, json)}"));
        Console.WriteLine(string.Create(Inv, $"  ratio to the YAML writer {fullStats.Median.Ms / yamlStats.Median.Ms:F2}; YAML writer to raw JSON {yamlStats.Median.Ms / jsonStats.Median.Ms:F2} (time), {yamlStats.Median.Mb / jsonStats.Median.Mb:F2} (allocation)"));
        Console.WriteLine("  phases (each on its own):");
        foreach (var (name, stats) in phases)
        {
            Console.WriteLine(string.Create(Inv, $"    {stats}  {name}"));
        }

        if (samples)
        {
            Console.WriteLine("  full:  " + string.Join(" ", full.Select(x => x.Ms.ToString("F1", Inv))));
            Console.WriteLine("  json:  " + string.Join(" ", json.Select(x => x.Ms.ToString("F1", Inv))));
            Console.WriteLine("  yaml:  " + string.Join(" ", yaml.Select(x => x.Ms.ToString("F1", Inv))));
        }

        return 0;
    }

    /// <summary>
    /// Scale: the same cluster with 2,000 to 20,000 policies, build + render, each size measured in turn (interleaved
    /// rounds), with raw JSON of each size's records beside it. Time should grow linearly (µs per policy flat) and
    /// 20,000 policies should allocate at most <see cref="ScaleMbTarget"/> MB.
    /// </summary>
    public static int RunScale(bool samples)
    {
        int[] sizes = [2000, 5000, 10000, 20000];
        const int scaleRuns = 7;
        var builders = sizes.Select(n => LargeCluster(n)).ToArray();
        var records = builders.Select(FinishedRecords).ToArray();
        for (var s = 0; s < sizes.Length; s++)
        {
            BuildAndRender(builders[s]);
            SerializeAll(records[s]);
        }

        var full = sizes.Select(_ => new List<Sample>()).ToArray();
        var json = sizes.Select(_ => new List<Sample>()).ToArray();
        for (var i = 0; i < scaleRuns; i++)
        {
            for (var s = 0; s < sizes.Length; s++)
            {
                var b = builders[s];
                var r = records[s];
                full[s].Add(Measure(() => BuildAndRender(b)));
                json[s].Add(Measure(() => SerializeAll(r)));
            }
        }

        Console.WriteLine($"Cilium.Sdk render scale (100 nodes, 20 pools, N policies; Stopwatch, interleaved rounds, medians [min-max] of {scaleRuns})");
        Console.WriteLine(string.Create(Inv, $"  runtime {Environment.Version}, {Environment.ProcessorCount} CPUs"));
        var baseline = 0.0;
        for (var s = 0; s < sizes.Length; s++)
        {
            var f = new Stats(full[s]);
            var j = new Stats(json[s]);
            var perPolicy = f.Median.Ms * 1000 / sizes[s];
            baseline = s == 0 ? perPolicy : baseline;
            var mbNote = sizes[s] == 20000 ? string.Create(Inv, $"; 20,000 policies allocate {f.Median.Mb:F1} MB (target <= {ScaleMbTarget:F0}): {(f.Median.Mb <= ScaleMbTarget ? "met" : "MISSED")}") : string.Empty;
            Console.WriteLine(string.Create(Inv, $"  {sizes[s],6} policies: build + render {f}; {perPolicy,5:F1} µs/policy ({perPolicy / baseline:F2}x the 2,000-policy rate); raw JSON {j.Median.Ms:F1} ms, ratio {f.Median.Ms / j.Median.Ms:F2}{mbNote}"));
            if (samples)
            {
                Console.WriteLine("      full: " + string.Join(" ", full[s].Select(x => x.Ms.ToString("F1", Inv))));
            }
        }

        return 0;
    }

    private static string RatioRange(List<Sample> a, List<Sample> b)
    {
        var ratios = a.Zip(b, (x, y) => x.Ms / y.Ms).Order().ToList();
        return string.Create(Inv, $"{ratios[0]:F2}-{ratios[^1]:F2}");
    }

    private static void Validate(IReadOnlyList<RenderedPolicy> policies)
    {
        foreach (var policy in policies)
        {
            ((CrdKit.Validation.IValidatable)policy.Resource).Validate(new CrdKit.Validation.ValidationContext("1.20"), string.Empty);
        }
    }

    // Times action(setup()) only, WarmUps + Runs times; the stats of the timed runs.
    private static (string Name, Stats Stats) Phase<T>(string name, Func<T> setup, Action<T> action)
    {
        var samples = new List<Sample>();
        for (var i = 0; i < WarmUps + Runs; i++)
        {
            var input = setup();
            var sample = Measure(() => action(input));
            if (i >= WarmUps)
            {
                samples.Add(sample);
            }
        }

        return (name, new Stats(samples));
    }

    // One timed run after a full collection: wall time, bytes allocated, time the GC paused the process, and the
    // minor page faults taken (Linux; -1 elsewhere): on a VM those are what growing the live heap costs.
    private static Sample Measure(Action action)
    {
        Settle();
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var pause = GC.GetTotalPauseDuration();
        var faults = MinorFaults();
        var watch = Stopwatch.StartNew();
        action();
        var ms = watch.Elapsed.TotalMilliseconds;
        return new Sample(
            ms,
            (GC.GetAllocatedBytesForCurrentThread() - allocated) / 1e6,
            (GC.GetTotalPauseDuration() - pause).TotalMilliseconds,
            faults < 0 ? -1 : MinorFaults() - faults);
    }

    // Field 10 of /proc/self/stat (minflt); the command name (field 2) may hold blanks, so count after its ')'.
    private static long MinorFaults()
    {
        try
        {
            var stat = System.IO.File.ReadAllText("/proc/self/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[7], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is System.IO.IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return -1;
        }
    }

    private readonly record struct Sample(double Ms, double Mb, double PauseMs, long Faults);

    // Medians of every field, with the time's min and max.
    private sealed class Stats(List<Sample> samples)
    {
        public Sample Median { get; } = new(
            Middle(samples.Select(s => s.Ms)), Middle(samples.Select(s => s.Mb)), Middle(samples.Select(s => s.PauseMs)), (long)Middle(samples.Select(s => (double)s.Faults)));

        public double Min { get; } = samples.Min(s => s.Ms);

        public double Max { get; } = samples.Max(s => s.Ms);

        public override string ToString() => string.Create(
            CultureInfo.InvariantCulture,
            $"{Median.Ms,6:F1} ms [{Min:F1}-{Max:F1}], {Median.Mb,6:F1} MB allocated, GC pauses {Median.PauseMs,5:F1} ms, {(Median.Faults < 0 ? "n/a" : Median.Faults.ToString(CultureInfo.InvariantCulture)),5} page faults");
    }

    // A full collection before every timed sample, as the generator harness does (and BenchmarkDotNet between
    // iterations): no sample pays for the garbage of the one before it.
    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static double Middle(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
