using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Cilium.Sdk.Serialization;

namespace Cilium.Sdk.Benchmarks;

/// <summary>
/// Reading and writing the render benchmark's 2,000 finished network policies through the generated converters alone
/// (issue 20, item 2: converters made smaller must not get slower): write = <c>JsonSerializer.SerializeToUtf8Bytes</c>
/// of each record, read = <c>JsonSerializer.Deserialize</c> of those bytes back into records, with the options the SDK
/// uses. Interleaved (one sample of each in turn), a full collection before every sample, 40 warm-up rounds,
/// 15 samples, medians with min-max and the bytes allocated.
/// </summary>
internal static class SerdeBenchmark
{
    private const int WarmUps = 40;
    private const int Runs = 15;

    public static int Run()
    {
        var policies = RenderBenchmark.FinishedRecords(RenderBenchmark.LargeCluster()).Where(r => r.GetType().Name.EndsWith("NetworkPolicy", StringComparison.Ordinal)).ToList();
        var options = Manifests.SerializerOptions;
        var info = options.GetTypeInfo(policies[0].GetType());
        var texts = policies.Select(p => JsonSerializer.SerializeToUtf8Bytes(p, info)).ToList();
        var bytes = texts.Sum(t => (long)t.Length);

        var write = new List<(double Ms, double Mb)>();
        var read = new List<(double Ms, double Mb)>();
        for (var round = 0; round < WarmUps + Runs; round++)
        {
            var w = Measure(() =>
            {
                foreach (var policy in policies)
                {
                    JsonSerializer.SerializeToUtf8Bytes(policy, info);
                }
            });
            var r = Measure(() =>
            {
                foreach (var text in texts)
                {
                    JsonSerializer.Deserialize(text, info);
                }
            });
            if (round >= WarmUps)
            {
                write.Add(w);
                read.Add(r);
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Read and write of {policies.Count} policies ({info.Type.Name}, {bytes / 1024} KiB of JSON) through the generated converters; interleaved, medians [min-max] of {Runs} after {WarmUps} warm-up rounds"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  runtime {Environment.Version}, {Environment.ProcessorCount} CPUs"));
        Console.WriteLine("  write: " + Show(write));
        Console.WriteLine("  read:  " + Show(read));
        return 0;
    }

    private static string Show(List<(double Ms, double Mb)> samples) => string.Create(
        CultureInfo.InvariantCulture,
        $"{Middle(samples.Select(s => s.Ms)),6:F2} ms [{samples.Min(s => s.Ms):F2}-{samples.Max(s => s.Ms):F2}], {Middle(samples.Select(s => s.Mb)),5:F2} MB allocated");

    private static (double Ms, double Mb) Measure(Action action)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        action();
        return (watch.Elapsed.TotalMilliseconds, (GC.GetAllocatedBytesForCurrentThread() - allocated) / 1e6);
    }

    private static double Middle(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
