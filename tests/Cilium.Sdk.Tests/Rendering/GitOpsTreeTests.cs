using Cilium.Sdk.Migration;
using Cilium.Sdk.Output;
using Cilium.Sdk.Rendering;
using Cilium.Sdk.Policies;
using Cilium.Sdk.Tests.Cluster;
using Cilium.Sdk.Tests.Infrastructure;

namespace Cilium.Sdk.Tests.Rendering;

/// <summary>The rendered Flux tree: everything reachable from the entry point, secrets only where they belong.</summary>
public sealed class GitOpsTreeTests
{
    public static TheoryData<string> Cases => TestData.TemplateCases();

    private static RenderedCluster RenderCase(string @case)
    {
        var dir = TestData.Shared("corpus", "template", "cases", @case);
        var import = TemplateImporter.ImportFiles(Path.Combine(dir, "cluster.yaml"), Path.Combine(dir, "nodes.yaml"));
        Assert.True(import.Cluster is not null, string.Join("\n", import.Problems));
        return import.Cluster.Build().Render();
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_manifest_of_every_template_case_is_reachable_from_the_flux_entry_point(string @case)
    {
        var rendered = RenderCase(@case);

        var report = KustomizationGraph.Analyze(rendered.Tree);

        Assert.Empty(report.Problems);
        Assert.Empty(report.Orphans);
        var manifests = rendered.Tree.Files.Count(f => f.Path.StartsWith("kubernetes/", StringComparison.Ordinal));
        Assert.Equal(manifests, report.Reachable.Count);
    }

    /// <summary>The renderer writes each kustomization from its entries and the tree does not read it back (a YAML
    /// parse per file): every merged file of every rendered tree must hold every entry it declares, read as the
    /// writer reads it.</summary>
    [Fact]
    public void Every_merged_file_of_every_rendered_tree_lists_every_entry_it_declares()
    {
        var cases = Directory.GetDirectories(TestData.Shared("corpus", "template", "cases")).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        var trees = cases.Select(c => RenderCase(c!).Tree)
            .Concat([SampleClusters.HomeLab().Build().Render().Tree, SampleClusters.Everything().Build().Render().Tree,
                SampleClusters.HomeLab().WithPolicies(Presets.All(), PolicyMode.Enforce).Build().Render().Tree]);
        var checkedEntries = 0;
        foreach (var tree in trees)
        {
            foreach (var file in tree.Files.Where(f => f.Kind == OutputFileKind.Merged && f.CreateIfMissing))
            {
                foreach (var list in file.Entries.GroupBy(e => e.List, StringComparer.Ordinal))
                {
                    var first = list.First();
                    var listed = YamlListEditor.Entries(file.Content, first.KeyPath).Select(e => first.KeyOf(e.Identity)).ToHashSet(StringComparer.Ordinal);
                    foreach (var entry in list)
                    {
                        Assert.True(listed.Contains(entry.Key), $"{file.Path} does not list {entry}");
                        checkedEntries++;
                    }
                }
            }
        }

        Assert.True(checkedEntries > 120, $"only {checkedEntries} entries checked");
    }

    [Fact]
    public void The_policies_case_writes_every_policy_where_flux_applies_it()
    {
        var rendered = RenderCase("e-policies-audit");
        var report = KustomizationGraph.Analyze(rendered.Tree);

        var policyFiles = rendered.Tree.Files.Where(f => f.Content.Contains("kind: CiliumNetworkPolicy", StringComparison.Ordinal) || f.Content.Contains("kind: CiliumClusterwideNetworkPolicy", StringComparison.Ordinal)).Select(f => f.Path).ToList();
        Assert.True(policyFiles.Count >= 20, $"only {policyFiles.Count} policy files");
        Assert.All(policyFiles, p => Assert.Contains(p, report.Reachable));
        Assert.True(rendered.HelmValues["policyAuditMode"]!.GetValue<bool>()); // FINDINGS.md 3: real audit mode
    }

    [Fact]
    public void The_bgp_password_is_only_in_secret_files_and_the_writer_would_refuse_otherwise()
    {
        var rendered = RenderCase("c-bgp-full");
        const string password = "s3cret-md5";

        var holders = rendered.Tree.Files.Where(f => f.Content.Contains(password, StringComparison.Ordinal)).ToList();

        Assert.Equal(["kubernetes/apps/kube-system/cilium/app/secret.sops.yaml", "unifi/bgp.sops.yaml"], holders.Select(f => f.Path));
        Assert.All(holders, f => Assert.True(f.IsSecret));
        Assert.DoesNotContain(password, rendered.Resources.Bgp!.ToString(), StringComparison.Ordinal);
        Assert.All(rendered.Warnings, w => Assert.DoesNotContain(password, w.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public void Bgp_mode_writes_no_L2_policy_and_no_l2announcements_and_decrypts_its_secret()
    {
        var rendered = RenderCase("c-bgp-full");

        Assert.Null(rendered.Resources.L2Policy);
        Assert.False(rendered.HelmValues.ContainsKey("l2announcements"));
        Assert.True(rendered.HelmValues["bgpControlPlane"]!["enabled"]!.GetValue<bool>());
        Assert.Contains("provider: sops", rendered.Tree["kubernetes/apps/kube-system/cilium/ks.yaml"]!.Content, StringComparison.Ordinal);
        Assert.Contains("./secret.sops.yaml", rendered.Tree["kubernetes/apps/kube-system/cilium/app/kustomization.yaml"]!.Content, StringComparison.Ordinal);
    }

    [Fact]
    public void Writing_twice_changes_nothing_and_check_then_reports_no_drift()
    {
        var rendered = SampleClusters.Everything().Build().Render();
        var dir = Directory.CreateTempSubdirectory("cilium-sdk-render-");
        try
        {
            var first = rendered.WriteTo(dir.FullName);
            var second = SampleClusters.Everything().Build().Render().WriteTo(dir.FullName);

            Assert.Equal(rendered.Tree.Files.Count, first.Created.Count);
            Assert.Empty(second.Created);
            Assert.Empty(second.Updated);
            Assert.False(rendered.CheckAgainst(dir.FullName).HasDrift);

            File.AppendAllText(Path.Combine(dir.FullName, "kubernetes/apps/kube-system/cilium/app/helmrelease.yaml"), "# edited\n");
            var drift = rendered.CheckAgainst(dir.FullName);
            Assert.True(drift.HasDrift);
            Assert.Contains("-# edited", drift.ToUnifiedDiff(), StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
