using Cilium.Sdk.Cluster;
using Cilium.Sdk.Hubble.Flows;
using Cilium.Sdk.Migration;
using Cilium.Sdk.Policies;
using Cilium.Sdk.Tests.Infrastructure;
using Cilium.Sdk.Verdicts;
using static Cilium.Sdk.Policies.Components;
using static Cilium.Sdk.Tests.Verdicts.HubbleFixtures;

namespace Cilium.Sdk.Tests.Verdicts;

/// <summary>Replay against the template case e-policies-audit, with the corpus captures and derived fixtures.</summary>
public sealed class ReplayTests
{
    internal static readonly Lazy<(PolicySet Policies, CiliumVersion Version)> Case = new(() =>
    {
        var dir = TestData.Shared("corpus", "template", "cases", "e-policies-audit");
        var import = TemplateImporter.ImportFiles(Path.Combine(dir, "cluster.yaml"), Path.Combine(dir, "nodes.yaml"));
        var cluster = import.Cluster!.Build();
        return (cluster.Spec.Policies!, cluster.Spec.Version);
    });

    internal static PolicyVerdicts CaseVerdicts(PolicySet? extra = null) =>
        PolicyVerdicts.For((extra is null ? Case.Value.Policies : Case.Value.Policies.Add(extra.Policies)).Render(Case.Value.Version, PolicyMode.Enforce));

    internal static readonly string[] Fixture =
    [
        Line(Pod(Grafana, "10.42.0.10"), Reserved("world", 2, "203.0.113.7"), "TCP", 443, verdict: "AUDIT"),
        Line(Pod(Prometheus, "10.42.0.11"), Pod(CoreDns, "10.42.0.12"), "TCP", 9153),
        Line(Pod(Loki, "10.42.0.13"), Pod(Prometheus, "10.42.0.11"), "TCP", 9090),
        Line(Pod(Loki, "10.42.0.13", "5f6b7c8d9f-abcde"), Pod(Prometheus, "10.42.0.11"), "TCP", 9090, verdict: "AUDIT", direction: "INGRESS"),
        Line(Pod(Prometheus, "10.42.0.11"), Pod(Loki, "10.42.0.13"), "TCP", 40000, reply: true),
        "{\"lost_events\":{\"source\":\"HUBBLE_RING_BUFFER\",\"num_events_lost\":\"3\",\"cpu\":1}}",
        "{\"flow\": this is not json",
        Line(Pod(Grafana, "10.42.0.10"), Pod(CoreDns, "10.42.0.12"), "UDP", 53, verdict: "AUDIT"),
        Line(Pod(Keycloak, "10.42.0.14"), Reserved("world", 2, "142.250.1.1"), "TCP", 443, destinationNames: ["accounts.google.com"]),
        Line(Pod(Keycloak, "10.42.0.14"), Reserved("world", 2, "140.82.121.4"), "TCP", 443),
    ];

    [Fact]
    public void The_template_case_imports_with_policies_to_replay_against()
    {
        Assert.NotEmpty(Case.Value.Policies.Policies);
        Assert.True(CaseVerdicts().SpecCount >= Case.Value.Policies.Policies.Count);
    }

    [Fact]
    public void A_derived_capture_reports_what_enforce_would_drop_grouped_with_counts()
    {
        var read = HubbleFlowReader.Read(new StringReader(string.Join("\n", Fixture) + "\n"));

        var report = FlowReplay.Run(CaseVerdicts(), read, Case.Value.Version);

        Assert.Equal((10L, 8L, 1), (report.Lines, report.Flows, report.Problems.Count));
        Assert.Equal(7L, report.Problems[0].Line);
        Assert.Equal("lost_events=1", string.Join(",", report.SkippedNonFlow.Select(kv => kv.Key + "=" + kv.Value)));
        Assert.Equal((1L, 7L, 2L), (report.SkippedReplies, report.Evaluated, report.Allowed));
        var groups = report.WouldDrop.Select(g => $"{g.Count} {g.Source} -> {g.Destination} {g.PortText} audit={g.ObservedAudit} {g.Decision}").ToList();
        Assert.Equal(
        [
            "2 monitoring/loki -> monitoring/prometheus 9090/TCP audit=1 Denied",
            "1 monitoring/grafana -> kube-system/coredns 53/UDP audit=1 Allowed",
            "1 monitoring/grafana -> world 203.0.113.7 443/TCP audit=1 Denied",
        ], groups);
        var undecided = Assert.Single(report.Undecidable);
        Assert.Equal("identity/keycloak -> world 140.82.121.4 443/TCP", $"{undecided.Source} -> {undecided.Destination} {undecided.PortText}");
        Assert.Contains("carries no DNS name", undecided.Reason, StringComparison.Ordinal);
        Assert.True(report.HasDrops);
    }

    [Fact]
    public void The_suggested_rules_are_sdk_code_and_yaml_and_applying_them_leaves_nothing_enforce_would_drop()
    {
        var read = HubbleFlowReader.Read(new StringReader(string.Join("\n", Fixture) + "\n"));
        var report = FlowReplay.Run(CaseVerdicts(), read, Case.Value.Version);

        Assert.Equal(["monitoring/allow-grafana-egress", "monitoring/allow-loki-egress", "monitoring/allow-prometheus-ingress"], report.Suggestions.Select(s => s.Policy.Key));
        var loki = report.Suggestions.Single(s => s.Policy.Name == "allow-loki-egress");
        Assert.Equal(
            "Policy.Namespaced(\"allow-loki-egress\", \"monitoring\")\n" +
            "    .WithDescription(\"Suggested by cilium-sdk replay from observed flows; review before applying\")\n" +
            "    .WithDefaultDeny(false)\n" +
            "    .Selecting(new Dictionary<string, string> { [\"app.kubernetes.io/name\"] = \"loki\" })\n" +
            "    .AllowEgress(Peer.Endpoints(new Dictionary<string, string> { [\"app.kubernetes.io/name\"] = \"prometheus\" }, \"monitoring\"), Port.Tcp(9090));\n",
            loki.Code);
        Assert.Contains("kind: CiliumNetworkPolicy", loki.Yaml, StringComparison.Ordinal);
        Assert.Contains("port: \"9090\"", loki.Yaml, StringComparison.Ordinal);
        Assert.Contains("enableDefaultDeny:\n    egress: false\n    ingress: false\n", loki.Yaml, StringComparison.Ordinal);
        Assert.Contains("Peer.Cidr(\"203.0.113.7/32\"), Port.Tcp(443)", report.Suggestions[0].Code, StringComparison.Ordinal);

        // Read the suggested YAML back as records: with them, the engine allows every flow that dropped.
        var withSuggestions = PolicyVerdicts.ForRecords(
            Case.Value.Policies.Render(Case.Value.Version, PolicyMode.Enforce).Select(p => p.Resource)
                .Concat(report.Suggestions.Select(s => Cilium.Sdk.Serialization.Manifests.ReadAny(s.Yaml))));
        var again = FlowReplay.Run(withSuggestions, read, Case.Value.Version);
        Assert.All(again.WouldDrop, g => Assert.Equal(Decision.Allowed, g.Decision));
        Assert.Empty(again.Suggestions);
    }

    [Fact]
    public void The_text_and_json_reports_use_line_feeds_and_name_what_would_drop()
    {
        var read = HubbleFlowReader.Read(new StringReader(string.Join("\n", Fixture) + "\n"));

        // Same bytes in other processes and cultures: CrossProcessRenderTests replays this fixture in its children.
        var first = FlowReplay.Run(CaseVerdicts(), read, Case.Value.Version);

        Assert.DoesNotContain("\r", first.ToText(), StringComparison.Ordinal);
        Assert.Contains("WOULD DROP in enforce mode", first.ToText(), StringComparison.Ordinal);
        Assert.Contains("line 7: not valid JSON", first.ToText(), StringComparison.Ordinal);
        var json = System.Text.Json.Nodes.JsonNode.Parse(first.ToJson())!;
        Assert.Equal(4, json["wouldDropCount"]!.GetValue<int>());
    }

    public static TheoryData<string> CorpusFiles => new(HubbleFlowReaderTests.CorpusFiles.Select(row => row.Data.Item1));

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void Every_corpus_capture_replays_against_the_template_case_and_accounts_for_every_flow(string file)
    {
        var read = HubbleFlowReader.ReadFile(TestData.Shared("corpus", "cilium", "flows", file));

        var report = FlowReplay.Run(CaseVerdicts(), read, Case.Value.Version);

        Assert.Equal(read.Flows.Count, report.SkippedReplies + report.Unmapped.Count + report.Evaluated);
        Assert.Equal(report.Evaluated, report.Allowed + report.WouldDropCount + report.Undecidable.Sum(g => g.Count));
        Assert.Empty(report.Problems);
    }

    [Fact]
    public void The_corpus_captures_come_from_namespaces_the_template_does_not_police_except_kube_dns()
    {
        // bookinfo / istio-system are selected by no policy of the template; CoreDNS (k8s-app=kube-dns in
        // kube-system) is, and its preset allows DNS from the cluster.
        var read = HubbleFlowReader.ReadFile(TestData.Shared("corpus", "cilium", "flows", "hubble-otel-testdata", "basic-sample-400-l7-redirected-flows.json"));
        var verdicts = CaseVerdicts();

        var toCoreDns = read.Flows.Where(f => f.IsReply != true && f.Destination.Labels.Contains("k8s:k8s-app=kube-dns") && f.DestinationPort == 53).ToList();

        Assert.NotEmpty(toCoreDns);
        Assert.All(toCoreDns, f =>
        {
            var verdict = verdicts.Evaluate(HubbleFlowMapping.ToFlow(f, out _)!);
            Assert.True(verdict.IsAllowed, verdict.Explanation);
            Assert.Contains(verdict.Reasons, r => r.Direction == Direction.Ingress && r.Policy == "CiliumNetworkPolicy kube-system/coredns");
        });
        Assert.False(FlowReplay.Run(verdicts, read, Case.Value.Version).HasDrops);
    }

    [Fact]
    public void Unmappable_flows_are_listed_with_their_line_and_reason()
    {
        var read = HubbleFlowReader.ReadFile(TestData.Shared("corpus", "cilium", "flows", "cilium-tests", "printer_test-flow-jsonpb.jsonl"));

        var report = FlowReplay.Run(CaseVerdicts(), read);

        Assert.Equal([1L, 2L], report.Unmapped.Select(u => u.Line));
        Assert.All(report.Unmapped, u => Assert.Contains("identity 12345 but no labels or namespace", u.Message, StringComparison.Ordinal));
    }
}
