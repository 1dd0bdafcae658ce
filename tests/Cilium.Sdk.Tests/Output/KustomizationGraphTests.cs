using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using Cilium.Sdk.Output;
using Cilium.Sdk.Serialization;
using CrdKit.Serialization;

namespace Cilium.Sdk.Tests.Output;

/// <summary>Which YAML files Flux reaches from its entry point, on synthetic trees and on the template's rendered cases.</summary>
public sealed class KustomizationGraphTests
{
    private static readonly string[] PolicyKinds = ["CiliumNetworkPolicy", "CiliumClusterwideNetworkPolicy", "NetworkPolicy"];

    public static TheoryData<string> TemplateCases() => new(Directory.GetDirectories(TemplateCorpus.Cases).Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    [Fact]
    public void The_audit_case_reproduces_the_known_defect_22_of_48_policies_in_no_kustomization()
    {
        var root = Path.Combine(TemplateCorpus.Cases, "e-policies-audit");

        var report = KustomizationGraph.Analyze(root);

        var all = CountPolicies(root, report.Reachable.Concat(report.Orphans));
        var orphaned = CountPolicies(root, report.Orphans);
        Assert.Equal(48, all.Values.Sum()); // FINDINGS.md item 2: "22 of 48 rendered policies are in no Flux kustomization"
        Assert.Equal(22, orphaned.Values.Sum());
        Assert.Equal(39, all["CiliumNetworkPolicy"] + all["CiliumClusterwideNetworkPolicy"]);
        Assert.Equal(22, orphaned["CiliumNetworkPolicy"] + orphaned["CiliumClusterwideNetworkPolicy"]);

        // "all of cluster-policies/ and every */network-policies/ks.yaml"
        var orphanPolicyFiles = report.Orphans.Where(f => CountPolicies(root, [f]).Values.Sum() > 0).ToList();
        Assert.All(orphanPolicyFiles, f => Assert.Matches("^kubernetes/apps/[^/]+/network-policies/app/", f));
        Assert.Contains("kubernetes/apps/cluster-policies/network-policies/ks.yaml", report.Orphans);
        Assert.All(
            report.Reachable.Concat(report.Orphans).Where(f => f.EndsWith("/network-policies/ks.yaml", StringComparison.Ordinal)),
            ks => Assert.Contains(ks, report.Orphans));

        // Policies wired through an app's own ks.yaml (multi-document, second Kustomization) are reached.
        Assert.Contains("kubernetes/apps/ai-system/obot/mcp-policies/app/networkpolicy.yaml", report.Reachable);
        Assert.Contains("kubernetes/components/sops/cluster-secrets.sops.yaml", report.Reachable);
    }

    [Theory]
    [MemberData(nameof(TemplateCases))]
    public void Every_template_case_reaches_its_apps_and_cilium_and_considers_only_the_kubernetes_tree(string name)
    {
        var root = Path.Combine(TemplateCorpus.Cases, name);

        var report = KustomizationGraph.Analyze(root);

        var yaml = Directory.EnumerateFiles(Path.Combine(root, "kubernetes"), "*.yaml", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/')).Order(StringComparer.Ordinal);
        Assert.Equal(yaml, report.Reachable.Concat(report.Orphans).Order(StringComparer.Ordinal));
        Assert.Empty(report.Reachable.Intersect(report.Orphans));
        Assert.Contains("kubernetes/flux/cluster/ks.yaml", report.Reachable);
        Assert.Contains("kubernetes/apps/kustomization.yaml", report.Reachable);
        Assert.Contains("kubernetes/apps/kube-system/cilium/app/helmrelease.yaml", report.Reachable);
        Assert.Contains("kubernetes/apps/kube-system/cilium/app/networks.yaml", report.Reachable);
        Assert.Equal("kubernetes", report.Scope);

        // The corpus holds only the networking part of each render: references to the rest are problems, not crashes.
        Assert.All(report.Problems, p => Assert.Contains("does not exist", p.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void A_flux_path_without_kustomization_yaml_reaches_what_flux_generates()
    {
        var tree = OutputTree.Empty
            .Add("kubernetes/flux/cluster/ks.yaml", FluxKs("cluster-apps", "./kubernetes/apps"))
            .Add("kubernetes/apps/a.yaml", "kind: ConfigMap\n")
            .Add("kubernetes/apps/nested/b.yaml", "kind: ConfigMap\n")
            .Add("kubernetes/apps/with-kustomization/kustomization.yaml", Kustomize("./listed.yaml"))
            .Add("kubernetes/apps/with-kustomization/listed.yaml", "kind: ConfigMap\n")
            .Add("kubernetes/apps/with-kustomization/unlisted.yaml", "kind: ConfigMap\n")
            .Add("talos/talconfig.yaml", "clusterName: x\n");

        var report = KustomizationGraph.Analyze(tree);

        Assert.Equal(
            ["kubernetes/apps/a.yaml", "kubernetes/apps/nested/b.yaml", "kubernetes/apps/with-kustomization/kustomization.yaml", "kubernetes/apps/with-kustomization/listed.yaml", "kubernetes/flux/cluster/ks.yaml"],
            report.Reachable);
        Assert.Equal(["kubernetes/apps/with-kustomization/unlisted.yaml"], report.Orphans);
        Assert.Empty(report.Problems);
    }

    [Fact]
    public void Resources_components_nested_flux_kustomizations_and_patches_are_followed_from_the_right_folders()
    {
        var tree = OutputTree.Empty
            .Add("kubernetes/flux/cluster/ks.yaml", FluxKs("cluster-apps", "./kubernetes/apps"))
            .Add("kubernetes/apps/kustomization.yaml", Kustomize("./net"))
            .Add("kubernetes/apps/net/kustomization.yaml", Kustomize("./cilium/ks.yaml") + "components:\n  - ../../components/sops\npatches:\n  - path: ./patch.yaml\n")
            .Add("kubernetes/apps/net/patch.yaml", "kind: Kustomization\n")
            .Add("kubernetes/apps/net/cilium/ks.yaml", FluxKs("cilium", "./kubernetes/apps/net/cilium/app") + "---\n" + FluxKs("cilium-oci", "./somewhere", "OCIRepository"))
            .Add("kubernetes/apps/net/cilium/app/kustomization.yaml", Kustomize("./helmrelease.yaml", "https://example.com/remote.yaml"))
            .Add("kubernetes/apps/net/cilium/app/helmrelease.yaml", "kind: HelmRelease\n")
            .Add("kubernetes/components/sops/kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n  - ./secret.sops.yaml\n")
            .Add("kubernetes/components/sops/secret.sops.yaml", "kind: Secret\n", isSecret: true)
            .Add("kubernetes/apps/net/orphan/ks.yaml", FluxKs("orphan", "./kubernetes/apps/net/orphan/app"))
            .Add("kubernetes/apps/net/orphan/app/policy.yaml", "kind: CiliumNetworkPolicy\n");

        var report = KustomizationGraph.Analyze(tree);

        Assert.Equal(["kubernetes/apps/net/orphan/app/policy.yaml", "kubernetes/apps/net/orphan/ks.yaml"], report.Orphans);
        Assert.Contains("kubernetes/components/sops/secret.sops.yaml", report.Reachable);
        Assert.Contains("kubernetes/apps/net/patch.yaml", report.Reachable);
        Assert.Contains("kubernetes/apps/net/cilium/app/helmrelease.yaml", report.Reachable);
        Assert.Empty(report.Problems); // the OCI-sourced path and the remote resource are not this repository's
        Assert.Equal("kubernetes/flux/cluster/ks.yaml reaches 9 of 11 YAML files; 2 orphans, 0 problems", report.ToString());
    }

    [Fact]
    public void Broken_references_are_problems_naming_the_file_and_the_walk_goes_on()
    {
        var tree = OutputTree.Empty
            .Add("kubernetes/flux/cluster/ks.yaml", FluxKs("cluster-apps", "./kubernetes/apps") + "---\n" + FluxKs("gone", "./kubernetes/gone"))
            .Add("kubernetes/apps/kustomization.yaml", Kustomize("./missing.yaml", "../../../outside", "./no-kustomization", "./ok.yaml", "./bad.yaml"))
            .Add("kubernetes/apps/no-kustomization/x.yaml", "kind: ConfigMap\n")
            .Add("kubernetes/apps/ok.yaml", "kind: ConfigMap\n")
            .Add("kubernetes/apps/bad.yaml", "key: [unclosed\n");

        var report = KustomizationGraph.Analyze(tree);

        Assert.Equal(
            [
                "kubernetes/apps/bad.yaml: is not valid YAML",
                "kubernetes/apps/kustomization.yaml: resources entry '../../../outside' points outside the repository",
                "kubernetes/apps/kustomization.yaml: resources entry './missing.yaml' does not exist",
                "kubernetes/apps/kustomization.yaml: resources entry './no-kustomization' is a folder without a kustomization.yaml",
                "kubernetes/flux/cluster/ks.yaml: Flux Kustomization 'gone' spec.path './kubernetes/gone' does not exist as a folder of the repository",
            ],
            report.Problems.Select(p => p.ToString().Split(": ")[0] + ": " + p.Message.Split(':')[0]));
        Assert.Contains("kubernetes/apps/ok.yaml", report.Reachable);
        Assert.Equal(["kubernetes/apps/no-kustomization/x.yaml"], report.Orphans);
    }

    [Fact]
    public void A_missing_entry_point_is_a_problem_and_leaves_everything_orphaned()
    {
        var tree = OutputTree.Empty.Add("kubernetes/apps/a.yaml", "kind: ConfigMap\n");

        var report = KustomizationGraph.Analyze(tree);

        Assert.Equal("kubernetes/flux/cluster/ks.yaml: the entry point does not exist", Assert.Single(report.Problems).ToString());
        Assert.Equal(["kubernetes/apps/a.yaml"], report.Orphans);
        Assert.Throws<ArgumentException>(() => KustomizationGraph.Analyze(tree, "../etc"));
    }

    [Fact]
    public void The_same_walk_on_disk_and_on_the_written_tree_agree()
    {
        var root = Path.Combine(TemplateCorpus.Cases, "e-policies-audit");
        var tree = Directory.EnumerateFiles(Path.Combine(root, "kubernetes"), "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)
            .Aggregate(OutputTree.Empty, (t, p) => t.Add(p, File.ReadAllText(Path.Combine(root, p))));

        var fromTree = KustomizationGraph.Analyze(tree);
        var fromDisk = KustomizationGraph.Analyze(root);

        Assert.Equal(fromDisk.Reachable, fromTree.Reachable);
        Assert.Equal(fromDisk.Orphans, fromTree.Orphans);
        Assert.Equal(fromDisk.Problems, fromTree.Problems);
    }

    private static Dictionary<string, int> CountPolicies(string root, IEnumerable<string> files)
    {
        var counts = PolicyKinds.ToDictionary(k => k, _ => 0, StringComparer.Ordinal);
        foreach (var file in files)
        {
            foreach (JsonNode document in Manifests.ParseYaml(File.ReadAllText(Path.Combine(root, file))))
            {
                if (document["kind"]?.GetValue<string>() is { } kind && counts.ContainsKey(kind))
                {
                    counts[kind]++;
                }
            }
        }

        return counts;
    }

    private static string FluxKs(string name, string path, string source = "GitRepository") => $"""
        ---
        apiVersion: kustomize.toolkit.fluxcd.io/v1
        kind: Kustomization
        metadata:
          name: {name}
          namespace: flux-system
        spec:
          interval: 1h
          path: {path}
          prune: true
          sourceRef:
            kind: {source}
            name: flux-system

        """;

    private static string Kustomize(params string[] resources) =>
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n" + string.Concat(resources.Select(r => $"  - {r}\n"));
}

/// <summary>The template's rendered cases in ../shared, which CI places beside the repository.</summary>
internal static class TemplateCorpus
{
    public static string Cases => Infrastructure.TestData.Shared("corpus", "template", "cases");
}
