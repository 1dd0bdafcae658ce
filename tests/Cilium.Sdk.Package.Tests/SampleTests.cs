using Cilium.Sdk.Package.Tests.Infrastructure;

namespace Cilium.Sdk.Package.Tests;

/// <summary>The samples build and run as a user runs them, and write what they say.</summary>
public sealed class SampleTests
{
    private const string App = "kubernetes/apps/kube-system/cilium/app/";

    [Fact]
    public async Task HomeLab_writes_bgp_hubble_and_audit_policies_with_the_password_only_in_sops_files()
    {
        var outDir = TempDir("homelab");
        const string Password = "homelab-sample-pw-7f3a";
        var run = await DotNet.Run(Repo.Root, TimeSpan.FromMinutes(6), new Dictionary<string, string> { ["HOMELAB_BGP_PASSWORD"] = Password },
            "run", "--project", Repo.Path("samples", "HomeLab", "HomeLab.csproj"), "-c", Repo.Configuration, "--", outDir);

        Assert.True(run.ExitCode == 0, run.Describe());
        var files = Repo.RelativeFiles(outDir);

        // BGP instead of L2: the peering resources, no L2 announcement policy, the router's config.
        var networks = File.ReadAllText(Path.Combine(outDir, App + "networks.yaml"));
        Assert.Contains("kind: CiliumBGPClusterConfig", networks, StringComparison.Ordinal);
        Assert.Contains("kind: CiliumBGPPeerConfig", networks, StringComparison.Ordinal);
        Assert.Contains("cidr: 172.20.10.0/24", networks, StringComparison.Ordinal);
        Assert.DoesNotContain("CiliumL2AnnouncementPolicy", networks, StringComparison.Ordinal);
        Assert.Contains("unifi/bgp.sops.yaml", files);

        // Hubble with UI and metrics, audit mode.
        var release = File.ReadAllText(Path.Combine(outDir, App + "helmrelease.yaml"));
        Assert.Contains("policyAuditMode: true", release, StringComparison.Ordinal);
        Assert.Contains("hubble:", release, StringComparison.Ordinal);
        Assert.Contains("httpV2:exemplars=true", release, StringComparison.Ordinal);

        // A policy per component, under its namespace.
        Assert.Contains(files, f => f.StartsWith("kubernetes/apps/monitoring/", StringComparison.Ordinal) && f.EndsWith("/prometheus.yaml", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith("/allow-dns.yaml", StringComparison.Ordinal));
        Assert.True(files.Count(f => f.Contains("network-policies", StringComparison.Ordinal) || f.Contains("policies", StringComparison.Ordinal)) >= 10,
            "expected a policy file per component:\n" + string.Join('\n', files));

        // The secret is only in files meant for SOPS.
        foreach (var file in files)
        {
            var hasPassword = File.ReadAllText(Path.Combine(outDir, file)).Contains(Password, StringComparison.Ordinal);
            Assert.True(!hasPassword || file.EndsWith(".sops.yaml", StringComparison.Ordinal), $"{file} contains the BGP password");
        }

        Assert.DoesNotContain(Password, run.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, run.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scripts_cluster_cs_runs_as_a_file_based_app_with_the_project_directive()
    {
        var outDir = TempDir("script");
        var run = await DotNet.Run(Repo.Path("samples", "scripts"), TimeSpan.FromMinutes(6),
            "run", "-c", Repo.Configuration, "--file", "cluster.cs", "--", outDir);

        Assert.True(run.ExitCode == 0, run.Describe());
        var networks = File.ReadAllText(Path.Combine(outDir, App + "networks.yaml"));
        Assert.Contains("kind: CiliumL2AnnouncementPolicy", networks, StringComparison.Ordinal);
        Assert.Contains("start: 10.10.0.200", networks, StringComparison.Ordinal);
        var release = File.ReadAllText(Path.Combine(outDir, App + "helmrelease.yaml"));
        Assert.Contains("mode: snat", release, StringComparison.Ordinal);
    }

    private static string TempDir(string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), "cilium-sdk-sample-tests", name + "-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
