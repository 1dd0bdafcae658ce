using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using Cilium.Sdk.Bgp;
using Cilium.Sdk.Secrets;
using Cilium.Sdk.Tests.Bgp.Support;
using Cilium.Sdk.Validation;
using CrdKit.Validation;

namespace Cilium.Sdk.Tests.Bgp;

public class BgpValidatorTests
{
    private static IReadOnlyList<ValidationError> Check(BgpOptions options, BgpTopology? topology = null)
    {
        var found = BgpValidator.Validate(options, topology ?? BgpModels.Topology());
        foreach (var f in found)
        {
            Assert.StartsWith("bgp.", f.Path, StringComparison.Ordinal);
            Assert.Equal(ValidationLayers.Cluster, f.Layer);
            Assert.False(string.IsNullOrWhiteSpace(f.Message));
            Assert.False(string.IsNullOrWhiteSpace(f.Fix));
        }

        return found;
    }

    private static ValidationError Single(IReadOnlyList<ValidationError> found, string path, ValidationSeverity severity)
    {
        var matching = found.Where(f => f.Path == path && f.Severity == severity).ToList();
        Assert.True(matching.Count == 1, $"want one {severity} at {path}, got: {string.Join(" | ", found)}");
        return matching[0];
    }

    [Fact]
    public void A_clean_setup_has_no_error_and_no_warning()
    {
        Assert.Empty(Check(BgpModels.Options()));
    }

    [Fact]
    public void Asn_zero_is_an_error()
    {
        var e = Single(Check(BgpModels.Options() with { RouterAsn = 0 }), "bgp.routerAsn", ValidationSeverity.Error);
        Assert.Equal("0", e.Value);
        Assert.Contains("1-4294967295", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(23456u)]
    [InlineData(65535u)]
    [InlineData(4294967295u)]
    public void Reserved_asn_is_an_error(uint asn)
    {
        var e = Single(Check(BgpModels.Options() with { NodeAsn = asn }), "bgp.nodeAsn", ValidationSeverity.Error);
        Assert.Contains("reserved", e.Message, StringComparison.Ordinal);
        Assert.Contains("64512-65534", e.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Reserved_per_node_asn_is_an_error_at_its_node()
    {
        var options = BgpModels.Options() with { NodeAsns = new Dictionary<string, uint> { ["k8s-1"] = 23456 } };
        Single(Check(options), "bgp.nodeAsns[k8s-1]", ValidationSeverity.Error);
    }

    [Fact]
    public void Router_asn_equal_to_node_asn_is_an_error_when_ebgp_is_intended()
    {
        var e = Single(Check(BgpModels.Options() with { NodeAsn = 64513 }), "bgp.nodeAsn", ValidationSeverity.Error);
        Assert.Contains("iBGP", e.Message, StringComparison.Ordinal);
        Assert.Empty(Check(BgpModels.Options() with { NodeAsn = 64513, AllowIbgp = true }));
    }

    [Fact]
    public void Keepalive_above_hold_is_an_error()
    {
        var e = Single(Check(BgpModels.Options() with { Timers = new(9, 10, 10) }), "bgp.timers.keepAlive", ValidationSeverity.Error);
        Assert.Equal("10", e.Value);
        Assert.Contains("use at most a third of the hold time: 3", e.Fix, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(65536)]
    public void Hold_outside_3_to_65535_is_an_error(int hold)
    {
        var e = Single(Check(BgpModels.Options() with { Timers = new(hold, 1, 10) }), "bgp.timers.holdTime", ValidationSeverity.Error);
        Assert.Contains("3-65535", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hold_above_the_template_range_of_300_is_an_error()
    {
        var e = Single(Check(BgpModels.Options() with { Timers = new(301, 100, 10) }), "bgp.timers.holdTime", ValidationSeverity.Error);
        Assert.Contains("3-300", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Check(BgpModels.Options() with { Timers = new(300, 100, 10) }), f => f.Path == "bgp.timers.holdTime");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4096)]
    public void Restart_time_outside_1_to_4095_is_an_error(int restart)
    {
        var e = Single(Check(BgpModels.Options() with { GracefulRestart = BgpGracefulRestartOptions.On(restart) }), "bgp.gracefulRestart.restartTime", ValidationSeverity.Error);
        Assert.Contains("1-4095", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(17)]
    public void Ecmp_width_outside_1_to_16_is_an_error(int width)
    {
        var e = Single(Check(BgpModels.Options() with { EcmpMaxPaths = width }), "bgp.ecmpMaxPaths", ValidationSeverity.Error);
        Assert.Contains("1-16", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Router_address_inside_the_lb_pool_is_an_error()
    {
        var topology = BgpModels.Topology() with { LoadBalancerPools = [IPNetwork.Parse("192.168.1.0/24")] };
        var e = Single(Check(BgpModels.Options(), topology), "bgp.routerAddress", ValidationSeverity.Error);
        Assert.Equal("192.168.1.1", e.Value);
        Assert.Contains("LoadBalancer pool 192.168.1.0/24", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Router_address_off_the_node_network_without_multihop_is_an_error()
    {
        var options = BgpModels.Options() with { RouterAddress = IPAddress.Parse("10.0.0.1") };
        var e = Single(Check(options), "bgp.routerAddress", ValidationSeverity.Error);
        Assert.Contains("EbgpMultihop", e.Fix, StringComparison.Ordinal);
        Assert.Empty(Check(options with { EbgpMultihop = 2 }));
    }

    [Theory]
    [InlineData("two words")]
    [InlineData("tab\there")]
    [InlineData("quote\"d")]
    [InlineData("bang!")]
    [InlineData("hash#")]
    [InlineData("umlaut-ä")]
    public void Password_frr_cannot_carry_is_an_error_that_never_shows_it(string password)
    {
        var found = Check(BgpModels.Options() with { Password = new SecretValue(password) });
        var e = Single(found, "bgp.password", ValidationSeverity.Error);
        Assert.Equal(SecretValue.Redacted, e.Value);
        Assert.DoesNotContain(password, e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Password_longer_than_a_tcp_md5_key_is_an_error()
    {
        var e = Single(Check(BgpModels.Options() with { Password = new SecretValue(new string('a', 81)) }), "bgp.password", ValidationSeverity.Error);
        Assert.Contains("80", e.Message, StringComparison.Ordinal);
        Assert.Empty(Check(BgpModels.Options() with { Password = new SecretValue(new string('a', 80)) }));
    }

    [Fact]
    public void Pinned_lb_ip_outside_the_pool_is_an_error()
    {
        var topology = BgpModels.Topology() with { PinnedLoadBalancerIps = [IPAddress.Parse("172.20.10.21"), IPAddress.Parse("192.168.1.21")] };
        var e = Single(Check(BgpModels.Options(), topology), "bgp.pinnedLoadBalancerIps[1]", ValidationSeverity.Error);
        Assert.Equal("192.168.1.21", e.Value);
    }

    [Fact]
    public void Overrides_and_asns_for_unknown_nodes_are_errors()
    {
        var options = BgpModels.Options() with
        {
            NodeAsns = new Dictionary<string, uint> { ["ghost"] = 64600 },
            NodeOverrides = new Dictionary<string, BgpNodeOverride> { ["phantom"] = new(RouterId: IPAddress.Parse("fd00::1")) },
        };
        var found = Check(options);
        Single(found, "bgp.nodeAsns[ghost]", ValidationSeverity.Error);
        Single(found, "bgp.nodeOverrides[phantom]", ValidationSeverity.Error);
        Single(found, "bgp.nodeOverrides[phantom].routerId", ValidationSeverity.Error);
    }

    [Fact]
    public void Missing_nodes_pools_and_advertisements_are_errors_collected_together()
    {
        var topology = BgpModels.Topology(nodes: []) with { LoadBalancerPools = [] };
        var found = Check(BgpModels.Options() with { Advertise = BgpAdvertise.None }, topology);
        Single(found, "bgp.nodes", ValidationSeverity.Error);
        Single(found, "bgp.loadBalancerPools", ValidationSeverity.Error);
        Single(found, "bgp.advertise", ValidationSeverity.Error);
    }

    [Fact]
    public void Duplicate_node_addresses_and_ipv6_router_are_errors()
    {
        var nodes = new[] { new BgpNode("a", IPAddress.Parse("192.168.1.10")), new BgpNode("b", IPAddress.Parse("192.168.1.10")) };
        var found = Check(BgpModels.Options() with { RouterAddress = IPAddress.Parse("fd00::1"), EbgpMultihop = 2, EcmpMaxPaths = 2 }, BgpModels.Topology(nodes: nodes));
        Single(found, "bgp.nodes[1].address", ValidationSeverity.Error);
        Assert.Contains(found, f => f.Path == "bgp.routerAddress" && f.Message.Contains("IPv4", StringComparison.Ordinal));
    }

    [Fact]
    public void Long_graceful_restart_warns_that_it_defeats_fast_failover()
    {
        var found = Check(BgpModels.Options() with { GracefulRestart = BgpGracefulRestartOptions.On(120) });
        var w = Single(found, "bgp.gracefulRestart.restartTime", ValidationSeverity.Warning);
        Assert.Contains("about 122 s", w.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(found, f => f.IsError);
        Assert.Empty(Check(BgpModels.Options() with { GracefulRestart = BgpGracefulRestartOptions.On(5) }));
    }

    [Fact]
    public void Keepalive_above_a_third_of_hold_warns()
    {
        var w = Single(Check(BgpModels.Options() with { Timers = new(9, 4, 10) }), "bgp.timers.keepAlive", ValidationSeverity.Warning);
        Assert.Contains("a third", w.Message, StringComparison.Ordinal);
        Assert.Equal("use 3", w.Fix);
    }

    [Fact]
    public void Ecmp_width_below_the_advertising_nodes_warns()
    {
        var nodes = Enumerable.Range(0, 4).Select(i => new BgpNode($"n{i}", IPAddress.Parse($"192.168.1.{10 + i}"))).ToList();
        var w = Single(Check(BgpModels.Options() with { EcmpMaxPaths = 3 }, BgpModels.Topology(nodes: nodes)), "bgp.ecmpMaxPaths", ValidationSeverity.Warning);
        Assert.Contains("4 nodes, maximum-paths 3, only 3 paths", w.Message, StringComparison.Ordinal);
        Assert.Equal("use 4", w.Fix);
    }

    [Fact]
    public void Default_connect_retry_of_120_s_warns()
    {
        var w = Single(Check(BgpModels.Options() with { Timers = new(9, 3, null) }), "bgp.timers.connectRetry", ValidationSeverity.Warning);
        Assert.Contains("120 s", w.Message, StringComparison.Ordinal);
        Single(Check(BgpModels.Options() with { Timers = new(9, 3, 120) }), "bgp.timers.connectRetry", ValidationSeverity.Warning);
    }

    [Fact]
    public void Bfd_warns_that_it_is_unavailable_and_says_how_fast_the_timers_fail_over()
    {
        var w = Single(Check(BgpModels.Options() with { Bfd = true, Timers = BgpTimerOptions.Fast }), "bgp.bfd", ValidationSeverity.Warning);
        Assert.Contains("not available in open-source Cilium", w.Message, StringComparison.Ordinal);
        Assert.Contains("after about 3 s", w.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void From_parts_all_unset_means_bgp_off_without_error()
    {
        Assert.Null(BgpOptions.FromParts(null, null, null, out var errors));
        Assert.Empty(errors);
    }

    [Fact]
    public void From_parts_partial_is_an_error_naming_each_missing_part()
    {
        Assert.Null(BgpOptions.FromParts(IPAddress.Parse("192.168.1.1"), null, null, out var errors));
        Assert.Equal(["bgp.routerAsn", "bgp.nodeAsn"], errors.Select(e => e.Path));
        Assert.All(errors, e => Assert.Contains("L2 announcements", e.Message, StringComparison.Ordinal));
        Assert.All(errors, e => Assert.Equal(ValidationLayers.Cluster, e.Layer));
    }

    [Fact]
    public void From_parts_complete_gives_options_with_defaults()
    {
        var options = BgpOptions.FromParts(IPAddress.Parse("192.168.1.1"), 64513, 64514, out var errors);
        Assert.Empty(errors);
        Assert.NotNull(options);
        Assert.Equal(BgpTimerOptions.Default, options.Timers);
        Assert.Equal(BgpAdvertise.LoadBalancerIP, options.Advertise);
    }

    [Fact]
    public void Options_to_string_never_shows_the_password()
    {
        var options = BgpModels.Options() with { Password = new SecretValue("hunter2-secret") };
        Assert.DoesNotContain("hunter2", options.ToString(), StringComparison.Ordinal);
    }
}
