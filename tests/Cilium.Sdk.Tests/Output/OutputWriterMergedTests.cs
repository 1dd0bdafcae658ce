using System.Text.Json.Nodes;
using Cilium.Sdk.Output;

namespace Cilium.Sdk.Tests.Output;

/// <summary>
/// Merged files: the repository owns them, the SDK only needs its entries in them. The writer adds what is missing,
/// later removes only what it added itself (recorded in owned.json), keeps every other byte, and applies the same
/// journal rules as for owned files (the content a target had when planned, or it is kept).
/// </summary>
public sealed class OutputWriterMergedTests
{
    private const string Apps = "kubernetes/apps/kustomization.yaml";
    private const string Namespace = "kubernetes/apps/kube-system/kustomization.yaml";

    // The template's files: other apps, the sops component, comments, and no final newline in one of them.
    private const string TemplateApps = "---\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ./cert-manager\n  - ./flux-system\n  - ./network";
    private const string TemplateNamespace = "---\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: kube-system\n\ncomponents:\n  - ../../components/sops\n\nresources:\n  - ./namespace.yaml\n  # the CNI\n  - ./coredns/ks.yaml\n";

    private static OutputTree Tree(params string[] namespaceEntries) => OutputTree.Empty
        .AddMerged(Apps, "resources:\n  - ./kube-system\n", [MergedEntry.Scalar("resources", "./kube-system")])
        .AddMerged(Namespace, "resources:\n" + string.Concat(namespaceEntries.Select(e => "  - " + e + "\n")), namespaceEntries.Select(e => MergedEntry.Scalar("resources", e)).ToList())
        .Add("kubernetes/apps/kube-system/cilium/ks.yaml", "kind: Kustomization\n");

    [Fact]
    public void Into_an_empty_folder_merged_files_are_created_whole_and_recorded_as_added_by_the_sdk()
    {
        using var dir = new TempDirectory();

        var result = OutputWriter.Write(Tree("./cilium/ks.yaml"), dir.Path);

        Assert.Equal(3, result.Created.Count);
        Assert.Equal("resources:\n  - ./kube-system\n", File.ReadAllText(dir[Apps]));
        var manifest = JsonNode.Parse(File.ReadAllText(dir[OutputWriter.ManifestPath]))!;
        Assert.Equal(["kubernetes/apps/kube-system/cilium/ks.yaml"], manifest["files"]!.AsArray().Select(f => (string)f!["path"]!));
        Assert.Equal("""[{"path":"kubernetes/apps/kube-system/kustomization.yaml","added":[{"list":"resources","value":"./cilium/ks.yaml"}]},{"path":"kubernetes/apps/kustomization.yaml","added":[{"list":"resources","value":"./kube-system"}]}]""", manifest["merged"]!.ToJsonString());
        Assert.False(OutputWriter.Check(Tree("./cilium/ks.yaml"), dir.Path).HasDrift);
    }

    [Fact]
    public void A_repository_file_without_the_sdks_entries_is_refused_without_adopt_and_the_fix_names_adopt()
    {
        using var dir = new TempDirectory();
        Disk.WriteUserFile(dir, Apps, TemplateApps);
        Disk.WriteUserFile(dir, Namespace, TemplateNamespace);

        var error = Assert.Throws<OutputException>(() => OutputWriter.Write(Tree("./cilium/ks.yaml"), dir.Path));

        Assert.Equal([Namespace, Apps], error.Conflicts.Select(c => c.Path).Order(StringComparer.Ordinal));
        Assert.All(error.Conflicts, c => Assert.Contains("WriteOptions.Adopt", c.Fix, StringComparison.Ordinal));
        Assert.All(error.Conflicts, c => Assert.DoesNotContain("delete", c.Fix, StringComparison.Ordinal));
        Assert.Contains("resources: ./kube-system", error.Conflicts.Single(c => c.Path == Apps).Message, StringComparison.Ordinal);
        Assert.Equal(TemplateApps, File.ReadAllText(dir[Apps]));
        Assert.False(File.Exists(dir["kubernetes/apps/kube-system/cilium/ks.yaml"]));
    }

    [Fact]
    public void Adopt_adds_only_the_missing_entries_keeps_every_other_byte_and_records_only_what_it_added()
    {
        using var dir = new TempDirectory();
        Disk.WriteUserFile(dir, Apps, TemplateApps);
        Disk.WriteUserFile(dir, Namespace, TemplateNamespace);

        var result = OutputWriter.Write(Tree("./cilium/ks.yaml", "./coredns/ks.yaml"), dir.Path, new WriteOptions { Adopt = true });

        Assert.Equal([Namespace, Apps], result.MergedInto);
        Assert.Equal(TemplateApps + "\n  - ./kube-system", File.ReadAllText(dir[Apps]));
        Assert.Equal(TemplateNamespace + "  - ./cilium/ks.yaml\n", File.ReadAllText(dir[Namespace]));
        var merged = JsonNode.Parse(File.ReadAllText(dir[OutputWriter.ManifestPath]))!["merged"]!.ToJsonString();
        Assert.Contains("./cilium/ks.yaml", merged, StringComparison.Ordinal);
        Assert.DoesNotContain("coredns", merged, StringComparison.Ordinal); // it was there already: the repository's

        // A plain write afterwards changes nothing and check sees no drift.
        var again = OutputWriter.Write(Tree("./cilium/ks.yaml", "./coredns/ks.yaml"), dir.Path);
        Assert.Empty(again.Updated);
        Assert.False(OutputWriter.Check(Tree("./cilium/ks.yaml", "./coredns/ks.yaml"), dir.Path).HasDrift);

        // The SDK stops needing both: it removes the entry it added and keeps the one the repository had.
        OutputWriter.Write(Tree(), dir.Path);
        Assert.Equal(TemplateNamespace, File.ReadAllText(dir[Namespace]));
    }

    [Fact]
    public void A_file_that_already_lists_every_entry_is_shared_without_adopt_and_nothing_is_recorded_as_added()
    {
        using var dir = new TempDirectory();
        Disk.WriteUserFile(dir, Apps, TemplateApps + "\n  - kube-system/\n");
        Disk.WriteUserFile(dir, Namespace, TemplateNamespace + "  - cilium/ks.yaml\n");

        var result = OutputWriter.Write(Tree("./cilium/ks.yaml"), dir.Path);

        Assert.Contains(Apps, result.Unchanged);
        Assert.Empty(result.MergedInto);
        Assert.DoesNotContain("\"added\":[{", JsonNode.Parse(File.ReadAllText(dir[OutputWriter.ManifestPath]))!["merged"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void When_the_tree_no_longer_holds_a_merged_file_only_the_entries_the_sdk_added_leave_it_and_the_file_stays()
    {
        using var dir = new TempDirectory();
        Disk.WriteUserFile(dir, Apps, TemplateApps);
        Disk.WriteUserFile(dir, Namespace, TemplateNamespace);
        OutputWriter.Write(Tree("./cilium/ks.yaml"), dir.Path, new WriteOptions { Adopt = true });

        var result = OutputWriter.Write(OutputTree.Empty.Add("other.yaml", "a: 1\n"), dir.Path);

        Assert.Equal(TemplateApps, File.ReadAllText(dir[Apps]));
        Assert.Equal(TemplateNamespace, File.ReadAllText(dir[Namespace]));
        Assert.Equal(["kubernetes/apps/kube-system/cilium/ks.yaml"], result.Deleted);
        Assert.Null(JsonNode.Parse(File.ReadAllText(dir[OutputWriter.ManifestPath]))!["merged"]);
    }

    [Fact]
    public void Deleting_a_generated_file_also_drops_the_kustomization_entry_naming_it_even_one_the_repository_wrote()
    {
        using var dir = new TempDirectory();
        Disk.WriteUserFile(dir, "app/kustomization.yaml", "resources:\n  - ./mine.yaml\n  - ./policy.yaml\n");
        Disk.WriteUserFile(dir, "app/mine.yaml", "kind: ConfigMap\n");
        var withPolicy = OutputTree.Empty
            .AddMerged("app/kustomization.yaml", "resources:\n  - ./policy.yaml\n", [MergedEntry.Scalar("resources", "./policy.yaml")])
            .Add("app/policy.yaml", "kind: CiliumNetworkPolicy\n");
        OutputWriter.Write(withPolicy, dir.Path, new WriteOptions { Adopt = true });

        OutputWriter.Write(OutputTree.Empty.AddMerged("app/kustomization.yaml", "resources: []\n", []), dir.Path);

        Assert.Equal("resources:\n  - ./mine.yaml\n", File.ReadAllText(dir["app/kustomization.yaml"]));
        Assert.False(File.Exists(dir["app/policy.yaml"]));
        Assert.True(File.Exists(dir["app/mine.yaml"]));
    }

    [Fact]
    public void Adopt_replaces_a_repository_file_whose_objects_the_tree_holds_elsewhere_and_unlists_it()
    {
        using var dir = new TempDirectory();
        Disk.WriteUserFile(dir, "np/kustomization.yaml", "resources:\n  - ./controller.yaml\n  - ./unifi-dns.yaml\n");
        Disk.WriteUserFile(dir, "np/controller.yaml", "kind: CiliumNetworkPolicy\nmetadata:\n  name: cert-manager-controller\n");
        Disk.WriteUserFile(dir, "np/unifi-dns.yaml", "kind: CiliumNetworkPolicy\n");
        var tree = OutputTree.Empty
            .AddMerged("np/kustomization.yaml", "resources:\n  - ./cert-manager-controller.yaml\n", [MergedEntry.Scalar("resources", "./cert-manager-controller.yaml")])
            .Add("np/cert-manager-controller.yaml", "kind: CiliumNetworkPolicy\n");

        var result = OutputWriter.Write(tree, dir.Path, new WriteOptions { Adopt = true, Replaces = new Dictionary<string, string> { ["np/controller.yaml"] = "np/cert-manager-controller.yaml" } });

        Assert.Equal("resources:\n  - ./unifi-dns.yaml\n  - ./cert-manager-controller.yaml\n", File.ReadAllText(dir["np/kustomization.yaml"]));
        Assert.False(File.Exists(dir["np/controller.yaml"]));
        Assert.Equal("np/cert-manager-controller.yaml", result.Replaced["np/controller.yaml"]);
        Assert.Equal(["np/unifi-dns.yaml"], result.Kept);
        Assert.Empty(result.Deleted);
    }

    [Fact]
    public void An_existing_file_at_an_owned_path_is_taken_over_with_adopt_and_refused_without()
    {
        using var dir = new TempDirectory();
        Disk.WriteUserFile(dir, "kubernetes/apps/kube-system/cilium/ks.yaml", "kind: Kustomization # the template's\n");
        Disk.WriteUserFile(dir, Apps, TemplateApps);
        Disk.WriteUserFile(dir, Namespace, TemplateNamespace);

        var refused = Assert.Throws<OutputException>(() => OutputWriter.Write(Tree("./cilium/ks.yaml"), dir.Path));
        var taken = OutputWriter.Write(Tree("./cilium/ks.yaml"), dir.Path, new WriteOptions { Adopt = true });

        Assert.Contains("WriteOptions.Adopt", refused.Conflicts.Single(c => c.Path.EndsWith("cilium/ks.yaml", StringComparison.Ordinal)).Fix, StringComparison.Ordinal);
        Assert.Equal(["kubernetes/apps/kube-system/cilium/ks.yaml"], taken.TakenOver);
        Assert.Equal("kind: Kustomization\n", File.ReadAllText(dir["kubernetes/apps/kube-system/cilium/ks.yaml"]));
    }

    [Fact]
    public void A_merged_file_the_repository_must_create_is_never_created_but_is_edited_when_present()
    {
        using var dir = new TempDirectory();
        var tree = OutputTree.Empty.AddMerged("talos/talconfig.yaml", null, [MergedEntry.Scalar("patches", "@./patches/global/cilium.yaml")]);

        OutputWriter.Write(tree, dir.Path);
        Assert.False(File.Exists(dir["talos/talconfig.yaml"]));
        Assert.False(OutputWriter.Check(tree, dir.Path).HasDrift);

        Disk.WriteUserFile(dir, "talos/talconfig.yaml", "patches:\n  - \"@./patches/global/machine-dns.yaml\"\n");
        OutputWriter.Write(tree, dir.Path, new WriteOptions { Adopt = true });
        Assert.Equal("patches:\n  - \"@./patches/global/machine-dns.yaml\"\n  - \"@./patches/global/cilium.yaml\"\n", File.ReadAllText(dir["talos/talconfig.yaml"]));
    }

    [Fact]
    public void Mapping_entries_such_as_sops_creation_rules_are_added_and_removed_by_identity()
    {
        using var dir = new TempDirectory();
        const string sops = "---\ncreation_rules:\n  - path_regex: talos/.*\\.sops\\.ya?ml\n    age: \"age1q\"\n";
        Disk.WriteUserFile(dir, ".sops.yaml", sops);
        var rule = MergedEntry.Mapping("creation_rules", "unifi/.*\\.sops\\.ya?ml", "path_regex: unifi/.*\\.sops\\.ya?ml\nage: \"age1q\"\n");

        OutputWriter.Write(OutputTree.Empty.AddMerged(".sops.yaml", null, [rule]), dir.Path, new WriteOptions { Adopt = true });
        Assert.Equal(sops + "  - path_regex: unifi/.*\\.sops\\.ya?ml\n    age: \"age1q\"\n", File.ReadAllText(dir[".sops.yaml"]));

        OutputWriter.Write(OutputTree.Empty, dir.Path);
        Assert.Equal(sops, File.ReadAllText(dir[".sops.yaml"]));
    }

    [Fact]
    public void A_merged_file_edited_after_the_plan_is_kept_with_the_users_content_and_reported()
    {
        using var dir = new TempDirectory();
        Disk.WriteUserFile(dir, Apps, TemplateApps);
        Disk.WriteUserFile(dir, Namespace, TemplateNamespace);
        const string edited = "resources:\n  - ./mine\n";

        var error = Assert.Throws<OutputException>(() => OutputWriter.Write(Tree("./cilium/ks.yaml"), dir.Path, new WriteOptions { Adopt = true }, (step, _) =>
        {
            if (step == WriteStep.JournalCommitted)
            {
                File.WriteAllText(dir[Apps], edited); // the user saves the file while the write runs
            }
        }));

        Assert.Equal(Apps, Assert.Single(error.Conflicts).Path);
        Assert.Equal(edited, File.ReadAllText(dir[Apps]));
        Assert.Equal(TemplateNamespace + "  - ./cilium/ks.yaml\n", File.ReadAllText(dir[Namespace]));
        // Not recorded as the SDK's: the next write adds the entry to the user's version (with adopt, as before).
        Assert.DoesNotContain(Apps, File.ReadAllText(dir[OutputWriter.ManifestPath]), StringComparison.Ordinal);
    }

    [Fact]
    public void A_crash_after_the_journal_is_committed_is_rolled_forward_to_the_merged_text()
    {
        using var dir = new TempDirectory();
        Disk.WriteUserFile(dir, Apps, TemplateApps);
        Disk.WriteUserFile(dir, Namespace, TemplateNamespace);

        Assert.ThrowsAny<InvalidOperationException>(() => OutputWriter.Write(Tree("./cilium/ks.yaml"), dir.Path, new WriteOptions { Adopt = true }, (step, path) =>
        {
            if (step == WriteStep.Moved && path == Apps)
            {
                throw new InvalidOperationException("simulated crash");
            }
        }));
        Assert.False(OutputWriter.Check(Tree("./cilium/ks.yaml"), dir.Path).HasDrift); // check reads the pending journal

        OutputWriter.Write(Tree("./cilium/ks.yaml"), dir.Path);

        Assert.Equal(TemplateApps + "\n  - ./kube-system", File.ReadAllText(dir[Apps]));
        Assert.Equal(TemplateNamespace + "  - ./cilium/ks.yaml\n", File.ReadAllText(dir[Namespace]));
        Assert.Contains("./cilium/ks.yaml", File.ReadAllText(dir[OutputWriter.ManifestPath]), StringComparison.Ordinal);
    }

    [Fact]
    public void A_merged_file_whose_list_is_not_a_list_is_a_conflict_with_its_line()
    {
        using var dir = new TempDirectory();
        Disk.WriteUserFile(dir, Apps, "kind: Kustomization\nresources:\n  ./a: b\n");

        var error = Assert.Throws<OutputException>(() => OutputWriter.Write(Tree(), dir.Path, new WriteOptions { Adopt = true }));

        var conflict = error.Conflicts.Single(c => c.Path == Apps);
        Assert.Contains("line 3", conflict.Message, StringComparison.Ordinal);
        Assert.Equal("kind: Kustomization\nresources:\n  ./a: b\n", File.ReadAllText(dir[Apps]));
    }
}
