using System.Text.Json.Nodes;

namespace Cilium.Sdk.Cli.Tests;

public sealed class ValidateAndDiagramTests
{
    [Fact]
    public void Help_lists_every_command_and_the_exit_codes()
    {
        var (code, output, _) = Cli.Run("--help");

        Assert.Equal(0, code);
        foreach (var command in new[] { "validate", "diagram", "render", "check" })
        {
            Assert.Contains(command, output, StringComparison.Ordinal);
        }

        Assert.Contains("Exit codes: 0", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_a_template_case_exits_0_and_prints_warnings_plainly_when_not_a_terminal()
    {
        var (code, output, problems) = Cli.Run("validate", "--config", Cli.Case("a-defaults"));

        Assert.Equal(0, code);
        Assert.Contains("warning: cilium_lb_pool_cidr", problems, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", problems, StringComparison.Ordinal);
        Assert.Contains("0 error(s), 1 warning(s)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_reports_errors_as_json_with_exit_code_1_and_never_prints_the_password()
    {
        var dir = Directory.CreateTempSubdirectory("cilium-sdk-cli-");
        try
        {
            File.Copy(Cli.Case("c-bgp-full", "nodes.yaml"), Path.Combine(dir.FullName, "nodes.yaml"));
            var yaml = File.ReadAllText(Cli.Case("c-bgp-full")).Replace("cilium_bgp_hold_time: 9", "cilium_bgp_hold_time: 1000", StringComparison.Ordinal);
            File.WriteAllText(Path.Combine(dir.FullName, "cluster.yaml"), yaml);

            var (code, output, _) = Cli.Run("validate", "--config", Path.Combine(dir.FullName, "cluster.yaml"), "--format", "json");

            Assert.Equal(1, code);
            var report = JsonNode.Parse(output)!;
            Assert.True(report["errors"]!.GetValue<int>() >= 1);
            Assert.Contains(report["problems"]!.AsArray(), p => p!["path"]!.GetValue<string>() == "cilium_bgp_hold_time");
            Assert.DoesNotContain("s3cret-md5", output, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Usage_errors_and_missing_files_exit_2_with_the_fix()
    {
        var (badCode, _, badErr) = Cli.Run("validate", "--bogus");
        var (missingCode, _, missingErr) = Cli.Run("validate", "--config", "/nonexistent/cluster.yaml");

        Assert.Equal(2, badCode);
        Assert.Contains("--config", badErr, StringComparison.Ordinal);
        Assert.Equal(2, missingCode);
        Assert.Contains("does not exist", missingErr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mermaid", "flowchart LR")]
    [InlineData("dot", "digraph cluster_network {")]
    public void Diagram_draws_nodes_pools_and_pinned_services(string format, string header)
    {
        var (code, output, _) = Cli.Run("diagram", "--config", Cli.Case("c-bgp-full"), "--format", format);

        Assert.Equal(0, code);
        Assert.StartsWith(header, output, StringComparison.Ordinal);
        foreach (var expected in new[] { "k8s-0", "k8s-2", "172.20.10.0/24", "network/envoy-internal", "172.20.10.21" })
        {
            Assert.Contains(expected, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Diagram_as_markdown_is_a_fenced_mermaid_block_with_labels_that_read_naturally()
    {
        var (code, output, _) = Cli.Run("diagram", "--config", Cli.Case("c-bgp-full"), "--format", "markdown");
        var (_, mermaid, _) = Cli.Run("diagram", "--config", Cli.Case("c-bgp-full"));

        Assert.Equal(0, code);
        Assert.Equal("```mermaid\n" + mermaid + "```\n", output);
        Assert.Contains("LoadBalancer pool 'pool'<br/>172.20.10.0/24", output, StringComparison.Ordinal);
        Assert.DoesNotContain("LB pool pool", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Diagram_shows_bgp_sessions_and_the_flows_policies_allow()
    {
        var (bgpCode, bgp, _) = Cli.Run("diagram", "--config", Cli.Case("c-bgp-full"));
        var (policyCode, policies, _) = Cli.Run("diagram", "--config", Cli.Case("e-policies-audit"), "--format", "dot");

        Assert.Equal(0, bgpCode);
        Assert.Contains("BGP AS64514 to AS64513", bgp, StringComparison.Ordinal);
        Assert.Equal(0, policyCode);
        Assert.StartsWith("digraph", policies, StringComparison.Ordinal);
        Assert.Contains("label=\"namespace flux-system\"", policies, StringComparison.Ordinal);
        Assert.Contains("entity:kube-apiserver", policies, StringComparison.Ordinal);
        Assert.Matches(@"-> \w+ \[label=""\d+/(TCP|UDP)", policies);
    }
}
