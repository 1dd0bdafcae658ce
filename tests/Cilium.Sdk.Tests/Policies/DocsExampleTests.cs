using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Policies;

namespace Cilium.Sdk.Tests.Policies;

/// <summary>The example of docs/policies.md, kept compiling and true.</summary>
public sealed class DocsExampleTests
{
    [Fact]
    public void Docs_example_builds_validates_and_renders()
    {
        var web = Policy.Namespaced("web", "apps")
            .Selecting(new Dictionary<string, string> { ["app"] = "web" })
            .AllowIngress(Peer.Component(Components.EnvoyInternal), Port.Tcp(8080))
            .AllowEgress(Peer.Fqdn("api.github.com"), Port.Tcp(443))
            .AllowEgress(Peer.Cidr("10.0.0.0/8", except: "10.96.0.0/12"), Port.TcpRange(8000, 8100))
            .DenyEgress(Peer.Cidr("169.254.169.254/32"))
            .AllowDns();

        var set = Presets.For(Components.CoreDns, Components.Prometheus).Add(web);
        Assert.Empty(set.Validate(CiliumVersion.V1_20, PolicyMode.Audit));

        var documents = set.Render(CiliumVersion.V1_20, PolicyMode.Audit);
        Assert.Equal(["_cluster/allow-dns.yaml", "apps/web.yaml", "kube-system/coredns.yaml", "monitoring/prometheus.yaml"], documents.Select(d => d.RelativePath));
        Assert.True(PolicyModes.HelmValues(PolicyMode.Audit)["policyAuditMode"]!.GetValue<bool>());

        var doc = File.ReadAllText(Path.Combine(PolicyTestData.RepositoryRoot, "docs", "policies.md"));
        Assert.Contains(".AllowEgress(Peer.Cidr(\"10.0.0.0/8\", except: \"10.96.0.0/12\"), Port.TcpRange(8000, 8100))", doc, StringComparison.Ordinal);
    }
}
