using System.Text;
using System.Text.Json.Nodes;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Migration;
using Cilium.Sdk.Policies;
using Cilium.Sdk.Rendering;
using Cilium.Sdk.Serialization;
using Cilium.Sdk.Tests.Cluster;
using Cilium.Sdk.Tests.Infrastructure;
using CrdKit.Serialization;

namespace Cilium.Sdk.Tests.Serialization;

/// <summary>
/// The token-stream YAML writer (<see cref="YamlBlockWriter"/> fed by the serializer's UTF-8 JSON) against the previous
/// writer (<see cref="YamlDotNetOracle"/>: a <see cref="JsonNode"/> tree and YamlDotNet's emitter): the same bytes for
/// every record and every file the SDK renders, every preset, every upstream example. Random JSON is in
/// <see cref="YamlWriterFuzzTests"/>.
/// </summary>
public sealed class YamlWriterParityTests
{
    public static TheoryData<string> Cases => TestData.TemplateCases();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_record_and_file_of_a_template_case_is_written_as_the_YamlDotNet_writer_wrote_it(string @case)
    {
        var dir = TestData.Shared("corpus", "template", "cases", @case);
        var import = TemplateImporter.ImportFiles(Path.Combine(dir, "cluster.yaml"), Path.Combine(dir, "nodes.yaml"));
        var rendered = import.Cluster!.Build().Render();

        var records = RecordsOf(rendered.Resources);
        Assert.NotEmpty(records);
        foreach (var record in records)
        {
            AssertSameDocument(record);
        }

        AssertEveryDocumentRewritesTheSame(rendered);
    }

    [Fact]
    public void Sample_clusters_render_as_the_YamlDotNet_writer_wrote_them()
    {
        foreach (var builder in new[] { SampleClusters.HomeLab(), SampleClusters.Everything() })
        {
            var rendered = builder.Build().Render();
            foreach (var record in RecordsOf(rendered.Resources))
            {
                AssertSameDocument(record);
            }

            AssertEveryDocumentRewritesTheSame(rendered);
        }
    }

    [Fact]
    public void Every_preset_in_every_version_and_mode_is_written_as_the_YamlDotNet_writer_wrote_it()
    {
        var count = 0;
        foreach (var version in CiliumVersion.Supported)
        {
            foreach (var mode in new[] { PolicyMode.Audit, PolicyMode.Enforce })
            {
                foreach (var policy in Presets.All().Render(version, mode))
                {
                    AssertSameDocument(policy.Resource);
                    Assert.Equal(YamlDotNetOracle.WriteDocument(policy.Resource, null, Manifests.SerializerOptions), policy.ToYaml());
                    count++;
                }
            }
        }

        Assert.True(count > 40, $"only {count} preset documents");
    }

    [Fact]
    public void Every_upstream_example_round_trips_to_the_same_bytes_as_the_YamlDotNet_writer()
    {
        var examples = TestData.Shared("corpus", "cilium", "examples");
        var index = JsonNode.Parse(File.ReadAllText(Path.Combine(examples, "index.json")))!.AsArray();
        int documents = 0, records = 0;
        foreach (var entry in index.Select(e => e!.AsObject()))
        {
            if (entry["parse_error"] is not null)
            {
                continue;
            }

            var path = Path.Combine(examples, entry["topic"]!.GetValue<string>(), entry["file"]!.GetValue<string>());
            IReadOnlyList<JsonNode> parsed;
            try
            {
                parsed = Manifests.ParseYaml(File.ReadAllText(path));
            }
            catch (ManifestException)
            {
                // Templated examples the SDK refuses to read (index.json marks them); nothing to write.
                continue;
            }

            foreach (var document in parsed)
            {
                // The JSON tree as it was read, through both writers, and through the token path as UTF-8 JSON.
                var expected = YamlDotNetOracle.Write(document);
                Assert.Equal(expected, Manifests.ToYaml(document));
                Assert.Equal(expected, YamlJsonBridge.WriteJson(Encoding.UTF8.GetBytes(document.ToJsonString()), null, headerFirst: false));
                documents++;

                // Documents of a kind the SDK has types for: the record read from it, written by both.
                object record;
                try
                {
                    record = Manifests.ReadAny(expected);
                }
                catch (ManifestException)
                {
                    continue;
                }

                AssertSameDocument(record);
                records++;
            }
        }

        Assert.True(documents > 100, $"only {documents} example documents");
        Assert.True(records > 50, $"only {records} example documents read as records");
    }

    /// <summary>The renderer writes kustomization files straight to the YAML writer (no JSON node per entry): the same
    /// bytes as the JSON object through the YamlDotNet writer, for entries that need quoting too.</summary>
    [Theory]
    [InlineData(null, "./cilium/ks.yaml|./network-policies/ks.yaml")]
    [InlineData("kube-system", "./cilium/ks.yaml")]
    [InlineData("yes", "")]
    [InlineData(null, "yes|123|0x1F|./a: b|- x|#c|null|~|2001-12-14|'q'|\"d\"|multi\nline|trailing |é")]
    public void A_kustomization_file_is_written_as_its_JSON_object_was(string? @namespace, string entries)
    {
        var list = entries.Length == 0 ? [] : entries.Split('|').Select(e => e.Replace("\\n", "\n", StringComparison.Ordinal)).ToArray();
        var node = new JsonObject { ["apiVersion"] = "kustomize.config.k8s.io/v1beta1", ["kind"] = "Kustomization" };
        if (@namespace is not null)
        {
            node["namespace"] = @namespace;
        }

        node["resources"] = new JsonArray(list.Select(e => (JsonNode)JsonValue.Create(e)!).ToArray());

        Assert.Equal(YamlDotNetOracle.Write(node, "---\n"), ClusterRenderer.KustomizeFile(@namespace, list));
    }

    [Fact]
    public void A_KubernetesClient_model_gets_its_header_first_as_before()
    {
        // KubernetesClient's V1Secret writes apiVersion after data: the header is moved first in the written text.
        var secret = new k8s.Models.V1Secret
        {
            Metadata = new k8s.Models.V1ObjectMeta { Name = "bgp", NamespaceProperty = "kube-system" },
            StringData = new Dictionary<string, string> { ["password"] = "multi\nline\n", ["yes"] = "on" },
            Type = "Opaque",
            ApiVersion = "v1",
            Kind = "Secret",
        };
        var written = Manifests.Write(secret);
        Assert.StartsWith("apiVersion: v1\nkind: Secret\nmetadata:\n", written, StringComparison.Ordinal);
        Assert.Equal(YamlDotNetOracle.WriteDocument(secret, null, Manifests.SerializerOptions), written);
        Assert.Equal(YamlDotNetOracle.WriteDocument(secret, "---\n", Manifests.SerializerOptions), Manifests.WriteDocument(secret, "---\n"));
    }

    private static void AssertSameDocument(object record)
    {
        Assert.Equal(YamlDotNetOracle.WriteDocument(record, "---\n", Manifests.SerializerOptions), Manifests.WriteDocument(record, "---\n"));
    }

    // Every YAML document of every rendered file, read back as JSON, is written again to exactly its own text by the
    // YamlDotNet writer (and by the new one): the rendered text is what the previous writer would have written.
    private static void AssertEveryDocumentRewritesTheSame(RenderedCluster rendered)
    {
        var checkedDocuments = 0;
        foreach (var file in rendered.Tree.Files.Where(f => f.Path.EndsWith(".yaml", StringComparison.Ordinal)))
        {
            foreach (var text in Documents(file.Content))
            {
                var node = Manifests.ParseYaml(text).Single();
                Assert.Equal(text, YamlDotNetOracle.Write(node));
                Assert.Equal(text, Manifests.ToYaml(node));
                checkedDocuments++;
            }
        }

        Assert.True(checkedDocuments > 5, $"only {checkedDocuments} documents checked");
    }

    // A file's documents: split at "---" lines (a literal block's lines are indented, so never one), comment lines
    // before the first document dropped (the Talos patch and the router config start with comments).
    private static IEnumerable<string> Documents(string content)
    {
        var current = new StringBuilder();
        foreach (var line in content.Split('\n')[..^1])
        {
            if (line == "---")
            {
                if (current.Length > 0)
                {
                    yield return current.ToString();
                }

                current.Clear();
                continue;
            }

            if (current.Length == 0 && line.StartsWith('#'))
            {
                continue;
            }

            current.Append(line).Append('\n');
        }

        if (current.Length > 0)
        {
            yield return current.ToString();
        }
    }

    private static List<object> RecordsOf(ClusterResources resources)
    {
        var records = new List<object> { resources.Source, resources.Release, resources.FluxKustomization };
        records.AddRange(resources.Pools);
        if (resources.L2Policy is { } l2)
        {
            records.Add(l2);
        }

        if (resources.Bgp is { } bgp)
        {
            records.AddRange(bgp.NonSecretResources);
            if (bgp.PasswordSecret is { } secret)
            {
                records.Add(secret);
            }
        }

        records.AddRange(resources.Policies.Select(p => p.Resource));
        records.AddRange(resources.Extra);
        return records;
    }
}
