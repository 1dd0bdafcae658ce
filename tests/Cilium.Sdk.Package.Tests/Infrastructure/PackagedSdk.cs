using System.Diagnostics;
using System.Globalization;

[assembly: AssemblyFixture(typeof(Cilium.Sdk.Package.Tests.Infrastructure.PackagedSdk))]

namespace Cilium.Sdk.Package.Tests.Infrastructure;

/// <summary>
/// Packs CrdKit, Cilium.Sdk and Cilium.Sdk.Cli once per test run into a temporary folder feed, with a version no earlier run
/// used (<c>0.0.0-test.&lt;time&gt;</c>), so the machine's NuGet cache can never serve a stale copy. The binaries are
/// the ones this test project was built against (project references), packed without rebuilding. Everything
/// else lives outside the repository and is removed afterwards, including the extracted copies in the global packages
/// folder.
/// </summary>
public sealed class PackagedSdk : IAsyncLifetime
{
    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(8);
    private readonly Lazy<Task> packed;

    public PackagedSdk()
    {
        Version = "0.0.0-test." + DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) +
            "." + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        WorkRoot = Path.Combine(Path.GetTempPath(), "cilium-sdk-package-tests", Version);
        Feed = Path.Combine(WorkRoot, "feed");
        packed = new Lazy<Task>(Pack);
    }

    /// <summary>The version every package of this run carries.</summary>
    public string Version { get; }

    /// <summary>A temporary folder outside the repository for this run.</summary>
    public string WorkRoot { get; }

    /// <summary>The local folder feed holding the .nupkg and .snupkg files.</summary>
    public string Feed { get; }

    /// <summary>How long packing took.</summary>
    public TimeSpan PackTime { get; private set; }

    /// <summary>The path of a package in the feed, e.g. <c>Cilium.Sdk</c>, <c>.nupkg</c>.</summary>
    public string PackagePath(string id, string extension = ".nupkg") => Path.Combine(Feed, $"{id}.{Version}{extension}");

    /// <summary>Packs on first use (a run filtered to other tests does not pay for it); every later caller gets the
    /// same packages, or the same packing failure, so each test says why it cannot run.</summary>
    public Task EnsurePacked() => packed.Value;

    /// <summary>The machine's global packages folder, where restore extracts packages (<c>NUGET_PACKAGES</c>, else
    /// <c>~/.nuget/packages</c>; this repository's NuGet settings do not move it). It holds what this repository's own
    /// restore brought: the third-party packages the SDK depends on, and the SDK's native-AOT packs this project
    /// downloads for the consumers (see its <c>PackageDownload</c> items).</summary>
    public static string GlobalPackages { get; } = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
        ? configured
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>A fresh folder under <see cref="WorkRoot"/> with an empty Directory.Build.props/.targets,
    /// Directory.Packages.props and a NuGet.config with only two sources: the feed of this run and the global packages
    /// folder as an offline source (<c>&lt;clear /&gt;</c> drops the machine's own sources). So CrdKit and Cilium.Sdk can
    /// only come from the feed, never from a cache or a registry that holds another build, and a dependency the packages
    /// do not bring along fails the restore instead of being fetched. A consumer's folder that inherits nothing from the
    /// repository.</summary>
    public string NewConsumerFolder(string name)
    {
        var dir = Path.Combine(WorkRoot, name);
        Assert.False(Path.GetFullPath(dir).StartsWith(Repo.Root, StringComparison.Ordinal), $"{dir} must be outside the repository");
        Directory.CreateDirectory(dir);
        DotNet.WriteFile(Path.Combine(dir, "Directory.Build.props"), "<Project />\n");
        DotNet.WriteFile(Path.Combine(dir, "Directory.Build.targets"), "<Project />\n");
        DotNet.WriteFile(Path.Combine(dir, "Directory.Packages.props"), "<Project />\n");
        DotNet.WriteFile(Path.Combine(dir, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="cilium-sdk-test-feed" value="{Feed}" />
                <add key="offline-global-packages" value="{GlobalPackages}" />
              </packageSources>
            </configuration>

            """);
        return dir;
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    private async Task Pack()
    {
        Directory.CreateDirectory(Feed);
        var stopwatch = Stopwatch.StartNew();
        foreach (var project in new[] { "src/CrdKit/CrdKit.csproj", "src/Cilium.Sdk/Cilium.Sdk.csproj", "src/Cilium.Sdk.Cli/Cilium.Sdk.Cli.csproj" })
        {
            // --no-build: package the binaries this test run was built against (this project references both), so the
            // test checks what CI built and does not compile them a second time. Nuspecs go to the temp folder.
            var pack = await DotNet.Run(Repo.Root, PackTimeout,
                "pack", Repo.Path(project), "-c", Repo.Configuration, "--no-build", "-o", Feed, "-p:Version=" + Version,
                "-p:NuspecOutputPath=" + Path.Combine(WorkRoot, "nuspec") + Path.DirectorySeparatorChar, "-nodeReuse:false");
            if (pack.ExitCode != 0)
            {
                throw new InvalidOperationException("Packing failed, so the package could not be tested: " + pack.Describe());
            }
        }

        PackTime = stopwatch.Elapsed;
    }

    public ValueTask DisposeAsync()
    {
        var globalPackages = GlobalPackages;
        foreach (var dir in new[]
        {
            WorkRoot,
            Path.Combine(globalPackages, "crdkit", Version),
            Path.Combine(globalPackages, "cilium.sdk", Version),
            Path.Combine(globalPackages, "cilium.sdk.cli", Version),
        })
        {
            try
            {
                if (Directory.Exists(dir))
                {
                    Directory.Delete(dir, recursive: true);
                }
            }
            catch (IOException)
            {
                // Best effort: a leftover temp folder is harmless; the next run uses a new version.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        // The id folders too, once no other version is left in them.
        foreach (var id in new[] { "crdkit", "cilium.sdk", "cilium.sdk.cli" })
        {
            var dir = Path.Combine(globalPackages, id);
            try
            {
                if (Directory.Exists(dir) && !Directory.EnumerateFileSystemEntries(dir).Any())
                {
                    Directory.Delete(dir);
                }
            }
            catch (IOException)
            {
                // Another run extracted a version meanwhile: leave the folder to it.
            }
        }

        return ValueTask.CompletedTask;
    }
}
