using Cilium.Sdk.Cluster;
using Cilium.Sdk.Policies;
using Cilium.Sdk.Verdicts;
using static Cilium.Sdk.Policies.Components;

namespace Cilium.Sdk.Tests.Verdicts;

/// <summary>The presets allow the flows their documentation lists, and nothing nobody allowed.</summary>
public sealed class PresetVerdictTests
{
    private static readonly PolicyVerdicts All = PolicyVerdicts.For(Presets.All(), CiliumVersion.V1_20);

    private static Endpoint E(Component c) => Endpoint.Of(c);

    public static TheoryData<string, string, int, string> DocumentedFlows => new()
    {
        // CoreDNS: in from the cluster on 53, Prometheus on 9153; out to world 53/443, host 53, API server 6443.
        { "grafana", "coredns", 53, "UDP" },
        { "prometheus", "coredns", 9153, "TCP" },
        { "coredns", "world", 443, "TCP" },
        { "coredns", "host", 53, "UDP" },
        { "coredns", "kube-apiserver", 6443, "TCP" },
        // Grafana: in from the Envoy proxies on 3000; out to Prometheus, Loki, Tempo, Alertmanager.
        { "envoy-internal", "grafana", 3000, "TCP" },
        { "grafana", "loki", 3100, "TCP" },
        { "grafana", "prometheus", 9090, "TCP" },
        // Prometheus scrapes the nodes' kubelets and Cilium agents.
        { "prometheus", "remote-node", 10250, "TCP" },
        { "prometheus", "host", 9962, "TCP" },
        // Flux reaches Git over 443 and 22, and the API server through the cluster-wide policy too.
        { "flux-controllers", "world", 22, "TCP" },
        { "flux-controllers", "kube-apiserver", 6443, "TCP" },
        // The external gateway from the Cloudflare tunnel and the world.
        { "cloudflare-tunnel", "envoy-external", 10443, "TCP" },
        { "world", "envoy-external", 10443, "TCP" },
        // Keycloak to its PostgreSQL and to Google through the FQDN rule.
        { "keycloak", "keycloak-postgres", 5432, "TCP" },
        { "keycloak", "accounts.google.com", 443, "TCP" },
        // Every pod may query CoreDNS (the cluster-wide allow-dns).
        { "litellm", "coredns", 53, "TCP" },
    };

    public static TheoryData<string, string, int, string> UnlistedFlows => new()
    {
        { "grafana", "world", 443, "TCP" },          // Grafana has no world egress
        { "loki", "prometheus", 9090, "TCP" },       // Loki does not write to Prometheus
        { "world", "grafana", 3000, "TCP" },         // only the proxies reach Grafana
        { "keycloak", "evil.example", 443, "TCP" },  // not an identity provider
        { "coredns", "world", 80, "TCP" },           // only 53 and 443
        { "litellm", "rustfs", 9000, "TCP" },        // LiteLLM has no object-store rule
    };

    [Theory]
    [MemberData(nameof(DocumentedFlows))]
    public void A_documented_flow_is_allowed(string from, string to, int port, string protocol)
    {
        var verdict = All.Evaluate(Flow.Create(Resolve(from), Resolve(to), protocol == "TCP" ? FlowProtocol.Tcp : FlowProtocol.Udp, port));

        Assert.True(verdict.IsAllowed, verdict.Explanation);
    }

    [Theory]
    [MemberData(nameof(UnlistedFlows))]
    public void A_flow_nobody_allowed_is_denied(string from, string to, int port, string protocol)
    {
        var verdict = All.Evaluate(Flow.Create(Resolve(from), Resolve(to), protocol == "TCP" ? FlowProtocol.Tcp : FlowProtocol.Udp, port));

        Assert.True(verdict.Decision == Decision.Denied, verdict.Explanation);
        Assert.Contains("no rule allowed it under default deny", verdict.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Presets_For_a_subset_leaves_the_other_components_open_and_denies_within_the_subset()
    {
        var verdicts = PolicyVerdicts.For(Presets.For(Prometheus, Grafana));

        verdicts.AssertAllowed(E(Grafana), E(Prometheus), Port.Tcp(9090));
        verdicts.AssertDenied(E(Loki), E(Grafana), Port.Tcp(3000));
        // Loki has no preset in this set: it is not selected, so its egress is open.
        Assert.Contains("not in default deny", verdicts.Allows(E(Loki), E(Alloy), Port.Tcp(12345)).Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_presets_in_audit_mode_audit_instead_of_drop()
    {
        var audit = PolicyVerdicts.For(Presets.All(), options: new VerdictOptions(PolicyMode.Audit));

        Assert.Equal(Decision.Audit, audit.Allows(E(Loki), E(Prometheus), Port.Tcp(9090)).Decision);
        Assert.Equal(Decision.Allowed, audit.Allows(E(Grafana), E(Prometheus), Port.Tcp(9090)).Decision);
    }

    private static Endpoint Resolve(string name) => name switch
    {
        "world" => Endpoint.World("203.0.113.7"),
        "host" => Endpoint.Host,
        "remote-node" => Endpoint.RemoteNode,
        "kube-apiserver" => Endpoint.Reserved(Entity.KubeApiServer, Entity.RemoteNode),
        "accounts.google.com" or "evil.example" => Endpoint.World("198.51.100.9", name),
        _ => E(Components.All.Single(c => c.Name == name)),
    };
}

/// <summary>The example in docs/verdicts.md, with the explanation it prints.</summary>
public sealed class VerdictDocsExampleTests
{
    [Fact]
    public void The_docs_example_explains_as_documented()
    {
        var verdicts = PolicyVerdicts.For(Presets.For(Prometheus, Grafana));
        var grafana = Endpoint.Of(Grafana);
        var prometheus = Endpoint.Of(Prometheus);

        verdicts.AssertAllowed(grafana, prometheus, Port.Tcp(9090));
        var v = verdicts.Allows(Endpoint.Of(Loki), grafana, Port.Tcp(3000));

        Assert.False(v.IsAllowed);
        var docs = File.ReadAllText(Path.Combine(Infrastructure.TestData.RepositoryRoot, "docs", "verdicts.md"));
        foreach (var line in v.Explanation.TrimEnd('\n').Split('\n'))
        {
            Assert.Contains("// " + line + "\n", docs, StringComparison.Ordinal);
        }
    }
}
