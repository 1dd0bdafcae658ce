using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using Cilium.Sdk.Serialization;
using Xunit;

namespace Cilium.Sdk.Conformance.Tests;

/// <summary>
/// Prints how much of upstream each schema matches, and holds the report to the upstream files themselves: every row
/// counts exactly the fields the upstream CRD has (counted here by an independent walk over a different YAML reader),
/// every one of them is matched or excepted, and the excepted ones are exactly the fields a listed exception names,
/// each printed with its reason. A comparison that silently skipped a subtree on both sides (so that nothing differs)
/// fails here.
/// </summary>
/// <param name="output">Where the table goes.</param>
public sealed class CoverageReportTests(ITestOutputHelper output)
{
    /// <summary>Per kind, version and release: upstream paths, exact matches and excepted paths; then the total.</summary>
    [Fact]
    public void ReportCoverage()
    {
        output.WriteLine($"{"kind",-32} {"api",-9} {"cilium",-6} {"upstream",8} {"matched",8} {"excepted",8}");
        int total = 0, matched = 0, excepted = 0, rows = 0;
        var problems = new List<string>();
        foreach (ConformanceOutcome outcome in CrdComparison.All)
        {
            string label = outcome.Case.Label;
            Assert.Equal(outcome.Case.Kind.Versions.Count, outcome.Coverage.Count);
            foreach (VersionCoverage row in outcome.Coverage)
            {
                rows++;
                output.WriteLine($"{outcome.Case.Kind.Kind,-32} {row.ApiVersion,-9} {outcome.Case.CiliumVersion ?? "-",-6} {row.UpstreamPaths,8} {row.Matched,8} {row.Excepted,8}");
                total += row.UpstreamPaths;
                matched += row.Matched;
                excepted += row.Excepted;

                // The upstream fields, counted without the comparison's code: its count must be the report's.
                IReadOnlyList<string> upstream = UpstreamFieldPaths(outcome.Case, row.ApiVersion);
                if (row.UpstreamPaths != upstream.Count + 1)
                {
                    problems.Add($"{label} {row.ApiVersion}: the report compared {row.UpstreamPaths} paths, upstream has {upstream.Count} fields + the CRD's own facts");
                }

                if (row.Matched + row.Excepted != row.UpstreamPaths)
                {
                    problems.Add($"{label} {row.ApiVersion}: {row.UpstreamPaths - row.Matched - row.Excepted} upstream paths neither matched nor excepted");
                }

                // Excepted: exactly the fields a listed exception for this kind and release names, each with its reason.
                var named = upstream.Where(path => KnownExceptions.All.Any(e => e.AppliesTo(outcome.Case) && e.MatchesPath(path))).Order(StringComparer.Ordinal).ToList();
                if (!named.SequenceEqual(row.ExceptedPaths))
                {
                    problems.Add($"{label} {row.ApiVersion}: excepted [{string.Join(", ", row.ExceptedPaths)}], the exceptions name [{string.Join(", ", named)}]");
                }

                foreach (string path in row.ExceptedPaths)
                {
                    KnownException? reason = KnownExceptions.All.FirstOrDefault(e => e.AppliesTo(outcome.Case) && e.MatchesPath(path));
                    if (reason is null || string.IsNullOrWhiteSpace(reason.Reason))
                    {
                        problems.Add($"{label} {row.ApiVersion}: {path} is excepted without a reason");
                    }
                    else
                    {
                        output.WriteLine($"    excepted {path} [{reason.Fact}]: {reason.Reason}");
                    }
                }
            }
        }

        double exact = 100.0 * matched / total;
        double accounted = 100.0 * (matched + excepted) / total;
        output.WriteLine($"TOTAL upstream paths {total}: matched {matched} ({exact:F2}%), excepted {excepted}, accounted for {accounted:F2}%");
        Assert.True(problems.Count == 0, string.Join("\n", problems));

        // Every served version of every kind against every release it is held to (9 Cilium kinds in 1.19 and 1.20, 3 Flux).
        Assert.Equal(SupportedKinds.All.Sum(k => k.Versions.Count * Math.Max(1, k.CiliumVersions.Count)), rows);
        Assert.Equal(33, rows);
        Assert.Equal(total, matched + excepted);
    }

    /// <summary>The field paths of one served version of the upstream CRD (<c>spec.ingress[].toPorts[]</c>, map values as
    /// <c>{}</c>, the root as <c>&lt;root&gt;</c>), read with the SDK's YAML reader into JSON and walked here.</summary>
    private static IReadOnlyList<string> UpstreamFieldPaths(ConformanceCase testCase, string apiVersion)
    {
        JsonNode crd = Manifests.ParseYaml(File.ReadAllText(testCase.Kind.UpstreamPath(testCase.CiliumVersion)))[0];
        JsonNode schema = crd["spec"]!["versions"]!.AsArray()
            .Single(v => v!["name"]!.GetValue<string>() == apiVersion && v["served"]?.GetValue<bool>() == true)!["schema"]!["openAPIV3Schema"]!;
        var paths = new List<string>();
        Walk(schema, SchemaFlattener.RootPath, paths);
        return paths;
    }

    private static void Walk(JsonNode node, string path, List<string> paths)
    {
        paths.Add(path);
        if (node["properties"] is JsonObject properties)
        {
            foreach ((string name, JsonNode? child) in properties)
            {
                if (child is JsonObject)
                {
                    Walk(child, path == SchemaFlattener.RootPath ? name : path + "." + name, paths);
                }
            }
        }

        if (node["items"] is JsonObject items)
        {
            Walk(items, path + "[]", paths);
        }

        if (node["additionalProperties"] is JsonObject values)
        {
            Walk(values, path + "{}", paths);
        }
    }
}
