using Cilium.Sdk.Migration;
using Cilium.Sdk.Output;
using Cilium.Sdk.Package.Tests.Infrastructure;

namespace Cilium.Sdk.Package.Tests;

/// <summary>The samples build and run as a user runs them, and write what they say.</summary>
public sealed class SampleTests : IDisposable
{
    private readonly List<string> tempDirs = [];

    private const string App = "kubernetes/apps/kube-system/cilium/app/";

    [Fact]
    public async Task HomeLab_writes_bgp_hubble_and_audit_policies_with_the_password_only_in_sops_files()
    {
        var outDir = TempDir("homelab");
        // The template's BGP case uses this password; with it the router configs must be identical.
        const string Password = "s3cret-md5";
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

        // Equivalent to the template: the same router config as its BGP case, the same policies as its policies case.
        var bgpCase = Template("c-bgp-full");
        // (The importer names the cluster after the template's repository, home-ops, as the sample does.)
        Assert.Equal(bgpCase["unifi/bgp.sops.yaml"]!.Content, File.ReadAllText(Path.Combine(outDir, "unifi/bgp.sops.yaml")));
        var policyCase = Template("e-policies-audit");
        Assert.Equal(PolicyFiles(policyCase.Files.Select(f => f.Path)), PolicyFiles(files));
        foreach (var path in PolicyFiles(files).Where(p => !p.EndsWith("ks.yaml", StringComparison.Ordinal)))
        {
            Assert.Equal(policyCase[path]!.Content, File.ReadAllText(Path.Combine(outDir, path)));
        }
    }

    private static OutputTree Template(string name)
    {
        var folder = Repo.Shared("corpus", "template", "cases", name);
        var import = TemplateImporter.ImportFiles(Path.Combine(folder, "cluster.yaml"), Path.Combine(folder, "nodes.yaml"));
        return import.Cluster!.Build().Render().Tree;
    }

    private static string[] PolicyFiles(IEnumerable<string> paths) =>
        [.. paths.Where(p => p.Contains("/network-policies/", StringComparison.Ordinal) || p.Contains("/cluster-policies/", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Quickstart_writes_the_readme_default_cluster_with_l2_and_the_talos_patch()
    {
        var outDir = TempDir("quickstart");
        var run = await DotNet.Run(Repo.Root, TimeSpan.FromMinutes(6),
            "run", "--project", Repo.Path("samples", "Quickstart", "Quickstart.csproj"), "-c", Repo.Configuration, "--", outDir);

        Assert.True(run.ExitCode == 0, run.Describe());
        var files = Repo.RelativeFiles(outDir);
        Assert.Contains("kubernetes/flux/cluster/ks.yaml", files);
        Assert.Contains("talos/patches/global/cilium.yaml", files);
        var networks = File.ReadAllText(Path.Combine(outDir, App + "networks.yaml"));
        Assert.Contains("kind: CiliumL2AnnouncementPolicy", networks, StringComparison.Ordinal);
        Assert.Contains("start: 192.168.1.200\n      stop: 192.168.1.239\n", networks, StringComparison.Ordinal);
        // It lists what it wrote: every file, then the summary.
        foreach (var file in files)
        {
            Assert.Contains("  " + file, run.StdOut, StringComparison.Ordinal);
        }
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

    public void Dispose()
    {
        foreach (var dir in tempDirs.Where(Directory.Exists))
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private string TempDir(string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), "cilium-sdk-sample-tests", name + "-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        tempDirs.Add(dir);
        return dir;
    }
}
