using Cilium.Sdk.Migration;

namespace Cilium.Sdk.Tests.Migration;

/// <summary>Hostile cluster.yaml / nodes.yaml: bounded work (the reader's node budget and nesting limit, not a clock), no
/// type instantiated, one clear error naming the file, the limit it hit and the fix.</summary>
public sealed class HostileTemplateYamlTests(ITestOutputHelper output)
{
    public static TheoryData<string> Names => new(HostileTemplateYaml.Cases.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public void Hostile_template_yaml_is_refused_with_one_error_naming_the_file_and_the_limit(string name)
    {
        var hostile = HostileTemplateYaml.Cases.Single(c => c.Name == name);

        var import = TemplateImporter.Import(hostile.ClusterYaml, hostile.NodesYaml);

        Assert.Null(import.Cluster);
        var error = Assert.Single(import.Problems, p => p.IsError); // one mistake, one error
        output.WriteLine($"{name}: {error.ToString()[..Math.Min(200, error.ToString().Length)]}");
        Assert.True(error.Path.StartsWith(hostile.File, StringComparison.Ordinal) || error.Message.Contains(hostile.File, StringComparison.Ordinal), error.ToString());
        Assert.Contains(hostile.Refusal, error.Message, StringComparison.Ordinal);
        Assert.All(import.Problems, p =>
        {
            Assert.False(string.IsNullOrWhiteSpace(p.Path), p.ToString());
            Assert.False(string.IsNullOrWhiteSpace(p.Fix), p.ToString());

            // A 16 MiB scalar or a bomb's expansion must not be echoed back into a log.
            var text = p.ToString();
            Assert.True(text.Length < 4096, $"{text.Length} characters: {text[..Math.Min(200, text.Length)]}...");
        });
    }

    /// <summary>The limits the hostile cases name are the reader's own: a bomb stops after the reader produced its
    /// budget of nodes (the work is bounded by it, see YamlReadingTests for the exact boundary), not after a time.</summary>
    [Fact]
    public void The_limits_named_are_the_readers_budget_and_depth()
    {
        string budget = $"more than {CrdKit.Serialization.YamlJsonBridge.MaxNodesPerDocument.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} nodes";
        string depth = $"nests deeper than {CrdKit.Serialization.YamlJsonBridge.MaxDepth.ToString(System.Globalization.CultureInfo.InvariantCulture)} levels";
        Assert.Equal(HostileTemplateYaml.NodeBudget, budget);
        Assert.Equal(HostileTemplateYaml.DepthLimit, depth);
        Assert.Equal(4, HostileTemplateYaml.Cases.Count(c => c.Refusal == HostileTemplateYaml.NodeBudget));
        Assert.Equal(4, HostileTemplateYaml.Cases.Count(c => c.Refusal == HostileTemplateYaml.DepthLimit));
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
