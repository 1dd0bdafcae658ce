using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using Cilium.Sdk.Output;

namespace Cilium.Sdk.Tests.Output;

/// <summary>
/// A real crash: a child process (this test executable, running <see cref="Alternating_writes_always_leave_one_whole_tree"/>
/// in an endless loop) is killed with SIGKILL in the middle of writing; the next write must recover a whole tree.
/// </summary>
public sealed class OutputWriterKillTests
{
    private const string ChildDirectoryVariable = "CILIUM_SDK_OUTPUT_KILL_TEST_DIR";

    private static readonly OutputTree A = Trees("a");
    private static readonly OutputTree B = Trees("b");

    [Fact]
    public void Alternating_writes_always_leave_one_whole_tree()
    {
        string? childDirectory = Environment.GetEnvironmentVariable(ChildDirectoryVariable);
        if (childDirectory is not null)
        {
            // Child mode: write until killed.
            for (long i = 0; ; i++)
            {
                OutputWriter.Write(i % 2 == 0 ? A : B, childDirectory);
            }
        }

        using var dir = new TempDirectory();
        for (int i = 0; i < 6; i++)
        {
            var tree = i % 2 == 0 ? A : B;
            var result = OutputWriter.Write(tree, dir.Path);
            Assert.Equal(Disk.Expected(tree), Disk.Visible(dir.Path));
            Assert.Equal(i == 0 ? tree.Files.Count : tree.Files.Count - 2, result.Created.Count + result.Updated.Count);
        }
    }

    [Fact]
    public void A_writer_killed_mid_write_recovers_to_the_old_or_the_new_tree()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Runs on Linux and macOS only: the writer is killed in a child process started through the Unix app host, which Windows does not have.");
        string host = Path.Combine(AppContext.BaseDirectory, "Cilium.Sdk.Tests");
        Assert.True(File.Exists(host), $"The test executable {host} is needed to start the child writer.");
        var random = new Random(20261126);
        int midWrite = 0;

        // Three children at once (start-up dominates), each killed at its own random moment.
        var dirs = Enumerable.Range(0, 3).Select(_ => new TempDirectory()).ToList();
        var children = new List<Process>();
        try
        {
            children.AddRange(dirs.Select(dir => StartChild(host, dir)));
            foreach (var (child, dir) in children.Zip(dirs))
            {
                using (child)
                {
                    // Wait for the first complete write, then let it run a little before the kill.
                    var deadline = DateTime.UtcNow.AddSeconds(60);
                    while (!File.Exists(dir[OutputWriter.ManifestPath]) && DateTime.UtcNow < deadline && !child.HasExited)
                    {
                        Thread.Sleep(10);
                    }

                    Assert.False(child.HasExited, "The child writer exited before it was killed.");
                    Thread.Sleep(random.Next(50, 400));
                    child.Kill(entireProcessTree: true);
                    child.WaitForExit();
                }

                if (Directory.Exists(dir[".cilium-sdk/staging"]) || File.Exists(dir[".cilium-sdk/journal.json"]))
                {
                    midWrite++;
                }

                // Whatever the kill interrupted, the next write first recovers a whole tree.
                OutputWriter.Recover(new OutputState(dir.Path), dir.Path, (_, _) => { });
                var visible = Disk.Visible(dir.Path);
                Assert.True(
                    visible.SequenceEqual(Disk.Expected(A, UserFile)) || visible.SequenceEqual(Disk.Expected(B, UserFile)),
                    "After recovery the directory holds neither tree: " + string.Join(", ", visible.Keys));
                var whole = visible.SequenceEqual(Disk.Expected(A, UserFile)) ? A : B;
                Assert.False(OutputWriter.Check(whole, dir.Path).HasDrift);
                var other = whole == A ? B : A;
                OutputWriter.Write(other, dir.Path);
                Assert.Equal(Disk.Expected(other, UserFile), Disk.Visible(dir.Path));
            }
        }
        finally
        {
            // When an assertion stops the loop early, the other children are still writing: stop them before their
            // folders go, or deleting races their writes and hides the assertion behind an IOException.
            foreach (var child in children)
            {
                try
                {
                    if (!child.HasExited)
                    {
                        child.Kill(entireProcessTree: true);
                        child.WaitForExit();
                    }
                }
                catch (InvalidOperationException)
                {
                    // Already disposed by the loop, so already exited.
                }
            }

            dirs.ForEach(d => d.Dispose());
        }

        // The kill lands in a write nearly every time (writes run back to back); report it if it never did.
        Assert.True(midWrite > 0, "No kill interrupted a write; the test did not exercise recovery.");
    }

    private static Process StartChild(string host, TempDirectory dir)
    {
        Disk.WriteUserFile(dir, "README.md", "user file\n");
        var start = new ProcessStartInfo(host)
        {
            ArgumentList = { "-method", "*" + nameof(Alternating_writes_always_leave_one_whole_tree) },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment[ChildDirectoryVariable] = dir.Path;
        var child = Process.Start(start)!;
        child.OutputDataReceived += (_, _) => { };
        child.ErrorDataReceived += (_, _) => { };
        child.BeginOutputReadLine();
        child.BeginErrorReadLine();
        return child;
    }

    private static readonly Dictionary<string, string> UserFile = new() { ["README.md"] = "user file\n" };

    /// <summary>Forty files whose content depends on the variant, two shared, one per variant only.</summary>
    private static OutputTree Trees(string variant)
    {
        var tree = OutputTree.Empty
            .Add("kubernetes/apps/kustomization.yaml", "resources: []\n")
            .Add("kubernetes/flux/cluster/ks.yaml", "kind: Kustomization\n")
            .Add($"kubernetes/apps/only-{variant}.yaml", variant + "\n");
        for (int i = 0; i < 40; i++)
        {
            tree = tree.Add($"kubernetes/apps/app-{i:D2}/policy.yaml", $"variant: {variant}\nindex: {i}\n" + new string('x', 2000) + "\n");
        }

        return tree;
    }
}
