using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Policies;
using Cilium.Sdk.Validation;
using CrdKit.Validation;

namespace Cilium.Sdk.Tests.Policies;

public sealed class PolicySetTests
{
    private static Policy Web(string name) =>
        Policy.Namespaced(name, "monitoring").Selecting(Components.Grafana).AllowEgress(Peer.Entity(Entity.World), Port.Tcp(443));

    [Fact]
    public void Duplicate_names_are_an_error_naming_the_policy()
    {
        var errors = PolicySet.Empty.Add(Web("a")).Add(Web("a")).Validate(CiliumVersion.V1_20);
        var error = Assert.Single(errors);
        Assert.Equal("policies[monitoring/a].metadata.name", error.Path);
        Assert.Equal(ValidationSeverity.Error, error.Severity);
    }

    [Fact]
    public void Same_name_as_namespaced_and_cluster_wide_is_not_a_duplicate()
    {
        var set = PolicySet.Empty.Add(Web("a")).Add(Policy.ClusterWide("a").SelectingAll().AllowDns());
        Assert.Empty(set.Validate(CiliumVersion.V1_20));
    }

    [Fact]
    public void Selector_no_known_component_carries_is_a_warning_with_the_policy_path()
    {
        var policy = Policy.Namespaced("gw", "network")
            .Selecting(new Dictionary<string, string> { ["gateway.networking.k8s.io/gateway-name"] = "internal" })
            .AllowIngress(Peer.Endpoints(new Dictionary<string, string> { ["app.kubernetes.io/name"] = "prometheus" }, "monitoring"), Port.Tcp(19001))
            .AllowEgress(Peer.Endpoints(new Dictionary<string, string> { ["app"] = "nothing" }, "monitoring"), Port.Tcp(1));
        var warnings = PolicySet.Empty.Add(policy).Validate(CiliumVersion.V1_20);
        Assert.All(warnings, w => Assert.Equal(ValidationSeverity.Warning, w.Severity));
        Assert.Equal(["policies[network/gw].spec.egress[0].toEndpoints[0]", "policies[network/gw].spec.endpointSelector"], warnings.Select(w => w.Path).Order(StringComparer.Ordinal));
        Assert.Contains("gateway.envoyproxy.io/owning-gateway-name=envoy-internal", warnings.Single(w => w.Path.EndsWith("endpointSelector", StringComparison.Ordinal)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_namespaces_are_not_judged()
    {
        var policy = Policy.Namespaced("p", "my-apps").Selecting(new Dictionary<string, string> { ["app"] = "mine" }).AllowEgress(Peer.Entity(Entity.World), Port.Tcp(443));
        Assert.Empty(PolicySet.Empty.Add(policy).Validate(CiliumVersion.V1_20));
    }

    [Fact]
    public void Warnings_do_not_stop_rendering_but_errors_do_and_list_every_error()
    {
        var warned = Policy.Namespaced("p", "monitoring").Selecting(new Dictionary<string, string> { ["app"] = "none" }).AllowEgress(Peer.Entity(Entity.World), Port.Tcp(443));
        Assert.Single(PolicySet.Empty.Add(warned).Render(CiliumVersion.V1_20, PolicyMode.Enforce));

        var broken = PolicySet.Empty.Add(Policy.Namespaced("x", "apps")).Add(Policy.Namespaced("y", "apps").SelectingAll().AllowIngress(Peer.Fqdn("a.io"), Port.Tcp(1)));
        var ex = Assert.Throws<PolicyValidationException>(() => broken.Render(CiliumVersion.V1_20, PolicyMode.Enforce));
        Assert.Contains("policies[apps/x].spec.endpointSelector", ex.Message, StringComparison.Ordinal);
        Assert.Contains("policies[apps/y].spec.ingress[0]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rendered_documents_carry_namespace_name_record_and_a_stable_path()
    {
        var docs = PolicySet.Empty.Add(Web("b")).Add(Web("a")).Add(Presets.ClusterDns()).Render(CiliumVersion.V1_20, PolicyMode.Audit);
        Assert.Equal(["_cluster/allow-dns.yaml", "monitoring/a.yaml", "monitoring/b.yaml"], docs.Select(d => d.RelativePath));
        Assert.Null(docs[0].Namespace);
        Assert.IsType<Cilium.Sdk.Resources.V2.CiliumClusterwideNetworkPolicy>(docs[0].Resource);
        Assert.Equal(("monitoring", "a"), (docs[1].Namespace, docs[1].Name));
        Assert.IsType<Cilium.Sdk.Resources.V2.CiliumNetworkPolicy>(docs[1].Resource);
        Assert.StartsWith("apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n", docs[1].ToYaml(), StringComparison.Ordinal);
    }

    [Fact]
    public void Sets_are_immutable()
    {
        var a = PolicySet.Empty;
        var b = a.Add(Web("a"));
        Assert.Empty(a.Policies);
        Assert.Single(b.Policies);
    }
}
