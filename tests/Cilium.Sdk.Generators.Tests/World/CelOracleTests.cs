using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Cilium.Sdk.Generators.Tests.Infrastructure;
using CrdKit.Serialization;
using CrdKit.Validation;

namespace Cilium.Sdk.Generators.Tests.World;

/// <summary>
/// The translated rules against an independent CEL evaluator, <c>@bufbuild/cel</c> (tests/tools/cel-oracle, installed
/// by .ci/run with <c>npm ci</c>). Every CEL rule at every place of every world example (schema defaults applied first,
/// as the API server does) and of mutations of them (each optional field dropped in turn) is evaluated by the oracle
/// and checked by the generated Validate(): where the oracle says the rule holds, Validate() must not report it (zero
/// false violations); where it says it does not, Validate() reports it or left it undecided (a field it reads unset).
/// Rules the oracle cannot evaluate (Kubernetes-only functions such as isIP or format.*, transition rules) are left
/// out and counted.
/// </summary>
public sealed partial class CelOracleTests(ITestOutputHelper output)
{
    [Fact]
    public void Translated_rules_agree_with_an_independent_cel_evaluator_on_the_examples_and_their_mutations()
    {
        var oracle = Path.Combine(RepositoryPaths.Root, "tests", "tools", "cel-oracle");
        Assert.True(Directory.Exists(Path.Combine(oracle, "node_modules", "@bufbuild", "cel")),
            $"the CEL oracle is not installed: run 'npm ci' in {oracle} (.ci/run does)");

        var cases = new List<Case>();
        foreach (var project in WorldCorpus.Projects)
        {
            cases.AddRange(Cases(project));
        }

        var verdicts = Evaluate(oracle, cases);
        int holds = 0, fails = 0, errors = 0, reported = 0, undecided = 0;
        var falseViolations = new List<string>();
        for (var i = 0; i < cases.Count; i++)
        {
            var c = cases[i];
            switch (verdicts[i])
            {
                case true:
                    holds++;
                    if (c.Reported)
                    {
                        falseViolations.Add($"{c.Where}: '{c.Rule}' holds for the oracle but Validate() reports it");
                    }

                    break;
                case false:
                    fails++;
                    reported += c.Reported ? 1 : 0;
                    undecided += c.Reported ? 0 : 1;
                    break;
                default:
                    errors++;
                    break;
            }
        }

        output.WriteLine($"{cases.Count} rule evaluations: the oracle says {holds} hold, {fails} fail, {errors} it cannot evaluate; " +
            $"of the {fails} that fail Validate() reports {reported} and leaves {undecided} undecided; {falseViolations.Count} false violations");
        Assert.True(holds > 1000, $"only {holds} evaluations held: too few to prove anything");
        Assert.True(fails > 0, "no mutation broke a rule: the mutations prove nothing");
        Assert.True(falseViolations.Count == 0, string.Join("\n", falseViolations.Take(30)));
    }

    private sealed record Case(string Where, string Rule, JsonNode? Self, bool Reported);

    private static IEnumerable<Case> Cases(string project)
    {
        var assembly = WorldCorpus.Outcome(project).Load();
        var context = (JsonSerializerContext)assembly.GetTypes().Single(t => t.IsSubclassOf(typeof(JsonSerializerContext))).GetProperty("Default")!.GetValue(null)!;
        var roots = assembly.GetTypes().Where(t => t.GetField("KubePluralName") is not null)
            .ToDictionary(t => $"{t.GetField("KubeGroup")!.GetValue(null)}/{t.GetField("KubeApiVersion")!.GetValue(null)}|{t.GetField("KubeKind")!.GetValue(null)}");
        var schemas = Schemas(project);
        foreach (var example in WorldCorpus.Examples(project))
        {
            IReadOnlyList<JsonNode> documents;
            try
            {
                documents = CrdYaml.Parse(File.ReadAllText(example.FullPath));
            }
            catch (ManifestException)
            {
                continue;
            }

            foreach (var document in documents)
            {
                var key = $"{document["apiVersion"]}|{document["kind"]}";
                if (!roots.TryGetValue(key, out var type) || !schemas.TryGetValue(key, out var schema))
                {
                    continue;
                }

                foreach (var variant in Variants(document, schema))
                {
                    object value;
                    try
                    {
                        value = JsonSerializer.Deserialize(variant, type, context.Options)!;
                    }
                    catch (JsonException)
                    {
                        continue;
                    }

                    var errors = (IReadOnlyList<ValidationError>)type.GetMethod("Validate", [typeof(string)])!.Invoke(value, [null])!;
                    var defaulted = variant.DeepClone();
                    foreach (var (rule, self, path) in Rules(defaulted, schema, string.Empty))
                    {
                        var oneLine = OneLine(rule);
                        var reported = errors.Any(e => e.Fix.Contains("rule '" + oneLine + "'", StringComparison.Ordinal) && e.Path.StartsWith(path, StringComparison.Ordinal));
                        yield return new Case($"{example.File} {document["kind"]}/{document["metadata"]?["name"]} {path}", rule, self?.DeepClone(), reported);
                    }
                }
            }
        }
    }

    /// <summary>The document, and for each optional top-level field of spec one copy without it.</summary>
    private static IEnumerable<JsonNode> Variants(JsonNode document, JsonObject schema)
    {
        yield return document;
        if (document["spec"] is not JsonObject spec)
        {
            yield break;
        }

        var required = (schema["properties"]?["spec"]?["required"] as JsonArray)?.Select(r => (string?)r).ToHashSet() ?? [];
        foreach (var name in spec.Select(p => p.Key).Where(k => !required.Contains(k)).ToList())
        {
            var copy = document.DeepClone();
            copy["spec"]!.AsObject().Remove(name);
            yield return copy;
        }
    }

    /// <summary>Every (rule, self, path) below <paramref name="node"/>, schema defaults applied on the way.</summary>
    private static IEnumerable<(string Rule, JsonNode? Self, string Path)> Rules(JsonNode? node, JsonObject schema, string path)
    {
        if (node is null)
        {
            yield break;
        }

        if (node is JsonObject obj && schema["properties"] is JsonObject properties)
        {
            foreach (var (name, sub) in properties)
            {
                if (!obj.ContainsKey(name) && sub?["default"] is { } fallback)
                {
                    obj[name] = fallback.DeepClone();
                }
            }
        }

        if (schema["x-kubernetes-validations"] is JsonArray rules)
        {
            foreach (var rule in rules.Select(r => (string?)r?["rule"]).Where(r => r is not null && !OldSelf().IsMatch(r)))
            {
                yield return (rule!, node, path);
            }
        }

        switch (node)
        {
            case JsonObject o when schema["properties"] is JsonObject props:
                foreach (var (name, value) in o.ToList())
                {
                    if (props[name] is JsonObject sub)
                    {
                        foreach (var r in Rules(value, sub, ValidationPath.Property(path, name)))
                        {
                            yield return r;
                        }
                    }
                }

                break;
            case JsonObject o when schema["additionalProperties"] is JsonObject values:
                foreach (var (name, value) in o.ToList())
                {
                    foreach (var r in Rules(value, values, ValidationPath.Property(path, name)))
                    {
                        yield return r;
                    }
                }

                break;
            case JsonArray a when schema["items"] is JsonObject items:
                for (var i = 0; i < a.Count; i++)
                {
                    foreach (var r in Rules(a[i], items, ValidationPath.Index(path, i)))
                    {
                        yield return r;
                    }
                }

                break;
        }
    }

    /// <summary>"group/version|Kind" -> the version's openAPIV3Schema, from the project's consumer CRD files.</summary>
    private static Dictionary<string, JsonObject> Schemas(string project)
    {
        var result = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var file in WorldCorpus.ConsumerCrdFiles(project))
        {
            foreach (var crd in CrdYaml.Parse(File.ReadAllText(file.FullPath)).Where(d => (string?)d["kind"] == "CustomResourceDefinition"))
            {
                var group = (string)crd["spec"]!["group"]!;
                var kind = (string)crd["spec"]!["names"]!["kind"]!;
                foreach (var version in crd["spec"]!["versions"]!.AsArray())
                {
                    if (version?["schema"]?["openAPIV3Schema"] is JsonObject schema)
                    {
                        result[$"{group}/{version["name"]}|{kind}"] = schema;
                    }
                }
            }
        }

        return result;
    }

    private static List<object?> Evaluate(string oracle, List<Case> cases)
    {
        var start = new ProcessStartInfo("node", "evaluate.mjs")
        {
            WorkingDirectory = oracle,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var input = new JsonArray(cases.Select(c => (JsonNode)new JsonObject { ["rule"] = c.Rule, ["self"] = c.Self?.DeepClone() }).ToArray());
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(input.ToJsonString());
        process.StandardInput.Close();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(3)), "the CEL oracle did not finish in 3 minutes");
        Assert.True(process.ExitCode == 0, "the CEL oracle failed: " + stderr.Result);
        return JsonNode.Parse(stdout.Result)!.AsArray().Select(n => n is JsonValue v && v.TryGetValue<bool>(out var b) ? (object?)b : n?.ToString()).ToList();
    }

    private static string OneLine(string rule) => Regex.Replace(rule, @"[\r\n\u0085\u2028\u2029]+", " ").Trim();

    [GeneratedRegex(@"\boldSelf\b")]
    private static partial Regex OldSelf();
}
