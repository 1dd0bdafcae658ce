using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
namespace Cilium.Sdk.Tests.Bgp.Support;

/// <summary>Finds the repository and ../shared ([CallerFilePath] is /_/ in deterministic builds, so walk up from the binaries).</summary>
public static class BgpTestPaths
{
    public static string Root { get; } = FindRoot();

    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    /// <summary>A path under ../shared; fails (never skips) when the data CI guarantees is absent.</summary>
    public static string RequireShared(string relative)
    {
        var path = Path.Combine(Shared, relative);
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            Assert.Fail($"Test data {path} is required: ../shared is missing beside the repository (CI provides it).");
        }

        return path;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cilium.Sdk.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Cilium.Sdk.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>
/// Approval testing: compares text with a checked-in <c>.verified</c> file next to the tests and writes a
/// <c>.received</c> file beside it on mismatch (accept a change by renaming received to verified).
/// </summary>
public static class BgpSnapshot
{
    // folder: relative to tests/Cilium.Sdk.Tests, e.g. "Bgp/Snapshots".
    public static void Match(string folder, string name, string extension, string actual)
    {
        var dir = Path.Combine(BgpTestPaths.Root, "tests", "Cilium.Sdk.Tests", folder);
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
