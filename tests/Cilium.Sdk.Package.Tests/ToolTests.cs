using Cilium.Sdk.Migration;
using Cilium.Sdk.Package.Tests.Infrastructure;

namespace Cilium.Sdk.Package.Tests;

/// <summary>The <c>cilium-sdk</c> tool installed from the feed, run on a template case as a user would.</summary>
public sealed class ToolTests(PackagedSdk packages)
{
    [Fact]
    public async Task Installed_tool_renders_a_template_case_validates_it_and_finds_no_drift()
    {
        await packages.EnsurePacked();
        var config = Repo.Shared("corpus", "template", "cases", "a-defaults", "cluster.yaml");
        var dir = packages.NewConsumerFolder("tool");
        var toolPath = Path.Combine(dir, "tools");
        var outDir = Path.Combine(dir, "repo");

        var install = await DotNet.Run(dir, TimeSpan.FromMinutes(4),
            "tool", "install", "--tool-path", toolPath, "--add-source", packages.Feed, "Cilium.Sdk.Cli", "--version", packages.Version);
        Assert.True(install.ExitCode == 0, install.Describe());
        var tool = Path.Combine(toolPath, OperatingSystem.IsWindows() ? "cilium-sdk.exe" : "cilium-sdk");
        Assert.True(File.Exists(tool), $"{tool} was not installed; {install.Describe()}");

        var validate = await DotNet.RunProcess(tool, dir, TimeSpan.FromMinutes(2), "validate", "--config", config);
        Assert.True(validate.ExitCode == 0, validate.Describe());
        Assert.Contains("0 error(s)", validate.StdOut, StringComparison.Ordinal);

        var render = await DotNet.RunProcess(tool, dir, TimeSpan.FromMinutes(2), "render", "--config", config, "--out", outDir);
        Assert.True(render.ExitCode == 0, render.Describe());

        // The installed tool writes what the library renders for the same template case.
        var expected = TemplateImporter.ImportFiles(config, Path.Combine(Path.GetDirectoryName(config)!, "nodes.yaml")).Cluster!.Build().Render().Tree;
        Assert.Equal(expected.Files.Select(f => f.Path).Order(StringComparer.Ordinal), Repo.RelativeFiles(outDir));
        foreach (var file in expected.Files)
        {
            Assert.Equal(file.Content, File.ReadAllText(Path.Combine(outDir, file.Path)));
        }

        var check = await DotNet.RunProcess(tool, dir, TimeSpan.FromMinutes(2), "check", "--config", config, "--out", outDir);
        Assert.True(check.ExitCode == 0, check.Describe());
        Assert.Contains("no drift", check.StdOut, StringComparison.Ordinal);

        // An edited generated file is drift: exit 1, as documented.
        File.AppendAllText(Path.Combine(outDir, expected.Files[0].Path), "# edited\n");
        var drift = await DotNet.RunProcess(tool, dir, TimeSpan.FromMinutes(2), "check", "--config", config, "--out", outDir);
        Assert.True(drift.ExitCode == 1, drift.Describe());

        var usage = await DotNet.RunProcess(tool, dir, TimeSpan.FromMinutes(2), "render", "--config", Path.Combine(dir, "missing.yaml"), "--out", outDir);
        Assert.True(usage.ExitCode == 2, usage.Describe());
    }
}
