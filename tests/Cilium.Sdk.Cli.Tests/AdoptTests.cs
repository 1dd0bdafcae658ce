using System.Text;
using System.Text.Json.Nodes;

namespace Cilium.Sdk.Cli.Tests;

/// <summary>
/// <c>cilium-sdk render --adopt</c> the way a template user meets it: in a git repository made from each template case,
/// with real <c>kubectl kustomize</c>. Nothing the template made is lost: every folder that built still builds, every
/// list keeps its entries, every file the SDK does not own stays byte-identical (merged files only gain entries), check
/// passes and a second render changes nothing.
/// </summary>
public sealed class AdoptTests
{
    public static TheoryData<string> Cases() =>
        new(Directory.GetDirectories(Path.GetDirectoryName(Path.GetDirectoryName(Cli.Case("a-defaults"))!)!).Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Adopting_a_template_repository_loses_nothing_and_a_second_render_changes_nothing(string @case)
    {
        TemplateRepository.RequireKubectl();
        using var repo = TemplateRepository.Create(@case);
        var before = repo.Files();
        var built = repo.KustomizationFolders().Where(f => repo.Kustomize(f) is null).ToList();
        Assert.True(built.Count >= 10, $"only {built.Count} kustomizations build before adoption");

        var (plain, _, plainErr) = Cli.Run("render", "--config", repo["cluster.yaml"], "--out", repo.Root);
        Assert.Equal(3, plain);
        Assert.Contains("--adopt", plainErr, StringComparison.Ordinal);
        Assert.DoesNotContain("delete it", plainErr, StringComparison.Ordinal);
        Assert.Equal(before.Keys, repo.Files().Keys); // the refused render wrote nothing

        var (code, stdout, stderr) = Cli.Run("render", "--config", repo["cluster.yaml"], "--out", repo.Root, "--adopt");
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("taken over", stdout, StringComparison.Ordinal);
        Assert.Contains("+++ b/kubernetes/apps/kube-system/cilium/app/helmrelease.yaml", stdout, StringComparison.Ordinal); // the diff is shown

        var after = repo.Files();
        var manifest = JsonNode.Parse(File.ReadAllText(repo[".cilium-sdk/owned.json"]))!;
        var owned = manifest["files"]!.AsArray().Select(f => (string)f!["path"]!).ToHashSet(StringComparer.Ordinal);
        var merged = (manifest["merged"]?.AsArray() ?? []).Select(f => (string)f!["path"]!).ToHashSet(StringComparer.Ordinal);
        var replaced = stdout.Split('\n').Where(l => l.StartsWith("replaced ", StringComparison.Ordinal) && l.Contains(": its objects", StringComparison.Ordinal))
            .Select(l => l["replaced ".Length..l.IndexOf(':', StringComparison.Ordinal)]).ToHashSet(StringComparer.Ordinal);

        foreach (var folder in built)
        {
            Assert.True(repo.Kustomize(folder) is null, $"{folder} built before adoption and does not after: {repo.Kustomize(folder)}");
        }

        foreach (var (path, bytes) in before)
        {
            if (owned.Contains(path) || replaced.Contains(path))
            {
                continue;
            }

            Assert.True(after.ContainsKey(path), $"{path} was lost");
            if (merged.Contains(path))
            {
                // A merged file only gains entries: the old lines are still there, in order (less any naming a replaced file).
                var oldLines = Encoding.UTF8.GetString(bytes).Split('\n').Where(l => !replaced.Any(r => l.Contains(Path.GetFileName(r), StringComparison.Ordinal))).ToList();
                var newLines = Encoding.UTF8.GetString(after[path]).Split('\n');
                Assert.True(IsSubsequence(oldLines, newLines), $"{path} lost lines:\n{Encoding.UTF8.GetString(bytes)}\n---\n{Encoding.UTF8.GetString(after[path])}");
            }
            else
            {
                Assert.True(bytes.AsSpan().SequenceEqual(after[path]), $"{path} is not the SDK's, but changed");
            }
        }

        foreach (var folder in repo.KustomizationFolders().Where(f => before.ContainsKey(f + "/kustomization.yaml")))
        {
            var oldEntries = TemplateRepository.Entries(Encoding.UTF8.GetString(before[folder + "/kustomization.yaml"]));
            var newEntries = TemplateRepository.Entries(File.ReadAllText(repo[folder + "/kustomization.yaml"]));
            var dropped = oldEntries.Except(newEntries).Where(e => !replaced.Any(r => e.EndsWith("/" + Path.GetFileName(r), StringComparison.Ordinal))).ToList();
            Assert.True(dropped.Count == 0, $"{folder}/kustomization.yaml dropped {string.Join(", ", dropped)}");
        }

        // The whole cluster's files: the template's other folders, apps, namespace.yaml, sops component, patches stay.
        Assert.Equal(before["kubernetes/flux/cluster/ks.yaml"], after["kubernetes/flux/cluster/ks.yaml"]);
        Assert.Contains("../../components/sops", File.ReadAllText(repo["kubernetes/apps/kube-system/kustomization.yaml"]), StringComparison.Ordinal);

        var (checkCode, checkOut, checkErr) = Cli.Run("check", "--config", repo["cluster.yaml"], "--out", repo.Root);
        Assert.True(checkCode == 0, checkOut + checkErr);

        repo.Commit("adopted");
        var (again, againOut, againErr) = Cli.Run("render", "--config", repo["cluster.yaml"], "--out", repo.Root);
        Assert.True(again == 0, againErr);
        Assert.DoesNotContain("created", againOut, StringComparison.Ordinal);
        Assert.DoesNotContain("updated", againOut, StringComparison.Ordinal);
        Assert.Equal(string.Empty, repo.Git("status", "--porcelain"));
    }

    [Fact]
    public void The_template_files_the_sdk_does_not_render_stay_and_stay_listed()
    {
        TemplateRepository.RequireKubectl();
        using var repo = TemplateRepository.Create("e-policies-audit");
        var grant = File.ReadAllBytes(repo["kubernetes/apps/kube-system/cilium/app/referencegrant.yaml"]);
        var unifi = File.ReadAllBytes(repo["kubernetes/apps/network/network-policies/app/unifi-dns.yaml"]);

        var (code, stdout, stderr) = Cli.Run("render", "--config", repo["cluster.yaml"], "--out", repo.Root, "--adopt");

        Assert.True(code == 0, stderr);
        Assert.Equal(grant, File.ReadAllBytes(repo["kubernetes/apps/kube-system/cilium/app/referencegrant.yaml"]));
        Assert.Equal(unifi, File.ReadAllBytes(repo["kubernetes/apps/network/network-policies/app/unifi-dns.yaml"]));
        Assert.Contains("./referencegrant.yaml", File.ReadAllText(repo["kubernetes/apps/kube-system/cilium/app/kustomization.yaml"]), StringComparison.Ordinal);
        Assert.Contains("./unifi-dns.yaml", File.ReadAllText(repo["kubernetes/apps/network/network-policies/app/kustomization.yaml"]), StringComparison.Ordinal);
        Assert.Contains("kept (not rendered by Cilium.Sdk, left as it is): kubernetes/apps/kube-system/cilium/app/referencegrant.yaml", stdout, StringComparison.Ordinal);
        // The template's cert-manager policies are the SDK's objects under other file names: replaced, not doubled.
        Assert.Contains("replaced kubernetes/apps/cert-manager/network-policies/app/controller.yaml: its objects are rendered in kubernetes/apps/cert-manager/network-policies/app/cert-manager-controller.yaml", stdout, StringComparison.Ordinal);
        Assert.Null(repo.Kustomize("kubernetes/apps/cert-manager/network-policies/app"));
    }

    [Fact]
    public void A_migration_round_changing_the_ecmp_width_changes_exactly_the_router_config()
    {
        using var repo = TemplateRepository.Create("c-bgp-full");
        Assert.Equal(0, Cli.Run("render", "--config", repo["cluster.yaml"], "--out", repo.Root, "--adopt").Code);
        repo.Commit("adopted");
        File.WriteAllText(repo["cluster.yaml"], File.ReadAllText(repo["cluster.yaml"]).Replace("cilium_bgp_ecmp_max_paths: 4", "cilium_bgp_ecmp_max_paths: 2", StringComparison.Ordinal));

        var (code, _, stderr) = Cli.Run("render", "--config", repo["cluster.yaml"], "--out", repo.Root);

        Assert.True(code == 0, stderr);
        var changed = repo.Git("status", "--porcelain").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l[3..]).Order(StringComparer.Ordinal);
        // owned.json records a secret file by its skeleton, which a changed value under stringData leaves as it is.
        Assert.Equal(["cluster.yaml", "unifi/bgp.sops.yaml"], changed);
        var diff = repo.Git("diff", "--", "unifi/bgp.sops.yaml");
        Assert.Contains("-      maximum-paths 4", diff, StringComparison.Ordinal); // under stringData.frr
        Assert.Contains("+      maximum-paths 2", diff, StringComparison.Ordinal);
    }

    [Fact]
    public void Nodes_outside_node_cidr_are_refused_with_every_node_named_and_nothing_written()
    {
        using var repo = TemplateRepository.Create("c-bgp-full");
        File.WriteAllText(repo["nodes.yaml"], File.ReadAllText(repo["nodes.yaml"])
            .Replace("192.168.1.11", "10.9.9.11", StringComparison.Ordinal)
            .Replace("192.168.1.12", "10.9.9.12", StringComparison.Ordinal));
        repo.Commit("nodes moved");

        var (code, _, stderr) = Cli.Run("render", "--config", repo["cluster.yaml"], "--out", repo.Root, "--adopt");

        Assert.Equal(1, code);
        Assert.Contains("k8s-1", stderr, StringComparison.Ordinal);
        Assert.Contains("k8s-2", stderr, StringComparison.Ordinal);
        Assert.Contains("node_cidr", stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, repo.Git("status", "--porcelain", "--untracked-files=all"));
    }

    [Fact]
    public void A_hand_edited_helmrelease_shows_the_edits_refuses_them_keeps_added_values_and_force_takes_the_sdks()
    {
        using var repo = TemplateRepository.Create("a-defaults");
        var release = repo["kubernetes/apps/kube-system/cilium/app/helmrelease.yaml"];
        File.WriteAllText(release, File.ReadAllText(release)
            .Replace("algorithm: maglev", "algorithm: random", StringComparison.Ordinal)
            .Replace("  values:\n", "  values:\n    bandwidthManager:\n      enabled: true\n      bbr: true\n", StringComparison.Ordinal));
        repo.Commit("my edits");

        var (refused, _, refusedErr) = Cli.Run("render", "--config", repo["cluster.yaml"], "--out", repo.Root, "--adopt");

        Assert.Equal(3, refused);
        Assert.Contains("loadBalancer.algorithm is \"random\"", refusedErr, StringComparison.Ordinal);
        Assert.Contains("--adopt --force", refusedErr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, repo.Git("status", "--porcelain", "--untracked-files=all"));

        var (code, stdout, stderr) = Cli.Run("render", "--config", repo["cluster.yaml"], "--out", repo.Root, "--adopt", "--force");

        Assert.True(code == 0, stderr);
        Assert.Contains("kept 2 Helm value(s)", stdout, StringComparison.Ordinal);
        var values = File.ReadAllText(repo["cilium-values.yaml"]);
        Assert.Contains("bbr: true", values, StringComparison.Ordinal);
        var written = File.ReadAllText(release);
        Assert.Contains("bbr: true", written, StringComparison.Ordinal); // kept in the release, from the values file
        Assert.Contains("algorithm: maglev", written, StringComparison.Ordinal);
        Assert.Equal(0, Cli.Run("check", "--config", repo["cluster.yaml"], "--out", repo.Root).Code);
        Assert.Equal(0, Cli.Run("validate", "--config", repo["cluster.yaml"]).Code);
    }

    private static bool IsSubsequence(IReadOnlyList<string> small, IReadOnlyList<string> large)
    {
        int i = 0;
        foreach (var line in large)
        {
            if (i < small.Count && small[i] == line)
            {
                i++;
            }
        }

        return i == small.Count;
    }
}
