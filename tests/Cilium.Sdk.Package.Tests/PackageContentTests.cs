using System.IO.Compression;
using System.Xml.Linq;
using Cilium.Sdk.Package.Tests.Infrastructure;

namespace Cilium.Sdk.Package.Tests;

/// <summary>What is inside the packed CrdKit, Cilium.Sdk and Cilium.Sdk.Cli packages.</summary>
public sealed class PackageContentTests(PackagedSdk packages)
{
    [Fact]
    public async Task CrdKit_package_has_both_targets_docs_the_generator_with_YamlDotNet_and_the_build_files()
    {
        await packages.EnsurePacked();
        var entries = Entries(packages.PackagePath("CrdKit"));

        foreach (var expected in new[]
        {
            "lib/net8.0/CrdKit.dll", "lib/net8.0/CrdKit.xml",
            "lib/net10.0/CrdKit.dll", "lib/net10.0/CrdKit.xml",
            "analyzers/dotnet/cs/CrdKit.Generators.dll", "analyzers/dotnet/cs/YamlDotNet.dll",
            "buildTransitive/CrdKit.props", "buildTransitive/CrdKit.targets",
            "build/CrdKit.props", "build/CrdKit.targets",
            "README.md",
        })
        {
            Assert.Contains(expected, entries);
        }

        // The generator is a build-time component: only under analyzers/, never a lib or a package dependency.
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal) && e.Contains("Generators", StringComparison.Ordinal));
        Assert.Equal(2, entries.Count(e => e.StartsWith("analyzers/", StringComparison.Ordinal)));

        var groups = DependencyGroups(packages.PackagePath("CrdKit"));
        Assert.Equal(["net10.0", "net8.0"], groups.Keys.Order(StringComparer.Ordinal));
        foreach (var dependencies in groups.Values)
        {
            Assert.Equal(["KubernetesClient", "YamlDotNet"], dependencies.Select(d => d.Id));
        }
    }

    [Fact]
    public async Task Library_package_has_both_targets_and_takes_the_generator_from_CrdKit_so_a_consumer_runs_one()
    {
        await packages.EnsurePacked();
        var entries = Entries(packages.PackagePath("Cilium.Sdk"));
        foreach (var expected in new[] { "lib/net8.0/Cilium.Sdk.dll", "lib/net8.0/Cilium.Sdk.xml", "lib/net10.0/Cilium.Sdk.dll", "lib/net10.0/Cilium.Sdk.xml", "README.md" })
        {
            Assert.Contains(expected, entries);
        }

        // No generator, build file or CrdKit assembly of its own: all of that comes from the CrdKit dependency, whose
        // analyzers and build files must flow (no exclude), or the consumer's own CRDs would not generate.
        Assert.DoesNotContain(entries, e => e.StartsWith("analyzers/", StringComparison.Ordinal) || e.StartsWith("build", StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => e.EndsWith("CrdKit.dll", StringComparison.Ordinal));
        foreach (var dependencies in DependencyGroups(packages.PackagePath("Cilium.Sdk")).Values)
        {
            var crdKit = dependencies.Single(d => d.Id == "CrdKit");
            Assert.Equal(packages.Version, crdKit.Version);
            Assert.True(crdKit.Exclude is null || !(crdKit.Exclude.Contains("Analyzers", StringComparison.OrdinalIgnoreCase) || crdKit.Exclude.Contains("Build", StringComparison.OrdinalIgnoreCase)),
                $"the CrdKit dependency excludes '{crdKit.Exclude}': consumers would get no generator");
        }
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

        var groups = DependencyGroups(packages.PackagePath("Cilium.Sdk"));
        Assert.Equal(["net10.0", "net8.0"], groups.Keys.Order(StringComparer.Ordinal));
        foreach (var dependencies in groups.Values)
        {
            Assert.Equal(["CrdKit", "DiffPlex", "KubernetesClient", "YamlDotNet"], dependencies.Select(d => d.Id));
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

    private sealed record Dependency(string Id, string Version, string? Exclude);

    /// <summary>The nuspec's dependencies per target framework, sorted by id.</summary>
    private static Dictionary<string, Dependency[]> DependencyGroups(string nupkg)
    {
        var nuspec = Nuspec(nupkg);
        var ns = nuspec.Root!.Name.Namespace;
        return nuspec.Root.Element(ns + "metadata")!.Element(ns + "dependencies")!.Elements(ns + "group").ToDictionary(
            g => g.Attribute("targetFramework")!.Value,
            g => g.Elements(ns + "dependency")
                .Select(d => new Dependency(d.Attribute("id")!.Value, d.Attribute("version")!.Value, d.Attribute("exclude")?.Value))
                .OrderBy(d => d.Id, StringComparer.Ordinal)
                .ToArray());
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
