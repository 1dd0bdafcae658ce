using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Policies;

namespace Cilium.Sdk.Tests.Policies;

public sealed class PolicyModeTests
{
    private static readonly Policy EgressOnly = Policy.Namespaced("p", "apps")
        .Selecting(new Dictionary<string, string> { ["app"] = "web" })
        .AllowEgress(Peer.Entity(Entity.World), Port.Tcp(443));

    [Fact]
    public void Audit_writes_no_enableDefaultDeny_unless_asked()
    {
        Assert.Null(EgressOnly.Build(CiliumVersion.V1_20, PolicyMode.Audit).Spec.EnableDefaultDeny);
    }

    [Fact]
    public void Audit_yields_policyAuditMode_true_and_enforce_false()
    {
        Assert.Equal("{\"policyAuditMode\":true}", PolicyModes.HelmValues(PolicyMode.Audit).ToJsonString());
        Assert.Equal("{\"policyAuditMode\":false}", PolicyModes.HelmValues(PolicyMode.Enforce).ToJsonString());
    }

    [Fact]
    public void Enforce_turns_default_deny_on_for_the_directions_with_rules_only()
    {
        var deny = EgressOnly.Build(CiliumVersion.V1_20, PolicyMode.Enforce).Spec.EnableDefaultDeny!;
        Assert.True(deny.Egress);
        Assert.Null(deny.Ingress);

        var both = EgressOnly.AllowIngress(Peer.Entity(Entity.Cluster), Port.Tcp(80)).Build(CiliumVersion.V1_20, PolicyMode.Enforce).Spec.EnableDefaultDeny!;
        Assert.True(both.Ingress);
        Assert.True(both.Egress);
    }

    [Theory]
    [InlineData(PolicyMode.Audit)]
    [InlineData(PolicyMode.Enforce)]
    public void Explicit_override_is_written_in_every_mode(PolicyMode mode)
    {
        var result = EgressOnly.WithDefaultDeny(ingress: null, egress: false).Build(CiliumVersion.V1_20, mode);
        Assert.False(result.Spec.EnableDefaultDeny!.Egress);
        Assert.Null(result.Spec.EnableDefaultDeny.Ingress);
        var doc = Assert.Single(Cilium.Sdk.Serialization.Manifests.ParseYaml(Cilium.Sdk.Serialization.Manifests.Write(result.Resource)));
        Assert.Equal("{\"egress\":false}", doc["spec"]!["enableDefaultDeny"]!.ToJsonString());
    }

    [Fact]
    public void WithDefaultDeny_false_turns_both_directions_off_even_in_enforce()
    {
        var deny = EgressOnly.WithDefaultDeny(false).Build(CiliumVersion.V1_19, PolicyMode.Enforce).Spec.EnableDefaultDeny!;
        Assert.Equal((false, false), (deny.Ingress, deny.Egress));
    }
}
