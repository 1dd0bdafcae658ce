using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using Cilium.Sdk.Bgp;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Resources;
using Cilium.Sdk.Secrets;
using Cilium.Sdk.Serialization;
using CrdKit.Serialization;
using Cilium.Sdk.Tests.Bgp.Support;

namespace Cilium.Sdk.Tests.Bgp;

public class BgpResourcesTests
{
    public static TheoryData<string> Versions => new(CiliumVersion.Supported.Select(v => v.ToString()));

    internal static string Yaml(BgpRendered rendered)
    {
        var docs = rendered.NonSecretResources.Select(Manifests.Write<object>).ToList();
        if (rendered.PasswordSecret is not null)
        {
            docs.Add(Manifests.Write(rendered.PasswordSecret));
        }

        return string.Join("---\n", docs);
    }

    [Fact]
    public void Snapshot_of_the_c_bgp_full_equivalent_resources()
    {
        var (options, topology) = BgpModels.CBgpFull();
        BgpSnapshot.Match("Bgp/Snapshots", "c-bgp-full.resources", "yaml", Yaml(BgpResources.Render(options, topology)));
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public void Every_rendered_record_passes_its_generated_schema_validation(string version)
    {
        var (options, topology) = BgpModels.CBgpFull(CiliumVersion.Parse(version));
        options = options with
        {
            Advertise = BgpAdvertise.LoadBalancerIP | BgpAdvertise.ClusterIP | BgpAdvertise.ExternalIP | BgpAdvertise.PodCIDR,
            NodeAsns = new Dictionary<string, uint> { ["k8s-2"] = 64600 },
            NodeOverrides = new Dictionary<string, BgpNodeOverride> { ["k8s-1"] = new(IPAddress.Parse("10.1.1.1"), IPAddress.Parse("192.168.1.111")) },
            EbgpMultihop = 2,
        };
        var rendered = BgpResources.Render(options, topology);
        Assert.Empty(rendered.ClusterConfig.Validate(version));
        Assert.Empty(rendered.PeerConfig.Validate(version));
        Assert.Empty(rendered.Advertisement.Validate(version));
        Assert.Equal(2, rendered.NodeOverrides.Count);
        Assert.All(rendered.NodeOverrides, o => Assert.Empty(o.Validate(version)));

        // And they survive a YAML round trip through the generated types.
        foreach (var resource in rendered.NonSecretResources)
        {
            var yaml = Manifests.Write<object>(resource);
            Assert.Equal(yaml, Manifests.Write<object>(Manifests.ReadAny(yaml)));
        }
    }

    [Fact]
    public void Names_and_values_follow_the_options()
    {
        var (options, topology) = BgpModels.CBgpFull();
        var r = BgpResources.Render(options, topology);
        Assert.Equal("bgp-cluster-config", r.ClusterConfig.Metadata.Name);
        var instance = Assert.Single(r.ClusterConfig.Spec.BgpInstances);
        Assert.Equal("instance-64514", instance.Name);
        Assert.Equal(64514, instance.LocalASN);
        var peer = Assert.Single(instance.Peers!);
        Assert.Equal("peer-64513-v4", peer.Name);
        Assert.Equal("192.168.1.1", peer.PeerAddress);
        Assert.Equal(64513, peer.PeerASN);
        Assert.Equal("bgp-peer-config-v4", peer.PeerConfigRef!.Name);
        Assert.Equal("linux", r.ClusterConfig.Spec.NodeSelector!.MatchLabels["kubernetes.io/os"]);

        var spec = r.PeerConfig.Spec!;
        Assert.Equal("bgp-peer-password", spec.AuthSecretRef);
        Assert.Equal((9, 3, 10), (spec.Timers!.HoldTimeSeconds, spec.Timers.KeepAliveTimeSeconds, spec.Timers.ConnectRetryTimeSeconds));
        Assert.Equal((true, 120), (spec.GracefulRestart!.Enabled, spec.GracefulRestart.RestartTimeSeconds));
        var family = Assert.Single(spec.Families!);
        Assert.Equal(CiliumBGPPeerConfigAfi.Ipv4, family.Afi);
        Assert.Equal("bgp", family.Advertisements!.MatchLabels["advertise"]);
        Assert.Equal("bgp", r.Advertisement.Metadata.Labels["advertise"]);

        Assert.NotNull(r.PasswordSecret);
        Assert.Equal(("bgp-peer-password", "kube-system", "Opaque"), (r.PasswordSecret.Metadata.Name, r.PasswordSecret.Metadata.NamespaceProperty, r.PasswordSecret.Type));
        Assert.Equal("s3cret-md5", r.PasswordSecret.StringData["password"]);
        Assert.Empty(r.NodeOverrides);
    }

    [Fact]
    public void Without_a_password_there_is_no_secret_and_no_auth_secret_ref()
    {
        var r = BgpResources.Render(BgpModels.Options(), BgpModels.Topology());
        Assert.Null(r.PasswordSecret);
        Assert.Null(r.PeerConfig.Spec!.AuthSecretRef);
        Assert.False(r.PeerConfig.Spec.GracefulRestart!.Enabled);
        Assert.Null(r.PeerConfig.Spec.GracefulRestart.RestartTimeSeconds);
    }

    [Fact]
    public void Advertise_flags_choose_the_service_addresses_and_pod_cidr()
    {
        var r = BgpResources.Render(BgpModels.Options() with { Advertise = BgpAdvertise.ClusterIP | BgpAdvertise.PodCIDR | BgpAdvertise.LoadBalancerIP }, BgpModels.Topology());
        var ads = r.Advertisement.Spec.Advertisements;
        Assert.Equal(2, ads.Count);
        Assert.Equal(BgpAdvertisementType.Service, ads[0].AdvertisementType);
        Assert.Equal([CiliumBGPAdvertisementAddresses.LoadBalancerIP, CiliumBGPAdvertisementAddresses.ClusterIP], ads[0].Service!.Addresses);
        Assert.Equal(BgpAdvertisementType.PodCIDR, ads[1].AdvertisementType);
        Assert.Null(ads[1].Selector);
    }

    [Fact]
    public void Node_overrides_carry_router_id_local_address_and_per_node_asn()
    {
        var options = BgpModels.Options() with
        {
            NodeAsns = new Dictionary<string, uint> { ["k8s-2"] = 64600 },
            NodeOverrides = new Dictionary<string, BgpNodeOverride> { ["k8s-0"] = new(IPAddress.Parse("10.0.0.10"), IPAddress.Parse("192.168.1.100")) },
        };
        var r = BgpResources.Render(options, BgpModels.Topology());
        Assert.Equal(["k8s-0", "k8s-2"], r.NodeOverrides.Select(o => o.Metadata.Name));
        var k0 = Assert.Single(r.NodeOverrides[0].Spec.BgpInstances);
        Assert.Equal(("instance-64514", "10.0.0.10", (long?)null), (k0.Name, k0.RouterID, k0.LocalASN));
        Assert.Equal(("peer-64513-v4", "192.168.1.100"), (k0.Peers![0].Name, k0.Peers[0].LocalAddress));
        var k2 = Assert.Single(r.NodeOverrides[1].Spec.BgpInstances);
        Assert.Equal(64600, k2.LocalASN);
        Assert.Null(k2.Peers);
    }

    [Fact]
    public void Invalid_options_throw_with_every_error_and_no_secret()
    {
        var options = BgpModels.Options() with { RouterAsn = 0, Timers = new(9, 10, 10), Password = new SecretValue("bad pass") };
        var ex = Assert.Throws<BgpConfigurationException>(() => BgpResources.Render(options, BgpModels.Topology()));
        Assert.Equal(["bgp.routerAsn", "bgp.timers.keepAlive", "bgp.password"], ex.Errors.Select(e => e.Path));
        Assert.DoesNotContain("bad pass", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Warnings_do_not_stop_rendering_and_rendered_to_string_hides_the_secret()
    {
        var (options, topology) = BgpModels.CBgpFull();
        Assert.Contains(BgpValidator.Validate(options, topology), f => !f.IsError);
        var r = BgpResources.Render(options, topology);
        Assert.DoesNotContain("s3cret", r.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", Yaml(new[] { r }.Select(x => x).First()).Split("kind: Secret")[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Helm_values_turn_bgp_on_and_l2_announcements_off()
    {
        var values = BgpHelmValues.Create();
        Assert.True(values["bgpControlPlane"]!["enabled"]!.GetValue<bool>());
        Assert.False(values.ContainsKey("l2announcements"));
        Assert.NotSame(values, BgpHelmValues.Create());
    }
}
