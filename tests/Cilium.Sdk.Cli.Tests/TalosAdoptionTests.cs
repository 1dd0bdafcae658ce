namespace Cilium.Sdk.Cli.Tests;

/// <summary>
/// talconfig.yaml in a template user's repository: <c>render --adopt</c> adds the SDK's Talos patch to its global
/// <c>patches:</c> and changes no other byte of it, <c>check</c> passes, a second render changes nothing; a talconfig
/// that stops giving Cilium what it needs is reported at the file and line that says so.
/// </summary>
public sealed class TalosAdoptionTests
{
    private const string Talconfig = "talos/talconfig.yaml";
    private const string Entry = "  - \"@./patches/global/cilium.yaml\"\n";
    private const string LastGlobalEntry = "  - \"@./patches/global/machine-time.yaml\"\n";

    public static TheoryData<string> Cases() => AdoptTests.Cases();

    private static int LineOf(string text, string line) => text.Split('\n').ToList().IndexOf(line) + 1;

    [Theory]
    [MemberData(nameof(Cases))]
    public void Adopting_adds_the_sdk_patch_as_the_last_global_patch_and_nothing_else_changes_in_talconfig(string @case)
    {
        using var repo = TemplateRepository.Create(@case);
        var before = File.ReadAllText(repo[Talconfig]);
        Assert.DoesNotContain("cilium.yaml", before, StringComparison.Ordinal);

        Assert.NotEqual(0, Cli.Run("render", "--config", repo["cluster.yaml"], "--out", repo.Root).Code);
        Assert.Equal(before, File.ReadAllText(repo[Talconfig])); // without --adopt talconfig.yaml is never written

        // Nothing is missing (the template's own patches), but check says the SDK's patch is not applied.
        var (_, _, plainErr) = Cli.Run("check", "--config", repo["cluster.yaml"], "--out", repo.Root);
        Assert.Contains($"warning: {Talconfig}:{LineOf(before, "patches:")}: patches: does not list \"@./patches/global/cilium.yaml\", the Talos patch Cilium.Sdk writes", plainErr, StringComparison.Ordinal);
        Assert.Contains("  fix: add \"@./patches/global/cilium.yaml\" as the last entry of patches:, or render with --adopt, which adds it", plainErr, StringComparison.Ordinal);
        Assert.DoesNotContain($"error: {Talconfig}", plainErr, StringComparison.Ordinal);

        var (code, stdout, stderr) = Cli.Run("render", "--config", repo["cluster.yaml"], "--out", repo.Root, "--adopt");
        Assert.True(code == 0, stderr + stdout);

        // Byte for byte the template's file, plus one line after the last global patch (comments, order, quoting kept).
        int at = before.IndexOf(LastGlobalEntry, StringComparison.Ordinal) + LastGlobalEntry.Length;
        Assert.True(at >= LastGlobalEntry.Length, "the template's global patches end with machine-time.yaml");
        Assert.Equal(before.Insert(at, Entry), File.ReadAllText(repo[Talconfig]));
        Assert.Contains("name: none", File.ReadAllText(repo["talos/patches/global/cilium.yaml"]), StringComparison.Ordinal);

        // The partial render lacks machine-cloud-provider.yaml: a warning at its line, never a failure.
        Assert.Contains($"warning: {Talconfig}:{LineOf(before, "  - \"@./patches/global/machine-cloud-provider.yaml\"")}: patches entry \"@./patches/global/machine-cloud-provider.yaml\" names talos/patches/global/machine-cloud-provider.yaml, which is not in the repository", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("does not list", stderr, StringComparison.Ordinal);

        var (checkCode, checkOut, checkErr) = Cli.Run("check", "--config", repo["cluster.yaml"], "--out", repo.Root);
        Assert.True(checkCode == 0, checkOut + checkErr);

        repo.Commit("adopted");
        var (again, againOut, againErr) = Cli.Run("render", "--config", repo["cluster.yaml"], "--out", repo.Root);
        Assert.True(again == 0, againErr + againOut);
        Assert.Equal(string.Empty, repo.Git("status", "--porcelain"));
        Assert.Equal(before.Insert(at, Entry), File.ReadAllText(repo[Talconfig]));
    }

    [Fact]
    public void A_talconfig_without_cniConfig_is_reported_at_its_patches_line_with_the_fix()
    {
        using var repo = TemplateRepository.Create("a-defaults");
        var talconfig = File.ReadAllText(repo[Talconfig]).Replace("# Disable built-in CNI to use Cilium\ncniConfig:\n  name: none\n", string.Empty, StringComparison.Ordinal);
        File.WriteAllText(repo[Talconfig], talconfig);
        repo.Commit("no cniConfig");

        var (code, stdout, stderr) = Cli.Run("check", "--config", repo["cluster.yaml"], "--out", repo.Root);

        Assert.Equal(1, code);
        Assert.Contains(
            $"error: {Talconfig}:{LineOf(talconfig, "patches:")}: cluster.network.cni.name is flannel on control-plane node k8s-0 (no cniConfig and no patch sets it: Talos deploys flannel by default), but Cilium is the CNI (Flux installs it), so Talos must deploy none\n  fix: add \"@./patches/global/cilium.yaml\" as the last entry of patches: in {Talconfig} (line {LineOf(talconfig, "patches:")}), or render with --adopt, which adds it",
            stderr,
            StringComparison.Ordinal);
        Assert.DoesNotContain("WriteOptions", stdout + stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Talos.", stdout + stderr, StringComparison.Ordinal);

        // Adopting fixes it: the SDK's patch sets the CNI to none.
        Assert.Equal(0, Cli.Run("render", "--config", repo["cluster.yaml"], "--out", repo.Root, "--adopt").Code);
        var (after, afterOut, afterErr) = Cli.Run("check", "--config", repo["cluster.yaml"], "--out", repo.Root);
        Assert.True(after == 0, afterOut + afterErr);
    }

    [Fact]
    public void A_controller_patch_that_keeps_kube_proxy_is_reported_at_its_own_line()
    {
        using var repo = TemplateRepository.Create("b-snat");
        const string Patch = "talos/patches/controller/cluster.yaml";
        var text = File.ReadAllText(repo[Patch]).Replace("  proxy:\n    disabled: true\n", "  proxy:\n    disabled: false\n", StringComparison.Ordinal);
        File.WriteAllText(repo[Patch], text);
        repo.Commit("kube-proxy back");

        var (code, _, stderr) = Cli.Run("render", "--config", repo["cluster.yaml"], "--out", repo.Root);

        Assert.NotEqual(0, code);
        Assert.Contains(
            $"{Patch}: line {LineOf(text, "    disabled: false")}: cluster.proxy.disabled is false on control-plane nodes k8s-0, k8s-1, k8s-2 (set here), but Cilium replaces kube-proxy (kubeProxyReplacement: true in the Cilium Helm values), so Talos must not deploy it. Fix: set cluster.proxy.disabled: true there, or add \"@./patches/global/cilium.yaml\" as the last entry of patches: in {Talconfig}",
            stderr,
            StringComparison.Ordinal);
        Assert.Contains("render with --adopt", stderr, StringComparison.Ordinal);
    }
}
