using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cilium.Sdk.Migration;
using Cilium.Sdk.Serialization;
using Cilium.Sdk.Tests.Infrastructure;

namespace Cilium.Sdk.Tests.Migration;

/// <summary>
/// Every optional cluster.yaml key left out renders what the template renders for that omission (its schema's
/// defaults and its templates' <c>| default(...)</c> filters: hold 30, keepalive 10, graceful restart off, ECMP 3, dsr,
/// 10.42.0.0/16 and 10.43.0.0/16, Spegel on more than one node), not the builder's own defaults.
/// </summary>
public sealed class TemplateDefaultsTests
{
    private static string CaseFile(string @case, string file) => File.ReadAllText(TestData.Shared("corpus", "template", "cases", @case, file));

    /// <summary>The c-bgp-full case with the named keys removed.</summary>
    private static Cilium.Sdk.Rendering.RenderedCluster RenderWithout(params string[] keys)
    {
        var lines = CaseFile("c-bgp-full", "cluster.yaml").Split('\n')
            .Where(l => !keys.Any(k => l.StartsWith(k + ":", StringComparison.Ordinal)));
        var import = TemplateImporter.Import(string.Join('\n', lines), CaseFile("c-bgp-full", "nodes.yaml"));
        Assert.True(import.Cluster is not null, string.Join("\n", import.Problems));
        return import.Cluster.Build().Render();
    }

    private static JsonObject PeerConfig(Cilium.Sdk.Rendering.RenderedCluster rendered) =>
        Manifests.ParseYaml(rendered.Tree["kubernetes/apps/kube-system/cilium/app/networks.yaml"]!.Content)
            .OfType<JsonObject>().Single(d => (string?)d["kind"] == "CiliumBGPPeerConfig");

    private static string RouterConfig(Cilium.Sdk.Rendering.RenderedCluster rendered) =>
        (rendered.Tree["unifi/bgp.conf"] ?? rendered.Tree["unifi/bgp.sops.yaml"])!.Content;

    [Fact]
    public void Omitted_bgp_timers_are_the_templates_30_and_10_on_both_ends()
    {
        var rendered = RenderWithout("cilium_bgp_hold_time", "cilium_bgp_keepalive_time");

        var timers = PeerConfig(rendered)["spec"]!["timers"]!;
        Assert.Equal((30L, 10L), (timers["holdTimeSeconds"]!.GetValue<long>(), timers["keepAliveTimeSeconds"]!.GetValue<long>()));
        Assert.Contains("neighbor TALOS timers 10 30", RouterConfig(rendered), StringComparison.Ordinal);
    }

    [Fact]
    public void Omitted_graceful_restart_is_off_with_120_seconds()
    {
        var rendered = RenderWithout("cilium_bgp_graceful_restart", "cilium_bgp_graceful_restart_time");

        var restart = PeerConfig(rendered)["spec"]!["gracefulRestart"];
        Assert.False(restart?["enabled"]?.GetValue<bool>() ?? false);
        Assert.Equal(120, rendered.Resources.Bgp!.PeerConfig.Spec!.GracefulRestart?.RestartTimeSeconds ?? 120);
        Assert.DoesNotContain("graceful-restart", RouterConfig(rendered), StringComparison.Ordinal);
    }

    [Fact]
    public void Graceful_restart_on_without_a_time_uses_120_seconds()
    {
        var rendered = RenderWithout("cilium_bgp_graceful_restart_time");

        Assert.Equal(120L, PeerConfig(rendered)["spec"]!["gracefulRestart"]!["restartTimeSeconds"]!.GetValue<long>());
    }

    [Fact]
    public void Omitted_ecmp_width_is_three_paths()
    {
        var rendered = RenderWithout("cilium_bgp_ecmp_max_paths");

        Assert.Matches(new Regex(@"^\s*maximum-paths 3$", RegexOptions.Multiline), RouterConfig(rendered));
    }

    [Fact]
    public void Every_optional_bgp_key_omitted_at_once_renders_the_templates_defaults()
    {
        var rendered = RenderWithout(
            "cilium_bgp_hold_time", "cilium_bgp_keepalive_time", "cilium_bgp_graceful_restart", "cilium_bgp_graceful_restart_time",
            "cilium_bgp_ecmp_max_paths", "cilium_bgp_password");

        var spec = PeerConfig(rendered)["spec"]!;
        Assert.Equal("30/10", $"{spec["timers"]!["holdTimeSeconds"]}/{spec["timers"]!["keepAliveTimeSeconds"]}");
        Assert.Null(spec["authSecretRef"]);
        var frr = RouterConfig(rendered);
        Assert.Contains("neighbor TALOS timers 10 30", frr, StringComparison.Ordinal);
        Assert.Matches(new Regex(@"^\s*maximum-paths 3$", RegexOptions.Multiline), frr);
        Assert.DoesNotContain("password", frr, StringComparison.Ordinal);
        Assert.NotNull(rendered.Tree["unifi/bgp.conf"]);
    }

    [Fact]
    public void A_hold_time_below_the_default_keepalive_is_refused_as_the_template_would_render_it()
    {
        var yaml = string.Join('\n', CaseFile("c-bgp-full", "cluster.yaml").Split('\n')
            .Where(l => !l.StartsWith("cilium_bgp_keepalive_time:", StringComparison.Ordinal))
            .Select(l => l.StartsWith("cilium_bgp_hold_time:", StringComparison.Ordinal) ? "cilium_bgp_hold_time: 9" : l));

        var import = TemplateImporter.Import(yaml, CaseFile("c-bgp-full", "nodes.yaml"));

        var problem = Assert.Single(import.Problems, p => p.IsError);
        Assert.Equal("cilium_bgp_hold_time", problem.Path);
        Assert.Contains("cilium_bgp_keepalive_time is omitted (10)", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Omitted_addresses_and_mode_are_the_templates_defaults()
    {
        var import = TemplateImporter.Import(CaseFile("a-defaults", "cluster.yaml"), CaseFile("a-defaults", "nodes.yaml"));

        var spec = import.Cluster!.Spec;
        Assert.Equal(
            (TemplateDefaults.PodCidr, TemplateDefaults.ServiceCidr, Cilium.Sdk.LoadBalancing.LoadBalancerMode.Dsr),
            (spec.Networks.PodCidr, spec.Networks.ServiceCidr, spec.LoadBalancer.Mode));
        Assert.Equal("10.42.0.0/16", import.Cluster.Build().Render().HelmValues["ipv4NativeRoutingCIDR"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(1, null, false)]
    [InlineData(3, null, true)]
    [InlineData(3, false, false)]
    [InlineData(1, true, true)]
    public void Spegel_is_protected_when_the_template_deploys_it(int nodes, bool? flag, bool expected)
    {
        var nodeList = "nodes:\n" + string.Concat(Enumerable.Range(0, nodes).Select(i => $"  - name: k8s-{i}\n    address: \"192.168.1.{10 + i}\"\n    controller: true\n"));
        var yaml = TemplateImportTests.Base + "\nnetwork_policies_enabled: true" + (flag is { } f ? $"\nspegel_enabled: {(f ? "true" : "false")}" : string.Empty);

        var spec = TemplateImporter.Import(yaml, nodeList).Cluster!.Spec;

        Assert.Equal(expected, spec.Policies!.Policies.Any(p => p.Name == "spegel"));
    }
}
