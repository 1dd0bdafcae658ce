using Cilium.Sdk.Policies;
using Cilium.Sdk.Verdicts;

namespace Cilium.Sdk.Tests.Verdicts;

/// <summary>Each Cilium semantic rule the engine models, with a case that passes and one that does not.</summary>
public sealed class VerdictSemanticsTests
{
    private static readonly Endpoint Web = Endpoint.Pod("shop", new Dictionary<string, string> { ["app"] = "web" }, "shop/web");
    private static readonly Endpoint Api = Endpoint.Pod("shop", new Dictionary<string, string> { ["app"] = "api" }, "shop/api").WithNamedPort("http", Port.Tcp(8080));
    private static readonly Endpoint OtherApi = Endpoint.Pod("other", new Dictionary<string, string> { ["app"] = "api" }, "other/api");
    private static readonly Endpoint Client = Endpoint.Pod("tools", new Dictionary<string, string> { ["app"] = "client" }, "tools/client");

    private static PolicyVerdicts Yaml(string yaml, PolicyMode mode = PolicyMode.Enforce) =>
        PolicyVerdicts.FromYaml(yaml, options: new VerdictOptions(mode));

    private const string ApiIngressFromWeb = """
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: api, namespace: shop}
        spec:
          endpointSelector: {matchLabels: {app: api}}
          ingress:
          - fromEndpoints: [{matchLabels: {app: web}}]
            toPorts: [{ports: [{port: "8080", protocol: TCP}]}]
        """;

    [Fact]
    public void A_selected_endpoint_is_in_default_deny_and_an_allow_rule_opens_its_flow()
    {
        var v = Yaml(ApiIngressFromWeb);

        var allowed = v.Evaluate(Flow.Tcp(Web, Api, 8080));
        var denied = v.Evaluate(Flow.Tcp(Client, Api, 8080));

        Assert.Equal(Decision.Allowed, allowed.Decision);
        Assert.Contains(allowed.Reasons, r => r.Policy == "CiliumNetworkPolicy shop/api" && r.Rule == "spec.ingress[0]");
        Assert.Equal(Decision.Denied, denied.Decision);
        Assert.Contains("no rule allowed it under default deny", denied.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void An_endpoint_no_policy_selects_is_not_in_default_deny()
    {
        var v = Yaml(ApiIngressFromWeb);

        var verdict = v.Evaluate(Flow.Tcp(Api, Client, 9999));

        Assert.Equal(Decision.Allowed, verdict.Decision);
        Assert.Contains("not in default deny", verdict.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void EnableDefaultDeny_false_keeps_the_endpoint_open_while_its_allows_still_apply()
    {
        var v = Yaml(ApiIngressFromWeb.Replace("  ingress:", "  enableDefaultDeny: {ingress: false}\n  ingress:", StringComparison.Ordinal));
        var enforced = Yaml(ApiIngressFromWeb.Replace("  ingress:", "  enableDefaultDeny: {ingress: true}\n  ingress:", StringComparison.Ordinal));

        Assert.Equal(Decision.Allowed, v.Evaluate(Flow.Tcp(Client, Api, 8080)).Decision);
        Assert.Contains("enableDefaultDeny.ingress: false", v.Evaluate(Flow.Tcp(Client, Api, 8080)).Explanation, StringComparison.Ordinal);
        Assert.Equal(Decision.Denied, enforced.Evaluate(Flow.Tcp(Client, Api, 8080)).Decision);
    }

    [Fact]
    public void Allow_rules_from_several_policies_add_up()
    {
        var second = """
            ---
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata: {name: api-tools, namespace: shop}
            spec:
              endpointSelector: {matchLabels: {app: api}}
              ingress:
              - fromEndpoints: [{matchLabels: {app: client, k8s:io.kubernetes.pod.namespace: tools}}]
                toPorts: [{ports: [{port: "8080", protocol: TCP}]}]
            """;
        var v = Yaml(ApiIngressFromWeb + "\n" + second);

        Assert.True(v.Evaluate(Flow.Tcp(Web, Api, 8080)).IsAllowed);
        Assert.True(v.Evaluate(Flow.Tcp(Client, Api, 8080)).IsAllowed);
        Assert.False(v.Evaluate(Flow.Tcp(Client, Api, 8081)).IsAllowed);
    }

    [Fact]
    public void A_deny_rule_wins_over_an_allow_even_without_default_deny()
    {
        var deny = """
            ---
            apiVersion: cilium.io/v2
            kind: CiliumClusterwideNetworkPolicy
            metadata: {name: no-web-to-api}
            spec:
              endpointSelector: {matchLabels: {app: api}}
              enableDefaultDeny: {ingress: false}
              ingressDeny:
              - fromEndpoints: [{matchLabels: {app: web}}]
            """;
        var v = Yaml(ApiIngressFromWeb + "\n" + deny);
        var denyOnly = Yaml(deny);

        var verdict = v.Evaluate(Flow.Tcp(Web, Api, 8080));
        Assert.Equal(Decision.Denied, verdict.Decision);
        Assert.Contains(verdict.Reasons, r => r.Rule == "spec.ingressDeny[0]" && r.Policy == "CiliumClusterwideNetworkPolicy no-web-to-api");
        Assert.Equal(Decision.Denied, denyOnly.Evaluate(Flow.Tcp(Web, Api, 1234)).Decision);
        Assert.Equal(Decision.Allowed, denyOnly.Evaluate(Flow.Tcp(Client, Api, 1234)).Decision);
    }

    [Fact]
    public void Both_the_source_egress_and_the_destination_ingress_must_allow()
    {
        var webEgress = """
            ---
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata: {name: web, namespace: shop}
            spec:
              endpointSelector: {matchLabels: {app: web}}
              egress:
              - toEndpoints: [{matchLabels: {app: db}}]
            """;
        var v = Yaml(ApiIngressFromWeb + "\n" + webEgress);

        var verdict = v.Evaluate(Flow.Tcp(Web, Api, 8080));

        Assert.Equal(Decision.Denied, verdict.Decision);
        Assert.Equal(Decision.Denied, verdict.EgressDecision);
        Assert.Equal(Decision.Allowed, verdict.IngressDecision);
        Assert.True(Yaml(ApiIngressFromWeb).Evaluate(Flow.Tcp(Web, Api, 8080)).IsAllowed);
    }

    [Fact]
    public void A_namespaced_selector_selects_only_its_own_namespace_unless_it_names_one()
    {
        var v = Yaml(ApiIngressFromWeb);
        var otherWeb = Endpoint.Pod("other", new Dictionary<string, string> { ["app"] = "web" });

        // The policy's endpointSelector does not select other/api; its fromEndpoints does not select other/web.
        Assert.Contains("not in default deny", v.Evaluate(Flow.Tcp(Client, OtherApi, 8080)).Explanation, StringComparison.Ordinal);
        Assert.Equal(Decision.Denied, v.Evaluate(Flow.Tcp(otherWeb, Api, 8080)).Decision);
        var named = Yaml(ApiIngressFromWeb.Replace("{app: web}", "{app: web, k8s:io.kubernetes.pod.namespace: other}", StringComparison.Ordinal));
        Assert.True(named.Evaluate(Flow.Tcp(otherWeb, Api, 8080)).IsAllowed);
    }

    [Fact]
    public void A_cluster_wide_policy_selects_across_namespaces()
    {
        var v = Yaml("""
            apiVersion: cilium.io/v2
            kind: CiliumClusterwideNetworkPolicy
            metadata: {name: api-everywhere}
            spec:
              endpointSelector: {matchLabels: {app: api}}
              ingress:
              - fromEndpoints: [{matchLabels: {app: web}}]
            """);
        var otherWeb = Endpoint.Pod("other", new Dictionary<string, string> { ["app"] = "web" });

        Assert.True(v.Evaluate(Flow.Tcp(otherWeb, Api, 1)).IsAllowed);
        Assert.Equal(Decision.Denied, v.Evaluate(Flow.Tcp(Client, OtherApi, 1)).Decision);
    }

    [Theory]
    [InlineData("world", "world", true)]
    [InlineData("world", "remote-node", false)]
    [InlineData("cluster", "remote-node", true)]
    [InlineData("cluster", "world", false)]
    [InlineData("cluster", "pod", true)]
    [InlineData("kube-apiserver", "kube-apiserver+remote-node", true)]
    [InlineData("kube-apiserver", "host", false)]
    [InlineData("host", "host", true)]
    [InlineData("remote-node", "host", false)]
    [InlineData("all", "world", true)]
    public void Entities_select_the_identities_Cilium_gives_them(string entity, string peer, bool allowed)
    {
        var v = Yaml($$$"""
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata: {name: web, namespace: shop}
            spec:
              endpointSelector: {matchLabels: {app: web}}
              egress:
              - toEntities: [{{{entity}}}]
            """);
        var destination = peer switch
        {
            "world" => Endpoint.World("1.1.1.1"),
            "remote-node" => Endpoint.RemoteNode,
            "host" => Endpoint.Host,
            "pod" => Client,
            "kube-apiserver+remote-node" => Endpoint.Reserved(Entity.KubeApiServer, Entity.RemoteNode),
            _ => throw new ArgumentOutOfRangeException(nameof(peer)),
        };

        Assert.Equal(allowed ? Decision.Allowed : Decision.Denied, v.Evaluate(Flow.Tcp(Web, destination, 443)).Decision);
    }

    [Fact]
    public void Cidr_rules_honour_except_and_refuse_a_peer_without_an_ip()
    {
        var v = Yaml("""
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata: {name: web, namespace: shop}
            spec:
              endpointSelector: {matchLabels: {app: web}}
              egress:
              - toCIDRSet: [{cidr: 10.0.0.0/8, except: [10.96.0.0/12]}]
            """);

        Assert.True(v.Evaluate(Flow.Tcp(Web, Endpoint.World("10.1.2.3"), 443)).IsAllowed);
        Assert.Equal(Decision.Denied, v.Evaluate(Flow.Tcp(Web, Endpoint.World("10.96.0.10"), 443)).Decision);
        Assert.Equal(Decision.Denied, v.Evaluate(Flow.Tcp(Web, Endpoint.World("192.168.1.1"), 443)).Decision);
        var unknown = v.Evaluate(Flow.Tcp(Web, Endpoint.World(), 443));
        Assert.Equal(Decision.Undecidable, unknown.Decision);
        Assert.Contains("has no IP", unknown.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Port_ranges_include_both_ends_and_protocols_must_match()
    {
        var v = Yaml("""
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata: {name: api, namespace: shop}
            spec:
              endpointSelector: {matchLabels: {app: api}}
              ingress:
              - toPorts: [{ports: [{port: "8000", endPort: 8100, protocol: TCP}]}]
            """);

        Assert.True(v.Evaluate(Flow.Tcp(Client, Api, 8000)).IsAllowed);
        Assert.True(v.Evaluate(Flow.Tcp(Client, Api, 8100)).IsAllowed);
        Assert.False(v.Evaluate(Flow.Tcp(Client, Api, 8101)).IsAllowed);
        Assert.False(v.Evaluate(Flow.Udp(Client, Api, 8050)).IsAllowed);
    }

    [Fact]
    public void Named_ports_resolve_against_the_destination_and_refuse_when_it_does_not_declare_them()
    {
        var v = Yaml("""
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata: {name: api, namespace: shop}
            spec:
              endpointSelector: {matchLabels: {app: api}}
              ingress:
              - toPorts: [{ports: [{port: http, protocol: TCP}]}]
            """);
        var undeclared = Endpoint.Pod("shop", new Dictionary<string, string> { ["app"] = "api" });

        Assert.True(v.Allows(Client, Api, Port.Named("http")).IsAllowed);
        Assert.Equal(Decision.Denied, v.Evaluate(Flow.Tcp(Client, Api, 9090)).Decision);
        var refused = v.Evaluate(Flow.Tcp(Client, undeclared, 8080));
        Assert.Equal(Decision.Undecidable, refused.Decision);
        Assert.Contains("named port 'http'", refused.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Http_rules_match_method_and_path_as_whole_value_regexes()
    {
        var v = PolicyVerdicts.For(PolicySet.Empty.Add(
            Policy.Namespaced("api", "shop").Selecting(new Dictionary<string, string> { ["app"] = "api" })
                .AllowIngress([Peer.Endpoints(new Dictionary<string, string> { ["app"] = "web" })], [Port.Tcp(8080)], [HttpMatch.Get("/v1/.*")])));

        Assert.True(v.Evaluate(Flow.Tcp(Web, Api, 8080).WithHttp(new HttpRequest("GET", "/v1/items"))).IsAllowed);
        Assert.Equal(Decision.Denied, v.Evaluate(Flow.Tcp(Web, Api, 8080).WithHttp(new HttpRequest("POST", "/v1/items"))).Decision);
        Assert.Equal(Decision.Denied, v.Evaluate(Flow.Tcp(Web, Api, 8080).WithHttp(new HttpRequest("GET", "/v2/v1/items"))).Decision);
        var l4Only = v.Evaluate(Flow.Tcp(Web, Api, 8080));
        Assert.True(l4Only.IsAllowed);
        Assert.Contains("HTTP rule(s) then filter each request", l4Only.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Dns_rules_filter_queries_and_fqdn_rules_match_the_names_a_flow_carries()
    {
        var v = PolicyVerdicts.For(PolicySet.Empty.Add(
            Policy.Namespaced("web", "shop").Selecting(new Dictionary<string, string> { ["app"] = "web" })
                .AllowEgress([Peer.FqdnPattern("*.github.com"), Peer.Fqdn("example.org")], [Port.Tcp(443)])));
        var coreDns = Endpoint.Of(Components.CoreDns);

        Assert.True(v.Evaluate(Flow.Tcp(Web, Endpoint.World("140.82.112.6", "api.github.com"), 443)).IsAllowed);
        Assert.True(v.Evaluate(Flow.Tcp(Web, Endpoint.World("93.184.215.14", "example.org."), 443)).IsAllowed);
        Assert.Equal(Decision.Denied, v.Evaluate(Flow.Tcp(Web, Endpoint.World("1.2.3.4", "a.b.github.com"), 443)).Decision);
        Assert.Equal(Decision.Denied, v.Evaluate(Flow.Tcp(Web, Endpoint.World("1.2.3.4", "evil.com"), 443)).Decision);
        Assert.Equal(Decision.Undecidable, v.Evaluate(Flow.Tcp(Web, Endpoint.World("1.2.3.4"), 443)).Decision);
        // The DNS-proxy rule the renderer adds lets every query through to CoreDNS.
        Assert.True(v.Evaluate(Flow.Udp(Web, coreDns, 53).WithDnsQuery("api.github.com")).IsAllowed);

        var restricted = Yaml("""
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata: {name: web, namespace: shop}
            spec:
              endpointSelector: {matchLabels: {app: web}}
              egress:
              - toEndpoints: [{matchLabels: {k8s:io.kubernetes.pod.namespace: kube-system, k8s-app: kube-dns}}]
                toPorts: [{ports: [{port: "53", protocol: ANY}], rules: {dns: [{matchPattern: "*.example.org"}]}}]
            """);
        Assert.True(restricted.Evaluate(Flow.Udp(Web, coreDns, 53).WithDnsQuery("www.example.org")).IsAllowed);
        Assert.Equal(Decision.Denied, restricted.Evaluate(Flow.Udp(Web, coreDns, 53).WithDnsQuery("www.example.com")).Decision);
    }

    [Fact]
    public void Icmp_rules_match_the_type_and_family()
    {
        var v = PolicyVerdicts.For(PolicySet.Empty.Add(
            Policy.Namespaced("api", "shop").Selecting(new Dictionary<string, string> { ["app"] = "api" }).AllowIcmpIngress(Peer.Entity(Entity.Cluster), IcmpType.EchoRequestV4)));

        Assert.True(v.Evaluate(Flow.Create(Client, Api, FlowProtocol.IcmpV4, 8)).IsAllowed);
        Assert.False(v.Evaluate(Flow.Create(Client, Api, FlowProtocol.IcmpV6, 8)).IsAllowed);
        Assert.False(v.Evaluate(Flow.Tcp(Client, Api, 8)).IsAllowed);
    }

    [Fact]
    public void Audit_mode_turns_a_drop_into_audit_and_leaves_allows_alone()
    {
        var v = Yaml(ApiIngressFromWeb, PolicyMode.Audit);

        var audited = v.Evaluate(Flow.Tcp(Client, Api, 8080));

        Assert.Equal(Decision.Audit, audited.Decision);
        Assert.True(audited.WouldDrop);
        Assert.Equal(Decision.Allowed, v.Evaluate(Flow.Tcp(Web, Api, 8080)).Decision);
    }

    [Fact]
    public void The_local_host_reaches_local_pods_unless_allow_localhost_is_off()
    {
        var v = Yaml(ApiIngressFromWeb);
        var strict = PolicyVerdicts.FromYaml(ApiIngressFromWeb, options: new VerdictOptions(AllowLocalhost: false));

        Assert.True(v.Evaluate(Flow.Tcp(Endpoint.Host, Api, 8080)).IsAllowed);
        Assert.Equal(Decision.Denied, strict.Evaluate(Flow.Tcp(Endpoint.Host, Api, 8080)).Decision);
        Assert.Equal(Decision.Denied, v.Evaluate(Flow.Tcp(Endpoint.RemoteNode, Api, 8080)).Decision);
    }

    [Fact]
    public void Unmodelled_constructs_are_refused_with_the_reason()
    {
        var v = Yaml("""
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata: {name: web, namespace: shop}
            spec:
              endpointSelector: {matchLabels: {app: web}}
              egress:
              - toServices: [{k8sService: {serviceName: api, namespace: shop}}]
            """);

        var verdict = v.Evaluate(Flow.Tcp(Web, Api, 8080));

        Assert.Equal(Decision.Undecidable, verdict.Decision);
        Assert.Contains("toServices is not modelled", verdict.Explanation, StringComparison.Ordinal);
        // A flow the unmodelled rule cannot affect is still decided.
        Assert.True(v.Evaluate(Flow.Tcp(Client, Api, 8080)).IsAllowed);
    }

    [Fact]
    public void A_pod_with_unknown_labels_is_refused_when_a_selector_needs_them()
    {
        var v = Yaml(ApiIngressFromWeb);
        var unknown = Endpoint.Pod("shop", new Dictionary<string, string>(), "shop/xwing").WithUnknownLabels();

        var verdict = v.Evaluate(Flow.Tcp(unknown, Api, 8080));

        Assert.Equal(Decision.Undecidable, verdict.Decision);
        Assert.Contains("labels of pod shop/xwing are not known", verdict.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Namespace_labels_are_selectable_and_unknown_ones_are_refused()
    {
        var v = Yaml(ApiIngressFromWeb.Replace("{app: web}", "{k8s:io.kubernetes.pod.namespace: tools, io.cilium.k8s.namespace.labels.team: a}", StringComparison.Ordinal));
        var teamA = Client.WithNamespaceLabels(new Dictionary<string, string> { ["team"] = "a" });
        var teamB = Client.WithNamespaceLabels(new Dictionary<string, string> { ["team"] = "b" });

        Assert.True(v.Evaluate(Flow.Tcp(teamA, Api, 8080)).IsAllowed);
        Assert.Equal(Decision.Denied, v.Evaluate(Flow.Tcp(teamB, Api, 8080)).Decision);
        Assert.Equal(Decision.Undecidable, v.Evaluate(Flow.Tcp(Client, Api, 8080)).Decision);
    }

    [Fact]
    public void The_assertion_helpers_throw_with_the_explanation()
    {
        var v = Yaml(ApiIngressFromWeb);

        v.AssertAllowed(Web, Api, Port.Tcp(8080));
        v.AssertDenied(Client, Api, Port.Tcp(8080));
        var e = Assert.Throws<VerdictAssertionException>(() => v.AssertAllowed(Client, Api, Port.Tcp(8080)));
        Assert.StartsWith("expected the flow to be ALLOWED, but it is DENIED:\ntools/client -> shop/api 8080/TCP: DENIED\n", e.Message, StringComparison.Ordinal);
        Assert.Contains("no rule allowed it under default deny (selected for ingress by CiliumNetworkPolicy shop/api)", e.Message, StringComparison.Ordinal);
        Assert.Throws<VerdictAssertionException>(() => v.AssertDenied(Web, Api, Port.Tcp(8080)));
    }

    [Fact]
    public void Match_expressions_are_evaluated()
    {
        var v = Yaml("""
            apiVersion: cilium.io/v2
            kind: CiliumClusterwideNetworkPolicy
            metadata: {name: not-kube-system}
            spec:
              endpointSelector:
                matchExpressions: [{key: k8s:io.kubernetes.pod.namespace, operator: NotIn, values: [kube-system]}]
              ingress:
              - fromEndpoints: [{matchExpressions: [{key: app, operator: In, values: [web, client]}]}]
            """);

        Assert.True(v.Evaluate(Flow.Tcp(Client, Api, 1)).IsAllowed);
        Assert.Equal(Decision.Denied, v.Evaluate(Flow.Tcp(OtherApi, Api, 1)).Decision);
        Assert.True(v.Evaluate(Flow.Tcp(OtherApi, Endpoint.Of(Components.CoreDns), 53)).IsAllowed);
    }

    [Fact]
    public void Host_policies_apply_to_nodes_only_with_the_host_firewall_and_their_node_labels()
    {
        const string HostFirewall = """
            apiVersion: cilium.io/v2
            kind: CiliumClusterwideNetworkPolicy
            metadata: {name: host-fw}
            spec:
              nodeSelector: {matchLabels: {node-role.kubernetes.io/control-plane: ""}}
              ingress:
              - fromEntities: [cluster]
                toPorts: [{ports: [{port: "6443", protocol: TCP}]}]
            """;
        var off = Yaml(HostFirewall);
        var on = PolicyVerdicts.FromYaml(HostFirewall, options: new VerdictOptions { HostFirewall = true });
        var controlPlane = Endpoint.RemoteNode.WithNodeLabels(new Dictionary<string, string> { ["node-role.kubernetes.io/control-plane"] = "" });
        var worker = Endpoint.RemoteNode.WithNodeLabels(new Dictionary<string, string> { ["kubernetes.io/hostname"] = "w1" });

        // Cilium's default: no host firewall, so host policies do not apply.
        Assert.Equal(Decision.Allowed, off.Evaluate(Flow.Tcp(Web, controlPlane, 10250)).Decision);
        Assert.Contains("host firewall is off", off.Evaluate(Flow.Tcp(Web, controlPlane, 10250)).Explanation, StringComparison.Ordinal);
        Assert.Equal(Decision.Denied, on.Evaluate(Flow.Tcp(Web, controlPlane, 10250)).Decision);
        Assert.Equal(Decision.Allowed, on.Evaluate(Flow.Tcp(Web, controlPlane, 6443)).Decision);
        Assert.Equal(Decision.Allowed, on.Evaluate(Flow.Tcp(Web, worker, 10250)).Decision);
        var unknown = on.Evaluate(Flow.Tcp(Web, Endpoint.RemoteNode, 10250));
        Assert.Equal(Decision.Undecidable, unknown.Decision);
        Assert.Contains("labels of node remote-node are not known", unknown.Explanation, StringComparison.Ordinal);
        // The node's own allow is decided without its labels, and pods are never selected by a nodeSelector.
        Assert.Equal(Decision.Allowed, on.Evaluate(Flow.Tcp(Web, Endpoint.RemoteNode, 6443)).Decision);
        Assert.True(on.Evaluate(Flow.Tcp(Web, Api, 8080)).IsAllowed);
    }

    [Fact]
    public void Every_spec_of_a_specs_list_applies()
    {
        var v = Yaml("""
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata: {name: two, namespace: shop}
            specs:
            - endpointSelector: {matchLabels: {app: api}}
              ingress:
              - fromEndpoints: [{matchLabels: {app: web}}]
            - endpointSelector: {matchLabels: {app: web}}
              egress:
              - toEndpoints: [{matchLabels: {app: api}}]
            """);

        Assert.True(v.Evaluate(Flow.Tcp(Web, Api, 80)).IsAllowed);
        var denied = v.Evaluate(Flow.Tcp(Web, Client, 80));
        Assert.Equal(Decision.Denied, denied.Decision);
        Assert.Contains("CiliumNetworkPolicy shop/two specs[1]", denied.Explanation, StringComparison.Ordinal);
    }
}
