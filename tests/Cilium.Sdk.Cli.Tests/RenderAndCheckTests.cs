namespace Cilium.Sdk.Cli.Tests;

public sealed class RenderAndCheckTests : IDisposable
{
    private readonly DirectoryInfo output = Directory.CreateTempSubdirectory("cilium-sdk-cli-out-");

    public void Dispose() => output.Delete(recursive: true);

    public static TheoryData<string> Cases() => Cli.Cases();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Render_then_check_reports_no_drift_and_a_second_render_changes_nothing(string @case)
    {
        var (code, stdout, stderr) = Cli.Run("render", "--config", Cli.Case(@case), "--out", output.FullName);
        Assert.True(code == 0, stderr);
        Assert.Contains("created", stdout, StringComparison.Ordinal);

        var (checkCode, checkOut, _) = Cli.Run("check", "--config", Cli.Case(@case), "--out", output.FullName);
        Assert.Equal(0, checkCode);
        Assert.Contains("no drift", checkOut, StringComparison.Ordinal);

        var (againCode, againOut, _) = Cli.Run("render", "--config", Cli.Case(@case), "--out", output.FullName);
        Assert.Equal(0, againCode);
        Assert.DoesNotContain("created", againOut.Replace("0 created", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_exits_1_with_a_diff_when_a_generated_file_was_edited()
    {
        Cli.Run("render", "--config", Cli.Case("a-defaults"), "--out", output.FullName);
        var release = Path.Combine(output.FullName, "kubernetes/apps/kube-system/cilium/app/helmrelease.yaml");
        File.WriteAllText(release, File.ReadAllText(release).Replace("maglev", "random", StringComparison.Ordinal));

        var (code, stdout, _) = Cli.Run("check", "--config", Cli.Case("a-defaults"), "--out", output.FullName);

        Assert.Equal(1, code);
        Assert.Contains("-      algorithm: random", stdout, StringComparison.Ordinal);
        Assert.Contains("+      algorithm: maglev", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_refuses_to_overwrite_a_file_it_did_not_generate_and_exits_3()
    {
        var userFile = Path.Combine(output.FullName, "kubernetes/apps/kustomization.yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(userFile)!);
        File.WriteAllText(userFile, "# mine\n");

        var (code, _, stderr) = Cli.Run("render", "--config", Cli.Case("a-defaults"), "--out", output.FullName);

        Assert.Equal(3, code);
        Assert.Contains("kubernetes/apps/kustomization.yaml", stderr, StringComparison.Ordinal);
        Assert.Equal("# mine\n", File.ReadAllText(userFile));
        Assert.False(File.Exists(Path.Combine(output.FullName, "kubernetes/apps/kube-system/cilium/ks.yaml")));
    }
}
