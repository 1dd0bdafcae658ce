using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Text.RegularExpressions;
using Cilium.Sdk.Bgp;
using Cilium.Sdk.Frr;
using Cilium.Sdk.Secrets;
using Cilium.Sdk.Tests.Bgp.Support;

namespace Cilium.Sdk.Tests.Frr;

public class FrrConfigWriterTests
{
    /// <summary>Every model variant whose config must pass FRR's checkers.</summary>
    public static TheoryData<string> Variants => new(VariantModels.Keys.Order(StringComparer.Ordinal));

    internal static readonly IReadOnlyDictionary<string, Func<(BgpOptions, BgpTopology)>> VariantModels = new Dictionary<string, Func<(BgpOptions, BgpTopology)>>
    {
        ["c-bgp-full"] = () => BgpModels.CBgpFull(),
        ["defaults"] = () => (BgpModels.Options(), BgpModels.Topology()),
        ["fast-no-password"] = () => (BgpModels.Options() with { Timers = BgpTimerOptions.Fast }, BgpModels.Topology()),
        ["per-node-asn-multihop-overrides"] = () => (BgpModels.Options() with
        {
            NodeAsns = new Dictionary<string, uint> { ["k8s-2"] = 4200000001 },
            NodeOverrides = new Dictionary<string, BgpNodeOverride> { ["k8s-1"] = new(LocalAddress: IPAddress.Parse("192.168.1.111")) },
            EbgpMultihop = 3,
            Password = new SecretValue("Pa$$w0rd_with-punct.:/@%"),
        }, BgpModels.Topology()),
        ["ibgp-two-pools-one-host"] = () => (BgpModels.Options() with { NodeAsn = 64513, AllowIbgp = true, GracefulRestart = BgpGracefulRestartOptions.On(5) },
            BgpModels.Topology() with { LoadBalancerPools = [IPNetwork.Parse("172.20.11.7/32"), IPNetwork.Parse("172.20.10.0/24")] }),
    };

    private static string Config(string variant)
    {
        var (options, topology) = VariantModels[variant]();
        return FrrConfigWriter.Write(options, topology);
    }

    [Fact]
    public void Snapshot_of_the_c_bgp_full_equivalent_config()
    {
        BgpSnapshot.Match("Frr/Snapshots", "c-bgp-full", "conf", Config("c-bgp-full"));
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Frr_checkers_accept_every_generated_config(string variant)
    {
        var problems = FrrCheck.Problems(Config(variant));
        Assert.True(problems.Count == 0, "FRR rejects the config:\n" + string.Join("\n", problems) + "\n---\n" + Config(variant));
    }

    [Fact]
    public void Frr_checker_catches_a_broken_config()
    {
        // Proves the check can fail: an unknown peer-group passes vtysh -C but not bgpd -C; a quoted password with a space fails both.
        var broken = Config("c-bgp-full").Replace("neighbor 192.168.1.10 peer-group TALOS", "neighbor 192.168.1.10 peer-group NOPE", StringComparison.Ordinal)
            .Replace("password s3cret-md5", "password \"s3cret md5\"", StringComparison.Ordinal);
        var problems = FrrCheck.Problems(broken);
        Assert.Contains(problems, p => p.StartsWith("vtysh -C", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("peer-group NOPE", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Every_referenced_route_map_and_prefix_list_is_defined(string variant)
    {
        var text = Config(variant);
        var routeMaps = Regex.Matches(text, @"route-map (\S+) (in|out)$", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
        var prefixLists = Regex.Matches(text, @"match ip address prefix-list (\S+)$", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(routeMaps);
        Assert.NotEmpty(prefixLists);
        Assert.All(routeMaps, rm => Assert.Matches(new Regex($"^route-map {Regex.Escape(rm)} permit \\d+$", RegexOptions.Multiline), text));
        Assert.All(prefixLists, pl => Assert.Matches(new Regex($"^ip prefix-list {Regex.Escape(pl)} seq \\d+ permit ", RegexOptions.Multiline), text));
    }

    [Fact]
    public void Prefix_list_accepts_only_the_pools_slash_32s()
    {
        var text = Config("ibgp-two-pools-one-host");
        Assert.Contains("ip prefix-list K8S-LOADBALANCER seq 5 permit 172.20.10.0/24 ge 32\n", text, StringComparison.Ordinal);
        Assert.Contains("ip prefix-list K8S-LOADBALANCER seq 10 permit 172.20.11.7/32\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("172.20.11.7/32 ge", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Router_section_has_the_required_statements_in_place()
    {
        var text = Config("c-bgp-full");
        var router = Section(text, "router bgp 64513", "exit\n");
        foreach (var line in new[]
                 {
                     " bgp router-id 192.168.1.1", " no bgp ebgp-requires-policy", " no bgp default ipv4-unicast", " no bgp network import-check",
                     " bgp bestpath as-path multipath-relax", " neighbor TALOS peer-group", " neighbor TALOS remote-as 64514",
                     " neighbor TALOS timers 3 9", " neighbor TALOS password s3cret-md5",
                 })
        {
            Assert.Contains(line + "\n", router, StringComparison.Ordinal);
        }

        var af = Section(router, " address-family ipv4 unicast", " exit-address-family");
        Assert.Contains("  maximum-paths 4\n", af, StringComparison.Ordinal);
        Assert.Contains("  neighbor TALOS activate\n", af, StringComparison.Ordinal);
        Assert.Contains("  neighbor TALOS route-map ACCEPT-K8S in\n", af, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(text, "maximum-paths"));
    }

    [Fact]
    public void Every_node_is_a_neighbor_with_graceful_restart_per_neighbor_and_never_the_helper_too()
    {
        var text = Config("c-bgp-full");
        foreach (var ip in new[] { "192.168.1.10", "192.168.1.11", "192.168.1.12" })
        {
            Assert.Contains($" neighbor {ip} peer-group TALOS\n neighbor {ip} description k8s-", text, StringComparison.Ordinal);
            Assert.Contains($" neighbor {ip} graceful-restart\n", text, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("graceful-restart-helper", text, StringComparison.Ordinal);
        Assert.DoesNotContain("neighbor TALOS graceful-restart", text, StringComparison.Ordinal);
        Assert.DoesNotContain("graceful-restart", Config("defaults"), StringComparison.Ordinal);
    }

    [Fact]
    public void Nodes_with_their_own_asn_get_remote_as_per_neighbor_before_joining_the_group()
    {
        var text = Config("per-node-asn-multihop-overrides");
        Assert.DoesNotContain("neighbor TALOS remote-as", text, StringComparison.Ordinal);
        Assert.Contains(" neighbor 192.168.1.10 remote-as 64514\n neighbor 192.168.1.10 peer-group TALOS\n", text, StringComparison.Ordinal);
        Assert.Contains(" neighbor 192.168.1.12 remote-as 4200000001\n neighbor 192.168.1.12 peer-group TALOS\n", text, StringComparison.Ordinal);
        // The node with a local-address override is peered at that address.
        Assert.Contains(" neighbor 192.168.1.111 peer-group TALOS\n neighbor 192.168.1.111 description k8s-1\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("192.168.1.11 ", text, StringComparison.Ordinal);
        Assert.Contains(" neighbor TALOS ebgp-multihop 3\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Ibgp_gets_ibgp_multipath()
    {
        Assert.Contains("  maximum-paths ibgp 3\n", Config("ibgp-two-pools-one-host"), StringComparison.Ordinal);
        Assert.DoesNotContain("ibgp", Config("defaults"), StringComparison.Ordinal);
    }

    [Fact]
    public void Default_ecmp_width_is_one_path_per_node()
    {
        Assert.Contains("  maximum-paths 3\n", Config("defaults"), StringComparison.Ordinal);
    }

    [Fact]
    public void Contains_secret_says_whether_the_file_holds_the_password()
    {
        var (options, topology) = BgpModels.CBgpFull();
        var withPassword = FrrConfigWriter.Build(options, topology);
        Assert.True(withPassword.ContainsSecret);
        Assert.Contains("! SECRET:", FrrConfigWriter.Write(withPassword), StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", withPassword.ToString(), StringComparison.Ordinal);

        var without = FrrConfigWriter.Build(options with { Password = null }, topology);
        Assert.False(without.ContainsSecret);
        var text = FrrConfigWriter.Write(without);
        Assert.DoesNotContain("password", text, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Header_says_where_to_paste_it()
    {
        var header = Config("defaults").Split("router bgp")[0];
        Assert.Contains("Settings > Routing > BGP > Add Configuration", header, StringComparison.Ordinal);
        Assert.Contains("home-ops", header, StringComparison.Ordinal);
    }

    [Fact]
    public void Output_is_deterministic_with_line_feeds_only()
    {
        // Same bytes in other processes and cultures: CrossProcessRenderTests (every template case's FRR config).
        var a = Config("per-node-asn-multihop-overrides");
        Assert.DoesNotContain('\r', a);
        Assert.EndsWith("!\n", a, StringComparison.Ordinal);

        // Node order in the input does not matter.
        var (options, topology) = BgpModels.CBgpFull();
        var reversed = topology with { Nodes = topology.Nodes.Reverse().ToList() };
        Assert.Equal(FrrConfigWriter.Write(options, topology), FrrConfigWriter.Write(options, reversed));
    }

    [Fact]
    public void Invalid_options_are_not_written()
    {
        var options = BgpModels.Options() with { Password = new SecretValue("has space") };
        var ex = Assert.Throws<BgpConfigurationException>(() => FrrConfigWriter.Write(options, BgpModels.Topology()));
        Assert.Equal("bgp.password", Assert.Single(ex.Errors).Path);
        Assert.DoesNotContain("has space", ex.Message, StringComparison.Ordinal);
    }

    private static string Section(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal);
        Assert.True(from >= 0, $"'{start}' not found");
        var to = text.IndexOf(end, from, StringComparison.Ordinal);
        Assert.True(to > from, $"'{end}' not found after '{start}'");
        return text[from..to];
    }
}
