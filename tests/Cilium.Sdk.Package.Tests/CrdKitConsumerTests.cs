using Cilium.Sdk.Package.Tests.Infrastructure;

namespace Cilium.Sdk.Package.Tests;

/// <summary>
/// A fresh project outside the repository references only the CrdKit package (no Cilium.Sdk), opts in cert-manager's
/// real CRDs from <c>../shared/corpus/world-crds</c> (read in place), builds with nullable and warnings as errors, and
/// reads, validates and writes back cert-manager's own example resources with the generated types.
/// </summary>
public sealed class CrdKitConsumerTests(PackagedSdk packages)
{
    private const string Program = """
        using System.Text.Json;
        using System.Text.Json.Nodes;
        using CrdKit.Serialization;
        using Consumer.CertManager;
        using Consumer.CertManager.V1;

        var options = CertManagerJsonContext.Default.Options;
        foreach (var document in CrdYaml.Parse(File.ReadAllText(args[0])))
        {
            var single = CrdYaml.ToYaml(document);
            object value = (string?)document["kind"] switch
            {
                "Certificate" => CrdYaml.Read<Certificate>(single, options),
                "Issuer" => CrdYaml.Read<Issuer>(single, options),
                "ClusterIssuer" => CrdYaml.Read<ClusterIssuer>(single, options),
                var other => throw new InvalidOperationException("unexpected kind " + other),
            };
            var problems = value switch
            {
                Certificate c => c.Validate(),
                Issuer i => i.Validate(),
                ClusterIssuer c => c.Validate(),
                _ => throw new InvalidOperationException(),
            };
            var back = JsonNode.Parse(JsonSerializer.Serialize(value, options.GetTypeInfo(value.GetType())));
            Console.WriteLine($"{document["kind"]}/{document["metadata"]?["name"]}: {problems.Count} problem(s), round-trip {JsonNode.DeepEquals(back, document)}");
        }

        // A Certificate without its required secretName and issuerRef: Validate() says where and how to fix it.
        var bad = new Certificate { Metadata = new() { Name = "bad" }, Spec = new() { SecretName = null!, IssuerRef = null!, DnsNames = ["example.com"] } };
        foreach (var error in bad.Validate())
        {
            Console.WriteLine("invalid: " + error.Path);
        }

        var yaml = CrdYaml.Write(new Certificate { Metadata = new() { Name = "web" }, Spec = new() { SecretName = "web-tls", IssuerRef = new() { Name = "ca" } } }, options);
        File.WriteAllText(args[1], yaml);
        """;

    [Fact]
    public async Task A_project_referencing_only_CrdKit_generates_cert_manager_types_and_round_trips_its_examples()
    {
        await packages.EnsurePacked();
        var crds = Repo.Shared("corpus", "world-crds", "cert-manager");
        var example = Repo.Shared("corpus", "world-crds", "cert-manager", "examples", "cert-manager-resources.yaml");
        var dir = ConsumerProject.Create(packages, "crdkit-consumer", "Consumer", "CrdKit",
            ["<!-- The upstream files, read where they are. -->", $"<KubernetesCrd Include=\"{crds}/*.yaml\" Namespace=\"Consumer.CertManager\" />"]);
        DotNet.WriteFile(Path.Combine(dir, "Program.cs"), Program);
        var written = Path.Combine(dir, "web.yaml");

        var run = await DotNet.Run(dir, TimeSpan.FromMinutes(6), "run", "-c", "Release", "--", example, written);

        Assert.True(run.ExitCode == 0, run.Describe());
        var lines = run.StdOutLines;
        Assert.Contains("Issuer/selfsigned-issuer: 0 problem(s), round-trip True", lines);
        Assert.Contains("Certificate/test1: 0 problem(s), round-trip True", lines);
        Assert.Contains("Certificate/test2: 0 problem(s), round-trip True", lines);
        Assert.Contains("invalid: spec.secretName", lines);
        Assert.Contains("invalid: spec.issuerRef", lines);
        Assert.StartsWith("apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: web\nspec:\n", File.ReadAllText(written), StringComparison.Ordinal);

        // Only CrdKit and its own dependencies were restored: nothing of the Cilium SDK.
        var assets = File.ReadAllText(Path.Combine(dir, "obj", "project.assets.json"));
        Assert.Contains("\"CrdKit/" + packages.Version + "\"", assets, StringComparison.Ordinal);
        Assert.DoesNotContain("Cilium.Sdk", assets, StringComparison.Ordinal);
        Assert.DoesNotContain("DiffPlex", assets, StringComparison.Ordinal);
    }
}
