using System.IO.Compression;
using System.Xml.Linq;
using Cilium.Sdk.Package.Tests.Infrastructure;

namespace Cilium.Sdk.Package.Tests;

/// <summary>What is inside the packed Cilium.Sdk and Cilium.Sdk.Cli packages.</summary>
public sealed class PackageContentTests(PackagedSdk packages)
{
    [Fact]
    public async Task Library_package_has_both_targets_docs_the_generator_with_YamlDotNet_and_the_build_files()
    {
        await packages.EnsurePacked();
        var entries = Entries(packages.PackagePath("Cilium.Sdk"));

        foreach (var expected in new[]
        {
            "lib/net8.0/Cilium.Sdk.dll", "lib/net8.0/Cilium.Sdk.xml",
            "lib/net10.0/Cilium.Sdk.dll", "lib/net10.0/Cilium.Sdk.xml",
            "analyzers/dotnet/cs/Cilium.Sdk.Generators.dll", "analyzers/dotnet/cs/YamlDotNet.dll",
            "buildTransitive/Cilium.Sdk.props", "buildTransitive/Cilium.Sdk.targets",
            "build/Cilium.Sdk.props", "build/Cilium.Sdk.targets",
            "README.md",
        })
        {
            Assert.Contains(expected, entries);
        }

        // The generator is a build-time component: only under analyzers/, never a lib or a package dependency.
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal) && e.Contains("Generators", StringComparison.Ordinal));
        Assert.Equal(2, entries.Count(e => e.StartsWith("analyzers/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Library_nuspec_has_license_readme_repository_and_only_runtime_dependencies()
    {
        await packages.EnsurePacked();
        var nuspec = Nuspec(packages.PackagePath("Cilium.Sdk"));
        var ns = nuspec.Root!.Name.Namespace;
        var metadata = nuspec.Root.Element(ns + "metadata")!;

        Assert.Equal("Cilium.Sdk", metadata.Element(ns + "id")!.Value);
        Assert.Equal(packages.Version, metadata.Element(ns + "version")!.Value);
        var license = metadata.Element(ns + "license")!;
        Assert.Equal(("expression", "MIT"), (license.Attribute("type")!.Value, license.Value));
        Assert.Equal("README.md", metadata.Element(ns + "readme")!.Value);
        Assert.False(string.IsNullOrWhiteSpace(metadata.Element(ns + "description")!.Value));
        Assert.Equal("git", metadata.Element(ns + "repository")!.Attribute("type")!.Value);
        Assert.Matches("^[0-9a-f]{40}$", metadata.Element(ns + "repository")!.Attribute("commit")!.Value);

        var groups = metadata.Element(ns + "dependencies")!.Elements(ns + "group")
            .ToDictionary(g => g.Attribute("targetFramework")!.Value, g => g.Elements(ns + "dependency").Select(d => d.Attribute("id")!.Value).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(["net10.0", "net8.0"], groups.Keys.Order(StringComparer.Ordinal));
        foreach (var ids in groups.Values)
        {
            Assert.Equal(["DiffPlex", "KubernetesClient", "YamlDotNet"], ids);
        }
    }

    [Fact]
    public async Task Symbols_package_carries_the_pdbs_of_both_targets()
    {
        await packages.EnsurePacked();
        var entries = Entries(packages.PackagePath("Cilium.Sdk", ".snupkg"));
        Assert.Contains("lib/net8.0/Cilium.Sdk.pdb", entries);
        Assert.Contains("lib/net10.0/Cilium.Sdk.pdb", entries);
    }

    [Fact]
    public async Task Tool_package_is_a_dotnet_tool_with_the_cilium_sdk_command()
    {
        await packages.EnsurePacked();
        var path = packages.PackagePath("Cilium.Sdk.Cli");
        var entries = Entries(path);
        Assert.Contains("tools/net10.0/any/cilium-sdk.dll", entries);
        Assert.Contains("tools/net10.0/any/Cilium.Sdk.dll", entries);

        using var zip = ZipFile.OpenRead(path);
        using var settings = zip.GetEntry("tools/net10.0/any/DotnetToolSettings.xml")!.Open();
        var command = XDocument.Load(settings).Descendants("Command").Single();
        Assert.Equal("cilium-sdk", command.Attribute("Name")!.Value);
        Assert.Equal("cilium-sdk.dll", command.Attribute("EntryPoint")!.Value);

        var nuspec = Nuspec(path);
        var ns = nuspec.Root!.Name.Namespace;
        Assert.Equal("DotnetTool", nuspec.Descendants(ns + "packageType").Single().Attribute("name")!.Value);
        Assert.Equal("MIT", nuspec.Descendants(ns + "license").Single().Value);
    }

    private static IReadOnlyList<string> Entries(string nupkg)
    {
        Assert.True(File.Exists(nupkg), $"{nupkg} was not produced by dotnet pack");
        using var zip = ZipFile.OpenRead(nupkg);
        return [.. zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal)];
    }

    private static XDocument Nuspec(string nupkg)
    {
        using var zip = ZipFile.OpenRead(nupkg);
        var entry = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal) && !e.FullName.Contains('/'));
        using var stream = entry.Open();
        return XDocument.Load(stream);
    }
}
