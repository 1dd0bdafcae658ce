namespace Cilium.Sdk.Tests.Infrastructure;

/// <summary>Finds the repository and the shared upstream test data CI places beside it (`../shared`).</summary>
internal static class TestData
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cilium.Sdk.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Cilium.Sdk.sln not found above " + AppContext.BaseDirectory);
    });

    /// <summary>The directory holding Cilium.Sdk.sln.</summary>
    public static string RepositoryRoot => Root.Value;

    /// <summary>A path under `../shared`; fails with the reason when the data is absent (CI guarantees it).</summary>
    public static string Shared(params string[] parts)
    {
        var shared = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"));
        var path = Path.Combine([shared, .. parts]);
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new InvalidOperationException($"Test data {path} is missing: this test needs ../shared beside the repository (CI provides it).");
        }

        return path;
    }
}
