using System.Collections.Generic;
using System.Linq;
using BenchmarkDotNet.Attributes;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Rendering;

namespace Cilium.Sdk.Benchmarks;

/// <summary>
/// BenchmarkDotNet view of issue 4's speed target (run with <c>-- --bdn --filter '*RenderBenchmarks*'</c>): the large
/// cluster of <see cref="RenderBenchmark.LargeCluster"/> built, validated, rendered and laid out, against the floor of
/// writing the same finished records with the bare serializer. Each benchmark runs in its own process, so neither
/// pays for the other's heap.
/// </summary>
[MemoryDiagnoser]
public class RenderBenchmarks
{
    private CiliumClusterBuilder builder = null!;
    private List<object> records = null!;

    /// <summary>Describes the cluster and renders it once for the floor's records.</summary>
    [GlobalSetup]
    public void Setup()
    {
        builder = RenderBenchmark.LargeCluster();
        records = RenderBenchmark.FinishedRecords(builder);
    }

    /// <summary>The floor: <c>Manifests.Write</c> of every finished record, the manifests kept in memory.</summary>
    /// <returns>The manifests.</returns>
    [Benchmark(Baseline = true)]
    public List<string> Floor() => RenderBenchmark.WriteAll(records);

    /// <summary>For comparison: the floor as first defined, each manifest dropped as soon as it is written (nothing
    /// kept in memory, unlike a render).</summary>
    /// <returns>The characters written.</returns>
    [Benchmark]
    public long FloorDiscardingManifests()
    {
        long length = 0;
        foreach (var record in records)
        {
            length += Cilium.Sdk.Serialization.Manifests.Write(record).Length;
        }

        return length;
    }

    /// <summary>What a user runs: <c>Build()</c> (whole-cluster validation, policy expansion and validation) then
    /// <c>Render()</c> (records, layout, serialization) to the in-memory tree.</summary>
    /// <returns>The characters of every file.</returns>
    [Benchmark]
    public long BuildAndRender()
    {
        RenderedCluster rendered = builder.Build().Render();
        return rendered.Tree.Files.Sum(f => (long)f.Content.Length);
    }
}
