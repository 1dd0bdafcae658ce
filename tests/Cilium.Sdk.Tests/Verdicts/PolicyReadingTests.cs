using Cilium.Sdk.Policies;
using Cilium.Sdk.Verdicts;
using CrdKit.Serialization;

namespace Cilium.Sdk.Tests.Verdicts;

/// <summary>Policy YAML is read once, through <c>Manifests.ReadAll</c>: an error names the original file, line, column,
/// document index and field, however deep in a multi-document file it is.</summary>
public sealed class PolicyReadingTests
{
    // Document 0: a Deployment (another kind, skipped); 1: a good policy; 2: empty (counted, as kubectl counts it);
    // 3: a ConfigMap; 4: the policy with the mistake, on line 39 (fromEndpoints must be a list).
    private const string Stream = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: shop
        spec:
          replicas: not-a-number-but-not-a-policy
        ---
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata:
          name: web
          namespace: shop
        spec:
          endpointSelector:
            matchLabels:
              app: web
          ingress:
            - fromEndpoints:
                - matchLabels:
                    app: api
        ---
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: settings
        ---
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata:
          name: api
          namespace: shop
        spec:
          endpointSelector:
            matchLabels:
              app: api
          ingress:
            - fromEndpoints: web
        """;

    [Fact]
    public void A_wrong_typed_field_deep_in_a_multi_document_file_is_reported_at_its_original_file_line_column_and_document()
    {
        var e = Assert.Throws<ManifestException>(() => PolicyVerdicts.FromYaml(Stream, "kubernetes/apps/shop/policies.yaml"));

        Assert.Equal("kubernetes/apps/shop/policies.yaml", e.File);
        Assert.Equal(4, e.DocumentIndex);
        Assert.Equal("spec.ingress[0].fromEndpoints", e.FieldPath);
        Assert.Equal(39, e.Line);
        Assert.Equal(7, e.Column); // the key of the field: "    - fromEndpoints: web"
        Assert.StartsWith("kubernetes/apps/shop/policies.yaml:39:", e.Message, StringComparison.Ordinal);
        Assert.Contains("document 4 (CiliumNetworkPolicy shop/api): spec.ingress[0].fromEndpoints: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_text_without_a_file_names_the_line_and_document()
    {
        var e = Assert.Throws<ManifestException>(() => PolicyVerdicts.FromYaml(Stream));

        Assert.Null(e.File);
        Assert.Equal(39, e.Line);
        Assert.StartsWith("<text>:39:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_syntax_error_after_good_documents_names_its_line_in_the_file()
    {
        var good = Stream[..Stream.IndexOf("---\n---", StringComparison.Ordinal)];
        var text = good + "---\napiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: broken\n  labels: {a: [1, 2}\n";

        var e = Assert.Throws<ManifestException>(() => PolicyVerdicts.FromYaml(text, "p.yaml"));

        Assert.Equal("p.yaml", e.File);
        Assert.Equal(27, e.Line);
        Assert.Equal(2, e.DocumentIndex);
        Assert.StartsWith("p.yaml:27:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Other_kinds_are_skipped_and_the_good_policies_decide()
    {
        var text = Stream[..Stream.IndexOf("---\napiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: api", StringComparison.Ordinal)];

        var verdicts = PolicyVerdicts.FromYaml(text, "p.yaml");

        Assert.Equal(1, verdicts.SpecCount);
        var web = Endpoint.Pod("shop", new Dictionary<string, string> { ["app"] = "web" });
        var api = Endpoint.Pod("shop", new Dictionary<string, string> { ["app"] = "api" });
        Assert.Equal(Decision.Allowed, verdicts.Allows(api, web, Port.Tcp(80)).Decision);
        Assert.Equal(Decision.Denied, verdicts.Allows(web, web, Port.Tcp(80)).Decision);
    }

    [Fact]
    public void Files_are_read_with_their_paths_in_errors()
    {
        var dir = Directory.CreateTempSubdirectory("policy-reading-");
        try
        {
            var path = Path.Combine(dir.FullName, "policies.yaml");
            File.WriteAllText(path, Stream);

            var e = Assert.Throws<ManifestException>(() => PolicyVerdicts.FromFiles([path]));

            Assert.Equal(path, e.File);
            Assert.StartsWith(path + ":39:", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
