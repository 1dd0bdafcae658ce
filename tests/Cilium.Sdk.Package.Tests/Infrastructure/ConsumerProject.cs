using Cilium.Sdk.Output;

namespace Cilium.Sdk.Package.Tests.Infrastructure;

/// <summary>
/// What the consumer-project tests share: a project of a user's own outside the repository that references one of
/// this run's packages, and the check that it wrote exactly what the repository's library renders.
/// </summary>
internal static class ConsumerProject
{
    /// <summary>A fresh consumer folder (<see cref="PackagedSdk.NewConsumerFolder"/>) holding <c>{project}.csproj</c>:
    /// an executable for net10.0 with nullable, implicit usings and warnings as errors, referencing
    /// <paramref name="package"/> at this run's version. <paramref name="properties"/> go into its PropertyGroup and
    /// <paramref name="items"/> into an ItemGroup of their own (one XML element or comment each).</summary>
    /// <returns>The folder.</returns>
    public static string Create(PackagedSdk packages, string folder, string project, string package, IReadOnlyList<string> items, IReadOnlyList<string>? properties = null)
    {
        var dir = packages.NewConsumerFolder(folder);
        var more = string.Concat((properties ?? []).Select(p => "\n    " + p));
        DotNet.WriteFile(Path.Combine(dir, project + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>{more}
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="{package}" Version="{packages.Version}" />
              </ItemGroup>
              <ItemGroup>{string.Concat(items.Select(i => "\n    " + i))}
              </ItemGroup>
            </Project>

            """);
        return dir;
    }

    /// <summary>Asserts that <paramref name="outDir"/> holds the files of <paramref name="expected"/> byte for byte, and
    /// besides them only <paramref name="alsoWritten"/>.</summary>
    public static void AssertHolds(string outDir, OutputTree expected, params string[] alsoWritten)
    {
        Assert.Equal(expected.Files.Select(f => f.Path).Concat(alsoWritten).Order(StringComparer.Ordinal), Repo.RelativeFiles(outDir));
        foreach (var file in expected.Files)
        {
            Assert.Equal(file.Content, File.ReadAllText(Path.Combine(outDir, file.Path)));
        }
    }
}
