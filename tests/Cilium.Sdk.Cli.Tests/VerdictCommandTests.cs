using System.Text.Json.Nodes;

namespace Cilium.Sdk.Cli.Tests;

/// <summary><c>cilium-sdk verdict</c>: one flow with the deciding rule, and --expect as a CI gate.</summary>
public sealed class VerdictCommandTests : IDisposable
{
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("cilium-sdk-verdict-");

    public VerdictCommandTests()
    {
        Directory.CreateDirectory(Policies);
        File.WriteAllText(Path.Combine(Policies, "api.yaml"), """
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata:
              name: api-ingress
              namespace: shop
            spec:
              endpointSelector:
                matchLabels: {app: api}
              ingress:
                - fromEndpoints:
                    - matchLabels: {app: web}
                  toPorts:
                    - ports: [{port: "443", protocol: TCP}]
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: api, namespace: shop}
            """);
        File.WriteAllText(Path.Combine(Policies, "egress.yaml"), """
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata:
              name: web-egress
              namespace: shop
            spec:
              endpointSelector:
                matchLabels: {app: web}
              egress:
                - toEndpoints:
                    - matchLabels: {app: api}
                - toCIDR: [140.82.112.0/20]
                  toPorts:
                    - ports: [{port: "443", protocol: TCP}]
            """);
    }

    private string Policies => Path.Combine(dir.FullName, "policies");

    public void Dispose() => dir.Delete(recursive: true);

    [Fact]
    public void One_flow_prints_the_verdict_and_the_deciding_rule()
    {
        var (code, output, errors) = Cli.Run("verdict", "--policies", Policies, "--from", "shop/app=web", "--to", "shop/app=api", "--port", "443/tcp");

        Assert.Equal(0, code);
        Assert.Equal(string.Empty, errors);
        Assert.StartsWith("shop/app=web -> shop/app=api 443/TCP: ALLOWED\n", output, StringComparison.Ordinal);
        Assert.Contains("decided by: CiliumNetworkPolicy shop/web-egress spec.egress[0]; CiliumNetworkPolicy shop/api-ingress spec.ingress[0]\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_denied_flow_exits_1_and_names_the_side_that_dropped_it()
    {
        var (code, output, _) = Cli.Run("verdict", "--policies", Policies, "--from", "shop/app=web", "--to", "world:1.1.1.1", "--port", "443");
        var (allowed, _, _) = Cli.Run("verdict", "--policies", Policies, "--from", "shop/app=web", "--to", "world:140.82.112.3,api.github.com", "--port", "443/tcp");

        Assert.Equal(1, code);
        Assert.StartsWith("shop/app=web -> world:1.1.1.1 443/TCP: DENIED\n", output, StringComparison.Ordinal);
        Assert.Contains("decided by: ", output, StringComparison.Ordinal);
        Assert.Contains("egress", output, StringComparison.Ordinal);
        Assert.Equal(0, allowed);
    }

    [Fact]
    public void Json_carries_decision_sides_and_reasons()
    {
        var (code, output, _) = Cli.Run("verdict", "--policies", Policies, "--from", "shop/app=other", "--to", "shop/app=api", "--port", "443/tcp", "--format", "json");

        Assert.Equal(1, code);
        var verdict = JsonNode.Parse(output)!;
        Assert.Equal("DENIED", verdict["decision"]!.GetValue<string>());
        Assert.Equal("ALLOWED", verdict["egress"]!.GetValue<string>());
        Assert.Equal("DENIED", verdict["ingress"]!.GetValue<string>());
        Assert.Contains(verdict["reasons"]!.AsArray(), r => r!["direction"]!.GetValue<string>() == "ingress");
    }

    [Fact]
    public void Expectations_that_hold_exit_0_and_a_deliberately_wrong_one_exits_1_with_its_line()
    {
        var good = Path.Combine(dir.FullName, "good.yaml");
        File.WriteAllText(good, """
            # what the shop's policies must do
            - name: web reaches the api
              from: shop/app=web
              to: shop/app=api
              port: 443/tcp
              expect: allowed
            - name: strangers do not
              from: shop/app=other
              to: shop/app=api
              port: 443/tcp
              expect: denied
            - from: shop/app=web
              to: world:140.82.112.3
              port: 443
              expect: allowed
            """);
        var wrong = Path.Combine(dir.FullName, "wrong.yaml");
        File.WriteAllText(wrong, File.ReadAllText(good).Replace("expect: denied", "expect: allowed", StringComparison.Ordinal));

        var (goodCode, goodOut, goodErr) = Cli.Run("verdict", "--policies", Policies, "--expect", good);
        var (wrongCode, wrongOut, _) = Cli.Run("verdict", "--policies", Policies, "--expect", wrong);

        Assert.True(goodCode == 0, goodOut + goodErr);
        Assert.EndsWith("3 expectation(s): 3 passed, 0 failed\n", goodOut, StringComparison.Ordinal);
        Assert.Equal(1, wrongCode);
        Assert.Contains("wrong.yaml:7: FAIL strangers do not: shop/app=other -> shop/app=api 443/TCP: expected ALLOWED, got DENIED", wrongOut, StringComparison.Ordinal);
        Assert.Contains("  decided by: ", wrongOut, StringComparison.Ordinal);
        Assert.EndsWith("3 expectation(s): 2 passed, 1 failed\n", wrongOut, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("- {from: shop/app=web, to: shop/app=api, port: 443/tcp, expect: maybe}\n", "1:", "'maybe' is not a verdict")]
    [InlineData("- from: shop/app=web\n  to: shop/app=api\n  port: 99999\n  expect: allowed\n", "3:3", "'99999' is not a port")]
    [InlineData("- from: shop/app=web\n  to: shop/app=api\n  port: 443\n", "1:3", "'expect' is required")]
    [InlineData("- from: nonsense\n  to: shop/app=api\n  port: 443\n  expect: allowed\n  colour: red\n", "5:3", "colour: is not a key of an expectation")]
    [InlineData("from: shop/app=web\n", "1:1", "one YAML list")]
    [InlineData("- [unclosed\n", "", "error:")]
    public void A_bad_expectations_file_exits_2_with_the_line_and_the_fix(string text, string position, string message)
    {
        var file = Path.Combine(dir.FullName, "bad.yaml");
        File.WriteAllText(file, text);

        var (code, output, errors) = Cli.Run("verdict", "--policies", Policies, "--expect", file);

        Assert.Equal(2, code);
        Assert.Equal(string.Empty, output);
        Assert.Contains("bad.yaml:" + position, errors, StringComparison.Ordinal);
        Assert.Contains(message, errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--from", "shop", "is not an endpoint")]
    [InlineData("--from", "cluster", "is a group of identities")]
    [InlineData("--port", "443/tcpp", "is not a port")]
    [InlineData("--port", "0443", "is not a port")]
    public void A_bad_flow_is_a_usage_error_with_the_forms_to_write(string flag, string value, string message)
    {
        var args = new Dictionary<string, string> { ["--from"] = "shop/app=web", ["--to"] = "shop/app=api", ["--port"] = "443" };
        args[flag] = value;

        var (code, _, errors) = Cli.Run(["verdict", "--policies", Policies, .. args.SelectMany(kv => new[] { kv.Key, kv.Value })]);

        Assert.Equal(2, code);
        Assert.Contains(message, errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Entities_and_icmp_are_accepted()
    {
        var (code, output, _) = Cli.Run("verdict", "--policies", Policies, "--from", "remote-node", "--to", "shop/app=api", "--port", "icmp/8");

        Assert.Equal(1, code);
        Assert.StartsWith("remote-node -> shop/app=api ICMPv4 type 8: DENIED", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_policy_the_agent_would_refuse_is_left_out_and_named()
    {
        File.WriteAllText(Path.Combine(Policies, "broken.yaml"), "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: broken, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: api}}\n  ingress:\n    - fromEndpoints: [{}]\n      fromCIDR: [10.0.0.0/8]\n");

        var (code, _, errors) = Cli.Run("verdict", "--policies", Policies, "--from", "shop/app=web", "--to", "shop/app=api", "--port", "443/tcp");

        Assert.Equal(0, code);
        Assert.Contains("broken.yaml:1:1: CiliumNetworkPolicy shop/broken: left out", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_inputs_and_mixed_forms_are_usage_errors()
    {
        Assert.Equal(2, Cli.Run("verdict", "--policies", Policies, "--from", "shop/app=web").Code);
        Assert.Equal(2, Cli.Run("verdict", "--policies", Path.Combine(dir.FullName, "none"), "--from", "shop/app=web", "--to", "shop/app=api", "--port", "443").Code);
        Assert.Equal(2, Cli.Run("verdict", "--policies", Policies, "--expect", Path.Combine(dir.FullName, "none.yaml")).Code);
        Assert.Equal(2, Cli.Run("verdict", "--policies", Policies, "--expect", Path.Combine(dir.FullName, "x.yaml"), "--port", "443").Code);
    }
}
