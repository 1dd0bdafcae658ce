using System.Text;
using Cilium.Sdk.Bgp;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Migration;
using Cilium.Sdk.Secrets;
using Cilium.Sdk.Tests.Cluster;
using Cilium.Sdk.Tests.Infrastructure;
using Cilium.Sdk.Validation;
using CrdKit.Validation;

namespace Cilium.Sdk.Tests.Secrets;

/// <summary>
/// A known BGP password is fed through every template case and sample cluster, valid and broken on purpose; it must
/// appear in no non-secret output file, warning, error, exception message or ToString().
/// </summary>
public sealed class SecretLeakTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>FRR-safe (so valid cases render) and unique enough that a match can only be a leak.</summary>
    public const string Canary = "Kn0wnCanary7731xQzP";

    private readonly DirectoryInfo temp = Directory.CreateTempSubdirectory("cilium-sdk-secrets-");
    private readonly List<string> leaks = [];
    private int scanned;

    public void Dispose() => temp.Delete(recursive: true);

    /// <summary>The case's cluster.yaml with the canary as cilium_bgp_password (any existing password line replaced).</summary>
    public static string WithCanary(string clusterYaml, string password = Canary) =>
        string.Join('\n', clusterYaml.Split('\n').Where(l => !l.StartsWith("cilium_bgp_password:", StringComparison.Ordinal)))
            .TrimEnd('\n') + $"\ncilium_bgp_password: \"{password}\"\n";

    [Fact]
    public void Every_template_case_with_a_known_password_leaks_it_nowhere()
    {
        var cases = Directory.GetDirectories(TestData.Shared("corpus", "template", "cases")).Order(StringComparer.Ordinal).ToList();
        int rendered = 0, ignored = 0;
        foreach (var dir in cases)
        {
            var name = Path.GetFileName(dir);
            var cluster = Path.Combine(temp.FullName, name, "cluster.yaml");
            var nodes = Path.Combine(temp.FullName, name, "nodes.yaml");
            Directory.CreateDirectory(Path.GetDirectoryName(cluster)!);
            File.WriteAllText(cluster, WithCanary(File.ReadAllText(Path.Combine(dir, "cluster.yaml"))));
            File.Copy(Path.Combine(dir, "nodes.yaml"), nodes);

            var import = TemplateImporter.ImportFiles(cluster, nodes);
            Scan($"{name}: problems", import.Problems.Select(p => p.ToString()));
            Scan($"{name}: settings", import.Settings?.ToString());
            Assert.True(import.Cluster is not null, string.Join("\n", import.Problems));
            if (import.Settings!.BgpEnabled)
            {
                Assert.NotNull(import.Cluster.Spec.Bgp?.Password);
                RenderAndScan(name, import.Cluster);
                rendered++;
            }
            else
            {
                // Without BGP the password has no peer to protect: a warning that must not show it, and nothing renders it.
                Assert.Contains(import.Problems, p => p.Path == "cilium_bgp_password");
                Assert.Null(import.Cluster.Spec.Bgp);
                RenderAndScan(name, import.Cluster, expectSecretFile: false);
                ignored++;
            }
        }

        output.WriteLine($"template cases: {rendered} rendered with the canary password, {ignored} without BGP warned and rendered without it; {scanned} texts scanned, {leaks.Count} leaks");
        Assert.Equal(cases.Count, rendered + ignored);
        Assert.True(rendered >= 1, "no BGP case rendered: the scan proved nothing");
        Assert.Empty(leaks);
    }

    [Fact]
    public void Sample_clusters_with_bgp_and_a_password_leak_it_nowhere_even_when_broken()
    {
        var bgp = new BgpOptions(System.Net.IPAddress.Parse("192.168.1.1"), 64513, 64514) { Password = new SecretValue(Canary) };
        var samples = new Dictionary<string, CiliumClusterBuilder>(StringComparer.Ordinal)
        {
            ["homelab + BGP"] = SampleClusters.HomeLab().WithoutL2Announcements().WithBgp(bgp),
            ["everything + BGP"] = SampleClusters.Everything().WithoutL2Announcements().WithBgp(bgp),
        };
        foreach (var (name, builder) in samples)
        {
            Assert.DoesNotContain(builder.Validate(), p => p.IsError);
            RenderAndScan(name, builder);
        }

        // Broken on purpose: a password FRR cannot carry, and a cluster error beside it; the exception must not show it.
        var broken = new Dictionary<string, CiliumClusterBuilder>(StringComparer.Ordinal)
        {
            ["password with a space"] = SampleClusters.HomeLab().WithoutL2Announcements().WithBgp(bgp with { Password = new SecretValue(Canary + " x") }),
            ["reserved ASN + password"] = SampleClusters.HomeLab().WithoutL2Announcements().WithBgp(bgp with { NodeAsn = 23456 }).WithPodCidr("10.42.0.0/33"),
        };
        foreach (var (name, builder) in broken)
        {
            var problems = builder.Validate();
            Assert.Contains(problems, p => p.IsError);
            Scan($"{name}: problems", problems.Select(p => p.ToString() + "|" + p.Value));
            var thrown = Assert.Throws<ClusterValidationException>(() => builder.Build());
            Scan($"{name}: exception", [thrown.Message, thrown.ToString(), .. thrown.Errors.Select(e => e.ToString())]);
            Scan($"{name}: spec", builder.Spec.ToString(), builder.Spec.Bgp?.ToString());
        }

        var import = TemplateImporter.Import(BrokenBgpClusterYaml(), Migration.TemplateImportTests.Nodes);
        Scan("template: password on a cluster without BGP", import.Problems.Select(p => p.ToString()));
        Scan("BgpOptions", bgp.ToString(), new SecretValue(Canary).ToString());

        output.WriteLine($"samples: {samples.Count} rendered, {broken.Count + 1} broken on purpose; {scanned} texts scanned, {leaks.Count} leaks");
        Assert.Empty(leaks);
    }

    private static string BrokenBgpClusterYaml() => WithCanary(Migration.TemplateImportTests.Base) + "cilium_bgp_router_addr: [not, an, address]\n";

    private void RenderAndScan(string name, CiliumClusterBuilder builder, bool expectSecretFile = true)
    {
        Scan($"{name}: builder spec", builder.Spec.ToString(), builder.Spec.Bgp?.ToString());
        var cluster = builder.Build();
        Scan($"{name}: cluster", cluster.ToString(), cluster.Spec.ToString());
        Scan($"{name}: warnings", cluster.Warnings.Select(w => w.ToString() + "|" + w.Value));
        var rendered = cluster.Render();
        Scan($"{name}: render warnings", rendered.Warnings.Select(w => w.ToString() + "|" + w.Value));
        Assert.Equal(expectSecretFile, rendered.Tree.Files.Any(f => f.IsSecret && f.Content.Contains(Canary, StringComparison.Ordinal)));
        foreach (var file in rendered.Tree.Files.Where(f => !f.IsSecret))
        {
            Scan($"{name}: {file.Path}", file.Content, file.ToString());
        }

        Scan($"{name}: helm values", rendered.HelmValues.ToJsonString());

        // On disk: everything but the files the tree marks secret, and the reports of writing and checking.
        var dir = Path.Combine(temp.FullName, "out-" + name.Replace(' ', '_').Replace('+', '_'));
        var written = rendered.WriteTo(dir);
        Scan($"{name}: write result", written.ToString());
        var secretPaths = rendered.Tree.Files.Where(f => f.IsSecret).Select(f => Path.GetFullPath(Path.Combine(dir, f.Path))).ToHashSet(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Where(p => !secretPaths.Contains(Path.GetFullPath(p))))
        {
            Scan($"{name}: disk {Path.GetRelativePath(dir, path)}", File.ReadAllText(path));
        }

        if (!expectSecretFile)
        {
            return;
        }

        // Drift on a secret file: the report and the diff must not print either side of it.
        var secretFile = secretPaths.First(p => File.ReadAllText(p).Contains(Canary, StringComparison.Ordinal));
        File.WriteAllText(secretFile, File.ReadAllText(secretFile).Replace(Canary, Canary + "-edited", StringComparison.Ordinal));
        var drift = rendered.CheckAgainst(dir);
        Assert.True(drift.HasDrift);
        Scan($"{name}: drift", drift.ToString(), drift.ToUnifiedDiff());
    }

    private void Scan(string where, params string?[] texts) => Scan(where, (IEnumerable<string?>)texts);

    private void Scan(string where, IEnumerable<string?> texts)
    {
        var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(Canary));
        foreach (var text in texts.Where(t => t is not null))
        {
            scanned++;
            if (text!.Contains(Canary, StringComparison.Ordinal) || text.Contains(base64, StringComparison.Ordinal))
            {
                leaks.Add(where);
            }
        }
    }
}
