using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Policies;
using Cilium.Sdk.Resources;
using Cilium.Sdk.Serialization;
using CrdKit.Serialization;
using CrdKit.Validation;

namespace Cilium.Sdk.Tests.Policies;

public sealed class PolicyFactoryTests
{
    private static readonly Dictionary<string, string> App = new() { ["app"] = "web" };

    private static PolicyBuildResult BuildValid(Policy policy, PolicyMode mode = PolicyMode.Enforce)
    {
        var result = policy.Build(CiliumVersion.V1_20, mode);
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        return result;
    }

    [Fact]
    public void Entity_peer_expands_to_toEntities_with_wire_name()
    {
        var spec = BuildValid(Policy.Namespaced("p", "apps").Selecting(App).AllowEgress(Peer.Entity(Entity.KubeApiServer), Port.Tcp(6443))).Spec;
        var rule = Assert.Single(spec.Egress!);
        Assert.Equal([PolicyEntity.KubeApiserver], rule.ToEntities);
        var port = Assert.Single(Assert.Single(rule.ToPorts!).Ports!);
        Assert.Equal("6443", port.Port);
        Assert.Equal(PolicyProtocol.TCP, port.Protocol);
        Assert.Null(port.EndPort);
    }

    [Theory]
    [InlineData(Entity.Host, "host")]
    [InlineData(Entity.RemoteNode, "remote-node")]
    [InlineData(Entity.KubeApiServer, "kube-apiserver")]
    [InlineData(Entity.World, "world")]
    [InlineData(Entity.Cluster, "cluster")]
    [InlineData(Entity.Health, "health")]
    [InlineData(Entity.Init, "init")]
    [InlineData(Entity.Ingress, "ingress")]
    [InlineData(Entity.Unmanaged, "unmanaged")]
    [InlineData(Entity.All, "all")]
    public void Every_entity_writes_its_wire_name(Entity entity, string wire)
    {
        var yaml = Manifests.Write(BuildValid(Policy.Namespaced("p", "apps").Selecting(App).AllowIngress(Peer.Entity(entity), Port.Tcp(80))).Resource);
        var doc = Assert.Single(Manifests.ParseYaml(yaml));
        Assert.Equal(wire, doc["spec"]!["ingress"]![0]!["fromEntities"]![0]!.GetValue<string>());
    }

    [Fact]
    public void Port_factories_set_port_endPort_and_protocol()
    {
        var spec = BuildValid(Policy.Namespaced("p", "apps").Selecting(App)
            .AllowIngress([Peer.Any], [Port.Udp(53), Port.TcpRange(8000, 8100), Port.Named("http"), Port.Sctp(9999), Port.Any(7)])).Spec;
        var ports = Assert.Single(Assert.Single(spec.Ingress!).ToPorts!).Ports!;
        Assert.Equal(("53", (int?)null, PolicyProtocol.UDP), (ports[0].Port, ports[0].EndPort, ports[0].Protocol!.Value));
        Assert.Equal(("8000", (int?)8100, PolicyProtocol.TCP), (ports[1].Port, ports[1].EndPort, ports[1].Protocol!.Value));
        Assert.Equal("http", ports[2].Port);
        Assert.Equal(PolicyProtocol.SCTP, ports[3].Protocol);
        Assert.Equal(PolicyProtocol.ANY, ports[4].Protocol);
        Assert.Null(Assert.Single(spec.Ingress!).FromEndpoints);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65536)]
    public void Port_out_of_range_is_refused_with_the_fix(int port)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Port.Tcp(port));
        Assert.Contains("1-65535", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_named_port_and_empty_range_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Port.Named("HTTP"));
        Assert.Throws<ArgumentException>(() => Port.Named("a-very-long-port-name"));
        Assert.Throws<ArgumentOutOfRangeException>(() => Port.TcpRange(8100, 8000));
    }

    [Fact]
    public void Endpoints_peer_writes_labels_and_namespace_label()
    {
        var spec = BuildValid(Policy.Namespaced("p", "apps").Selecting(App)
            .AllowIngress(Peer.Endpoints(new Dictionary<string, string> { ["app.kubernetes.io/name"] = "prometheus" }, "monitoring"), Port.Tcp(9090))).Spec;
        var selector = Assert.Single(Assert.Single(spec.Ingress!).FromEndpoints!);
        Assert.Equal("prometheus", selector.MatchLabels["app.kubernetes.io/name"]);
        Assert.Equal("monitoring", selector.MatchLabels["io.kubernetes.pod.namespace"]);
        Assert.Equal(new Dictionary<string, string> { ["app"] = "web" }, spec.EndpointSelector!.MatchLabels);
    }

    [Fact]
    public void Cidr_with_except_and_cidr_group_expand_to_toCIDRSet()
    {
        var spec = BuildValid(Policy.Namespaced("p", "apps").Selecting(App)
            .AllowEgress([Peer.Cidr("10.0.0.0/8", "10.96.0.0/12"), Peer.CidrGroup("office")], [Port.Tcp(443)])).Spec;
        var set = Assert.Single(spec.Egress!).ToCIDRSet!;
        Assert.Equal("10.0.0.0/8", set[0].Cidr);
        Assert.Equal(["10.96.0.0/12"], set[0].Except);
        Assert.Equal("office", set[1].CidrGroupRef);
        Assert.Null(set[1].Cidr);
    }

    [Fact]
    public void Malformed_cidr_is_refused_with_the_fix()
    {
        var ex = Assert.Throws<ArgumentException>(() => Peer.Cidr("10.0.0.5"));
        Assert.Contains("did you mean 10.0.0.5/32?", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cidr_exception_outside_the_cidr_is_an_agent_error_naming_the_rule()
    {
        var result = Policy.Namespaced("p", "apps").Selecting(App).AllowEgress(Peer.Cidr("10.0.0.0/24", "10.1.0.0/24"), Port.Tcp(443)).Build(CiliumVersion.V1_20);
        var error = Assert.Single(result.Errors);
        Assert.Equal("policies[apps/p].spec.egress[0].toCIDRSet[0].except[0]", error.Path);
        Assert.Equal("10.1.0.0/24", error.Value);
        Assert.Equal("agent", error.Layer);
    }

    [Fact]
    public void Fqdn_adds_the_dns_proxy_rule_to_kube_dns_on_53_with_a_dns_pattern()
    {
        var spec = BuildValid(Policy.Namespaced("p", "apps").Selecting(App)
            .AllowEgress([Peer.Fqdn("api.github.com"), Peer.FqdnPattern("*.x.io")], [Port.Tcp(443)])).Spec;
        Assert.Equal(2, spec.Egress!.Count);
        var fqdns = spec.Egress[0].ToFQDNs!;
        Assert.Equal("api.github.com", fqdns[0].MatchName);
        Assert.Equal("*.x.io", fqdns[1].MatchPattern);
        var dns = spec.Egress[1];
        var kubeDns = Assert.Single(dns.ToEndpoints!);
        Assert.Equal("kube-dns", kubeDns.MatchLabels["k8s-app"]);
        Assert.Equal("kube-system", kubeDns.MatchLabels["io.kubernetes.pod.namespace"]);
        var portRule = Assert.Single(dns.ToPorts!);
        Assert.Equal(["53/UDP", "53/TCP"], portRule.Ports!.Select(p => $"{p.Port}/{p.Protocol}"));
        Assert.Equal("*", Assert.Single(portRule.Rules!.Dns!).MatchPattern);
    }

    [Fact]
    public void Fqdn_does_not_add_a_second_dns_rule_when_the_author_wrote_one()
    {
        var spec = BuildValid(Policy.Namespaced("p", "apps").Selecting(App)
            .AllowEgress(Peer.Fqdn("api.github.com"), Port.Tcp(443))
            .AllowEgress([Peer.Component(Components.CoreDns)], [Port.Udp(53)], dns: [DnsMatch.MatchPattern("*.github.com")])).Spec;
        Assert.Equal(2, spec.Egress!.Count);
        Assert.Equal("*.github.com", spec.Egress[1].ToPorts![0].Rules!.Dns![0].MatchPattern);
    }

    [Fact]
    public void Service_peer_expands_to_toServices_and_takes_no_ports()
    {
        var spec = BuildValid(Policy.Namespaced("p", "apps").Selecting(App).AllowEgress([Peer.Service("api", "backend")], [])).Spec;
        var service = Assert.Single(Assert.Single(spec.Egress!).ToServices!).K8sService!;
        Assert.Equal(("api", "backend"), (service.ServiceName, service.Namespace));

        // The agent refuses toServices together with toPorts: reported at the field.
        var withPorts = Policy.Namespaced("p", "apps").Selecting(App).AllowEgress(Peer.Service("api", "backend"), Port.Tcp(8080)).Build(CiliumVersion.V1_20);
        Assert.Contains(withPorts.Errors, e => e.Path == "policies[apps/p].spec.egress[0].toPorts" && e.Layer == ValidationLayers.Agent);
    }

    [Fact]
    public void Mixed_peer_kinds_become_one_rule_per_kind()
    {
        var spec = BuildValid(Policy.Namespaced("p", "apps").Selecting(App)
            .AllowEgress([Peer.Entity(Entity.World), Peer.Component(Components.Prometheus), Peer.Cidr("192.168.1.0/24")], [Port.Tcp(443)])).Spec;
        Assert.Equal(3, spec.Egress!.Count);
        Assert.NotNull(spec.Egress[0].ToEndpoints);
        Assert.NotNull(spec.Egress[1].ToEntities);
        Assert.NotNull(spec.Egress[2].ToCIDRSet);
        Assert.All(spec.Egress, r => Assert.Equal("443", r.ToPorts![0].Ports![0].Port));
    }

    [Fact]
    public void More_than_40_ports_are_split_across_rules()
    {
        var spec = BuildValid(Policy.Namespaced("p", "apps").Selecting(App)
            .AllowIngress([Peer.Entity(Entity.Cluster)], Enumerable.Range(1000, 45).Select(Port.Tcp))).Spec;
        Assert.Equal([40, 5], spec.Ingress!.Select(r => r.ToPorts![0].Ports!.Count));
    }

    [Fact]
    public void Http_rules_write_method_path_host_and_headers()
    {
        var spec = BuildValid(Policy.Namespaced("p", "apps").Selecting(App)
            .AllowIngress([Peer.Component(Components.Prometheus)], [Port.Tcp(8080)], [HttpMatch.Get("/metrics").WithHost("web.local").WithHeader("X-Token", "abc")])).Spec;
        var http = Assert.Single(Assert.Single(spec.Ingress!).ToPorts![0].Rules!.Http!);
        Assert.Equal(("GET", "/metrics", "web.local"), (http.Method, http.Path, http.Host));
        Assert.Equal(["X-Token: abc"], http.Headers);
    }

    [Fact]
    public void Http_rules_on_udp_and_dns_rules_on_ingress_are_agent_errors()
    {
        var result = Policy.Namespaced("p", "apps").Selecting(App)
            .AllowIngress([Peer.Any], [Port.Udp(80)], [HttpMatch.Get("/")])
            .AllowEgress([Peer.Any], [Port.Tcp(443)], dns: [DnsMatch.AnyName])
            .Build(CiliumVersion.V1_20);
        Assert.Contains(result.Errors, e => e.Path == "policies[apps/p].spec.ingress[0].toPorts[0].ports[0].protocol" && e.Message.Contains("only apply to TCP (not UDP)", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Path == "policies[apps/p].spec.egress[0]" && e.Message.Contains("port 53 must be specified", StringComparison.Ordinal));
    }

    [Fact]
    public void Deny_rules_write_ingressDeny_and_egressDeny()
    {
        var spec = BuildValid(Policy.Namespaced("p", "apps").Selecting(App)
            .DenyIngress(Peer.Entity(Entity.World))
            .DenyEgress(Peer.Cidr("169.254.169.254/32"), Port.Tcp(80))).Spec;
        Assert.Equal([PolicyEntity.World], Assert.Single(spec.IngressDeny!).FromEntities);
        var egressDeny = Assert.Single(spec.EgressDeny!);
        Assert.Equal("169.254.169.254/32", egressDeny.ToCIDRSet![0].Cidr);
        Assert.Equal("80", egressDeny.ToPorts![0].Ports![0].Port);
        Assert.Null(spec.Ingress);
    }

    [Fact]
    public void Icmp_rules_write_fields_without_ports()
    {
        var spec = BuildValid(Policy.Namespaced("p", "apps").Selecting(App).AllowIcmpEgress(Peer.Namespace("kube-system"), IcmpType.EchoRequestV4, IcmpType.V6(128))).Spec;
        var rule = Assert.Single(spec.Egress!);
        Assert.Null(rule.ToPorts);
        var fields = Assert.Single(rule.Icmps!).Fields!;
        Assert.Equal((Resources.IcmpFamily.IPv4, 8L), (fields[0].Family!.Value, fields[0].Type.IntValue));
        Assert.Equal((Resources.IcmpFamily.IPv6, 128L), (fields[1].Family!.Value, fields[1].Type.IntValue));
        Assert.Equal("kube-system", rule.ToEndpoints![0].MatchLabels["io.kubernetes.pod.namespace"]);
    }

    [Fact]
    public void Fqdn_on_ingress_and_missing_selector_are_reported_together()
    {
        var result = Policy.Namespaced("p", "apps").AllowIngress(Peer.Fqdn("x.io"), Port.Tcp(443)).Build(CiliumVersion.V1_20);
        Assert.Contains(result.Errors, e => e.Path == "policies[apps/p].spec.endpointSelector" && e.Fix.Contains("Selecting", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Path == "policies[apps/p].spec.ingress[0]" && e.Message.Contains("cannot be an ingress peer", StringComparison.Ordinal));
    }

    [Fact]
    public void Builders_are_immutable()
    {
        var a = Policy.Namespaced("p", "apps").Selecting(App);
        var b = a.AllowEgress(Peer.Entity(Entity.World), Port.Tcp(443));
        var c = b.WithDefaultDeny(ingress: null, egress: false);
        Assert.Empty(a.Rules);
        Assert.Single(b.Rules);
        Assert.Null(b.DefaultDenyEgress);
        Assert.False(c.DefaultDenyEgress);
    }

    [Fact]
    public void Cluster_wide_policy_selecting_a_component_adds_its_namespace_label()
    {
        var result = BuildValid(Policy.ClusterWide("api").Selecting(Components.FluxControllers).AllowEgress(Peer.Entity(Entity.KubeApiServer), Port.Tcp(6443)));
        Assert.NotNull(result.ClusterwideNetworkPolicy);
        Assert.Null(result.ClusterwideNetworkPolicy!.Metadata.NamespaceProperty);
        Assert.Equal("flux-system", result.Spec.EndpointSelector!.MatchLabels["io.kubernetes.pod.namespace"]);
    }

    [Fact]
    public void Namespaced_policy_cannot_select_a_component_of_another_namespace()
    {
        var result = Policy.Namespaced("p", "apps").Selecting(Components.Prometheus).AllowEgress(Peer.Entity(Entity.World), Port.Tcp(443)).Build(CiliumVersion.V1_20);
        var error = Assert.Single(result.Errors);
        Assert.Equal("policies[apps/p].spec.endpointSelector", error.Path);
        Assert.Contains("'monitoring'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_names_are_reported_with_paths()
    {
        var result = Policy.Namespaced("Bad_Name", "Apps").Selecting(App).AllowEgress(Peer.Entity(Entity.World), Port.Tcp(443)).Build(CiliumVersion.V1_20);
        Assert.Contains(result.Errors, e => e.Path == "policies[Apps/Bad_Name].metadata.name");
        Assert.Contains(result.Errors, e => e.Path == "policies[Apps/Bad_Name].metadata.namespace");
    }

    [Fact]
    public void Empty_allow_rule_is_refused_because_it_allows_nothing()
    {
        var result = Policy.Namespaced("p", "apps").Selecting(App).AllowIngress(Peer.Any).Build(CiliumVersion.V1_20);
        Assert.Contains(result.Errors, e => e.Message.Contains("allows nothing", StringComparison.Ordinal));
    }

    [Fact]
    public void Generated_schema_errors_carry_the_policy_prefix_and_the_field_path()
    {
        var result = Policy.Namespaced("p", "apps").Selecting(App).AllowEgress(Peer.Fqdn("a{1,2}.cilium.io."), Port.Tcp(443)).Build(CiliumVersion.V1_19);
        var error = Assert.Single(result.Errors);
        Assert.Equal("policies[apps/p].spec.egress[0].toFQDNs[0].matchName", error.Path);
        Assert.Equal("schema", error.Layer);
    }

    [Fact]
    public void Allow_dns_targets_coredns_by_its_catalogue_labels()
    {
        var rule = Assert.Single(BuildValid(Policy.Namespaced("p", "apps").Selecting(App).AllowDns()).Spec.Egress!);
        Assert.Equal(new Dictionary<string, string> { ["io.kubernetes.pod.namespace"] = "kube-system", ["k8s-app"] = "kube-dns" }, rule.ToEndpoints![0].MatchLabels);
        Assert.Null(rule.ToPorts![0].Rules);
    }
}
