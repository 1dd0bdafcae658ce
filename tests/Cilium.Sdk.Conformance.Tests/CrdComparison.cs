using System;
using System.Collections.Generic;
using System.Linq;
using YamlDotNet.RepresentationModel;

namespace Cilium.Sdk.Conformance.Tests;

/// <summary>Compares our CRD for a kind with upstream's, per served version.</summary>
internal static class CrdComparison
{
    /// <summary>Path that carries CRD-level facts (group, names, scope, served/storage).</summary>
    public const string CrdPath = "<crd>";

    private static readonly Lazy<IReadOnlyList<ConformanceOutcome>> AllOutcomes =
        new(() => ConformanceCase.All().Select(Run).ToList());

    /// <summary>Outcomes of every comparison, computed once per test run.</summary>
    public static IReadOnlyList<ConformanceOutcome> All => AllOutcomes.Value;

    /// <summary>Runs one comparison.</summary>
    public static ConformanceOutcome Run(ConformanceCase testCase)
    {
        YamlMappingNode upstreamCrd = YamlTree.LoadDocument(testCase.Kind.UpstreamPath(testCase.CiliumVersion));
        YamlMappingNode ourCrd = YamlTree.LoadDocument(testCase.Kind.OurPath);
        SchemaDialect ourDialect = SchemaDialect.Ours(ourCrd, testCase.CiliumVersion);

        List<FactDifference> differences = [];
        List<(string Version, int Paths, HashSet<string> DifferingPaths)> versions = [];

        string upstreamServed = string.Join(",", ServedVersions(upstreamCrd).Order(StringComparer.Ordinal));
        string ourServed = string.Join(",", ServedVersions(ourCrd).Order(StringComparer.Ordinal));
        string modelled = string.Join(",", testCase.Kind.Versions.Order(StringComparer.Ordinal));
        if (upstreamServed != ourServed || upstreamServed != modelled)
        {
            differences.Add(new("*", CrdPath, "served-versions", upstreamServed, $"{ourServed} (catalog: {modelled})"));
        }

        foreach (string apiVersion in testCase.Kind.Versions)
        {
            YamlMappingNode? upstreamVersion = FindVersion(upstreamCrd, apiVersion);
            YamlMappingNode? ourVersion = FindVersion(ourCrd, apiVersion);
            if (upstreamVersion is null || ourVersion is null)
            {
                differences.Add(new(apiVersion, CrdPath, FactDifference.PresenceFact, upstreamVersion is null ? null : "present", ourVersion is null ? null : "present"));
                continue;
            }

            SortedDictionary<string, SortedDictionary<string, string>> upstream = Flatten(upstreamCrd, upstreamVersion, SchemaDialect.Upstream);
            SortedDictionary<string, SortedDictionary<string, string>> ours = Flatten(ourCrd, ourVersion, ourDialect);
            List<FactDifference> found = Compare(apiVersion, upstream, ours);
            differences.AddRange(found);
            versions.Add((apiVersion, upstream.Count, found.Where(d => upstream.ContainsKey(d.Path)).Select(d => d.Path).ToHashSet(StringComparer.Ordinal)));
        }

        HashSet<KnownException> used = [];
        List<FactDifference> unexplained = [];
        HashSet<(string, string)> explainedOnly = [];
        foreach (IGrouping<(string ApiVersion, string Path), FactDifference> byPath in differences.GroupBy(d => (d.ApiVersion, d.Path)))
        {
            bool allCovered = true;
            foreach (FactDifference difference in byPath)
            {
                KnownException? exception = KnownExceptions.All.FirstOrDefault(e => e.Covers(testCase, difference));
                if (exception is null)
                {
                    unexplained.Add(difference);
                    allCovered = false;
                }
                else
                {
                    used.Add(exception);
                }
            }

            if (allCovered)
            {
                explainedOnly.Add(byPath.Key);
            }
        }

        List<VersionCoverage> coverage = versions.Select(v => new VersionCoverage(
            v.Version,
            v.Paths,
            v.Paths - v.DifferingPaths.Count,
            v.DifferingPaths.Count(p => explainedOnly.Contains((v.Version, p))),
            v.DifferingPaths.Where(p => explainedOnly.Contains((v.Version, p))).Order(StringComparer.Ordinal).ToList())).ToList();
        return new(testCase, coverage, unexplained, used);
    }

    private static IEnumerable<string> ServedVersions(YamlMappingNode crd) =>
        Versions(crd).Where(v => v.GetText("served") == "true").Select(v => v.GetText("name") ?? string.Empty);

    private static IEnumerable<YamlMappingNode> Versions(YamlMappingNode crd) =>
        crd.GetMap("spec")?.GetList("versions").OfType<YamlMappingNode>() ?? [];

    private static YamlMappingNode? FindVersion(YamlMappingNode crd, string name) =>
        Versions(crd).FirstOrDefault(v => v.GetText("name") == name && v.GetText("served") == "true");

    private static SortedDictionary<string, SortedDictionary<string, string>> Flatten(YamlMappingNode crd, YamlMappingNode version, SchemaDialect dialect)
    {
        YamlMappingNode schema = version.GetMap("schema")?.GetMap("openAPIV3Schema")
            ?? throw new InvalidOperationException($"Version {version.GetText("name")} has no openAPIV3Schema.");
        SortedDictionary<string, SortedDictionary<string, string>> fields = SchemaFlattener.Flatten(schema, dialect);
        fields[CrdPath] = CrdFacts(crd, version);
        return fields;
    }

    // Identity of the CRD and of the version; printer columns and subresources are not compared.
    private static SortedDictionary<string, string> CrdFacts(YamlMappingNode crd, YamlMappingNode version)
    {
        YamlMappingNode spec = crd.GetMap("spec")!;
        return new(StringComparer.Ordinal)
        {
            ["name"] = crd.GetMap("metadata")?.GetText("name") ?? string.Empty,
            ["group"] = spec.GetText("group") ?? string.Empty,
            ["scope"] = spec.GetText("scope") ?? string.Empty,
            ["names"] = spec.Get("names") is { } names ? YamlTree.Canonical(names) : string.Empty,
            ["storage"] = version.GetText("storage") ?? "false",
            ["deprecated"] = version.GetText("deprecated") ?? "false",
        };
    }

    private static List<FactDifference> Compare(string apiVersion,
        SortedDictionary<string, SortedDictionary<string, string>> upstream,
        SortedDictionary<string, SortedDictionary<string, string>> ours)
    {
        List<FactDifference> differences = [];
        foreach ((string path, SortedDictionary<string, string> upstreamFacts) in upstream)
        {
            if (!ours.TryGetValue(path, out SortedDictionary<string, string>? ourFacts))
            {
                differences.Add(new(apiVersion, path, FactDifference.PresenceFact, "present", null));
                continue;
            }

            foreach (string fact in upstreamFacts.Keys.Union(ourFacts.Keys))
            {
                string? theirs = upstreamFacts.GetValueOrDefault(fact);
                string? mine = ourFacts.GetValueOrDefault(fact);
                if (theirs != mine)
                {
                    differences.Add(new(apiVersion, path, fact, theirs, mine));
                }
            }
        }

        differences.AddRange(ours.Keys.Where(path => !upstream.ContainsKey(path))
            .Select(path => new FactDifference(apiVersion, path, FactDifference.PresenceFact, null, "present")));
        return differences;
    }
}
