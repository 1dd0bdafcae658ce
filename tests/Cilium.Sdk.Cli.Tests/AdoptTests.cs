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
    private const string Release = "kubernetes/apps/kube-system/cilium/app/helmrelease.yaml";
    private const string FluxKustomization = "kubernetes/apps/kube-system/cilium/ks.yaml";
    private const string Source = "kubernetes/apps/kube-system/cilium/app/ocirepository.yaml";

    public static TheoryData<string> Cases() => Cli.Cases();

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

        // Nothing of a file taken over is lost silently: every field of every template object is in the adopted file with
        // its value, or the report names it (changed with why, or a replaced Helm value); every comment is in the adopted
        // file, or the report lists it as dropped.
        foreach (var path in before.Keys.Where(p => owned.Contains(p) && after.ContainsKey(p) && !p.EndsWith(".sops.yaml", StringComparison.Ordinal)
            && !before[p].AsSpan().SequenceEqual(after[p])))
        {
            var theirs = Encoding.UTF8.GetString(before[path]);
            var ours = Encoding.UTF8.GetString(after[path]);
            var adopted = Objects(ours);
            var template = Objects(theirs);
            foreach (var (id, fields) in template)
            {
                // Same name, or renamed (the one object of its kind under another name; the report names the name's
                // change), or rendered in another file the SDK owns.
                var renamed = adopted.Keys.Where(k => k.Split(' ')[0] == id.Split(' ')[0] && !template.ContainsKey(k)).ToList();
                var target = adopted.ContainsKey(id) ? id : renamed.Count == 1 ? renamed[0] : null;
                if (target is null)
                {
                    Assert.True(after.Any(f => owned.Contains(f.Key) && f.Key.EndsWith(".yaml", StringComparison.Ordinal) && !f.Key.EndsWith(".sops.yaml", StringComparison.Ordinal)
                        && Objects(Encoding.UTF8.GetString(f.Value)).ContainsKey(id)), $"{path}: {id} was lost");
                    continue;
                }

                foreach (var (field, value) in fields)
                {
                    var named = field.StartsWith("spec.values.", StringComparison.Ordinal) && id.StartsWith("HelmRelease ", StringComparison.Ordinal)
                        ? stdout.Contains("Helm value: " + field["spec.values.".Length..], StringComparison.Ordinal)
                        : stdout.Contains($"{path}: {id} {field}: {value} -> ", StringComparison.Ordinal) || stdout.Contains($"{path}: {id} {field} is {value}", StringComparison.Ordinal);
                    Assert.True(adopted[target].GetValueOrDefault(field) == value || named, $"{path}: {id} {field} ({value}) changed to {adopted[target].GetValueOrDefault(field) ?? "nothing"} and the report does not say so:\n{stdout}");
                }
            }

            var lines = theirs.Split('\n');
            for (int i = 0; i < lines.Length; i++)
            {
                var comment = lines[i].Contains('#', StringComparison.Ordinal) ? lines[i][lines[i].IndexOf('#', StringComparison.Ordinal)..].Trim() : null;
                Assert.True(comment is null || ours.Contains(comment, StringComparison.Ordinal) || stdout.Contains($"dropped comment: {path}:{i + 1}:", StringComparison.Ordinal),
                    $"{path}:{i + 1}: the comment '{comment}' was dropped and the report does not list it:\n{stdout}");
            }
        }

        // Every value the SDK changes or adds comes with its reason, every change with both values.
        foreach (var line in stdout.Split('\n').Where(l => l.StartsWith("changed field: ", StringComparison.Ordinal) || l.StartsWith("added field: ", StringComparison.Ordinal)
            || l.StartsWith("added Helm value: ", StringComparison.Ordinal) || l.StartsWith("replaced Helm value: ", StringComparison.Ordinal)))
        {
            Assert.True(line.EndsWith(')') && line.Contains(" (", StringComparison.Ordinal), $"no reason given: {line}");
            Assert.True(!line.StartsWith("changed", StringComparison.Ordinal) || line.Contains(" -> ", StringComparison.Ordinal), $"not old -> new: {line}");
        }

        // The template's postBuild substitution (cluster-secrets) stays in the Cilium Flux Kustomization, kept in the overrides file.
        Assert.Contains("cluster-secrets", Encoding.UTF8.GetString(before[FluxKustomization]), StringComparison.Ordinal);
        Assert.Contains("kept field (not set by Cilium.Sdk): " + FluxKustomization + ": Kustomization cilium spec.postBuild.substituteFrom", stdout, StringComparison.Ordinal);
        Assert.Equal(Objects(Encoding.UTF8.GetString(before[FluxKustomization]))["Kustomization cilium"]["spec.postBuild.substituteFrom"],
            Objects(Encoding.UTF8.GetString(after[FluxKustomization]))["Kustomization cilium"]["spec.postBuild.substituteFrom"]);
        Assert.True(after.ContainsKey("cilium-overrides.yaml"), "the kept fields are not in cilium-overrides.yaml");

        // The chart swap says why, with both charts.
        Assert.Contains($"changed field: {Source}: OCIRepository cilium spec.url: \"oci://quay.io/cilium-charts-dev/cilium\" -> \"oci://quay.io/cilium/charts/cilium\" (", stdout, StringComparison.Ordinal);
        Assert.Contains($"changed field: {Source}: OCIRepository cilium spec.ref.tag: ", stdout, StringComparison.Ordinal);

        // A comment whose key survives stays right above it.
        if (Encoding.UTF8.GetString(before[Release]).Contains("# Ref: https://github.com/siderolabs/talos/issues/10002", StringComparison.Ordinal))
        {
            Assert.Contains("      # Ref: https://github.com/siderolabs/talos/issues/10002\n      hostLegacyRouting: true\n", Encoding.UTF8.GetString(after[Release]), StringComparison.Ordinal);
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
        repo.Edit("cluster.yaml", "cilium_bgp_ecmp_max_paths: 4", "cilium_bgp_ecmp_max_paths: 2");

        var (code, _, stderr) = Cli.Run("render", "--config", repo["cluster.yaml"], "--out", repo.Root);

        Assert.True(code == 0, stderr);
        // owned.json records a secret file by its skeleton, which a changed value under stringData leaves as it is.
        Assert.Equal(["cluster.yaml", "unifi/bgp.sops.yaml"], repo.Changed());
        var diff = repo.Git("diff", "--", "unifi/bgp.sops.yaml");
        Assert.Contains("-      maximum-paths 4", diff, StringComparison.Ordinal); // under stringData.frr
        Assert.Contains("+      maximum-paths 2", diff, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_migration_round_changing_the_load_balancer_mode_changes_exactly_the_helmrelease(string @case)
    {
        using var repo = TemplateRepository.Create(@case);
        Assert.Equal(0, Cli.Run("render", "--config", repo["cluster.yaml"], "--out", repo.Root, "--adopt").Code);
        repo.Commit("adopted");
        var config = File.ReadAllText(repo["cluster.yaml"]);
        var (from, to) = config.Contains("cilium_loadbalancer_mode: \"snat\"", StringComparison.Ordinal) ? ("snat", "dsr") : ("dsr", "snat");
        File.WriteAllText(repo["cluster.yaml"], config.Contains("cilium_loadbalancer_mode:", StringComparison.Ordinal)
            ? config.Replace($"cilium_loadbalancer_mode: \"{from}\"", $"cilium_loadbalancer_mode: \"{to}\"", StringComparison.Ordinal)
            : config.TrimEnd('\n') + $"\ncilium_loadbalancer_mode: \"{to}\"\n");

        var (code, _, stderr) = Cli.Run("render", "--config", repo["cluster.yaml"], "--out", repo.Root);

        Assert.True(code == 0, stderr);
        Assert.Equal([".cilium-sdk/owned.json", "cluster.yaml", Release], repo.Changed());
        var diff = repo.Git("diff", "--", Release);
        Assert.Contains($"-      mode: {from}", diff, StringComparison.Ordinal);
        Assert.Contains($"+      mode: {to}", diff, StringComparison.Ordinal);
        Assert.Equal(0, Cli.Run("check", "--config", repo["cluster.yaml"], "--out", repo.Root).Code);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Nodes_outside_node_cidr_are_refused_with_every_node_named_and_nothing_written(string @case)
    {
        using var repo = TemplateRepository.Create(@case);
        var nodes = File.ReadAllText(repo["nodes.yaml"]);
        var names = System.Text.RegularExpressions.Regex.Matches(nodes, "(?m)^  - name: \"?([^\"\n]+)\"?$").Select(m => m.Groups[1].Value).ToList();
        var moved = System.Text.RegularExpressions.Regex.Replace(nodes, "address: \"?192\\.168\\.1\\.(\\d+)\"?", "address: \"10.9.9.$1\"");
        Assert.True(names.Count > 0 && moved != nodes, "the case's nodes.yaml has no node addresses to move");
        File.WriteAllText(repo["nodes.yaml"], moved);
        repo.Commit("nodes moved");

        var (code, _, stderr) = Cli.Run("render", "--config", repo["cluster.yaml"], "--out", repo.Root, "--adopt");

        Assert.Equal(1, code);
        foreach (var name in names)
        {
            Assert.Contains(name, stderr, StringComparison.Ordinal);
        }

        Assert.Contains("node_cidr", stderr, StringComparison.Ordinal);
        Assert.Empty(repo.Changed());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Hand_edits_anywhere_in_the_taken_over_files_are_shown_and_refused_or_kept_never_dropped(string @case)
    {
        using var repo = TemplateRepository.Create(@case);
        // A value the SDK sets (with a comment beside it), a value it does not, the release's interval, install and
        // upgrade remediation; the Flux Kustomization's wait, an added timeout, a comment; the chart source's interval.
        repo.Edit(Release, "algorithm: maglev", "algorithm: random # tuned by hand");
        repo.Edit(Release, "  values:\n", "  values:\n    bandwidthManager:\n      enabled: true\n      bbr: true\n");
        repo.Edit(Release, "  interval: 1h\n", "  interval: 30m\n  install:\n    remediation:\n      retries: 3\n  upgrade:\n    cleanupOnFail: true\n    remediation:\n      retries: 3\n      strategy: rollback\n");
        repo.Edit(FluxKustomization, "  wait: false", "  wait: true");
        repo.Edit(FluxKustomization, "  prune: true\n", "  prune: true\n  timeout: 5m\n");
        repo.Edit(FluxKustomization, "  path: ", "  # the Cilium app itself\n  path: ");
        repo.Edit(Source, "  interval: 30m", "  interval: 12h");
        repo.Commit("my edits");

        var (refused, refusedOut, refusedErr) = Cli.Run("render", "--config", repo["cluster.yaml"], "--out", repo.Root, "--adopt");

        Assert.True(refused == 3, refusedOut + refusedErr);
        foreach (var edit in new[]
        {
            "loadBalancer.algorithm is \"random\", Cilium.Sdk sets \"maglev\"",
            Release + ": was edited by hand: HelmRelease cilium spec.interval is \"30m\", Cilium.Sdk sets \"1h\"",
            FluxKustomization + ": was edited by hand: Kustomization cilium spec.wait is true, Cilium.Sdk sets false",
            Source + ": was edited by hand: OCIRepository cilium spec.interval is \"12h\", Cilium.Sdk sets \"30m\"",
        })
        {
            Assert.Contains(edit, refusedErr, StringComparison.Ordinal);
        }

        Assert.Contains("--adopt --force", refusedErr, StringComparison.Ordinal);
        Assert.Contains("cilium-overrides.yaml", refusedErr, StringComparison.Ordinal);
        Assert.DoesNotContain("Cilium.Sdk.", refusedErr, StringComparison.Ordinal); // no C# types
        Assert.Empty(repo.Changed());

        var (code, stdout, stderr) = Cli.Run("render", "--config", repo["cluster.yaml"], "--out", repo.Root, "--adopt", "--force");

        Assert.True(code == 0, stderr);
        foreach (var line in new[]
        {
            "edited Helm value: loadBalancer.algorithm is \"random\" in your HelmRelease, Cilium.Sdk sets \"maglev\"",
            $"edited field: {Release}: HelmRelease cilium spec.interval is \"30m\" in your file, Cilium.Sdk sets \"1h\"",
            $"edited field: {FluxKustomization}: Kustomization cilium spec.wait is true in your file, Cilium.Sdk sets false",
            $"edited field: {Source}: OCIRepository cilium spec.interval is \"12h\" in your file, Cilium.Sdk sets \"30m\"",
            "kept Helm value (not set by Cilium.Sdk): bandwidthManager.bbr",
            $"kept field (not set by Cilium.Sdk): {Release}: HelmRelease cilium spec.install.remediation.retries",
            $"kept field (not set by Cilium.Sdk): {Release}: HelmRelease cilium spec.upgrade.cleanupOnFail",
            $"kept field (not set by Cilium.Sdk): {Release}: HelmRelease cilium spec.upgrade.remediation.strategy",
            $"kept field (not set by Cilium.Sdk): {FluxKustomization}: Kustomization cilium spec.timeout",
            "(beside spec.values.loadBalancer.algorithm): # tuned by hand",
            "(above spec.path): # the Cilium app itself",
        })
        {
            Assert.Contains(line, stdout, StringComparison.Ordinal);
        }

        var release = File.ReadAllText(repo[Release]);
        Assert.Contains("  install:\n    remediation:\n      retries: 3\n", release, StringComparison.Ordinal);
        Assert.Contains("    remediation:\n      retries: 3\n      strategy: rollback\n", release, StringComparison.Ordinal);
        Assert.Contains("bbr: true", release, StringComparison.Ordinal);
        Assert.Contains("algorithm: maglev # tuned by hand\n", release, StringComparison.Ordinal);
        Assert.Contains("  interval: 1h\n", release, StringComparison.Ordinal);
        var flux = File.ReadAllText(repo[FluxKustomization]);
        Assert.Contains("  # the Cilium app itself\n  path: ", flux, StringComparison.Ordinal);
        Assert.Contains("  timeout: 5m\n", flux, StringComparison.Ordinal);
        Assert.Contains("  wait: false\n", flux, StringComparison.Ordinal);
        Assert.Contains("bbr: true", File.ReadAllText(repo["cilium-values.yaml"]), StringComparison.Ordinal);
        Assert.Contains("strategy: rollback", File.ReadAllText(repo["cilium-overrides.yaml"]), StringComparison.Ordinal);

        Assert.Equal(0, Cli.Run("check", "--config", repo["cluster.yaml"], "--out", repo.Root).Code);
        Assert.Equal(0, Cli.Run("validate", "--config", repo["cluster.yaml"]).Code);
        repo.Commit("adopted");
        Assert.Equal(0, Cli.Run("render", "--config", repo["cluster.yaml"], "--out", repo.Root).Code);
        Assert.Empty(repo.Changed());
    }

    [Fact]
    public void A_hand_edit_in_a_file_that_does_not_start_with_a_document_marker_is_still_refused()
    {
        // A person's multi-document file often has no leading '---': its first document must still be compared on its own.
        using var repo = TemplateRepository.Create("c-bgp-full");
        const string Networks = "kubernetes/apps/kube-system/cilium/app/networks.yaml";
        repo.Edit(Networks, "---\napiVersion: cilium.io/v2\nkind: CiliumLoadBalancerIPPool\n", "apiVersion: cilium.io/v2\nkind: CiliumLoadBalancerIPPool\n");
        repo.Edit(Networks, "allowFirstLastIPs: \"No\"", "allowFirstLastIPs: \"Yes\"");
        repo.Commit("the pool edited by hand, the file without its first '---'");

        var (code, _, stderr) = Cli.Run("render", "--config", repo["cluster.yaml"], "--out", repo.Root, "--adopt");

        Assert.Equal(3, code);
        Assert.Contains($"{Networks}: was edited by hand: CiliumLoadBalancerIPPool pool spec.allowFirstLastIPs is \"Yes\", Cilium.Sdk sets \"No\"", stderr, StringComparison.Ordinal);
        Assert.Empty(repo.Changed());
    }

    [Fact]
    public void A_helm_value_whose_key_holds_a_dot_is_kept_whole()
    {
        using var repo = TemplateRepository.Create("c-bgp-full");
        repo.Edit(Release, "  values:\n", "  values:\n    podAnnotations:\n      prometheus.io/scrape: \"true\"\n");
        repo.Commit("an annotation with a dotted key");

        var (code, stdout, stderr) = Cli.Run("render", "--config", repo["cluster.yaml"], "--out", repo.Root, "--adopt");

        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("podAnnotations:\n  prometheus.io/scrape: \"true\"\n", File.ReadAllText(repo["cilium-values.yaml"]), StringComparison.Ordinal);
        Assert.Contains("prometheus.io/scrape: \"true\"", File.ReadAllText(repo[Release]), StringComparison.Ordinal);
        Assert.Equal(0, Cli.Run("check", "--config", repo["cluster.yaml"], "--out", repo.Root).Code);
    }

    [Fact]
    public void An_adoption_the_writer_then_refuses_leaves_no_values_or_overrides_file_behind()
    {
        // The adoption keeps the user's Helm value in cilium-values.yaml before the write; a refusal found only at the write
        // (here: the repository's sops rule for Kubernetes secrets no longer encrypts stringData) must take it back, so
        // "nothing was written" holds.
        using var repo = TemplateRepository.Create("c-bgp-full");
        repo.Edit(Release, "  values:\n", "  values:\n    bandwidthManager:\n      enabled: true\n      bbr: true\n");
        repo.Edit(".sops.yaml", "  - path_regex: (bootstrap|kubernetes)/.*\\.sops\\.ya?ml\n    encrypted_regex: \"^(data|stringData)$\"", "  - path_regex: (bootstrap|kubernetes)/.*\\.sops\\.ya?ml\n    encrypted_regex: \"^(data)$\"");
        repo.Commit("a hand-added Helm value and a sops rule that leaves stringData in clear");

        var (code, stdout, stderr) = Cli.Run("render", "--config", repo["cluster.yaml"], "--out", repo.Root, "--adopt");

        Assert.Equal(3, code);
        Assert.Contains("kept 2 Helm value(s) of your HelmRelease", stdout, StringComparison.Ordinal);
        Assert.Contains(".sops.yaml", stderr, StringComparison.Ordinal);
        Assert.Contains("in clear", stderr, StringComparison.Ordinal);
        Assert.Contains("nothing was written", stderr, StringComparison.Ordinal);
        Assert.Empty(repo.Changed());
    }

    [Fact]
    public void The_library_refuses_to_drop_kept_fields_and_writes_them_through_the_plan()
    {
        using var repo = TemplateRepository.Create("c-bgp-full");
        var import = Migration.TemplateImporter.ImportFiles(repo["cluster.yaml"], repo["nodes.yaml"]);
        var rendered = import.Cluster!.Build().Render();

        var refused = Assert.Throws<Output.OutputException>(() => rendered.WriteTo(repo.Root, new Output.WriteOptions { Adopt = true }));
        Assert.Contains(FluxKustomization, refused.Message, StringComparison.Ordinal);
        Assert.Contains("Kustomization/cilium", refused.Message, StringComparison.Ordinal);
        Assert.Empty(repo.Changed());

        var plan = Rendering.RepositoryAdoption.Plan(rendered, repo.Root);
        var kept = import.Cluster.WithHelmValues(plan.KeptValues).WithManifestOverrides(plan.KeptOverrides).Build().Render();
        kept.WriteTo(repo.Root, new Output.WriteOptions { Adopt = true });

        Assert.Contains("substituteFrom", File.ReadAllText(repo[FluxKustomization]), StringComparison.Ordinal);
        Assert.Contains("# Ref: https://github.com/siderolabs/talos/issues/10002", File.ReadAllText(repo[Release]), StringComparison.Ordinal);
        Assert.False(kept.CheckAgainst(repo.Root).HasDrift);
    }

    // Each object of a YAML file ("Kind name") with its leaves (lists whole, as JSON with sorted keys) by path.
    private static Dictionary<string, Dictionary<string, string>> Objects(string yaml)
    {
        var objects = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var document in Serialization.Manifests.ParseYaml(yaml).OfType<JsonObject>())
        {
            var leaves = new Dictionary<string, string>(StringComparer.Ordinal);
            void Walk(JsonNode? node, string path)
            {
                if (node is JsonObject obj && obj.Count > 0)
                {
                    foreach (var (key, child) in obj)
                    {
                        Walk(child, path.Length == 0 ? key : path + "." + key);
                    }
                }
                else
                {
                    leaves[path] = node is JsonArray or JsonObject ? Helm.HelmValues.Sorted(new JsonObject { ["v"] = node.DeepClone() })["v"]!.ToJsonString() : node?.ToJsonString() ?? "null";
                }
            }

            Walk(document, string.Empty);
            objects[$"{document["kind"]} {document["metadata"]?["name"]}"] = leaves;
        }

        return objects;
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
