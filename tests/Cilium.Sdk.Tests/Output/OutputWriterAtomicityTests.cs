using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Cilium.Sdk.Output;

namespace Cilium.Sdk.Tests.Output;

/// <summary>
/// A crash at any step leaves the previous tree (before the journal is committed) or is rolled forward to the new
/// tree (after), and the user's files survive either way. The crash is simulated by a hook that throws between steps;
/// the writer catches only I/O errors, so nothing after the hook runs, as in a killed process.
/// </summary>
public sealed class OutputWriterAtomicityTests
{
    private static readonly OutputTree Old = Disk.Tree(
        ("kubernetes/apps/kustomization.yaml", "resources:\n  - ./kube-system\n"),
        ("kubernetes/apps/kube-system/cilium/app/helmrelease.yaml", "version: 1.19.0\n"),
        ("kubernetes/apps/old/gone.yaml", "stale\n"),
        ("kubernetes/components/sops/secret.sops.yaml", "password: old\n"));

    private static readonly OutputTree New = Disk.Tree(
        ("kubernetes/apps/kustomization.yaml", "resources:\n  - ./kube-system\n"),
        ("kubernetes/apps/kube-system/cilium/app/helmrelease.yaml", "version: 1.20.0\n"),
        ("kubernetes/apps/network/ks.yaml", "kind: Kustomization\n"),
        ("kubernetes/components/sops/secret.sops.yaml", "password: new\n"),
        ("unifi/bgp.conf", "router bgp 64513\n"));

    private static readonly Dictionary<string, string> UserFiles = new()
    {
        ["README.md"] = "my notes\n",
        ["kubernetes/apps/old/keep.md"] = "user file beside a deleted one\n",
    };

    public static TheoryData<int> CrashPoints()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < StepsOfCleanWrite().Count; i++)
        {
            data.Add(i);
        }

        return data;
    }

    /// <summary>The crash points after the journal is committed and before it is removed: a crash there leaves a write
    /// to roll forward.</summary>
    public static TheoryData<int> CommittedCrashPoints()
    {
        var data = new TheoryData<int>();
        List<string> steps = StepsOfCleanWrite();
        for (int i = steps.IndexOf("JournalCommitted journal.json"); i < steps.IndexOf("Finished journal.json"); i++)
        {
            data.Add(i);
        }

        return data;
    }

    [Fact]
    public void A_clean_write_passes_every_step_in_order()
    {
        Assert.Equal(
            [
                "Staged kubernetes/apps/kube-system/cilium/app/helmrelease.yaml",
                "Staged kubernetes/apps/network/ks.yaml",
                "Staged kubernetes/components/sops/secret.sops.yaml",
                "Staged unifi/bgp.conf",
                "JournalCommitted journal.json",
                "Deleted kubernetes/apps/old/gone.yaml",
                "Moved kubernetes/apps/kube-system/cilium/app/helmrelease.yaml",
                "Moved kubernetes/apps/network/ks.yaml",
                "Moved kubernetes/components/sops/secret.sops.yaml",
                "Moved unifi/bgp.conf",
                "ManifestWritten .cilium-sdk/owned.json",
                "Finished journal.json",
            ],
            StepsOfCleanWrite());
    }

    [Theory]
    [MemberData(nameof(CrashPoints))]
    public void A_crash_at_any_step_leaves_the_old_tree_or_rolls_forward_to_the_new_one(int crashAt)
    {
        using var dir = Prepared();
        bool committed = CrashDuringWrite(dir, crashAt);

        if (!committed)
        {
            Assert.Equal(Disk.Expected(Old, UserFiles), Disk.Visible(dir.Path)); // nothing visible changed yet
        }

        // Check is read-only and already reports the tree the roll-forward will leave.
        var snapshot = Disk.Snapshot(dir.Path);
        Assert.False(OutputWriter.Check(committed ? New : Old, dir.Path).HasDrift);
        Assert.Equal(snapshot, Disk.Snapshot(dir.Path));

        // The next write recovers first: roll forward, or discard the uncommitted staging.
        RecoverOnly(dir);
        Assert.Equal(Disk.Expected(committed ? New : Old, UserFiles), Disk.Visible(dir.Path));
        Assert.False(Directory.Exists(dir[".cilium-sdk/staging"]));
        Assert.False(File.Exists(dir[".cilium-sdk/journal.json"]));
        Assert.False(OutputWriter.Check(committed ? New : Old, dir.Path).HasDrift);

        var result = OutputWriter.Write(New, dir.Path);
        Assert.Equal(Disk.Expected(New, UserFiles), Disk.Visible(dir.Path));
        Assert.Equal(committed ? New.Files.Select(f => f.Path) : ["kubernetes/apps/kustomization.yaml"], result.Unchanged);
        AssertSecretMode(dir);
    }

    /// <summary>Only the crash points between the commit and the journal's removal leave something to roll forward (the
    /// others are covered above), so every row starts from a pending journal. Then the roll-forward itself crashes, at
    /// each of its steps in turn (each from a fresh copy of the same state), and the next recovery alone, before any
    /// write, must finish it: the new tree, no journal, no staging.</summary>
    [Theory]
    [MemberData(nameof(CommittedCrashPoints))]
    public void A_crash_during_recovery_is_recovered_by_the_next_write(int crashAt)
    {
        int steps = 0;
        using (var counted = Prepared())
        {
            Assert.True(CrashDuringWrite(counted, crashAt));
            OutputWriter.Recover(new OutputState(counted.Path), counted.Path, (_, _) => steps++);
        }

        Assert.True(steps > 0, "the roll-forward passed no step, so no crash during recovery can be tested");
        for (int second = 0; second < steps; second++)
        {
            using var dir = Prepared();
            Assert.True(CrashDuringWrite(dir, crashAt));
            Assert.True(File.Exists(dir[".cilium-sdk/journal.json"]));
            int calls = 0;
            Assert.Throws<SimulatedCrash>(() => OutputWriter.Recover(new OutputState(dir.Path), dir.Path, (_, _) =>
            {
                if (calls++ == second)
                {
                    throw new SimulatedCrash();
                }
            }));
            Assert.False(OutputWriter.Check(New, dir.Path).HasDrift);

            RecoverOnly(dir);
            Assert.False(File.Exists(dir[".cilium-sdk/journal.json"]), $"crash at step {second} of the roll-forward: the next recovery left the journal");
            Assert.False(Directory.Exists(dir[".cilium-sdk/staging"]));
            Assert.Equal(Disk.Expected(New, UserFiles), Disk.Visible(dir.Path));

            var result = OutputWriter.Write(New, dir.Path);
            Assert.Equal(Disk.Expected(New, UserFiles), Disk.Visible(dir.Path));
            Assert.Equal(New.Files.Select(f => f.Path), result.Unchanged);
        }
    }

    [Fact]
    public void A_write_interrupted_after_the_commit_reports_that_it_recovered()
    {
        using var dir = Prepared();
        Assert.True(CrashDuringWrite(dir, StepsOfCleanWrite().IndexOf("Moved unifi/bgp.conf")));

        Assert.True(OutputWriter.Check(New, dir.Path).InterruptedWritePending);
        var result = OutputWriter.Write(New, dir.Path);

        Assert.True(result.RecoveredInterruptedWrite);
        Assert.False(OutputWriter.Check(New, dir.Path).InterruptedWritePending);
    }

    [Fact]
    public void A_user_edit_between_crash_and_recovery_is_not_deleted_by_the_roll_forward()
    {
        using var dir = Prepared();
        Assert.True(CrashDuringWrite(dir, StepsOfCleanWrite().IndexOf("JournalCommitted journal.json")));
        File.WriteAllText(dir["kubernetes/apps/old/gone.yaml"], "edited after the crash\n");

        RecoverOnly(dir);

        Assert.Equal("edited after the crash\n", File.ReadAllText(dir["kubernetes/apps/old/gone.yaml"]));
        Assert.DoesNotContain("kubernetes/apps/old/gone.yaml", File.ReadAllText(dir[OutputWriter.ManifestPath]), StringComparison.Ordinal);
    }

    /// <summary>Issue 17, defect 1: the roll-forward moved a staged file over a generated file the user edited after
    /// the crash; it must keep the edit, finish the rest, and report the file.</summary>
    [Fact]
    public void A_user_edit_between_crash_and_recovery_is_not_overwritten_by_the_roll_forward()
    {
        using var dir = Prepared();
        Assert.True(CrashDuringWrite(dir, StepsOfCleanWrite().IndexOf("JournalCommitted journal.json")));
        const string edited = "kubernetes/apps/kube-system/cilium/app/helmrelease.yaml";
        File.WriteAllText(dir[edited], "version: 1.19.0 # my edit after the crash\n");

        var error = Assert.Throws<OutputException>(() => OutputWriter.Write(New, dir.Path));

        Assert.Equal([edited], error.Conflicts.Select(c => c.Path));
        Assert.Equal("version: 1.19.0 # my edit after the crash\n", File.ReadAllText(dir[edited]));
        var expected = Disk.Expected(New, UserFiles);
        expected[edited] = "version: 1.19.0 # my edit after the crash\n";
        Assert.Equal(expected, Disk.Visible(dir.Path)); // the rest of the interrupted write was completed
        Assert.False(File.Exists(dir[".cilium-sdk/journal.json"]));
        Assert.False(Directory.Exists(dir[".cilium-sdk/staging"]));

        // The edit stays an edited generated file: refused without Force, exactly as without a crash.
        var again = Assert.Throws<OutputException>(() => OutputWriter.Write(New, dir.Path));
        Assert.Contains("edited since it was written", Assert.Single(again.Conflicts).Message, StringComparison.Ordinal);
        OutputWriter.Write(New, dir.Path, new WriteOptions { Force = true });
        Assert.Equal(Disk.Expected(New, UserFiles), Disk.Visible(dir.Path));
    }

    /// <summary>Issue 17, defect 1: a file the user put at a path the interrupted write was to create is not overwritten.</summary>
    [Fact]
    public void A_user_file_created_between_crash_and_recovery_is_not_overwritten_by_the_roll_forward()
    {
        using var dir = Prepared();
        Assert.True(CrashDuringWrite(dir, StepsOfCleanWrite().IndexOf("JournalCommitted journal.json")));
        Disk.WriteUserFile(dir, "unifi/bgp.conf", "my own router config\n");

        var error = Assert.Throws<OutputException>(() => OutputWriter.Write(New, dir.Path));

        Assert.Equal(["unifi/bgp.conf"], error.Conflicts.Select(c => c.Path));
        Assert.Equal("my own router config\n", File.ReadAllText(dir["unifi/bgp.conf"]));
        Assert.DoesNotContain("unifi/bgp.conf", File.ReadAllText(dir[OutputWriter.ManifestPath]), StringComparison.Ordinal);
        var again = Assert.Throws<OutputException>(() => OutputWriter.Write(New, dir.Path));
        Assert.Contains("was not generated by Cilium.Sdk", Assert.Single(again.Conflicts).Message, StringComparison.Ordinal);
    }

    /// <summary>Issue 17, defect 1: the same window in a normal write, between the plan and the move of each file.</summary>
    [Theory]
    [InlineData("kubernetes/apps/kube-system/cilium/app/helmrelease.yaml")] // updated: edited after the plan
    [InlineData("unifi/bgp.conf")] // created: a user file appeared after the plan
    public void A_file_changed_between_plan_and_apply_is_kept_and_reported(string path)
    {
        using var dir = Prepared();
        const string users = "changed by the user while the write ran\n";

        var error = Assert.Throws<OutputException>(() => OutputWriter.Write(New, dir.Path, null, (step, _) =>
        {
            if (step == WriteStep.JournalCommitted)
            {
                Disk.WriteUserFile(dir, path, users);
            }
        }));

        Assert.Equal([path], error.Conflicts.Select(c => c.Path));
        Assert.DoesNotContain("nothing was written", error.Message, StringComparison.Ordinal);
        var expected = Disk.Expected(New, UserFiles);
        expected[path] = users;
        Assert.Equal(expected, Disk.Visible(dir.Path));
        Assert.False(File.Exists(dir[".cilium-sdk/journal.json"]));
        Assert.Throws<OutputException>(() => OutputWriter.Write(New, dir.Path)); // still the user's, still refused
        Assert.Equal(users, File.ReadAllText(dir[path]));
    }

    /// <summary>A journal from a version before the expected previous content was recorded: each move's target must
    /// still have the content the manifest records (an update) or be absent (a creation).</summary>
    [Fact]
    public void A_version_1_journal_is_rolled_forward_with_the_manifest_as_the_expected_content()
    {
        using var dir = Prepared();
        Assert.True(CrashDuringWrite(dir, StepsOfCleanWrite().IndexOf("JournalCommitted journal.json")));
        var journal = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(dir[".cilium-sdk/journal.json"]))!;
        var moves = new System.Text.Json.Nodes.JsonArray();
        foreach (var move in journal["moves"]!.AsArray())
        {
            moves.Add((System.Text.Json.Nodes.JsonNode)move!["path"]!.GetValue<string>());
        }

        journal["version"] = 1;
        journal["moves"] = moves;
        File.WriteAllText(dir[".cilium-sdk/journal.json"], journal.ToJsonString());
        File.WriteAllText(dir["kubernetes/apps/kube-system/cilium/app/helmrelease.yaml"], "my edit\n");

        var error = Assert.Throws<OutputException>(() => OutputWriter.Write(New, dir.Path));

        Assert.Equal(["kubernetes/apps/kube-system/cilium/app/helmrelease.yaml"], error.Conflicts.Select(c => c.Path));
        var expected = Disk.Expected(New, UserFiles);
        expected["kubernetes/apps/kube-system/cilium/app/helmrelease.yaml"] = "my edit\n";
        Assert.Equal(expected, Disk.Visible(dir.Path));
    }

    [Fact]
    public void Leftover_staging_without_a_journal_is_discarded_by_the_next_write()
    {
        using var dir = Prepared();
        Disk.WriteUserFile(dir, ".cilium-sdk/staging/unifi/bgp.conf", "half written");

        var result = OutputWriter.Write(Old, dir.Path);

        Assert.False(result.RecoveredInterruptedWrite);
        Assert.False(Directory.Exists(dir[".cilium-sdk/staging"]));
        Assert.Equal(Disk.Expected(Old, UserFiles), Disk.Visible(dir.Path));
    }

    /// <summary>A writer killed while its writability probes exist leaves them in the output folders (found by the kill
    /// test); the next write removes the listed ones, and only those.</summary>
    [Fact]
    public void Probe_files_left_by_a_killed_writer_are_removed_by_the_next_write()
    {
        using var dir = Prepared();
        const string probe = "kubernetes/apps/.cilium-sdk-probe-0123456789abcdef0123456789abcdef";
        const string notListed = "kubernetes/apps/.cilium-sdk-probe-ffffffffffffffffffffffffffffffff";
        Disk.WriteUserFile(dir, probe, string.Empty);
        Disk.WriteUserFile(dir, notListed, "a user's file that only looks like a probe\n");
        Disk.WriteUserFile(dir, ".cilium-sdk/probes", probe + "\nREADME.md\n../outside/.cilium-sdk-probe-x\n");

        OutputWriter.Write(Old, dir.Path);

        Assert.False(File.Exists(dir[probe]));
        Assert.True(File.Exists(dir[notListed]));
        Assert.False(File.Exists(dir[".cilium-sdk/probes"]));
        Assert.True(File.Exists(dir["README.md"]), "a listed name that is not a probe is never deleted");
    }

    [Fact]
    public void A_second_writer_is_refused_while_the_first_holds_the_lock()
    {
        using var dir = Prepared();
        OutputException? error = null;

        OutputWriter.Write(New, dir.Path, null, (step, _) =>
        {
            if (step == WriteStep.JournalCommitted)
            {
                error = Assert.Throws<OutputException>(() => OutputWriter.Write(Old, dir.Path));
            }
        });

        Assert.NotNull(error);
        Assert.Contains("another write to this directory is in progress", error.Message, StringComparison.Ordinal);
        Assert.Equal(Disk.Expected(New, UserFiles), Disk.Visible(dir.Path));
    }

    private static TempDirectory Prepared()
    {
        var dir = new TempDirectory();
        OutputWriter.Write(Old, dir.Path);
        foreach (var user in UserFiles)
        {
            Disk.WriteUserFile(dir, user.Key, user.Value);
        }

        return dir;
    }

    /// <summary>Writes <see cref="New"/> and crashes after step <paramref name="crashAt"/>; true when the journal was committed.</summary>
    private static bool CrashDuringWrite(TempDirectory dir, int crashAt)
    {
        int calls = 0;
        bool committed = false;
        Assert.Throws<SimulatedCrash>(() => OutputWriter.Write(New, dir.Path, null, (step, _) =>
        {
            committed |= step == WriteStep.JournalCommitted;
            if (calls++ == crashAt)
            {
                throw new SimulatedCrash();
            }
        }));
        return committed;
    }

    private static void RecoverOnly(TempDirectory dir) => OutputWriter.Recover(new OutputState(dir.Path), dir.Path, (_, _) => { });

    private static List<string> StepsOfCleanWrite()
    {
        using var dir = Prepared();
        var steps = new List<string>();
        OutputWriter.Write(New, dir.Path, null, (step, path) => steps.Add($"{step} {path}"));
        return steps;
    }

    private static void AssertSecretMode(TempDirectory dir)
    {
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(dir["kubernetes/components/sops/secret.sops.yaml"]));
        }
    }

    private sealed class SimulatedCrash : Exception
    {
        public SimulatedCrash()
            : base("simulated crash")
        {
        }
    }
}
