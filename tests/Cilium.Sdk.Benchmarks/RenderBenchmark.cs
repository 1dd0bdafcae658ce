using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.LoadBalancing;
using Cilium.Sdk.Policies;
using Cilium.Sdk.Rendering;
using Cilium.Sdk.Serialization;
using CrdKit.Serialization;

namespace Cilium.Sdk.Benchmarks;

/// <summary>
/// Issue 4's speed target: render a large cluster (100 nodes, 2,000 network policies, 20 pools) to manifests in memory,
/// and compare with the floor: serializing the same finished records with the bare serializer (<c>Manifests.Write</c>,
/// the same JSON + YAML writer the renderer uses). The SDK's building, validating and layout should add at most 25%.
/// Stopwatch harness: 3 warm-ups, then the median of 15 runs of each, interleaved so drift hits both alike, with a full
/// garbage collection before every timed sample.
/// </summary>
internal static class RenderBenchmark
{
    private const int WarmUps = 3;
    private const int Runs = 15;
    private const double Target = 1.25;

    public static CiliumClusterBuilder LargeCluster()
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
        for (var i = 0; i < 2000; i++)
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

    /// <summary>The floor: every record written with the bare serializer, the manifests kept in memory (as a render
    /// keeps its files), in order.</summary>
    public static List<string> WriteAll(List<object> records)
    {
        var manifests = new List<string>(records.Count);
        foreach (var record in records)
        {
            manifests.Add(Manifests.Write(record));
        }

        return manifests;
    }

    /// <summary>The records one render of <paramref name="builder"/> produces, for the floor: the Helm release, the
    /// chart source, the Flux Kustomization, the pools and the policies.</summary>
    public static List<object> FinishedRecords(CiliumClusterBuilder builder)
    {
        var finished = builder.Build().Render().Resources;
        var records = new List<object> { finished.Release, finished.Source, finished.FluxKustomization };
        records.AddRange(finished.Pools);
        records.AddRange(finished.Policies.Select(p => (object)p.Resource));
        return records;
    }

    public static int Run(bool samples)
    {
        var builder = LargeCluster();
        var finished = builder.Build().Render().Resources;
        var records = FinishedRecords(builder);

        long Full()
        {
            var rendered = builder.Build().Render();
            return rendered.Tree.Files.Sum(f => (long)f.Content.Length);
        }

        long Floor(List<object> all) => WriteAll(all).Sum(m => (long)m.Length);

        for (var i = 0; i < WarmUps; i++)
        {
            Full();
            Floor(records);
        }

        var full = new List<Sample>();
        var floor = new List<Sample>();
        long fullBytes = 0;
        long floorBytes = 0;
        for (var i = 0; i < Runs; i++)
        {
            full.Add(Measure(() => fullBytes = Full()));
            floor.Add(Measure(() => floorBytes = Floor(records)));
        }

        // Where the time goes: each phase on its own (its input made before the full collection), median of the same
        // number of runs.
        var phases = new List<(string Name, Sample Median)>
        {
            Phase("Build() (validate the whole; expand, validate and write each policy)", () => builder, b => b.Build()),
            Phase("Render() of a built cluster (the other records, layout, Flux files)", () => builder.Build(), built => built.Render()),
            Phase("Policy.Build x2000 (expand + validate each)", () => builder.Build(), built => built.Spec.Policies!.Policies.Select(p => p.Build(built.Spec.Version, built.Spec.PolicyMode)).ToList()),
            Phase("generated Validate() x2000 of the finished records", () => finished.Policies, Validate),
            Phase("floor (Manifests.Write of the finished records)", () => records, r => Floor(r)),
        };

        var fullMedian = Sample.Median(full);
        var floorMedian = Sample.Median(floor);
        var ratio = fullMedian.Ms / floorMedian.Ms;
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine("Cilium.Sdk render benchmark (100 nodes, 2,000 policies, 20 pools; Stopwatch medians)");
        Console.WriteLine(string.Create(inv, $"  runtime {Environment.Version}, {Environment.ProcessorCount} CPUs, {records.Count} records, {finished.Policies.Count} policies"));
        Console.WriteLine(string.Create(inv, $"  build + validate + render + layout: median {fullMedian} ({fullBytes / 1024} KiB of files)"));
        Console.WriteLine(string.Create(inv, $"  bare serializer floor (Manifests.Write of the finished records, kept in memory): median {floorMedian} ({floorBytes / 1024} KiB)"));
        Console.WriteLine(string.Create(inv, $"  ratio {ratio:F2} (target <= {Target:F2}): {(ratio <= Target ? "met" : "MISSED")}"));
        Console.WriteLine("  phases (medians):");
        foreach (var (name, median) in phases)
        {
            Console.WriteLine(string.Create(inv, $"    {median}  {name}"));
        }

        if (samples)
        {
            Console.WriteLine("  full:  " + string.Join(" ", full.Select(x => x.Ms.ToString("F1", inv))));
            Console.WriteLine("  floor: " + string.Join(" ", floor.Select(x => x.Ms.ToString("F1", inv))));
        }

        return 0;
    }

    private static void Validate(IReadOnlyList<RenderedPolicy> policies)
    {
        foreach (var policy in policies)
        {
            ((CrdKit.Validation.IValidatable)policy.Resource).Validate(new CrdKit.Validation.ValidationContext("1.20"), string.Empty);
        }
    }

    // Times action(setup()) only, WarmUps + Runs times; the medians of the timed runs.
    private static (string Name, Sample Median) Phase<T>(string name, Func<T> setup, Action<T> action)
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

        return (name, Sample.Median(samples));
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

    private readonly record struct Sample(double Ms, double Mb, double PauseMs, long Faults)
    {
        public static Sample Median(List<Sample> samples) => new(
            Middle(samples.Select(s => s.Ms)), Middle(samples.Select(s => s.Mb)), Middle(samples.Select(s => s.PauseMs)), (long)Middle(samples.Select(s => (double)s.Faults)));

        public override string ToString() => string.Create(
            CultureInfo.InvariantCulture,
            $"{Ms,6:F1} ms, {Mb,5:F1} MB allocated, GC pauses {PauseMs,5:F1} ms, {(Faults < 0 ? "n/a" : Faults.ToString(CultureInfo.InvariantCulture)),5} page faults");
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
