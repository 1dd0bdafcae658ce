using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Cilium.Sdk.Generators.Tests.Infrastructure;
using CrdKit.Serialization;
using CrdKit.Validation;

namespace Cilium.Sdk.Generators.Tests.World;

/// <summary>
/// Every example resource of every world project, read with the project's generated types: it reads, round-trips
/// losslessly (explicit nulls aside) and validates, and every finding is one a person checked once and listed in
/// <c>ExpectedFindings/{project}.txt</c> with the reason (upstream examples that are invalid on purpose, placeholders).
/// A new or missing finding fails the test and writes <c>{project}.received.txt</c> beside the expected file.
/// </summary>
public sealed class WorldExamplesTests(ITestOutputHelper output)
{
    public static TheoryData<string> Projects() => new(WorldCorpus.Projects);

    [Theory]
    [MemberData(nameof(Projects))]
    public void Every_example_reads_round_trips_and_validates_with_only_the_expected_findings(string project)
    {
        var result = Check(project);
        output.WriteLine($"{project}: {result.Files} example files, {result.Documents} documents of the project's kinds read, " +
            $"{result.RoundTripped} round-tripped and equal when read twice, {result.EqualityChecked} changed copies unequal, {result.Valid} valid, {result.Findings.Count} findings ({result.Other} documents of other kinds skipped)");

        var folder = Path.Combine(RepositoryPaths.Root, "tests", "Cilium.Sdk.Generators.Tests", "World", "ExpectedFindings");
        var expectedPath = Path.Combine(folder, project + ".txt");
        var receivedPath = Path.Combine(folder, project + ".received.txt");
        var expected = File.Exists(expectedPath)
            ? File.ReadAllLines(expectedPath).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split(" # ", 2)[0]).ToList()
            : [];
        var missing = expected.Except(result.Findings).ToList();
        var unexpected = result.Findings.Except(expected).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
        {
            File.WriteAllLines(receivedPath, result.Findings);
        }
        else if (File.Exists(receivedPath))
        {
            File.Delete(receivedPath);
        }

        Assert.True(result.Documents > 0 || project is "argo-cd", $"{project}: no example document of the project's kinds was read");
        Assert.True(result.EqualityChecked > 0 || result.Documents == 0, $"{project}: no changed copy was compared");
        Assert.True(unexpected.Count == 0, $"{project}: unexpected findings (review {receivedPath}):\n" + string.Join("\n", unexpected.Take(40)));
        Assert.True(missing.Count == 0, $"{project}: expected findings that did not occur:\n" + string.Join("\n", missing.Take(40)));
    }

    /// <summary>What the examples of one project gave.</summary>
    internal sealed record Outcome(int Files, int Documents, int RoundTripped, int Valid, int Other, int EqualityChecked, List<string> Findings);

    internal static Outcome Check(string project)
    {
        var assembly = WorldCorpus.Outcome(project).Load();
        var context = (JsonSerializerContext)assembly.GetTypes().Single(t => t.IsSubclassOf(typeof(JsonSerializerContext))).GetProperty("Default")!.GetValue(null)!;
        var roots = assembly.GetTypes()
            .Where(t => t.GetField("KubeKind") is not null && t.GetField("KubePluralName") is not null)
            .ToDictionary(t => $"{t.GetField("KubeGroup")!.GetValue(null)}/{t.GetField("KubeApiVersion")!.GetValue(null)}|{t.GetField("KubeKind")!.GetValue(null)}");

        int files = 0, documents = 0, roundTripped = 0, valid = 0, other = 0, equalityChecked = 0;
        var findings = new List<string>();
        foreach (var example in WorldCorpus.Examples(project))
        {
            files++;
            var name = example.File[(project.Length + "/examples/".Length)..];
            IReadOnlyList<JsonNode> parsed;
            try
            {
                parsed = CrdYaml.Parse(File.ReadAllText(example.FullPath));
            }
            catch (ManifestException e)
            {
                findings.Add($"{name}: parse: {e.Message}");
                continue;
            }

            for (var i = 0; i < parsed.Count; i++)
            {
                var document = parsed[i];
                var key = $"{document["apiVersion"]}|{document["kind"]}";
                if (!roots.TryGetValue(key, out var type))
                {
                    other++;
                    continue;
                }

                documents++;
                var at = $"{name}#{i} {document["kind"]}/{document["metadata"]?["name"]}";
                object value;
                try
                {
                    value = JsonSerializer.Deserialize(document, type, context.Options)!;
                }
                catch (JsonException e)
                {
                    findings.Add($"{at}: read: {e.Message}");
                    continue;
                }

                // Value equality: the same document read twice is Equals with the same hash; one changed field is not.
                var again = JsonSerializer.Deserialize(document, type, context.Options)!;
                if (!value.Equals(again) || value.GetHashCode() != again.GetHashCode())
                {
                    findings.Add($"{at}: equality: the same document read twice is not equal");
                }

                foreach (var field in new[] { "spec", "metadata" })
                {
                    if (JsonTrees.WithFirstStringChanged(document.AsObject(), field) is { } changed)
                    {
                        equalityChecked++;
                        if (value.Equals(JsonSerializer.Deserialize(changed, type, context.Options)))
                        {
                            findings.Add($"{at}: equality: still equal after a string under {field} changed");
                        }
                    }
                }

                var back = JsonSerializer.SerializeToNode(value, type, context.Options);
                if (JsonNode.DeepEquals(JsonTrees.WithoutNulls(document), JsonTrees.WithoutNulls(back)))
                {
                    roundTripped++;
                }
                else
                {
                    findings.Add($"{at}: round-trip: differs at {JsonTrees.FirstDifference(JsonTrees.WithoutNulls(document), JsonTrees.WithoutNulls(back))}");
                }

                var errors = (IReadOnlyList<ValidationError>)type.GetMethod("Validate", [typeof(string)])!.Invoke(value, [null])!;
                valid += errors.Any(e => e.IsError) ? 0 : 1;
                findings.AddRange(errors.Select(e => $"{at}: {(e.IsError ? string.Empty : "warning: ")}{(e.Path.Length == 0 ? "(root)" : e.Path)}: {e.Message}"));
            }
        }

        return new Outcome(files, documents, roundTripped, valid, other, equalityChecked, findings);
    }
}
