using Cilium.Sdk.Cluster;
using Cilium.Sdk.LoadBalancing;
using Cilium.Sdk.Package.Tests.Infrastructure;

namespace Cilium.Sdk.Package.Tests;

/// <summary>
/// A fresh project outside the repository references Cilium.Sdk by PackageReference, composes a cluster and writes
/// it, and feeds its own (non-Cilium) CRD to the shipped generator and uses the generated type.
/// </summary>
public sealed class ConsumerProjectTests(PackagedSdk packages)
{
    internal const string WidgetCrd = """
        # A CRD written for this test: nothing to do with Cilium.
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: widgets.example.test
        spec:
          group: example.test
          names: {kind: Widget, listKind: WidgetList, plural: widgets, singular: widget}
          scope: Namespaced
          versions:
            - name: v1
              served: true
              storage: true
              schema:
                openAPIV3Schema:
                  type: object
                  properties:
                    apiVersion: {type: string}
                    kind: {type: string}
                    metadata: {type: object}
                    spec:
                      type: object
                      required: [size]
                      properties:
                        size: {type: integer, format: int32, minimum: 1, maximum: 10, description: How many.}
                        owner: {type: string, maxLength: 20}

        """;

    private const string Program = """
        using Cilium.Sdk.Cluster;
        using Cilium.Sdk.LoadBalancing;
        using Cilium.Sdk.Serialization;
        using CrdKit.Serialization;
        using Consumer.Crds.V1;

        var outDir = Path.GetFullPath(args[0]);

        // 1. The SDK: compose, validate and write a cluster.
        var cluster = ConsumerCluster.Builder().Build();
        var result = cluster.Render().WriteTo(outDir);
        Console.WriteLine($"cluster: {result.Created.Count} created");

        // 2. The shipped generator on this project's own CRD.
        var widget = new Widget
        {
            Metadata = new() { Name = "blue", NamespaceProperty = "apps" },
            Spec = new() { Size = 3, Owner = "team-a" },
        };
        Console.WriteLine($"widget: {Widget.KubeGroup}/{Widget.KubeApiVersion} {Widget.KubeKind}, {widget.Validate().Count} problem(s)");
        var yaml = Manifests.Write(widget);
        File.WriteAllText(Path.Combine(outDir, "widget.yaml"), yaml);
        var back = Manifests.Read<Widget>(yaml);
        Console.WriteLine($"round-trip: {back.Metadata.Name == "blue" && back.Spec!.Size == 3 && back.Spec.Owner == "team-a"}");

        var bad = widget with { Spec = new() { Size = 42, Owner = "a-very-long-owner-name-indeed" } };
        foreach (var error in bad.Validate())
        {
            Console.WriteLine("invalid: " + error.Path);
        }

        // 3. Only opted-in files become types: config/gadget.yaml is an AdditionalFiles item without the opt-in.
        Console.WriteLine("gadget type: " + (typeof(Widget).Assembly.GetType("Consumer.Crds.V1.Gadget") is null ? "absent" : "present"));

        // 4. A file of mixed kinds, this project's own kind registered beside the SDK's: typed, validated, at its lines.
        var kinds = ManifestKinds.Default.With<Widget>(Consumer.Crds.CrdsJsonContext.Default.Options);
        var mixed = yaml + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\napiVersion: example.test/v1\nkind: Widget\nmetadata: {name: big}\nspec:\n  size: 42\n";
        var read = Manifests.ReadAll(mixed, "mixed.yaml", kinds);
        Console.WriteLine("read: " + string.Join(", ", read.Select(d => d.Resource?.GetType().Name ?? "untyped")));
        foreach (var finding in read.Validate(CiliumVersion.V1_20))
        {
            Console.WriteLine($"finding: {finding.File}:{finding.Line} {finding.Error.Path}");
        }
        """;

    /// <summary>The cluster the consumer writes; the test renders the same one in-process to compare.</summary>
    internal const string ClusterSource = """
        using Cilium.Sdk.Cluster;
        using Cilium.Sdk.LoadBalancing;

        internal static class ConsumerCluster
        {
            public static CiliumClusterBuilder Builder() => CiliumCluster.Create("consumer")
                .WithNodeCidr("192.168.50.0/24")
                .WithApiAddress("192.168.50.20")
                .WithNodes(ClusterNode.Controller("cp-0", "192.168.50.10"), ClusterNode.Worker("w-0", "192.168.50.11"))
                .WithLoadBalancerPool(LbPool.Create("pool").WithRange("192.168.50.200", "192.168.50.219"))
                .WithL2Announcements();
        }
        """;

    [Fact]
    public async Task Package_reference_composes_a_cluster_and_generates_types_from_the_consumers_own_crd()
    {
        await packages.EnsurePacked();
        var dir = ConsumerProject.Create(packages, "consumer", "Consumer", "Cilium.Sdk",
            ["<KubernetesCrd Include=\"crds/widget.yaml\" Namespace=\"Consumer.Crds\" />", "<AdditionalFiles Include=\"config/gadget.yaml\" />"]);
        DotNet.WriteFile(Path.Combine(dir, "crds", "widget.yaml"), WidgetCrd);
        DotNet.WriteFile(Path.Combine(dir, "config", "gadget.yaml"), WidgetCrd.Replace("Widget", "Gadget").Replace("widget", "gadget"));
        DotNet.WriteFile(Path.Combine(dir, "Program.cs"), Program);
        DotNet.WriteFile(Path.Combine(dir, "ConsumerCluster.cs"), ClusterSource);
        var outDir = Path.Combine(dir, "out");

        var run = await DotNet.Run(dir, TimeSpan.FromMinutes(6), "run", "-c", "Release", "--", outDir);

        Assert.True(run.ExitCode == 0, run.Describe());
        var lines = run.StdOutLines;
        Assert.Contains("widget: example.test/v1 Widget, 0 problem(s)", lines);
        Assert.Contains("round-trip: True", lines);
        Assert.Contains("invalid: spec.size", lines);
        Assert.Contains("invalid: spec.owner", lines);
        Assert.Contains("gadget type: absent", lines);
        Assert.Contains("read: Widget, untyped, Widget", lines);

        var widgetYaml = File.ReadAllText(Path.Combine(outDir, "widget.yaml"));
        Assert.StartsWith("apiVersion: example.test/v1\nkind: Widget\nmetadata:\n", widgetYaml, StringComparison.Ordinal);
        Assert.Contains("  size: 3\n", widgetYaml, StringComparison.Ordinal);
        Assert.Contains($"finding: mixed.yaml:{widgetYaml.Count(c => c == '\n') + 10} spec.size", lines);

        // The packaged library writes exactly what the repository's library renders for the same cluster.
        var expected = CiliumCluster.Create("consumer")
            .WithNodeCidr("192.168.50.0/24")
            .WithApiAddress("192.168.50.20")
            .WithNodes(ClusterNode.Controller("cp-0", "192.168.50.10"), ClusterNode.Worker("w-0", "192.168.50.11"))
            .WithLoadBalancerPool(LbPool.Create("pool").WithRange("192.168.50.200", "192.168.50.219"))
            .WithL2Announcements()
            .Build().Render().Tree;
        Assert.Contains($"cluster: {expected.Files.Count} created", lines);
        ConsumerProject.AssertHolds(outDir, expected, "widget.yaml");
    }
}
