using System.Text.Json.Nodes;

namespace Cilium.Sdk.Cli.Tests;

public sealed class ReplayCommandTests
{
    // Derived fixtures in `hubble observe -o json` shape: Loki → Prometheus 9090 is allowed by no preset; Grafana → Prometheus is.
    private const string LokiToPrometheus = """{"flow":{"verdict":"AUDIT","IP":{"source":"10.42.0.2","destination":"10.42.0.3"},"l4":{"TCP":{"destination_port":9090}},"source":{"identity":20001,"namespace":"monitoring","labels":["k8s:app.kubernetes.io/name=loki","k8s:io.kubernetes.pod.namespace=monitoring"],"pod_name":"loki-0"},"destination":{"identity":20002,"namespace":"monitoring","labels":["k8s:app.kubernetes.io/name=prometheus","k8s:io.kubernetes.pod.namespace=monitoring"],"pod_name":"prometheus-0"},"event_type":{"type":5},"traffic_direction":"EGRESS","policy_match_type":0,"is_reply":false}}""";
    private const string GrafanaToPrometheus = """{"flow":{"verdict":"FORWARDED","IP":{"source":"10.42.0.1","destination":"10.42.0.3"},"l4":{"TCP":{"destination_port":9090}},"source":{"identity":20003,"namespace":"monitoring","labels":["k8s:app.kubernetes.io/name=grafana","k8s:io.kubernetes.pod.namespace=monitoring"],"pod_name":"grafana-7d9f8b6c5d-x2x4z"},"destination":{"identity":20002,"namespace":"monitoring","labels":["k8s:app.kubernetes.io/name=prometheus","k8s:io.kubernetes.pod.namespace=monitoring"],"pod_name":"prometheus-0"},"event_type":{"type":4},"is_reply":false}}""";

    [Fact]
    public void Replay_exits_0_when_nothing_would_drop()
    {
        using var flows = new TempFile(GrafanaToPrometheus + "\n{\"lost_events\":{\"num_events_lost\":\"1\"}}\n");

        var (code, output, _) = Cli.Run("replay", "--flows", flows.Path, "--config", Cli.Case("e-policies-audit"));

        Assert.Equal(0, code);
        Assert.Contains("nothing would drop in enforce mode", output, StringComparison.Ordinal);
        Assert.Contains("skipped non-flow lines: lost_events 1", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_exits_1_with_the_grouped_drops_and_suggestions_as_json()
    {
        using var flows = new TempFile(LokiToPrometheus + "\n" + LokiToPrometheus + "\n" + GrafanaToPrometheus + "\nnot json\n");

        var (code, output, _) = Cli.Run("replay", "--flows", flows.Path, "--config", Cli.Case("e-policies-audit"), "--format", "json");

        Assert.Equal(1, code);
        var report = JsonNode.Parse(output)!;
        var group = Assert.Single(report["wouldDrop"]!.AsArray())!;
        Assert.Equal(("monitoring/loki", "monitoring/prometheus", 9090, "TCP", 2, 2), (group["source"]!.GetValue<string>(), group["destination"]!.GetValue<string>(), group["port"]!.GetValue<int>(), group["protocol"]!.GetValue<string>(), group["count"]!.GetValue<int>(), group["observedAudit"]!.GetValue<int>()));
        Assert.Equal(4, report["badLines"]![0]!["line"]!.GetValue<int>());
        Assert.Equal(["allow-loki-egress", "allow-prometheus-ingress"], report["suggestions"]!.AsArray().Select(s => s!["policy"]!.GetValue<string>().Split('/')[1]));
    }

    [Fact]
    public void Replay_exits_2_for_a_missing_flows_file_or_option()
    {
        var missing = Cli.Run("replay", "--flows", "/nonexistent/flows.jsonl", "--config", Cli.Case("e-policies-audit"));
        var noConfig = Cli.Run("replay", "--flows", "/nonexistent/flows.jsonl");

        Assert.Equal(2, missing.Code);
        Assert.Contains("does not exist", missing.Err, StringComparison.Ordinal);
        Assert.Equal(2, noConfig.Code);
        Assert.Contains("--config", noConfig.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_lists_replay()
    {
        var (code, output, _) = Cli.Run("--help");

        Assert.Equal(0, code);
        Assert.Contains("replay", output, StringComparison.Ordinal);
    }

    private sealed class TempFile : IDisposable
    {
        public TempFile(string content)
        {
            Path = System.IO.Path.GetTempFileName();
            File.WriteAllText(Path, content);
        }

        public string Path { get; }

        public void Dispose() => File.Delete(Path);
    }
}
