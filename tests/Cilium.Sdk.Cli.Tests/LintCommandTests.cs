using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace Cilium.Sdk.Cli.Tests;

/// <summary><c>cilium-sdk lint</c> as a user runs it: formats, exit codes, and the SDK's own rendered trees.</summary>
public sealed class LintCommandTests : IDisposable
{
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("cilium-sdk-lint-");

    public void Dispose() => dir.Delete(recursive: true);

    private string Write(string relative, string text)
    {
        var path = Path.Combine(dir.FullName, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private const string BadPool = "apiVersion: cilium.io/v2\nkind: CiliumLoadBalancerIPPool\nmetadata:\n  name: pool\nspec:\n  blocks:\n    - cidr: 10.0.10.0/24\n    - cidr: LB_CIDR\n";

    private const string OverlappingPool = "apiVersion: cilium.io/v2\nkind: CiliumLoadBalancerIPPool\nmetadata:\n  name: other\nspec:\n  blocks:\n    - cidr: 10.0.10.128/25\n";

    private const string Mixed = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  template:\n    metadata: {labels: {app: web}}\n---\napiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  endpointSelector:\n    matchLabels: {app: web}\n  ingress: [{}]\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\n";

    [Fact]
    public void Text_prints_one_finding_a_line_as_compilers_do_and_exits_1_on_errors()
    {
        Write("apps/a-pool.yaml", BadPool);
        Write("apps/b-other.yml", OverlappingPool);
        Write("apps/web.yaml", Mixed);

        var (code, output, errors) = Cli.Run("lint", dir.FullName);

        Assert.Equal(1, code);
        Assert.Equal(string.Empty, errors);
        var lines = output.TrimEnd('\n').Split('\n');
        var findings = lines[..^1];
        Assert.Equal(2, findings.Length);
        Assert.All(findings, line => Assert.Matches(@"^/.+\.ya?ml:\d+:\d+: (error|warning): .+ \[(schema|agent|cluster|yaml)\]$", line));
        Assert.StartsWith(Path.Combine(dir.FullName, "apps/b-other.yml") + ":7:7: error: CiliumLoadBalancerIPPool other: spec.blocks[0]: overlaps spec.blocks[0] (10.0.10.0/24) of pool 'pool'", findings[1], StringComparison.Ordinal);
        Assert.StartsWith(Path.Combine(dir.FullName, "apps/a-pool.yaml") + ":8:7: error: CiliumLoadBalancerIPPool pool: spec.blocks[1].cidr: is not a valid cidr (value: LB_CIDR); fix: ", findings[0], StringComparison.Ordinal);
        Assert.Equal("3 Cilium document(s) checked for Cilium 1.20 in 3 file(s): 2 error(s), 0 warning(s); skipped 2 document(s) that are not Cilium's (apps/v1 Deployment, v1 Service)", lines[^1]);
    }

    [Fact]
    public void Clean_files_exit_0_warnings_only_fail_with_warnings_as_errors()
    {
        var file = Write("l2.yaml", "apiVersion: cilium.io/v2alpha1\nkind: CiliumCIDRGroup\nmetadata: {name: g}\nspec: {externalCIDRs: [10.0.0.0/8]}\n");

        var (code, output, _) = Cli.Run("lint", file);
        var (strictCode, _, _) = Cli.Run("lint", "--warnings-as-errors", file);

        Assert.Equal(0, code);
        Assert.Contains(":1:1: warning: CiliumCIDRGroup g: apiVersion: is deprecated", output, StringComparison.Ordinal);
        Assert.Equal(1, strictCode);
    }

    [Theory]
    [InlineData("v1.20", "write --cilium 1.20")]
    [InlineData("1.21", "use --cilium 1.19 or --cilium 1.20")]
    [InlineData("banana", "use --cilium 1.19 or --cilium 1.20")]
    public void An_unknown_release_is_a_usage_error_naming_the_flag(string release, string fix)
    {
        var file = Write("p.yaml", BadPool);

        var (code, output, errors) = Cli.Run("lint", "--cilium", release, file);

        Assert.Equal(2, code);
        Assert.Equal(string.Empty, output);
        Assert.Contains($"--cilium '{release}'", errors, StringComparison.Ordinal);
        Assert.Contains(fix, errors, StringComparison.Ordinal);
        Assert.DoesNotContain("CiliumVersion", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_path_or_no_path_is_a_usage_error()
    {
        var (missing, _, missingErr) = Cli.Run("lint", Path.Combine(dir.FullName, "nope"));
        var (none, _, noneErr) = Cli.Run("lint");

        Assert.Equal(2, missing);
        Assert.Contains("does not exist", missingErr, StringComparison.Ordinal);
        Assert.Equal(2, none);
        Assert.Contains("lint", noneErr, StringComparison.Ordinal);
    }

    [Fact]
    public void The_release_decides_what_is_checked()
    {
        // Kafka rules were removed in 1.20.
        var file = Write("kafka.yaml", "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: k, namespace: shop}\nspec:\n  endpointSelector: {}\n  ingress:\n    - toPorts:\n        - ports: [{port: '9092', protocol: TCP}]\n          rules:\n            kafka: [{topic: t}]\n");

        var (code119, out119, _) = Cli.Run("lint", "--cilium", "1.19", "--format", "json", file);
        var (code120, out120, _) = Cli.Run("lint", "--cilium", "1.20", "--format", "json", file);

        var on119 = JsonNode.Parse(out119)!["findings"]!.AsArray().Select(f => f!["path"]!.GetValue<string>()).ToList();
        var on120 = JsonNode.Parse(out120)!["findings"]!.AsArray().Select(f => f!["path"]!.GetValue<string>()).ToList();
        Assert.Contains("spec.ingress[0].toPorts[0].rules.kafka", on120);
        Assert.DoesNotContain("spec.ingress[0].toPorts[0].rules.kafka", on119);
        Assert.Equal(1, code120);
        _ = code119;
    }

    [Fact]
    public void Json_has_the_counts_and_every_field_of_each_finding()
    {
        Write("pool.yaml", BadPool);
        Write("web.yaml", Mixed);

        var (code, output, _) = Cli.Run("lint", "--format", "json", dir.FullName);

        Assert.Equal(1, code);
        var report = JsonNode.Parse(output)!;
        Assert.Equal("1.20", report["cilium"]!.GetValue<string>());
        Assert.Equal(2, report["files"]!.GetValue<int>());
        Assert.Equal(4, report["documents"]!.GetValue<int>());
        Assert.Equal(2, report["checked"]!.GetValue<int>());
        Assert.Equal(1, report["notCilium"]!["apps/v1 Deployment"]!.GetValue<int>());
        var finding = Assert.Single(report["findings"]!.AsArray())!;
        Assert.Equal(8, finding["line"]!.GetValue<int>());
        Assert.Equal(7, finding["column"]!.GetValue<int>());
        Assert.Equal("schema", finding["layer"]!.GetValue<string>());
        Assert.Equal("spec.blocks[1].cidr", finding["path"]!.GetValue<string>());
        Assert.Equal("LB_CIDR", finding["value"]!.GetValue<string>());
        Assert.Equal(0, finding["documentIndex"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(finding["fix"]!.GetValue<string>()));
    }

    [Fact]
    public void GitHub_format_is_one_workflow_command_per_finding_with_escaped_properties()
    {
        Write("pool.yaml", BadPool);
        Write("bad.yaml", "a: [unclosed\n");

        var (code, output, _) = Cli.Run("lint", "--format", "github", dir.FullName);

        Assert.Equal(1, code);
        var commands = output.Split('\n').Where(l => l.StartsWith("::", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, commands.Count);
        var pattern = new Regex(@"^::(error|warning) file=(?<file>[^,:]+),line=(?<line>[1-9]\d*),col=(?<col>[1-9]\d*),title=(?<title>[^,:]*)::(?<message>[^\r\n]+)$");
        Assert.All(commands, c => Assert.Matches(pattern, c));
        var pool = commands.Single(c => c.Contains("pool.yaml", StringComparison.Ordinal));
        Assert.Contains("line=8,col=7,title=CiliumLoadBalancerIPPool pool spec.blocks[1].cidr [schema]::is not a valid cidr (value: LB_CIDR); fix: ", pool, StringComparison.Ordinal);
    }

    [Fact]
    public void Sarif_is_a_valid_2_1_0_log_with_a_result_per_finding()
    {
        Write("pool.yaml", BadPool);
        Write("web.yaml", Mixed);
        Write("bad.yaml", "a: [unclosed\n");

        var (code, output, _) = Cli.Run("lint", "--format", "sarif", dir.FullName);

        Assert.Equal(1, code);
        using var document = JsonDocument.Parse(output);
        var result = SarifSubset.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        Assert.True(result.IsValid, string.Join("\n", (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key} {e.Value}"))));
        var results = document.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(2, results.Count);
        var rules = document.RootElement.GetProperty("runs")[0].GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("id").GetString()).ToList();
        Assert.All(results, r => Assert.Equal(rules[r.GetProperty("ruleIndex").GetInt32()], r.GetProperty("ruleId").GetString()));
        var pool = results.Single(r => r.GetProperty("ruleId").GetString() == "schema");
        var location = pool.GetProperty("locations")[0].GetProperty("physicalLocation");
        Assert.Equal("file://" + Path.Combine(dir.FullName, "pool.yaml"), location.GetProperty("artifactLocation").GetProperty("uri").GetString());
        Assert.Equal(8, location.GetProperty("region").GetProperty("startLine").GetInt32());
    }

    [Fact]
    public void Sarif_uris_of_relative_paths_are_relative_and_encoded()
    {
        Assert.Equal("kubernetes/apps/my%20pool.yaml", LintFormats.Uri("./kubernetes/apps/my pool.yaml"));
        Assert.Equal("file:///tmp/a%23b.yaml", LintFormats.Uri("/tmp/a#b.yaml"));
    }

    public static TheoryData<string> TemplateCases() => Cli.Cases();

    [Theory]
    [MemberData(nameof(TemplateCases))]
    public void The_sdks_own_rendered_tree_lints_clean(string @case)
    {
        var (renderCode, _, renderErr) = Cli.Run("render", "--config", Cli.Case(@case), "--out", dir.FullName);
        Assert.True(renderCode == 0, renderErr);

        var (code, output, errors) = Cli.Run("lint", Path.Combine(dir.FullName, "kubernetes"));

        Assert.True(code == 0, output + errors);
        var lines = output.TrimEnd('\n').Split('\n');
        Assert.True(lines.Length == 1, output);
        var summary = Regex.Match(lines[0], @"^(\d+) Cilium document\(s\) checked for Cilium 1\.20 in (\d+) file\(s\): 0 error\(s\), 0 warning\(s\)");
        Assert.True(summary.Success, lines[0]);
        Assert.True(int.Parse(summary.Groups[1].Value) >= 1, lines[0]);
    }

    /// <summary>
    /// The parts of SARIF 2.1.0 (OASIS standard, sections 3.13-3.30) that lint writes, as a JSON Schema written here
    /// from the specification's rules: required properties, types, enumerations, minimums, and no properties the
    /// specification does not define on those objects. (The OASIS schema itself is not redistributable under the
    /// project's license, so it is not checked in.)
    /// </summary>
    private static readonly JsonSchema SarifSubset = JsonSchema.FromText("""
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "type": "object",
          "required": ["version", "runs"],
          "additionalProperties": false,
          "properties": {
            "$schema": {"type": "string", "format": "uri"},
            "version": {"const": "2.1.0"},
            "runs": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/run"}}
          },
          "$defs": {
            "message": {"type": "object", "required": ["text"], "additionalProperties": false, "properties": {"text": {"type": "string", "minLength": 1}}},
            "level": {"enum": ["none", "note", "warning", "error"]},
            "run": {
              "type": "object", "required": ["tool"], "additionalProperties": false,
              "properties": {
                "tool": {"type": "object", "required": ["driver"], "additionalProperties": false, "properties": {"driver": {"$ref": "#/$defs/driver"}}},
                "results": {"type": "array", "items": {"$ref": "#/$defs/result"}},
                "properties": {"type": "object"}
              }
            },
            "driver": {
              "type": "object", "required": ["name"], "additionalProperties": false,
              "properties": {
                "name": {"type": "string", "minLength": 1},
                "semanticVersion": {"type": "string"},
                "rules": {"type": "array", "items": {
                  "type": "object", "required": ["id"], "additionalProperties": false,
                  "properties": {
                    "id": {"type": "string", "minLength": 1},
                    "name": {"type": "string"},
                    "shortDescription": {"$ref": "#/$defs/message"},
                    "defaultConfiguration": {"type": "object", "additionalProperties": false, "properties": {"level": {"$ref": "#/$defs/level"}}}
                  }
                }}
              }
            },
            "result": {
              "type": "object", "required": ["message"], "additionalProperties": false,
              "properties": {
                "ruleId": {"type": "string"},
                "ruleIndex": {"type": "integer", "minimum": -1},
                "level": {"$ref": "#/$defs/level"},
                "message": {"$ref": "#/$defs/message"},
                "locations": {"type": "array", "items": {
                  "type": "object", "additionalProperties": false,
                  "properties": {"physicalLocation": {
                    "type": "object", "required": ["artifactLocation"], "additionalProperties": false,
                    "properties": {
                      "artifactLocation": {"type": "object", "required": ["uri"], "additionalProperties": false, "properties": {"uri": {"type": "string", "format": "uri-reference"}}},
                      "region": {"type": "object", "required": ["startLine"], "additionalProperties": false, "properties": {"startLine": {"type": "integer", "minimum": 1}, "startColumn": {"type": "integer", "minimum": 1}}}
                    }
                  }}
                }}
              }
            }
          }
        }
        """);
}
