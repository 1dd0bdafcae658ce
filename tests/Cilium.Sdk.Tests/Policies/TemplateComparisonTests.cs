using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Policies;
using Cilium.Sdk.Serialization;
using CrdKit.Serialization;

namespace Cilium.Sdk.Tests.Policies;

/// <summary>
/// The presets against the template's e-policies-audit case (../shared/corpus/template): every flow the template
/// allows is allowed by the presets, except the named, reasoned differences below; every FINDINGS.md defect about
/// policies has a test proving the presets fix it.
/// </summary>
public sealed class TemplateComparisonTests
{
    private static readonly string[] Folders =
    [
        "cluster-policies/network-policies/app",
        "kube-system/network-policies/app",
        "monitoring/network-policies/app",
        "flux-system/network-policies/app",
        "cert-manager/network-policies/app",
        "network/network-policies/app",
    ];

    /// <summary>Template flows the presets deliberately do not allow, each with the reason.</summary>
    private static readonly Dictionary<string, string> ExpectedDifferences = new(StringComparer.Ordinal)
    {
        // Envoy Gateway runs the proxies' listeners on the Gateway port + 10000 for privileged ports, and Cilium
        // applies policy after service translation: the proxies' ports are 10080/10443, not 80/443.
        ["cloudflare-tunnel egress c:envoy-external 443/TCP"] = "the proxy listens on 10443",
        ["cloudflare-tunnel egress c:envoy-external 80/TCP"] = "the proxy listens on 10080",
        ["envoy-external ingress c:cloudflare-tunnel 443/TCP"] = "the proxy listens on 10443",
        ["envoy-external ingress c:cloudflare-tunnel 80/TCP"] = "the proxy listens on 10080",
        ["envoy-external ingress entity:world 443/TCP"] = "the proxy listens on 10443",
        ["envoy-external ingress entity:world 80/TCP"] = "the proxy listens on 10080",

        // The template's envoy-gateway policy selected the controller (FINDINGS 4): API access belongs to the
        // controller (its own preset allows 6443); the proxies get their config over xDS from the controller.
        ["envoy-external egress entity:kube-apiserver 6443/TCP"] = "proxies do not call the API server; the controller preset does",
    };

    private static IReadOnlyList<JsonObject> TemplatePolicies()
    {
        var apps = PolicyTestData.RequireShared("corpus/template/cases/e-policies-audit/kubernetes/apps");
        return Folders
            .SelectMany(f => PolicyTestData.ReadPolicies(Path.Combine(apps, f)))
            // unifi-dns: external-dns for UniFi is not in the catalogue (issue 5 names the Cloudflare one).
            .Where(x => !x.File.EndsWith("unifi-dns.yaml", StringComparison.Ordinal))
            .Select(x => x.Doc)
            .ToList();
    }

    private static IReadOnlyList<JsonObject> PresetDocuments(PolicyMode mode = PolicyMode.Enforce) =>
        Presets.All().Render(CiliumVersion.V1_20, mode).Select(d => Manifests.ParseYaml(d.ToYaml())[0]!.AsObject()).ToList();

    private static JsonObject Preset(string relativePath) =>
        Manifests.ParseYaml(Presets.All().Render(CiliumVersion.V1_20, PolicyMode.Enforce).Single(d => d.RelativePath == relativePath).ToYaml())[0]!.AsObject();

    [Fact]
    public void Every_template_flow_is_allowed_by_the_presets_except_the_named_differences()
    {
        var template = PolicyFlows.Of(TemplatePolicies());
        var presets = PolicyFlows.Of(PresetDocuments());
        Assert.True(template.Count > 100, $"only {template.Count} template flows were read");
        var missing = template.Where(f => !presets.Contains(f)).ToList();
        var unexplained = missing.Where(f => !ExpectedDifferences.ContainsKey(f)).ToList();
        var stale = ExpectedDifferences.Keys.Where(f => !missing.Contains(f, StringComparer.Ordinal)).ToList();
        Assert.True(
            unexplained.Count == 0 && stale.Count == 0,
            "Template flows the presets lose without a named reason:\n  " + string.Join("\n  ", unexplained)
            + "\nNamed differences that no longer differ (remove them):\n  " + string.Join("\n  ", stale));
    }

    [Fact]
    public void Template_selectors_all_resolve_to_catalogue_components()
    {
        var unresolved = PolicyFlows.Of(TemplatePolicies()).Where(f => f.Contains("unresolved", StringComparison.Ordinal)).ToList();
        Assert.Empty(unresolved);
    }

    [Fact]
    public void Named_differences_point_at_allowed_replacements()
    {
        var presets = PolicyFlows.Of(PresetDocuments());
        Assert.Contains("cloudflare-tunnel egress c:envoy-external 10443/TCP", presets);
        Assert.Contains("envoy-external ingress entity:world 10443/TCP", presets);
        Assert.Contains("envoy-external ingress c:cloudflare-tunnel 10080/TCP", presets);
        Assert.Contains("envoy-gateway egress entity:kube-apiserver 6443/TCP", presets);
    }

    [Fact]
    public void Defect3_audit_is_cilium_audit_mode_not_a_default_deny_toggle()
    {
        // The template's "audit" wrote enableDefaultDeny false on each policy and never set policyAuditMode.
        Assert.True(PolicyModes.HelmValues(PolicyMode.Audit)["policyAuditMode"]!.GetValue<bool>());
        var audit = PresetDocuments(PolicyMode.Audit);
        var overridden = audit.Where(d => d["spec"]!["enableDefaultDeny"] is not null).Select(d => d["metadata"]!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal);
        Assert.Equal(["allow-dns", "allow-kube-apiserver-cert-manager-cainjector", "allow-kube-apiserver-cert-manager-controller", "allow-kube-apiserver-cert-manager-webhook", "allow-kube-apiserver-flux-controllers"], overridden);
    }

    [Fact]
    public void Defect4_envoy_proxies_are_selected_by_owning_gateway_name()
    {
        var docs = PresetDocuments();
        var all = string.Join("\n", docs.Select(d => d.ToJsonString()));
        Assert.DoesNotContain("gateway.networking.k8s.io/gateway-name", all, StringComparison.Ordinal);
        var grafanaPeers = Preset("monitoring/grafana.yaml")["spec"]!["ingress"]![0]!["fromEndpoints"]!.AsArray();
        Assert.Equal(["envoy-internal", "envoy-external"], grafanaPeers.Select(p => p!["matchLabels"]!["gateway.envoyproxy.io/owning-gateway-name"]!.GetValue<string>()));
        Assert.Equal("envoy-internal", Preset("network/envoy-internal.yaml")["spec"]!["endpointSelector"]!["matchLabels"]!["gateway.envoyproxy.io/owning-gateway-name"]!.GetValue<string>());
        Assert.Equal("envoy-gateway", Preset("network/envoy-gateway.yaml")["spec"]!["endpointSelector"]!["matchLabels"]!["control-plane"]!.GetValue<string>());
    }

    [Fact]
    public void Defect4_the_same_component_is_selected_by_the_same_labels_everywhere()
    {
        // Every non-empty selector in every preset is exactly one catalogue component's labels (plus its namespace),
        // or a namespace alone.
        var known = Components.All.Select(c => LabelsText(c.Labels, c.Namespace)).ToHashSet(StringComparer.Ordinal);
        var namespaces = Components.All.Select(c => c.Namespace).Append("identity").Append("ai-system").ToHashSet(StringComparer.Ordinal);
        foreach (var doc in PresetDocuments())
        {
            var ns = doc["metadata"]!["namespace"]?.GetValue<string>();
            foreach (var selector in Selectors(doc["spec"]!))
            {
                var labels = (selector["matchLabels"]?.AsObject() ?? []).ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<string>(), StringComparer.Ordinal);
                if (labels.Count == 0 || (labels.Count == 1 && labels.TryGetValue("io.kubernetes.pod.namespace", out var only) && namespaces.Contains(only)))
                {
                    continue;
                }

                labels.Remove("io.kubernetes.pod.namespace", out var peerNs);
                Assert.Contains(LabelsText(labels, peerNs ?? ns), known);
            }
        }
    }

    [Fact]
    public void Defect5_flux_controllers_reach_each_other()
    {
        var flows = PolicyFlows.Of(PresetDocuments());
        Assert.Contains("flux-controllers egress c:flux-controllers 9090/TCP", flows);
        Assert.Contains("flux-controllers ingress c:flux-controllers 9090/TCP", flows);
        Assert.DoesNotContain("flux-controllers egress c:flux-controllers 9090/TCP", PolicyFlows.Of(TemplatePolicies()));
    }

    [Fact]
    public void Defect5_hubble_relay_reaches_remote_nodes()
    {
        var flows = PolicyFlows.Of(PresetDocuments());
        Assert.Contains("hubble-relay egress entity:remote-node 4244/TCP", flows);
        Assert.Contains("hubble-relay egress entity:host 4244/TCP", flows);
        Assert.DoesNotContain("hubble-relay egress entity:remote-node 4244/TCP", PolicyFlows.Of(TemplatePolicies()));
    }

    [Fact]
    public void Defect5_spegel_allows_its_router_port_5001()
    {
        var flows = PolicyFlows.Of(PresetDocuments());
        Assert.Contains("spegel egress c:spegel 5001/TCP", flows);
        Assert.Contains("spegel ingress c:spegel 5001/TCP", flows);
        Assert.DoesNotContain("spegel ingress c:spegel 5001/TCP", PolicyFlows.Of(TemplatePolicies()));
    }

    [Theory]
    [InlineData("entity:host 9962/TCP")]
    [InlineData("entity:remote-node 9962/TCP")]
    [InlineData("entity:remote-node 9963/TCP")]
    [InlineData("entity:remote-node 9964/TCP")]
    [InlineData("entity:remote-node 9965/TCP")]
    [InlineData("entity:cluster 9966/TCP")]
    public void Defect5_prometheus_scrapes_cilium_operator_envoy_and_hubble(string target)
    {
        Assert.Contains("prometheus egress " + target, PolicyFlows.Of(PresetDocuments()));
        Assert.DoesNotContain("prometheus egress " + target, PolicyFlows.Of(TemplatePolicies()));
    }

    [Fact]
    public void Defect5_cluster_dns_policy_never_default_denies_egress_even_in_enforce()
    {
        var dns = Preset("_cluster/allow-dns.yaml")["spec"]!;
        Assert.False(dns["enableDefaultDeny"]!["egress"]!.GetValue<bool>());
        Assert.False(dns["enableDefaultDeny"]!["ingress"]!.GetValue<bool>());
        // It selects every pod, which is why it must stay additive.
        Assert.Equal("{}", dns["endpointSelector"]!.ToJsonString());
    }

    [Fact]
    public void Every_preset_flow_between_two_selected_components_is_allowed_on_both_sides()
    {
        // In enforce mode a flow between two pods that both have policies needs the sender's egress rule and the
        // receiver's ingress rule; a one-sided rule drops the flow. This walks every pod-to-pod flow of the presets.
        var flows = PolicyFlows.Of(PresetDocuments());
        var namespaces = Components.All.ToDictionary(c => c.Name, c => c.Namespace, StringComparer.Ordinal);
        var selected = flows.Select(f => f.Split(' ')[0]).Where(namespaces.ContainsKey).ToHashSet(StringComparer.Ordinal);
        var oneSided = new List<string>();
        foreach (var flow in flows)
        {
            var parts = flow.Split(' ');
            var (scope, direction, peer, port) = (parts[0], parts[1], parts[2], parts[3]);
            if (!selected.Contains(scope) || !peer.StartsWith("c:", StringComparison.Ordinal) || !selected.Contains(peer[2..]))
            {
                continue;
            }

            var other = peer[2..];
            var (otherDirection, otherNamespace) = (direction == "egress" ? "ingress" : "egress", namespaces[scope]);
            string[] accepted =
            [
                $"{other} {otherDirection} c:{scope} {port}",
                $"{other} {otherDirection} entity:cluster {port}",
                $"{other} {otherDirection} entity:all {port}",
                $"{other} {otherDirection} ns:{otherNamespace} {port}",
            ];
            if (!accepted.Any(flows.Contains))
            {
                oneSided.Add(flow);
            }
        }

        Assert.True(oneSided.Count == 0, "Flows allowed on one side only:\n  " + string.Join("\n  ", oneSided));
    }

    private static string LabelsText(IEnumerable<KeyValuePair<string, string>> labels, string? ns) =>
        ns + "/" + string.Join(",", labels.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + "=" + kv.Value));

    private static IEnumerable<JsonObject> Selectors(JsonNode spec)
    {
        if (spec["endpointSelector"] is JsonObject own)
        {
            yield return own;
        }

        foreach (var (direction, field) in new[] { ("ingress", "fromEndpoints"), ("egress", "toEndpoints") })
        {
            foreach (var rule in spec[direction]?.AsArray() ?? [])
            {
                foreach (var selector in rule![field]?.AsArray() ?? [])
                {
                    yield return selector!.AsObject();
                }
            }
        }
    }
}
