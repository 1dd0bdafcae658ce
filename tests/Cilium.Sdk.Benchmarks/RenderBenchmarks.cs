using System.Collections.Generic;
using System.Linq;
using BenchmarkDotNet.Attributes;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Rendering;

namespace Cilium.Sdk.Benchmarks;

/// <summary>
/// BenchmarkDotNet view of the render targets (run with <c>-- --bdn --filter '*RenderBenchmarks*'</c>): the large
/// cluster of <see cref="RenderBenchmark.LargeCluster"/> built, validated, rendered and laid out, against the floors of
/// serializing the same finished records to JSON (the baseline) and writing them with the SDK's YAML writer. Each benchmark runs in its own process, so neither
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

    /// <summary>The floor (issue 20): raw <c>JsonSerializer.Serialize</c> of every finished record with the SDK's
    /// options, the JSON texts kept in memory.</summary>
    /// <returns>The JSON texts.</returns>
    [Benchmark(Baseline = true)]
    public List<string> RawJsonFloor() => RenderBenchmark.SerializeAll(records);

    /// <summary>The older floor (issue 4): the SDK's YAML writer, <c>Manifests.Write</c> of every finished record, the
    /// manifests kept in memory.</summary>
    /// <returns>The manifests.</returns>
    [Benchmark]
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
