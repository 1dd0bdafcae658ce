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

namespace Cilium.Sdk.Benchmarks;

/// <summary>
/// Issue 4's speed target: render a large cluster (100 nodes, 2,000 network policies, 20 pools) to manifests in memory,
/// and compare with the floor: serializing the same finished records with the bare serializer (<c>Manifests.Write</c>,
/// the same JSON + YAML writer the renderer uses). The SDK's building, validating and layout should add at most 25%.
/// Stopwatch harness: 3 warm-ups, then the median of 15 runs of each, interleaved so drift hits both alike.
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

    public static int Run(bool samples)
    {
        var builder = LargeCluster();
        var finished = builder.Build().Render().Resources;
        var records = new List<object> { finished.Release, finished.Source, finished.FluxKustomization };
        records.AddRange(finished.Pools);
        records.AddRange(finished.Policies.Select(p => (object)p.Resource));

        long Full()
        {
            var rendered = builder.Build().Render();
            return rendered.Tree.Files.Sum(f => (long)f.Content.Length);
        }

        long Floor(List<object> all) => all.Sum(r => (long)Manifests.Write(r).Length);

        for (var i = 0; i < WarmUps; i++)
        {
            Full();
            Floor(records);
        }

        var full = new List<double>();
        var floor = new List<double>();
        long fullBytes = 0;
        long floorBytes = 0;
        for (var i = 0; i < Runs; i++)
        {
            var watch = Stopwatch.StartNew();
            fullBytes = Full();
            full.Add(watch.Elapsed.TotalMilliseconds);
            watch.Restart();
            floorBytes = Floor(records);
            floor.Add(watch.Elapsed.TotalMilliseconds);
        }

        // Where the time goes: each phase on its own, median of the same number of runs, with what one run allocates.
        var phases = new List<(string Name, double Ms, double Mb)>
        {
            Phase("Build() (validate the whole, expand and validate the policies)", () => builder, b => b.Build()),
            Phase("Render() of a built cluster (records, layout, serialization)", () => builder.Build(), built => built.Render()),
            Phase("Policy.Build x2000 (expand + validate each)", () => builder.Build(), built => built.Spec.Policies!.Policies.Select(p => p.Build(built.Spec.Version, built.Spec.PolicyMode)).ToList()),
            Phase("generated Validate() x2000 of the finished records", () => finished.Policies, Validate),
            Phase("floor (Manifests.Write of the finished records)", () => records, r => Floor(r)),
        };

        var fullMedian = Median(full);
        var floorMedian = Median(floor);
        var ratio = fullMedian / floorMedian;
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine("Cilium.Sdk render benchmark (100 nodes, 2,000 policies, 20 pools; Stopwatch medians)");
        Console.WriteLine(string.Create(inv, $"  runtime {Environment.Version}, {records.Count} records, {finished.Policies.Count} policies"));
        Console.WriteLine(string.Create(inv, $"  build + validate + render + layout: median {fullMedian:F1} ms ({fullBytes / 1024} KiB of files)"));
        Console.WriteLine(string.Create(inv, $"  bare serializer floor (Manifests.Write of the finished records): median {floorMedian:F1} ms ({floorBytes / 1024} KiB)"));
        Console.WriteLine(string.Create(inv, $"  ratio {ratio:F2} (target <= {Target:F2}): {(ratio <= Target ? "met" : "MISSED")}"));
        Console.WriteLine("  phases (median ms, MB allocated per run):");
        foreach (var (name, ms, mb) in phases)
        {
            Console.WriteLine(string.Create(inv, $"    {ms,7:F1} ms {mb,7:F1} MB  {name}"));
        }

        if (samples)
        {
            Console.WriteLine("  full:  " + string.Join(" ", full.Select(x => x.ToString("F1", inv))));
            Console.WriteLine("  floor: " + string.Join(" ", floor.Select(x => x.ToString("F1", inv))));
        }

        return 0;
    }

    private static void Validate(IReadOnlyList<RenderedPolicy> policies)
    {
        foreach (var policy in policies)
        {
            ((Cilium.Sdk.Validation.IValidatable)policy.Resource).Validate(new Cilium.Sdk.Validation.ValidationContext("1.20"), string.Empty);
        }
    }

    // Times action(setup()) only: median ms over the runs, and the bytes one run allocates (the median too).
    private static (string Name, double Ms, double Mb) Phase<T>(string name, Func<T> setup, Action<T> action)
    {
        var ms = new List<double>();
        var mb = new List<double>();
        for (var i = 0; i < WarmUps + Runs; i++)
        {
            var input = setup();
            var before = GC.GetAllocatedBytesForCurrentThread();
            var watch = Stopwatch.StartNew();
            action(input);

            var elapsed = watch.Elapsed.TotalMilliseconds;
            var allocated = (GC.GetAllocatedBytesForCurrentThread() - before) / 1e6;
            if (i >= WarmUps)
            {
                ms.Add(elapsed);
                mb.Add(allocated);
            }
        }

        return (name, Median(ms), Median(mb));
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
