using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Policies;
using Cilium.Sdk.Rendering;
using CrdKit.Validation;

namespace Cilium.Sdk.Benchmarks;

/// <summary>
/// Where a large render's allocation goes (<c>--render-alloc [policies]</c>): bytes allocated per policy by each phase
/// on its own (its input made first), after a warm-up, one run each (allocation is deterministic; time is not printed:
/// the timed harnesses are <c>--render</c> and <c>--render-scale</c>). Also what the output itself must hold: the
/// policy texts as strings.
/// </summary>
internal static class RenderAllocation
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static int Run(int policies)
    {
        var builder = RenderBenchmark.LargeCluster(policies);
        var built = builder.Build();
        var spec = built.Spec;
        var version = spec.Version;
        var versionText = version.ToString();
        var list = spec.Policies!.Policies;
        var records = list.Select(p => p.Build(version, spec.PolicyMode).Resource).ToList();
        var rendered = built.Render();
        var texts = rendered.Tree.Files.Where(f => f.Path.Contains("/network-policies/app/", StringComparison.Ordinal) && !f.Path.EndsWith("kustomization.yaml", StringComparison.Ordinal)).ToList();
        long textBytes = texts.Sum(f => 22L + (2L * f.Content.Length));

        var rows = new List<(string Name, long Bytes)>
        {
            ("build + render (the benchmark's numerator)", Allocated(() => builder.Build().Render().Tree.Files.Count)),
            ("Build()", Allocated(() => builder.Build())),
            ("Render() of a built cluster", Allocated(() => built.Render().Tree.Files.Count)),
            ("  Policy.Build x N (expand + names + validate, result kept per policy)", Allocated(() => { foreach (var p in list) { p.Build(version, spec.PolicyMode); } })),
            ("  PolicyRenderer.Render x N (expand into records only)", Allocated(() => { foreach (var p in list) { PolicyRenderer.Render(p, spec.PolicyMode, new ValidationContext(versionText), string.Empty); } })),
            ("  generated Validate() x N of the records", Allocated(() => { foreach (var r in records) { new ValidationContext(versionText).Validate((IValidatable)r, "policies[x]"); } })),
            ("  Document(record) x N (YAML text, '---' led)", Allocated(() => { foreach (var r in records) { ClusterRenderer.Document(r); } })),
            ("  JsonSerializer.Serialize x N (raw JSON, the floor)", Allocated(() => RenderBenchmark.SerializeAll(records.Cast<object>().ToList()))),
        };

        Console.WriteLine(string.Create(Inv, $"Cilium.Sdk render allocation ({policies} policies, 100 nodes, 20 pools; bytes per policy, one warm run each)"));
        Console.WriteLine(string.Create(Inv, $"  the policy files' text as strings: {textBytes / (double)policies,8:F0} B/policy ({textBytes / 1e6:F1} MB, {texts.Count} files)"));
        foreach (var (name, bytes) in rows)
        {
            Console.WriteLine(string.Create(Inv, $"  {bytes / (double)policies,8:F0} B/policy {bytes / 1e6,8:F1} MB  {name}"));
        }

        return 0;
    }

    private static long Allocated(Action action)
    {
        action();
        GC.Collect();
        var before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private static long Allocated<T>(Func<T> action) => Allocated(() => { _ = action(); });
}
