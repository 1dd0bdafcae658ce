using System.Reflection;

namespace Cilium.Sdk.Package.Tests.Infrastructure;

/// <summary>Finds the repository, the shared test data beside it (`../shared`) and the build configuration.</summary>
internal static class Repo
{
    private static readonly Lazy<string> RootDir = new(() =>
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Cilium.Sdk.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Cilium.Sdk.sln not found above " + AppContext.BaseDirectory);
    });

    /// <summary>The directory holding Cilium.Sdk.sln.</summary>
    public static string Root => RootDir.Value;

    /// <summary>A path in the repository.</summary>
    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    /// <summary>The configuration this test assembly was built with (Release in CI).</summary>
    public static string Configuration { get; } =
        typeof(Repo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Configuration").Value ?? "Release";

    /// <summary>A path under `../shared`; fails with the reason when the data is absent (CI guarantees it).</summary>
    public static string Shared(params string[] parts)
    {
        var shared = System.IO.Path.GetFullPath(System.IO.Path.Combine(Root, "..", "shared"));
        var path = System.IO.Path.Combine([shared, .. parts]);
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new InvalidOperationException($"Test data {path} is missing: this test needs ../shared beside the repository (CI provides it).");
        }

        return path;
    }

    /// <summary>Every file under <paramref name="directory"/>, as sorted '/'-separated relative paths, skipping the
    /// writer's own state folder.</summary>
    public static IReadOnlyList<string> RelativeFiles(string directory) =>
        [.. Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Select(f => System.IO.Path.GetRelativePath(directory, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith(".cilium-sdk/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];
}
