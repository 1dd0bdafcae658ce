using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;

namespace Cilium.Sdk.Benchmarks;

/// <summary>
/// <c>--dump DIR</c>: writes every generated source of each scenario to <c>DIR/&lt;scenario&gt;/</c> and prints, per
/// scenario, the largest files and the most repeated lines by bytes (what to look at when making the output smaller).
/// </summary>
internal static class DumpHarness
{
    public static int Run(HarnessPaths paths, string[] args)
    {
        if (args.Length != 1)
        {
            Console.Error.WriteLine("error: --dump needs one argument, the folder to write the generated sources to.");
            return 64;
        }

        foreach (var id in new[] { ScenarioId.CiliumNetworkPolicy, ScenarioId.AllV120, ScenarioId.SdkSchemas })
        {
            var scenario = Scenario.Load(id, paths);
            var result = scenario.RunFresh().GetRunResult().Results.Single();
            var dir = Path.Combine(args[0], ((int)id).ToString(CultureInfo.InvariantCulture));
            Directory.CreateDirectory(dir);
            var sizes = new List<(string Name, int Bytes)>();
            var lines = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var source in result.GeneratedSources)
            {
                var text = source.SourceText.ToString();
                File.WriteAllText(Path.Combine(dir, source.HintName), text, new UTF8Encoding(false));
                sizes.Add((source.HintName, Encoding.UTF8.GetByteCount(text)));
                foreach (var line in text.Split('\n'))
                {
                    var key = line.Trim();
                    lines[key] = lines.TryGetValue(key, out var n) ? n + 1 : 1;
                }
            }

            Console.WriteLine($"{scenario.Title}: {sizes.Count} files, {sizes.Sum(s => (long)s.Bytes):N0} B -> {dir}");
            foreach (var (name, bytes) in sizes.OrderByDescending(s => s.Bytes).ThenBy(s => s.Name, StringComparer.Ordinal).Take(15))
            {
                Console.WriteLine($"  {bytes,10:N0}  {name}");
            }

            Console.WriteLine("  most repeated lines (bytes = count x length):");
            foreach (var (line, count) in lines.Where(l => l.Value > 1).OrderByDescending(l => (long)l.Value * (l.Key.Length + 1)).Take(25).Select(l => (l.Key, l.Value)))
            {
                Console.WriteLine($"  {(long)count * (line.Length + 1),10:N0}  x{count,-6} {(line.Length > 110 ? line[..110] + "..." : line)}");
            }
        }

        return 0;
    }
}
