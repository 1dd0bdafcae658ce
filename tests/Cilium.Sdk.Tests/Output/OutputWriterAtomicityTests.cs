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

    [Theory]
    [MemberData(nameof(CrashPoints))]
    public void A_crash_during_recovery_is_recovered_by_the_next_write(int crashAt)
    {
        using var dir = Prepared();
        if (!CrashDuringWrite(dir, crashAt))
        {
            return; // Before the commit there is nothing to roll forward: covered above.
        }

        // Crash again at every step of the roll-forward, then let a plain write finish it.
        for (int second = 0; ; second++)
        {
            int calls = 0;
            try
            {
                OutputWriter.Recover(new OutputState(dir.Path), dir.Path, (_, _) =>
                {
                    if (calls++ == second)
                    {
                        throw new SimulatedCrash();
                    }
                });
                break; // the roll-forward completed without reaching the crash point
            }
            catch (SimulatedCrash)
            {
                Assert.False(OutputWriter.Check(New, dir.Path).HasDrift);
            }
        }

        var result = OutputWriter.Write(New, dir.Path);
        Assert.Equal(Disk.Expected(New, UserFiles), Disk.Visible(dir.Path));
        Assert.Equal(New.Files.Select(f => f.Path), result.Unchanged);
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
