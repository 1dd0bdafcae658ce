using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using Cilium.Sdk.Bgp;
using Cilium.Sdk.Frr;
using Cilium.Sdk.Secrets;
using Cilium.Sdk.Tests.Bgp.Support;

namespace Cilium.Sdk.Tests.Frr;

/// <summary>
/// Issue 17, defect 3: <see cref="FrrConfigWriter.Write(FrrConfig)"/> takes a public record, so it must apply the same
/// checks as <see cref="BgpValidator"/> itself: a name or description with a newline would otherwise inject
/// <c>router bgp</c> / <c>neighbor ... remote-as</c> lines into the router's config.
/// </summary>
public sealed class FrrConfigValidationTests
{
    private const string Injection = "k8s-0\n neighbor 203.0.113.66 remote-as 64514\n neighbor 203.0.113.66 peer-group TALOS";

    private static FrrConfig Valid()
    {
        var (options, topology) = BgpModels.CBgpFull();
        return FrrConfigWriter.Build(options, topology);
    }

    private static FrrConfig WithNeighbor(FrrConfig config, int index, Func<FrrNeighbor, FrrNeighbor> change) =>
        config with { Neighbors = [.. config.Neighbors.Select((n, i) => i == index ? change(n) : n)] };

    /// <summary>Each way the record can be made invalid, and the path the error must name.</summary>
    public static readonly IReadOnlyDictionary<string, (Func<FrrConfig, FrrConfig> Break, string Path)> Cases =
        new Dictionary<string, (Func<FrrConfig, FrrConfig>, string)>
        {
            ["newline in a neighbor description"] = (c => WithNeighbor(c, 0, n => n with { Description = Injection }), "frr.neighbors[0].description"),
            ["space in a neighbor description"] = (c => WithNeighbor(c, 1, n => n with { Description = "k8s 1" }), "frr.neighbors[1].description"),
            ["empty neighbor description"] = (c => WithNeighbor(c, 0, n => n with { Description = string.Empty }), "frr.neighbors[0].description"),
            ["newline in the cluster name"] = (c => c with { ClusterName = "home\nrouter bgp 65001" }, "frr.clusterName"),
            ["newline in the peer-group"] = (c => c with { PeerGroup = "TALOS\n neighbor 203.0.113.66 remote-as 64514" }, "frr.peerGroup"),
            ["space in the prefix-list name"] = (c => c with { PrefixListName = "K8S LB" }, "frr.prefixListName"),
            ["empty route-map name"] = (c => c with { RouteMapName = string.Empty }, "frr.routeMapName"),
            ["reserved local ASN"] = (c => c with { LocalAsn = 0 }, "frr.localAsn"),
            ["reserved peer-group ASN"] = (c => c with { PeerGroupRemoteAsn = 23456 }, "frr.peerGroupRemoteAsn"),
            ["reserved neighbor ASN"] = (c => WithNeighbor(c with { PeerGroupRemoteAsn = null }, 0, n => n with { RemoteAsn = 65535 }), "frr.neighbors[0].remoteAsn"),
            ["hold time below 3"] = (c => c with { HoldTimeSeconds = 2, KeepAliveSeconds = 1 }, "frr.holdTimeSeconds"),
            ["keepalive of 0"] = (c => c with { KeepAliveSeconds = 0 }, "frr.keepAliveSeconds"),
            ["keepalive above the hold time"] = (c => c with { KeepAliveSeconds = 30, HoldTimeSeconds = 9 }, "frr.keepAliveSeconds"),
            ["password with a space"] = (c => c with { Password = new SecretValue("two words") }, "frr.password"),
            ["password with a newline"] = (c => c with { Password = new SecretValue("x\n neighbor 203.0.113.66 remote-as 1") }, "frr.password"),
            ["multihop of 0"] = (c => c with { EbgpMultihop = 0 }, "frr.ebgpMultihop"),
            ["maximum-paths of 17"] = (c => c with { MaximumPaths = 17 }, "frr.maximumPaths"),
            ["IPv6 router ID"] = (c => c with { RouterId = IPAddress.Parse("fd00::1") }, "frr.routerId"),
            ["IPv6 neighbor"] = (c => WithNeighbor(c, 0, n => n with { Address = IPAddress.Parse("fd00::10") }), "frr.neighbors[0].address"),
            ["duplicate neighbor"] = (c => WithNeighbor(c, 1, n => n with { Address = c.Neighbors[0].Address }), "frr.neighbors[1].address"),
            ["no neighbors"] = (c => c with { Neighbors = [] }, "frr.neighbors"),
            ["no accepted pools"] = (c => c with { AcceptedPools = [] }, "frr.acceptedPools"),
            ["IPv6 accepted pool"] = (c => c with { AcceptedPools = [IPNetwork.Parse("fd00::/64")] }, "frr.acceptedPools[0]"),
        };

    public static TheoryData<string> CaseNames => new(Cases.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Writing_an_invalid_record_is_refused_at_its_field(string name)
    {
        var (breakIt, path) = Cases[name];
        var config = breakIt(Valid());

        var error = Assert.Throws<BgpConfigurationException>(() => FrrConfigWriter.Write(config));

        var problem = Assert.Single(error.Errors, e => e.Path == path);
        Assert.True(problem.IsError);
        Assert.False(string.IsNullOrWhiteSpace(problem.Fix));
        Assert.Equal(error.Errors, BgpValidator.Validate(config).Where(e => e.IsError));
    }

    [Fact]
    public void A_newline_never_reaches_the_written_config()
    {
        var config = WithNeighbor(Valid(), 0, n => n with { Description = Injection });

        string? written = null;
        var error = Record.Exception(() => written = FrrConfigWriter.Write(config));

        Assert.IsType<BgpConfigurationException>(error);
        Assert.Null(written);
        Assert.DoesNotContain("\n neighbor 203.0.113.66", error.Message, StringComparison.Ordinal); // the value is shown escaped, on one line
        Assert.Contains("k8s-0\\n neighbor 203.0.113.66", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_record_from_Build_is_valid_and_written_unchanged()
    {
        var (options, topology) = BgpModels.CBgpFull();
        var config = FrrConfigWriter.Build(options, topology);

        Assert.DoesNotContain(BgpValidator.Validate(config), e => e.IsError);
        Assert.Equal(FrrConfigWriter.Write(options, topology), FrrConfigWriter.Write(config));
    }

    /// <summary>What the checks refuse is a real attack: FRR's own checker takes the lines a newline injects as
    /// commands (a rogue neighbor in the same <c>router bgp</c>), so nothing after the writer would catch it.</summary>
    [Fact]
    public void Frr_itself_would_accept_the_injected_lines()
    {
        var clean = FrrConfigWriter.Write(Valid());
        var injected = clean.Replace(" neighbor 192.168.1.10 description k8s-0\n", " neighbor 192.168.1.10 description " + Injection + "\n", StringComparison.Ordinal);
        Assert.NotEqual(clean, injected);

        Assert.Empty(FrrCheck.Problems(injected));
    }

    /// <summary>The checks are not stricter than FRR needs: names with every punctuation mark a printable word may
    /// hold are accepted by the writer and by FRR's checkers.</summary>
    [Fact]
    public void Names_at_the_edge_of_what_is_allowed_pass_Frr()
    {
        var config = WithNeighbor(Valid() with
        {
            ClusterName = "home ops (lab) #2",
            PeerGroup = "TALOS_v2.peers-1",
            PrefixListName = "K8S:LB/32s",
            RouteMapName = "ACCEPT~K8S@home",
        }, 0, n => n with { Description = "k8s-0.lab_node#1" });

        var text = FrrConfigWriter.Write(config);

        Assert.Empty(FrrCheck.Problems(text));
    }
}
