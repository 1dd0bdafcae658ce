using System.Text.Json.Nodes;

namespace Cilium.Sdk.Cli.Tests;

/// <summary>
/// <c>cilium-sdk policy-diff</c> where users meet it: a git repository made from the template case e-policies-audit,
/// rendered by the tool and committed; then a pull request's change to two policies, committed. The diff between the
/// two revisions names exactly the flows that change, in text, Markdown and JSON, and exits 1 for the newly denied
/// flow unless it is accepted.
/// </summary>
public sealed class PolicyDiffCommandTests : IDisposable
{
    private const string Grafana = "kubernetes/apps/monitoring/network-policies/app/grafana.yaml";
    private const string Loki = "kubernetes/apps/monitoring/network-policies/app/loki.yaml";

    private readonly DirectoryInfo repo = Directory.CreateTempSubdirectory("cilium-sdk-policy-diff-");

    public PolicyDiffCommandTests()
    {
        File.Copy(Cli.Case("e-policies-audit"), Path.Combine(repo.FullName, "cluster.yaml"));
        File.Copy(Cli.Case("e-policies-audit", "nodes.yaml"), Path.Combine(repo.FullName, "nodes.yaml"));
        var (code, _, stderr) = Cli.Run("render", "--config", Path.Combine(repo.FullName, "cluster.yaml"), "--out", repo.FullName);
        Assert.True(code == 0, stderr);
        Git("init", "-q", "-b", "main");
        Git("add", "-A");
        Git("commit", "-q", "-m", "rendered by cilium-sdk");

        // The change under review: Grafana now queries Loki on 9096 instead of 3100, and Loki admits 9096.
        Edit(Grafana, "            - port: \"3100\"\n              protocol: TCP\n", "            - port: \"9096\"\n              protocol: TCP\n");
        Edit(Loki, "            - port: \"3100\"\n              protocol: TCP\n", "            - port: \"3100\"\n              protocol: TCP\n            - port: \"9096\"\n              protocol: TCP\n");
        Git("commit", "-q", "-a", "-m", "grafana: loki on 9096");
    }

    public void Dispose() => repo.Delete(recursive: true);

    [Fact]
    public void Two_revisions_give_exactly_the_changed_flows_and_exit_1_for_the_newly_denied_one()
    {
        var status = Git("status", "--porcelain");

        var (code, stdout, stderr) = Cli.Run("policy-diff", "--repo", repo.FullName, "--base", "main~1", "--head", "main");

        Assert.True(code == 1, stderr + stdout);
        Assert.Contains("policy diff: main~1 (28 policy spec(s)) -> main (28)", stdout, StringComparison.Ordinal);
        Assert.Contains("2 change(s): 1 newly denied (0 accepted), 0 newly undecidable, 1 newly allowed; 1 not accepted", stdout, StringComparison.Ordinal);
        var changed = stdout.Split('\n').Where(l => l.StartsWith("  ", StringComparison.Ordinal) && !l.StartsWith("    ", StringComparison.Ordinal)).Select(l => l.Trim()).ToList();
        Assert.Equal(
            [
                "monitoring/grafana -> monitoring/loki 3100/TCP  [1 probe(s)]",
                "monitoring/grafana -> monitoring/loki 9096/TCP  [1 probe(s)]",
            ],
            changed);
        Assert.Contains("NEWLY DENIED (ALLOWED BEFORE):\n  monitoring/grafana -> monitoring/loki 3100/TCP", stdout, StringComparison.Ordinal);
        Assert.Contains("    before (allowed): egress: CiliumNetworkPolicy monitoring/grafana spec.egress[1] (allowed for monitoring/loki); ingress: CiliumNetworkPolicy monitoring/loki spec.ingress[0]", stdout, StringComparison.Ordinal);
        Assert.Contains("    after  (denied): egress: no rule allowed it under default deny (selected for egress by CiliumNetworkPolicy monitoring/grafana)", stdout, StringComparison.Ordinal);
        Assert.Contains("NEWLY ALLOWED (DENIED BEFORE):\n  monitoring/grafana -> monitoring/loki 9096/TCP", stdout, StringComparison.Ordinal);

        // Read from git's object store only: the work tree and index are as they were.
        Assert.Equal(status, Git("status", "--porcelain"));
    }

    [Fact]
    public void Json_has_the_stable_schema_with_the_changes_sorted_and_the_same_bytes_every_run()
    {
        var (code, stdout, _) = Cli.Run("policy-diff", "--repo", repo.FullName, "--base", "main~1", "--head", "main", "--format", "json");
        var (_, again, _) = Cli.Run("policy-diff", "--repo", repo.FullName, "--base", "main~1", "--head", "main", "--format", "json");

        Assert.Equal(1, code);
        Assert.Equal(stdout, again);
        var json = JsonNode.Parse(stdout)!;
        Assert.Equal("cilium-sdk/policy-diff/v1", (string?)json["schema"]);
        Assert.Equal(2, (int)json["summary"]!["changes"]!);
        Assert.Equal(1, (int)json["summary"]!["breaking"]!);
        var changes = json["changes"]!.AsArray();
        Assert.Equal(
            [
                "newly-denied monitoring/grafana monitoring/loki 3100 TCP allowed denied True",
                "newly-allowed monitoring/grafana monitoring/loki 9096 TCP denied allowed False",
            ],
            changes.Select(c => $"{c!["kind"]} {c["source"]} {c["destination"]} {c["port"]} {c["protocol"]} {c["before"]} {c["after"]} {(bool)c["breaking"]!}"));
        Assert.Null(changes[0]!["acceptedBy"]);
        Assert.True((long)json["probed"]!["flows"]! > 10_000);
    }

    [Fact]
    public void Markdown_is_a_pull_request_comment_with_a_table_per_kind()
    {
        var (code, stdout, _) = Cli.Run("policy-diff", "--repo", repo.FullName, "--base", "main~1", "--head", "main", "--format", "markdown");

        Assert.Equal(1, code);
        Assert.StartsWith("### Cilium policy diff: `main~1` → `main`\n\n**2 change(s): 1 newly denied", stdout, StringComparison.Ordinal);
        Assert.Contains("#### Newly denied (allowed before)\n\n| Source | Destination | Port | Flows | Before | After | Accepted |\n|---|---|---|---:|---|---|---|\n| `monitoring/grafana` | `monitoring/loki` | 3100/TCP | 1 probe(s) | allowed: ", stdout, StringComparison.Ordinal);
        Assert.Contains("| **no** |\n", stdout, StringComparison.Ordinal);
        Assert.Contains("#### Newly allowed (denied before)\n", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void An_accepted_change_still_shows_and_exits_0_and_a_pattern_that_matches_nothing_is_named()
    {
        var file = Path.Combine(repo.FullName, "accepted-changes.txt");
        File.WriteAllText(file, "# reviewed in PR 42\nmonitoring/grafana -> monitoring/loki 3100/TCP  # moved to 9096\n");

        var (code, stdout, stderr) = Cli.Run("policy-diff", "--repo", repo.FullName, "--base", "main~1", "--head", "main", "--accept-file", file, "--accept", "kube-system/* -> * 53/*");

        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("2 change(s): 1 newly denied (1 accepted), 0 newly undecidable, 1 newly allowed\n", stdout, StringComparison.Ordinal);
        Assert.Contains("    accepted by 'monitoring/grafana -> monitoring/loki 3100/TCP'\n", stdout, StringComparison.Ordinal);
        Assert.Contains("note: accept pattern 'kube-system/* -> * 53/*' matched no change", stdout, StringComparison.Ordinal);

        var (globCode, _, _) = Cli.Run("policy-diff", "--repo", repo.FullName, "--base", "main~1", "--head", "main", "--accept", "monitoring/* -> monitoring/loki *");
        Assert.Equal(0, globCode);
    }

    [Fact]
    public void The_head_defaults_to_the_work_tree_and_no_change_exits_0()
    {
        var (code, stdout, stderr) = Cli.Run("policy-diff", "--repo", repo.FullName, "--base", "main", "--path", "kubernetes");

        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("policy diff: main (28 policy spec(s)) -> work tree (28)", stdout, StringComparison.Ordinal);
        Assert.Contains("No flow changes its verdict.", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Observed_flows_are_counted_in_the_change_they_fall_in_with_the_first_line()
    {
        var flows = Path.Combine(repo.FullName, "flows.jsonl");
        const string toLoki = """{"flow":{"verdict":"FORWARDED","IP":{"source":"10.42.0.1","destination":"10.42.0.4"},"l4":{"TCP":{"destination_port":3100}},"source":{"identity":20003,"namespace":"monitoring","labels":["k8s:app.kubernetes.io/name=grafana","k8s:io.kubernetes.pod.namespace=monitoring"],"pod_name":"grafana-7d9f8b6c5d-x2x4z"},"destination":{"identity":20004,"namespace":"monitoring","labels":["k8s:app.kubernetes.io/name=loki","k8s:io.kubernetes.pod.namespace=monitoring"],"pod_name":"loki-0"},"event_type":{"type":4},"is_reply":false}}""";
        const string toPrometheus = """{"flow":{"verdict":"FORWARDED","IP":{"source":"10.42.0.1","destination":"10.42.0.3"},"l4":{"TCP":{"destination_port":9090}},"source":{"identity":20003,"namespace":"monitoring","labels":["k8s:app.kubernetes.io/name=grafana","k8s:io.kubernetes.pod.namespace=monitoring"],"pod_name":"grafana-7d9f8b6c5d-x2x4z"},"destination":{"identity":20002,"namespace":"monitoring","labels":["k8s:app.kubernetes.io/name=prometheus","k8s:io.kubernetes.pod.namespace=monitoring"],"pod_name":"prometheus-0"},"event_type":{"type":4},"is_reply":false}}""";
        File.WriteAllText(flows, string.Join('\n', toPrometheus, toLoki, toLoki.Replace("\"is_reply\":false", "\"is_reply\":true", StringComparison.Ordinal), toLoki) + "\n");

        var (code, stdout, stderr) = Cli.Run("policy-diff", "--repo", repo.FullName, "--base", "main~1", "--head", "main", "--flows", flows, "--format", "json");

        Assert.True(code == 1, stderr + stdout);
        var json = JsonNode.Parse(stdout)!;
        Assert.Equal(3, (long)json["observed"]!["flows"]!);
        var denied = json["changes"]!.AsArray().Single(c => (string?)c!["kind"] == "newly-denied")!;
        Assert.Equal(2, (long)denied["observedFlows"]!);
        Assert.Equal(flows + " line 2", (string?)denied["firstObserved"]);
    }

    [Fact]
    public void Two_folders_compare_and_an_unreadable_policy_is_an_error_at_its_file_and_line()
    {
        var before = Directory.CreateDirectory(Path.Combine(repo.FullName, "before"));
        var after = Directory.CreateDirectory(Path.Combine(repo.FullName, "after"));
        File.WriteAllText(Path.Combine(before.FullName, "grafana.yaml"), Git("show", "main~1:" + Grafana));
        File.WriteAllText(Path.Combine(after.FullName, "grafana.yaml"), File.ReadAllText(Path.Combine(repo.FullName, Grafana)));

        var (code, stdout, _) = Cli.Run("policy-diff", "--base-dir", before.FullName, "--head-dir", after.FullName, "--format", "json");

        Assert.Equal(1, code);
        Assert.Equal("monitoring/grafana -> monitoring/loki 3100/TCP", string.Join(",", JsonNode.Parse(stdout)!["changes"]!.AsArray().Where(c => (bool)c!["breaking"]!).Select(c => $"{c!["source"]} -> {c["destination"]} {c["port"]}/{c["protocol"]}")));

        var broken = Path.Combine(after.FullName, "grafana.yaml");
        File.WriteAllText(broken, File.ReadAllText(broken).Replace("  ingress:\n", "  ingress: 42\n  x:\n", StringComparison.Ordinal));
        var line = File.ReadAllLines(broken).ToList().FindIndex(l => l.StartsWith("  ingress: 42", StringComparison.Ordinal)) + 1;

        var (badCode, badOut, badErr) = Cli.Run("policy-diff", "--base-dir", before.FullName, "--head-dir", after.FullName);

        Assert.Equal(2, badCode);
        Assert.Equal(string.Empty, badOut);
        Assert.Contains($"{broken}:{line}:", badErr, StringComparison.Ordinal);
        Assert.Contains("spec.ingress", badErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Usage_errors_name_the_flags()
    {
        Assert.Contains("--base REV [--head REV]", Cli.Run("policy-diff", "--repo", repo.FullName).Err, StringComparison.Ordinal);
        Assert.Contains("--head needs --base", Cli.Run("policy-diff", "--repo", repo.FullName, "--head", "main").Err, StringComparison.Ordinal);
        var (code, _, err) = Cli.Run("policy-diff", "--repo", repo.FullName, "--base", "no-such-branch");
        Assert.Equal(2, code);
        Assert.Contains("'no-such-branch' is not a commit of the git repository", err, StringComparison.Ordinal);
        var (patternCode, _, patternErr) = Cli.Run("policy-diff", "--repo", repo.FullName, "--base", "main", "--accept", "grafana");
        Assert.Equal(2, patternCode);
        Assert.Contains("--accept 'grafana' is not an accept pattern: write SOURCE -> DESTINATION PORT/PROTOCOL", patternErr, StringComparison.Ordinal);
    }

    private void Edit(string path, string from, string to)
    {
        var full = Path.Combine(repo.FullName, path);
        var text = File.ReadAllText(full);
        var at = text.IndexOf(from, StringComparison.Ordinal);
        Assert.True(at >= 0, $"{path} does not contain the text to change");
        File.WriteAllText(full, text[..at] + to + text[(at + from.Length)..]);
    }

    private string Git(params string[] args) => Cli.Git(repo.FullName, args);
}
