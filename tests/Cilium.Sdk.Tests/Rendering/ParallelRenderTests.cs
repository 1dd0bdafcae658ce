using System.Collections.Concurrent;
using System.Text;
using Cilium.Sdk.Bgp;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Hubble;
using Cilium.Sdk.Migration;
using Cilium.Sdk.Secrets;
using Cilium.Sdk.Tests.Cluster;
using Cilium.Sdk.Tests.Infrastructure;

namespace Cilium.Sdk.Tests.Rendering;

/// <summary>Building and rendering many clusters at once gives the same bytes as one after another.</summary>
public sealed class ParallelRenderTests(ITestOutputHelper output)
{
    private const int Repeats = 4;

    /// <summary>16 variants: the template cases and the sample clusters, on both supported Cilium versions.</summary>
    private static List<(string Name, Func<CiliumClusterBuilder> Create)> Variants()
    {
        var variants = new List<(string, Func<CiliumClusterBuilder>)>();
        var bgp = new BgpOptions(System.Net.IPAddress.Parse("192.168.1.1"), 64513, 64514) { Password = new SecretValue("par4llel-secret") };
        foreach (var version in CiliumVersion.Supported)
        {
            foreach (var dir in Directory.GetDirectories(TestData.Shared("corpus", "template", "cases")).Order(StringComparer.Ordinal))
            {
                var cluster = Path.Combine(dir, "cluster.yaml");
                var nodes = Path.Combine(dir, "nodes.yaml");
                variants.Add(($"{Path.GetFileName(dir)} {version}", () => TemplateImporter.ImportFiles(cluster, nodes).Cluster!.WithCiliumVersion(version)));
            }

            variants.Add(($"homelab {version}", () => SampleClusters.HomeLab(version)));
            variants.Add(($"everything {version}", () => SampleClusters.Everything(version)));
            variants.Add(($"homelab + BGP {version}", () => SampleClusters.HomeLab(version).WithoutL2Announcements().WithBgp(bgp)));
        }

        return variants;
    }

    [Fact]
    public void Parallel_build_and_render_gives_the_sequential_bytes()
    {
        var variants = Variants();
        Assert.Equal(16, variants.Count);
        var sequential = variants.Select(v => Bytes(v.Create())).ToList();
        Assert.Equal(variants.Count, sequential.Distinct(StringComparer.Ordinal).Count());

        var parallel = new ConcurrentDictionary<int, string>();
        Parallel.For(0, variants.Count * Repeats, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(4, Environment.ProcessorCount * 2) }, i =>
            parallel[i] = Bytes(variants[i % variants.Count].Create()));

        var differing = Enumerable.Range(0, variants.Count * Repeats).Where(i => parallel[i] != sequential[i % variants.Count]).Select(i => variants[i % variants.Count].Name).Distinct().ToList();
        output.WriteLine($"parallel render: {variants.Count} variants x {Repeats} = {parallel.Count} renders, {differing.Count} differ from sequential; {sequential.Sum(s => s.Length) / 1024} KiB per sequential pass");
        Assert.Empty(differing);
    }

    /// <summary>Every file of the tree (secret ones too: same input, same bytes), path and content, in path order.</summary>
    private static string Bytes(CiliumClusterBuilder builder)
    {
        var rendered = builder.Build().Render();
        var text = new StringBuilder();
        foreach (var file in rendered.Tree.Files.OrderBy(f => f.Path, StringComparer.Ordinal))
        {
            text.Append("== ").Append(file.Path).Append(file.IsSecret ? " (secret)" : string.Empty).Append('\n').Append(file.Content);
        }

        text.Append("== helm values\n").Append(rendered.HelmValues.ToJsonString());
        text.Append("== warnings\n").AppendJoin('\n', rendered.Warnings);
        return text.ToString();
    }
}
