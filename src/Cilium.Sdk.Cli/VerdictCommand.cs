using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Policies;
using Cilium.Sdk.Validation;
using Cilium.Sdk.Verdicts;
using CrdKit.Serialization;

namespace Cilium.Sdk.Cli;

/// <summary>
/// <c>verdict</c>: what a folder of CiliumNetworkPolicy / CiliumClusterwideNetworkPolicy YAML does with one flow
/// (<c>--from --to --port</c>), or with every flow of an expectations file (<c>--expect</c>), offline, through the
/// verdict engine (<see cref="PolicyVerdicts"/>).
/// </summary>
internal static class VerdictCommand
{
    public const string Help = "Exit codes: one flow: 0 ALLOWED, 1 DENIED or UNDECIDABLE; --expect: 0 every expectation holds, 1 one does not; 2 usage error, unreadable or invalid input.";

    private static readonly string[] ExpectationKeys = ["name", "from", "to", "port", "http", "dns", "expect"];

    private static readonly System.Text.Json.JsonSerializerOptions JsonOutput = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var policies = new Option<string[]>("--policies", "-p")
        {
            Description = "Policy files and folders (every *.yaml/*.yml below a folder); documents of other kinds are ignored.",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var from = new Option<string>("--from") { Description = "The source: " + FlowArguments.EndpointForms + "." };
        var to = new Option<string>("--to") { Description = "The destination, in the same forms as --from." };
        var port = new Option<string>("--port") { Description = "The destination port: " + FlowArguments.PortForms + "." };
        var http = new Option<string>("--http") { Description = "The HTTP request the flow carries, \"METHOD /PATH\" (for L7 HTTP rules)." };
        var dns = new Option<string>("--dns") { Description = "The DNS name the flow queries (for L7 DNS rules on port 53)." };
        var expect = new Option<FileInfo>("--expect", "-e") { Description = "A YAML list of expected verdicts (see docs/cli-verdict.md): check them all instead of one flow." };
        var cilium = LintCommand.CiliumOption();
        var format = new Option<string>("--format") { Description = "text (default) or json.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var verdict = new Command("verdict", "The verdict of Cilium network policies (YAML) for a flow, and the rule that decided it: --from shop/app=web --to shop/app=api --port 443/tcp; or, with --expect, check a list of expected verdicts as a CI gate. Policies the API server or agent would refuse are left out (and named). " + Help)
        {
            policies, from, to, port, http, dns, expect, cilium, format,
        };
        verdict.SetAction(parse =>
        {
            var version = CiliumVersion.Parse(parse.GetValue(cilium)!);
            var expectations = parse.GetValue(expect);
            var single = new[] { parse.GetValue(from), parse.GetValue(to), parse.GetValue(port) };
            if (expectations is not null && (single.Any(s => s is not null) || parse.GetValue(http) is not null || parse.GetValue(dns) is not null))
            {
                stderr.WriteLine("error: --expect checks the flows of its file; do not also pass --from, --to, --port, --http or --dns. Fix: use one form or the other.");
                return ExitCodes.Usage;
            }

            if (expectations is null && single.Any(s => s is null))
            {
                stderr.WriteLine("error: name the flow with --from, --to and --port (e.g. --from shop/app=web --to shop/app=api --port 443/tcp), or pass --expect expectations.yaml.");
                return ExitCodes.Usage;
            }

            var engine = Load(parse.GetValue(policies)!, version, stderr);
            if (engine is null)
            {
                return ExitCodes.Usage;
            }

            var json = parse.GetValue(format) == "json";
            if (expectations is not null)
            {
                return Check(engine, expectations, stdout, stderr, json);
            }

            var flow = ParseFlow(single[0]!, single[1]!, single[2]!, parse.GetValue(http), parse.GetValue(dns), out var error);
            if (flow is null)
            {
                stderr.WriteLine("error: " + error);
                return ExitCodes.Usage;
            }

            var answer = engine.Evaluate(flow);
            if (json)
            {
                stdout.WriteLine(ToJson(answer, null).ToJsonString(JsonOutput));
            }
            else
            {
                stdout.Write(answer.Explanation);
                stdout.WriteLine("decided by: " + DecidedBy(answer));
            }

            return answer.IsAllowed ? ExitCodes.Success : ExitCodes.Problems;
        });
        return verdict;
    }

    /// <summary>The engine over every policy of the paths that the API server and agent would accept; null after
    /// printing why when the paths cannot be read.</summary>
    private static PolicyVerdicts? Load(string[] paths, CiliumVersion version, TextWriter stderr)
    {
        ManifestSet set;
        try
        {
            set = ManifestSet.Load(paths);
        }
        catch (FileNotFoundException e)
        {
            stderr.WriteLine($"error: {e.FileName} does not exist. Fix: pass policy files or folders with --policies.");
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"error: cannot read the policies: {e.Message}");
            return null;
        }

        var unreadable = set.Files.SelectMany(f => f.Errors).ToList();
        if (unreadable.Count > 0)
        {
            foreach (var finding in unreadable)
            {
                stderr.WriteLine(finding);
            }

            stderr.WriteLine("error: the policies above cannot be read, so no verdict would be honest. Fix: correct them (cilium-sdk lint shows every problem).");
            return null;
        }

        var records = new List<object>();
        foreach (var document in set.Documents.Where(d => d.Kind is "CiliumNetworkPolicy" or "CiliumClusterwideNetworkPolicy" or "CiliumNetworkPolicyList" or "CiliumClusterwideNetworkPolicyList"))
        {
            if (PolicyDocuments.Accepted(document, version, stderr) is { } record)
            {
                records.Add(record);
            }
        }

        if (records.Count == 0)
        {
            stderr.WriteLine("warning: no CiliumNetworkPolicy or CiliumClusterwideNetworkPolicy in --policies: no policy selects anything, so every flow is allowed");
        }

        return PolicyVerdicts.ForRecords(records);
    }

    private static Flow? ParseFlow(string from, string to, string port, string? http, string? dns, out string? error)
    {
        var source = FlowArguments.Endpoint(from, out error);
        var destination = source is null ? null : FlowArguments.Endpoint(to, out error);
        var l4 = destination is null ? null : FlowArguments.Port(port, out error);
        return l4 is { } p ? FlowArguments.Flow(source!, destination!, p, http, dns, out error) : null;
    }

    /// <summary>The rules that decided: those of the side(s) that gave the decision, or why no rule did.</summary>
    internal static string DecidedBy(Verdict verdict)
    {
        var reasons = verdict.DecidingReasons;
        var rules = reasons.Where(r => r.Policy is not null).Select(r => r.Rule is null ? r.Policy! : r.Policy + " " + r.Rule).Distinct(StringComparer.Ordinal).ToList();
        if (rules.Count > 0)
        {
            return string.Join("; ", rules);
        }

        return reasons.Count > 0 ? string.Join("; ", reasons.Select(r => r.Message).Distinct(StringComparer.Ordinal)) : "no policy rule";
    }

    private static JsonObject ToJson(Verdict verdict, Expectation? expectation)
    {
        var result = new JsonObject
        {
            ["flow"] = verdict.Flow.ToString(),
            ["decision"] = Word(verdict.Decision),
            ["egress"] = Word(verdict.EgressDecision),
            ["ingress"] = Word(verdict.IngressDecision),
            ["decidedBy"] = DecidedBy(verdict),
            ["reasons"] = new JsonArray(verdict.Reasons.Select(r => (JsonNode)new JsonObject
            {
                ["direction"] = r.Direction?.ToString().ToLowerInvariant(),
                ["policy"] = r.Policy,
                ["rule"] = r.Rule,
                ["message"] = r.Message,
            }).ToArray()),
        };
        if (expectation is not null)
        {
            result["name"] = expectation.Name;
            result["line"] = expectation.Line;
            result["expected"] = Word(expectation.Expected);
            result["passed"] = Matches(verdict, expectation.Expected);
        }

        return result;
    }

    private static string Word(Decision decision) => decision.ToString().ToUpperInvariant();

    private static bool Matches(Verdict verdict, Decision expected) =>
        expected == Decision.Denied ? verdict.WouldDrop : verdict.Decision == expected;

    // --- --expect -------------------------------------------------------------------------------------------------

    private sealed record Expectation(string? Name, int Line, Flow Flow, Decision Expected);

    private static int Check(PolicyVerdicts engine, FileInfo file, TextWriter stdout, TextWriter stderr, bool json)
    {
        if (!file.Exists)
        {
            stderr.WriteLine($"error: {file.FullName} does not exist. Fix: pass the expectations file with --expect.");
            return ExitCodes.Usage;
        }

        string text;
        try
        {
            text = File.ReadAllText(file.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"error: cannot read {file.FullName}: {e.Message}");
            return ExitCodes.Usage;
        }

        var shown = Path.GetRelativePath(Directory.GetCurrentDirectory(), file.FullName);
        var expectations = ReadExpectations(text, shown, out var problems);
        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                stderr.WriteLine(problem);
            }

            return ExitCodes.Usage;
        }

        var failed = 0;
        var results = new JsonArray();
        foreach (var expectation in expectations)
        {
            var verdict = engine.Evaluate(expectation.Flow);
            var passed = Matches(verdict, expectation.Expected);
            failed += passed ? 0 : 1;
            if (json)
            {
                results.Add(ToJson(verdict, expectation));
                continue;
            }

            var label = expectation.Name is null ? verdict.Flow.ToString() : $"{expectation.Name}: {verdict.Flow}";
            if (passed)
            {
                stdout.WriteLine($"PASS {label}: {Word(verdict.Decision)}");
            }
            else
            {
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{shown}:{expectation.Line}: FAIL {label}: expected {Word(expectation.Expected)}, got {Word(verdict.Decision)}"));
                foreach (var reason in verdict.Reasons)
                {
                    stdout.WriteLine("  - " + reason);
                }

                stdout.WriteLine("  decided by: " + DecidedBy(verdict));
            }
        }

        if (json)
        {
            var document = new JsonObject { ["expectations"] = expectations.Count, ["passed"] = expectations.Count - failed, ["failed"] = failed, ["results"] = results };
            stdout.WriteLine(document.ToJsonString(JsonOutput));
        }
        else
        {
            stdout.WriteLine($"{expectations.Count} expectation(s): {expectations.Count - failed} passed, {failed} failed");
        }

        return failed == 0 ? ExitCodes.Success : ExitCodes.Problems;
    }

    /// <summary>Reads the expectations file (a YAML list of flows with the verdict each must get); every problem at its line.</summary>
    private static List<Expectation> ReadExpectations(string text, string file, out List<string> problemList)
    {
        var problems = problemList = [];
        var list = new List<Expectation>();
        var documents = CrdYamlDocuments.Read(text);
        var errors = documents.Select(d => d.Error).Append(documents.Error).OfType<ManifestException>().ToList();
        if (errors.Count > 0)
        {
            problems.AddRange(errors.Select(e => string.Create(CultureInfo.InvariantCulture, $"{file}:{e.Line ?? 1}:{e.Column ?? 1}: error: {e.Detail}")));
            return list;
        }

        if (documents.Count != 1 || documents[0].Root is not JsonArray items)
        {
            var line = documents.Count > 0 ? documents[0].Line : 1;
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{file}:{line}:1: error: the expectations file is one YAML list, each item a flow and its verdict: '- {{from: shop/app=web, to: shop/app=api, port: 443/tcp, expect: allowed}}'"));
            return list;
        }

        var document = documents[0];
        for (var i = 0; i < items.Count; i++)
        {
            var at = document.PositionOf($"[{i}]");
            void Problem(string field, string message)
            {
                var (line, column) = document.PositionOf(field.Length == 0 ? $"[{i}]" : $"[{i}].{field}");
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"{file}:{line}:{column}: error: {(field.Length == 0 ? $"item {i + 1}" : field)}: {message}"));
            }

            if (items[i] is not JsonObject item)
            {
                Problem(string.Empty, "must be a mapping with from, to, port and expect");
                continue;
            }

            foreach (var (key, _) in item)
            {
                if (!ExpectationKeys.Contains(key, StringComparer.Ordinal))
                {
                    Problem(key, $"is not a key of an expectation; use {string.Join(", ", ExpectationKeys)}");
                }
            }

            string? Field(string key, bool required)
            {
                if (item[key] is JsonValue value && value.TryGetValue<string>(out var s))
                {
                    return s;
                }

                if (item[key] is JsonValue number && key == "port")
                {
                    return number.ToJsonString();
                }

                if (required || item[key] is not null)
                {
                    Problem(item.ContainsKey(key) ? key : string.Empty, item.ContainsKey(key) ? "must be a string" : $"'{key}' is required");
                }

                return null;
            }

            var (fromText, toText, portText, expectText) = (Field("from", true), Field("to", true), Field("port", true), Field("expect", true));
            var (name, http, dns) = (Field("name", false), Field("http", false), Field("dns", false));
            if (fromText is null || toText is null || portText is null || expectText is null)
            {
                continue;
            }

            Decision? expected = expectText.ToLowerInvariant() switch
            {
                "allowed" or "allow" => Decision.Allowed,
                "denied" or "deny" or "dropped" => Decision.Denied,
                "undecidable" => Decision.Undecidable,
                _ => null,
            };
            if (expected is null)
            {
                Problem("expect", $"'{expectText}' is not a verdict; use allowed, denied or undecidable");
            }

            var source = FlowArguments.Endpoint(fromText, out var error);
            if (source is null)
            {
                Problem("from", error!);
            }

            var destination = FlowArguments.Endpoint(toText, out error);
            if (destination is null)
            {
                Problem("to", error!);
            }

            var port = FlowArguments.Port(portText, out error);
            if (port is null)
            {
                Problem("port", error!);
            }

            if (source is null || destination is null || port is null || expected is null)
            {
                continue;
            }

            var flow = FlowArguments.Flow(source, destination, port.Value, http, dns, out error);
            if (flow is null)
            {
                Problem(http is not null ? "http" : "dns", error!);
                continue;
            }

            list.Add(new Expectation(name, at.Line, flow, expected.Value));
        }

        if (items.Count == 0)
        {
            problems.Add($"{file}:{document.Line}:{document.Column}: error: the list of expectations is empty; add at least one");
        }

        return list;
    }
}
