using System.Diagnostics;
using Cilium.Sdk.Migration;

namespace Cilium.Sdk.Tests.Migration;

/// <summary>Hostile cluster.yaml / nodes.yaml: bounded time, no type instantiated, one clear error naming the file and the fix.</summary>
public sealed class HostileTemplateYamlTests(ITestOutputHelper output)
{
    public static TheoryData<string> Names => new(HostileTemplateYaml.Cases.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public void Hostile_template_yaml_is_rejected_quickly_with_an_error_naming_the_file(string name)
    {
        var hostile = HostileTemplateYaml.Cases.Single(c => c.Name == name);
        var clock = Stopwatch.StartNew();

        var import = TemplateImporter.Import(hostile.ClusterYaml, hostile.NodesYaml);

        clock.Stop();
        output.WriteLine($"{name}: rejected in {clock.ElapsedMilliseconds} ms with {import.Problems.Count(p => p.IsError)} error(s): {import.Problems.FirstOrDefault(p => p.IsError)?.ToString()[..Math.Min(160, import.Problems.First(p => p.IsError).ToString().Length)]}");
        Assert.Null(import.Cluster);
        var errors = import.Problems.Where(p => p.IsError).ToList();
        Assert.NotEmpty(errors);
        Assert.Contains(errors, e => e.Path.StartsWith(hostile.File, StringComparison.Ordinal) || e.Message.Contains(hostile.File, StringComparison.Ordinal));
        Assert.All(import.Problems, p =>
        {
            Assert.False(string.IsNullOrWhiteSpace(p.Path), p.ToString());
            Assert.False(string.IsNullOrWhiteSpace(p.Fix), p.ToString());

            // A 16 MiB scalar or a bomb's expansion must not be echoed back into a log.
            var text = p.ToString();
            Assert.True(text.Length < 4096, $"{text.Length} characters: {text[..Math.Min(200, text.Length)]}...");
        });
        // 1-3 s alone (the reader stops bombs at 1,000,000 nodes); generous for a loaded CI machine, far below an unbounded expansion.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"{name} took {clock.Elapsed}");
    }

    [Fact]
    public void Tags_never_instantiate_a_type()
    {
        var marker = Path.Combine(Path.GetTempPath(), "pwned");
        var existed = File.Exists(marker);

        foreach (var hostile in HostileTemplateYaml.Cases.Where(c => c.Name.Contains("tag", StringComparison.Ordinal)))
        {
            var import = TemplateImporter.Import(hostile.ClusterYaml, hostile.NodesYaml);
            Assert.Contains(import.Problems, p => p.IsError && p.Message.Contains("tag", StringComparison.OrdinalIgnoreCase));
        }

        Assert.Equal(existed, File.Exists(marker));
    }

    [Fact]
    public void Reading_hostile_files_from_disk_names_the_file()
    {
        var dir = Directory.CreateTempSubdirectory("cilium-sdk-hostile-");
        try
        {
            var hostile = HostileTemplateYaml.Cases.First(c => c.File == "nodes.yaml");
            var cluster = Path.Combine(dir.FullName, "cluster.yaml");
            var nodes = Path.Combine(dir.FullName, "my-nodes.yaml");
            File.WriteAllText(cluster, hostile.ClusterYaml);
            File.WriteAllText(nodes, hostile.NodesYaml);

            var import = TemplateImporter.ImportFiles(cluster, nodes);

            Assert.Null(import.Cluster);
            Assert.Contains(import.Problems, p => p.IsError && (p.Path.StartsWith("my-nodes.yaml", StringComparison.Ordinal) || p.Message.Contains("my-nodes.yaml", StringComparison.Ordinal)));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_wrong_typed_value_is_shown_cut_to_200_characters_and_a_long_string_is_refused_at_its_key()
    {
        var list = "[" + string.Join(", ", Enumerable.Range(0, 5_000)) + "]";
        var import = TemplateImporter.Import(HostileTemplateYaml.ValidCluster + $"hubble_enabled: {list}\n", HostileTemplateYaml.ValidNodes);

        var wrongType = Assert.Single(import.Problems, p => p.Path == "hubble_enabled" && p.IsError);
        Assert.StartsWith("[0,1,2,", wrongType.Value, StringComparison.Ordinal);
        Assert.EndsWith("characters)", wrongType.Value, StringComparison.Ordinal);
        Assert.InRange(wrongType.Value!.Length, 200, 240);

        var longString = TemplateImporter.Import(HostileTemplateYaml.ValidCluster.Replace("192.168.1.20\"", "192.168.1.20" + new string(' ', 5_000) + "\"", StringComparison.Ordinal), HostileTemplateYaml.ValidNodes);
        var tooLong = Assert.Single(longString.Problems, p => p.Path == "cluster_api_addr" && p.IsError);
        Assert.Null(tooLong.Value);
        Assert.Contains("5012 characters long", tooLong.Message, StringComparison.Ordinal);
        Assert.Contains("cluster.yaml line 2", tooLong.Message, StringComparison.Ordinal);
    }
}
