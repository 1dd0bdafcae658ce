using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Cilium.Sdk.Output;
using Cilium.Sdk.Secrets;

namespace Cilium.Sdk.Tests.Output;

/// <summary>Secrets stay in 0600 SOPS files; unwritable destinations fail clearly with nothing written.</summary>
public sealed class OutputWriterSecretAndIoTests
{
    private const string Password = "correct horse battery staple";

    [Fact]
    public void A_secret_value_in_a_non_secret_file_is_refused_naming_the_file_never_the_secret()
    {
        using var dir = new TempDirectory();
        var tree = OutputTree.Empty
            .Add("kubernetes/apps/kube-system/cilium/app/bgp-secret.sops.yaml", $"stringData:\n  password: {Password}\n", isSecret: true)
            .Add("unifi/bgp.conf", $"neighbor TALOS password {Password}\n");

        var error = Assert.Throws<OutputException>(() => OutputWriter.Write(tree, dir.Path, new WriteOptions { SecretValues = [new SecretValue(Password)] }));

        Assert.Equal("unifi/bgp.conf", Assert.Single(error.Conflicts).Path);
        Assert.Contains("secret", error.Conflicts[0].Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
        Assert.Empty(Disk.Visible(dir.Path));
    }

    [Fact]
    public void A_base64_encoded_secret_in_a_non_secret_file_is_refused_too()
    {
        using var dir = new TempDirectory();
        var encoded = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Password));
        var tree = OutputTree.Empty.Add("kubernetes/apps/secret.yaml", $"kind: Secret\ndata:\n  password: {encoded}\n");

        var error = Assert.Throws<OutputException>(() => OutputWriter.Write(tree, dir.Path, new WriteOptions { SecretValues = [new SecretValue(Password)] }));

        Assert.Equal("kubernetes/apps/secret.yaml", Assert.Single(error.Conflicts).Path);
        Assert.DoesNotContain(encoded, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // skipped there first
    public void A_secret_in_its_sops_file_is_written_with_mode_0600()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Runs on Linux and macOS only: it checks the Unix file mode (0600) of secret files, and Windows has no Unix file modes.");
        using var dir = new TempDirectory();
        var tree = OutputTree.Empty
            .Add("kubernetes/components/sops/cluster-secrets.sops.yaml", $"password: {Password}\n", isSecret: true)
            .Add("kubernetes/components/sops/kustomization.yaml", "resources:\n  - ./cluster-secrets.sops.yaml\n");

        OutputWriter.Write(tree, dir.Path, new WriteOptions { SecretValues = [new SecretValue(Password)] });

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(dir["kubernetes/components/sops/cluster-secrets.sops.yaml"]));
        Assert.NotEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(dir["kubernetes/components/sops/kustomization.yaml"]));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // skipped there first
    public void An_unchanged_secret_file_gets_its_mode_back_to_0600()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Runs on Linux and macOS only: it checks the Unix file mode (0600) of secret files, and Windows has no Unix file modes.");
        using var dir = new TempDirectory();
        var tree = OutputTree.Empty.Add("s.sops.yaml", "x: 1\n", isSecret: true);
        OutputWriter.Write(tree, dir.Path);
        File.SetUnixFileMode(dir["s.sops.yaml"], (UnixFileMode)Convert.ToInt32("644", 8));

        var result = OutputWriter.Write(tree, dir.Path);

        Assert.Equal(["s.sops.yaml"], result.Unchanged);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(dir["s.sops.yaml"]));
    }

    [Fact]
    public void WriteOptions_never_print_a_secret()
    {
        var options = new WriteOptions { SecretValues = [new SecretValue(Password)] };

        Assert.DoesNotContain(Password, options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_output_directory_below_a_regular_file_fails_clearly_and_writes_nothing()
    {
        // Works as root too (chmod does not stop root; a file as parent does).
        using var dir = new TempDirectory();
        File.WriteAllText(dir["not-a-folder"], "plain file\n");
        var target = Path.Combine(dir["not-a-folder"], "out");
        var before = Disk.Snapshot(dir.Path);

        var error = Assert.Throws<OutputException>(() => OutputWriter.Write(Disk.Tree(("a.yaml", "a\n")), target));

        Assert.Contains(target, error.Message, StringComparison.Ordinal);
        Assert.Contains(dir["not-a-folder"] + " is a file", error.Message, StringComparison.Ordinal);
        Assert.Contains("Fix:", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Disk.Snapshot(dir.Path));
    }

    [Fact]
    public void The_output_directory_being_a_file_fails_for_write_and_check()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir["out"], "plain file\n");

        Assert.Throws<OutputException>(() => OutputWriter.Write(Disk.Tree(("a.yaml", "a\n")), dir["out"]));
        var check = Assert.Throws<OutputException>(() => OutputWriter.Check(Disk.Tree(("a.yaml", "a\n")), dir["out"]));

        Assert.Contains("is a file", check.Message, StringComparison.Ordinal);
        Assert.Equal("plain file\n", File.ReadAllText(dir["out"]));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // skipped there first
    public void A_read_only_folder_fails_before_the_commit_and_leaves_the_previous_tree()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Runs on Linux and macOS only: it checks the Unix file mode (0600) of secret files, and Windows has no Unix file modes.");
        using var dir = new TempDirectory();
        var old = Disk.Tree(("apps/a.yaml", "a\n"));
        OutputWriter.Write(old, dir.Path);
        File.SetUnixFileMode(dir["apps"], UnixFileMode.UserRead | UnixFileMode.UserExecute);
        if (CanWrite(dir["apps"]))
        {
            // Root (CI) ignores file modes through CAP_DAC_OVERRIDE: run this same test again in a child process
            // without that capability, where the folder really is read-only, and require it to pass there.
            RunWithoutDacOverride(nameof(A_read_only_folder_fails_before_the_commit_and_leaves_the_previous_tree));
            return;
        }

        var error = Assert.Throws<OutputException>(() => OutputWriter.Write(Disk.Tree(("apps/a.yaml", "a2\n"), ("apps/b.yaml", "b\n")), dir.Path));

        Assert.Equal("apps", Assert.Single(error.Conflicts).Path);
        Assert.Contains("make the output directory writable", error.Conflicts[0].Fix, StringComparison.Ordinal);
        Assert.Equal(Disk.Expected(old), Disk.Visible(dir.Path));
        Assert.False(Directory.Exists(dir[".cilium-sdk/staging"]));
        Assert.False(File.Exists(dir[".cilium-sdk/journal.json"]));
    }

    private const string ChildVariable = "CILIUM_SDK_OUTPUT_NO_DAC_OVERRIDE_CHILD";

    private static void RunWithoutDacOverride(string testMethod)
    {
        Assert.True(Environment.GetEnvironmentVariable(ChildVariable) is null, "The child still ignores file modes: setpriv did not drop CAP_DAC_OVERRIDE.");
        const string setpriv = "/usr/bin/setpriv";
        Assert.True(File.Exists(setpriv), $"{setpriv} (util-linux) is needed to run this test without CAP_DAC_OVERRIDE as root; install util-linux.");
        string host = Path.Combine(AppContext.BaseDirectory, "Cilium.Sdk.Tests");
        var start = new System.Diagnostics.ProcessStartInfo(setpriv)
        {
            ArgumentList = { "--bounding-set=-dac_override,-dac_read_search", "--", host, "-method", "*" + testMethod },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment[ChildVariable] = "1";
        using var child = System.Diagnostics.Process.Start(start)!;
        var stderr = child.StandardError.ReadToEndAsync();
        string stdout = child.StandardOutput.ReadToEnd();
        Assert.True(child.WaitForExit(120_000), "The child test run did not finish within 120 s.");
        Assert.True(child.ExitCode == 0 && stdout.Contains("Total: 1, Errors: 0, Failed: 0, Skipped: 0", StringComparison.Ordinal),
            $"The test failed without CAP_DAC_OVERRIDE (exit {child.ExitCode}):\n{stdout}\n{stderr.Result}");
    }

    private static bool CanWrite(string folder)
    {
        try
        {
            File.WriteAllText(Path.Combine(folder, "probe"), "x");
            File.Delete(Path.Combine(folder, "probe"));
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
