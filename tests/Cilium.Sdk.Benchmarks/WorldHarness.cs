using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis;

namespace Cilium.Sdk.Benchmarks;

/// <summary>
/// <c>--world</c>: the generator on each project of <c>../shared/corpus/world-crds</c> (Gateway API: the experimental
/// channel, as a consumer opts in one), in-process. Per project: CRDs, generated types and bytes, and the median with
/// min-max of 10 fresh driver runs after 3 warm-ups.
/// </summary>
internal static class WorldHarness
{
    private const int WarmUps = 3;
    private const int Runs = 10;

    public static int Run(HarnessPaths paths)
    {
        var root = Path.GetFullPath(Path.Combine(paths.CrdCorpus, "..", "..", "world-crds"));
        var index = JsonNode.Parse(File.ReadAllText(Path.Combine(root, "index.json")))!.AsArray().Select(n => n!.AsObject()).ToList();
        Console.WriteLine("CrdKit generator on the world corpus (in-process, median [min-max] of " + Runs + " fresh drivers after " + WarmUps + " warm-ups)");
        Console.WriteLine("project | CRDs | types | generated KiB | median ms [min-max]");
        foreach (var project in index.Select(e => (string)e["project"]!).Distinct().Order(StringComparer.Ordinal))
        {
            var files = index.Where(e => (string)e["project"]! == project && (string)e["type"]! == "crd")
                .Select(e => (string)e["file"]!)
                .Where(f => project != "gateway-api" || f.StartsWith("gateway-api/experimental/", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal).ToList();
            var crds = index.Where(e => (string)e["project"]! == project && (string)e["type"]! == "crd" && files.Contains((string)e["file"]!)).Sum(e => (int)e["crd_count"]!);
            var scenario = Scenario.FromFiles(project, files.Select(f => Path.Combine(root, f)), "World." + project.Replace("-", string.Empty, StringComparison.Ordinal));
            for (var i = 0; i < WarmUps; i++)
            {
                scenario.RunFresh();
            }

            var times = new List<double>();
            GeneratorDriverRunResult? result = null;
            for (var i = 0; i < Runs; i++)
            {
                var clock = Stopwatch.StartNew();
                var driver = scenario.RunFresh();
                times.Add(clock.Elapsed.TotalMilliseconds);
                result = driver.GetRunResult();
            }

            var sources = result!.Results.SelectMany(r => r.GeneratedSources).Select(s => s.SourceText.ToString()).ToList();
            var types = sources.Sum(s => s.Split('\n').Count(l => l.TrimStart().StartsWith("public sealed partial record ", StringComparison.Ordinal) || l.TrimStart().StartsWith("public enum ", StringComparison.Ordinal)));
            var bytes = sources.Sum(s => (long)System.Text.Encoding.UTF8.GetByteCount(s));
            times.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{project} | {crds} | {types} | {bytes / 1024} | {times[times.Count / 2]:F0} [{times[0]:F0}-{times[^1]:F0}]"));
        }

        return 0;
    }
}
