using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Cilium.Sdk.Output;

namespace Cilium.Sdk.Tests.Output;

/// <summary>Check compares a tree with a directory for CI, never writes, and never prints a secret.</summary>
public sealed class DriftCheckTests
{
    private static readonly OutputTree Tree = Disk.Tree(
        ("kubernetes/apps/kustomization.yaml", "resources:\n  - ./kube-system\n  - ./network\n"),
        ("kubernetes/apps/kube-system/cilium/app/helmrelease.yaml", "a: 1\nb: 2\nc: 3\nd: 4\ne: 5\nf: 6\ng: 7\nh: 8\n"),
        ("kubernetes/components/sops/cluster-secrets.sops.yaml", "password: hunter2\n"));

    [Fact]
    public void A_freshly_written_tree_has_no_drift_and_an_empty_diff()
    {
        using var dir = new TempDirectory();
        OutputWriter.Write(Tree, dir.Path);
        Disk.WriteUserFile(dir, "kubernetes/apps/user.yaml", "not ours, not drift\n");

        var report = OutputWriter.Check(Tree, dir.Path);

        Assert.False(report.HasDrift);
        Assert.Empty(report.Entries);
        Assert.Equal(string.Empty, report.ToUnifiedDiff());
        Assert.Equal($"no drift in {dir.Path}", report.ToString());
    }

    [Fact]
    public void Missing_changed_and_extra_files_are_reported_sorted_with_a_unified_diff()
    {
        using var dir = new TempDirectory();
        OutputWriter.Write(Tree.Add("kubernetes/apps/old.yaml", "old\n").Add("kubernetes/apps/z-trailing.yaml", "x: 1\n"), dir.Path);
        File.WriteAllText(dir["kubernetes/apps/z-trailing.yaml"], "x: 1");
        File.Delete(dir["kubernetes/apps/kustomization.yaml"]);
        File.WriteAllText(dir["kubernetes/apps/kube-system/cilium/app/helmrelease.yaml"], "a: 1\nb: 2\nc: 3\nd: 4\nE: 50\nf: 6\ng: 7\nh: 8\n");

        var report = OutputWriter.Check(Tree.Add("kubernetes/apps/z-trailing.yaml", "x: 1\n"), dir.Path);

        Assert.True(report.HasDrift);
        Assert.Equal(
            ["Changed kubernetes/apps/kube-system/cilium/app/helmrelease.yaml", "Missing kubernetes/apps/kustomization.yaml", "Extra kubernetes/apps/old.yaml", "Changed kubernetes/apps/z-trailing.yaml"],
            report.Entries.Select(e => e.ToString()));
        Assert.Equal(
            """
            --- a/kubernetes/apps/kube-system/cilium/app/helmrelease.yaml
            +++ b/kubernetes/apps/kube-system/cilium/app/helmrelease.yaml
            @@ -2,7 +2,7 @@
             b: 2
             c: 3
             d: 4
            -E: 50
            +e: 5
             f: 6
             g: 7
             h: 8
            --- /dev/null
            +++ b/kubernetes/apps/kustomization.yaml
            @@ -0,0 +1,3 @@
            +resources:
            +  - ./kube-system
            +  - ./network
            --- a/kubernetes/apps/old.yaml
            +++ /dev/null
            @@ -1 +0,0 @@
            -old
            --- a/kubernetes/apps/z-trailing.yaml
            +++ b/kubernetes/apps/z-trailing.yaml
            only the line break at the end of the file differs

            """.Replace("\r\n", "\n", StringComparison.Ordinal),
            report.ToUnifiedDiff());
        Assert.Equal($"drift in {dir.Path}: 1 missing, 2 changed, 1 extra", report.ToString());
    }

    [Fact]
    public void A_changed_or_missing_secret_is_reported_but_its_content_never_printed()
    {
        using var dir = new TempDirectory();
        OutputWriter.Write(Tree, dir.Path);
        File.WriteAllText(dir["kubernetes/components/sops/cluster-secrets.sops.yaml"], "password: swordfish\n");
        var changed = OutputWriter.Check(Tree, dir.Path);
        File.Delete(dir["kubernetes/components/sops/cluster-secrets.sops.yaml"]);
        var missing = OutputWriter.Check(Tree, dir.Path);

        var entry = Assert.Single(changed.Entries);
        Assert.True(entry.IsSecret);
        Assert.Equal(DriftKind.Changed, entry.Kind);
        Assert.Contains("secret content differs (not shown)", changed.ToUnifiedDiff(), StringComparison.Ordinal);
        Assert.Contains("+++ b/kubernetes/components/sops/cluster-secrets.sops.yaml", changed.ToUnifiedDiff(), StringComparison.Ordinal);
        Assert.Equal(DriftKind.Missing, Assert.Single(missing.Entries).Kind);
        foreach (var text in new[] { changed.ToUnifiedDiff(), missing.ToUnifiedDiff(), changed.ToString(), entry.ToString() })
        {
            Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
            Assert.DoesNotContain("swordfish", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_user_file_at_a_generated_path_is_drift_and_an_identical_one_is_not()
    {
        using var dir = new TempDirectory();
        Disk.WriteUserFile(dir, "kubernetes/apps/kustomization.yaml", "resources:\n  - ./kube-system\n  - ./network\n");
        Disk.WriteUserFile(dir, "kubernetes/apps/kube-system/cilium/app/helmrelease.yaml", "handwritten\n");

        var report = OutputWriter.Check(Tree, dir.Path);

        Assert.Equal(
            ["Changed kubernetes/apps/kube-system/cilium/app/helmrelease.yaml", "Missing kubernetes/components/sops/cluster-secrets.sops.yaml"],
            report.Entries.Select(e => e.ToString()));
    }

    [Fact]
    public void Check_never_writes_even_to_a_missing_directory()
    {
        using var dir = new TempDirectory();
        var missing = dir["never-written"];

        var report = OutputWriter.Check(Tree, missing);

        Assert.Equal(Tree.Files.Count, report.Entries.Count(e => e.Kind == DriftKind.Missing));
        Assert.False(Directory.Exists(missing));

        OutputWriter.Write(Tree, dir.Path);
        File.WriteAllText(dir["kubernetes/apps/kustomization.yaml"], "edited\n");
        var before = Disk.Snapshot(dir.Path);
        Assert.True(OutputWriter.Check(Tree, dir.Path).HasDrift);
        Assert.Equal(before, Disk.Snapshot(dir.Path));
    }
}
