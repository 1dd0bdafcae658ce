namespace Cilium.Sdk.Tests.Infrastructure;

/// <summary>
/// The one place tests find the repository, the shared upstream data CI places beside it (`../shared`), and their
/// approval snapshots. [CallerFilePath] is `/_/` in deterministic builds, so everything is found by walking up from
/// the test binaries to Cilium.Sdk.sln.
/// </summary>
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

    /// <summary>A path under `../shared`; fails (never skips) with the reason when the data is absent (CI provides it).</summary>
    public static string Shared(params string[] parts)
    {
        var shared = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"));
        var path = Path.GetFullPath(Path.Combine([shared, .. parts]));
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            Assert.Fail($"Test data {path} is missing: this test needs ../shared beside the repository (CI provides it).");
        }

        return path;
    }

    /// <summary>The names of the Jinja template's rendered cases in `../shared/corpus/template/cases`.</summary>
    public static TheoryData<string> TemplateCases() =>
        new(Directory.GetDirectories(Shared("corpus", "template", "cases")).Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    /// <summary>
    /// Approval testing: compares <paramref name="actual"/> with the checked-in `{name}.verified.{extension}` in
    /// <paramref name="folder"/> (relative to tests/Cilium.Sdk.Tests) and writes `.received` beside it on mismatch
    /// (accept a change by renaming received to verified).
    /// </summary>
    public static void MatchSnapshot(string folder, string name, string extension, string actual)
    {
        var dir = Path.Combine(RepositoryRoot, "tests", "Cilium.Sdk.Tests", folder);
        var verified = Path.Combine(dir, $"{name}.verified.{extension}");
        var received = Path.Combine(dir, $"{name}.received.{extension}");
        var expected = File.Exists(verified) ? File.ReadAllText(verified) : null;
        if (expected == actual)
        {
            if (File.Exists(received))
            {
                File.Delete(received);
            }

            return;
        }

        Directory.CreateDirectory(dir);
        File.WriteAllText(received, actual);
        Assert.Fail(expected is null
            ? $"No snapshot {verified} yet; review {received} and rename it to accept."
            : $"Snapshot {verified} differs; review {received} (diff them) and rename it to accept.");
    }
}
