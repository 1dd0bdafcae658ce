using System.Diagnostics;
using Cilium.Sdk.Package.Tests.Infrastructure;

namespace Cilium.Sdk.Package.Tests;

/// <summary>
/// Issue 17, defect 5: a small generation app is published with native AOT from the package and run. It is named
/// <c>cil-cnp</c> and gives its own CRD no namespace, so its generated types go into the RootNamespace made valid
/// (<c>cil_cnp</c>, defect 4) through a real build. The publish must be free of trimming and AOT warnings, and the
/// native program must write byte for byte what the library renders in this process.
/// </summary>
public sealed class NativeAotTests(PackagedSdk packages)
{
    private const string Program = """
        using Cilium.Sdk.Serialization;
        using CrdKit.Serialization;
        using cil_cnp;
        using cil_cnp.V1;

        var outDir = Path.GetFullPath(args[0]);
        var result = AotCluster.Builder().Build().Render().WriteTo(outDir);
        Console.WriteLine($"cluster: {result.Created.Count} created");

        // Read one of the written manifests back by its apiVersion and kind.
        var pool = Manifests.ReadAny(File.ReadAllText(Path.Combine(outDir, "kubernetes/apps/kube-system/cilium/app/networks.yaml")).Split("---\n", StringSplitOptions.RemoveEmptyEntries)[0]);
        Console.WriteLine("read back: " + pool.GetType().Name);

        // The app's own CRD, generated at build time, written and read without reflection.
        var widget = new Widget { Metadata = new() { Name = "blue", Labels = new Dictionary<string, string> { ["team"] = "a" } }, Spec = new() { Size = 3 } };
        var yaml = CrdYaml.Write(widget, cil_cnpJsonContext.Default.Options);
        File.WriteAllText(Path.Combine(outDir, "widget.yaml"), yaml);
        var back = CrdYaml.Read<Widget>(yaml, cil_cnpJsonContext.Default.Options);
        Console.WriteLine($"widget round-trip: {back.Metadata.Labels["team"] == "a" && back.Spec!.Size == 3}, {back.Validate().Count} problem(s)");
        """;

    [Fact]
    public async Task A_native_AOT_generation_app_publishes_without_warnings_and_writes_what_the_library_renders()
    {
        await packages.EnsurePacked();
        var dir = ConsumerProject.Create(packages, "cil-cnp", "cil-cnp", "Cilium.Sdk", ["<KubernetesCrd Include=\"crds/widget.yaml\" />"], ["<PublishAot>true</PublishAot>"]);
        DotNet.WriteFile(Path.Combine(dir, "crds", "widget.yaml"), ConsumerProjectTests.WidgetCrd);
        DotNet.WriteFile(Path.Combine(dir, "Program.cs"), Program);
        DotNet.WriteFile(Path.Combine(dir, "AotCluster.cs"), File.ReadAllText(Repo.Path("tests", "Cilium.Sdk.Package.Tests", "NativeAot", "AotCluster.cs")));
        var publishDir = Path.Combine(dir, "publish");

        var publish = await DotNet.Run(dir, TimeSpan.FromMinutes(10), "publish", "-c", "Release", "-o", publishDir);

        Assert.True(publish.ExitCode == 0, publish.Describe());
        var warnings = (publish.StdOut + publish.StdErr).Split('\n').Where(l => l.Contains(": warning ", StringComparison.Ordinal)).Distinct().ToList();
        Assert.True(warnings.Count == 0, "the AOT publish warned:\n" + string.Join("\n", warnings));
        var native = Path.Combine(publishDir, OperatingSystem.IsWindows() ? "cil-cnp.exe" : "cil-cnp");
        Assert.True(File.Exists(native), $"no native executable at {native}");
        Assert.False(File.Exists(Path.Combine(publishDir, "cil-cnp.dll")), "the publish produced IL, not a native executable");

        var outDir = Path.Combine(dir, "out");
        var run = await DotNet.RunProcess(native, dir, TimeSpan.FromMinutes(2), outDir);

        Assert.True(run.ExitCode == 0, run.Describe());
        var lines = run.StdOutLines;
        var expected = AotCluster.Builder().Build().Render().Tree;
        Assert.Contains($"cluster: {expected.Files.Count} created", lines);
        Assert.Contains("read back: CiliumLoadBalancerIPPool", lines);
        Assert.Contains("widget round-trip: True, 0 problem(s)", lines);
        ConsumerProject.AssertHolds(outDir, expected, "widget.yaml");

        Assert.StartsWith("apiVersion: example.test/v1\nkind: Widget\nmetadata:\n  labels:\n    team: a\n  name: blue\n", File.ReadAllText(Path.Combine(outDir, "widget.yaml")), StringComparison.Ordinal);
    }
}
