using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using Cilium.Sdk.Serialization;

namespace Cilium.Sdk.Tests.Policies;

/// <summary>Finds the repository and ../shared ([CallerFilePath] is /_/ in deterministic builds), and compares snapshots.</summary>
internal static class PolicyTestData
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string SnapshotFolder => Path.Combine(RepositoryRoot, "tests", "Cilium.Sdk.Tests", "Policies", "Snapshots");

    /// <summary>A path under ../shared; fails (never skips) when it is missing, because CI provides it.</summary>
    public static string RequireShared(string relative)
    {
        var path = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", relative));
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            Assert.Fail($"Test data {path} is missing: ../shared (the read-only corpus CI places beside the repository) is required.");
        }

        return path;
    }

    /// <summary>Compares with Snapshots/{name}.verified.{ext}; writes .received beside it on mismatch.</summary>
    public static void MatchSnapshot(string name, string actual, string extension = "yaml")
    {
        var verified = Path.Combine(SnapshotFolder, $"{name}.verified.{extension}");
        var received = Path.Combine(SnapshotFolder, $"{name}.received.{extension}");
        var expected = File.Exists(verified) ? File.ReadAllText(verified) : null;
        if (expected == actual)
        {
            if (File.Exists(received))
            {
                File.Delete(received);
            }

            return;
        }

        Directory.CreateDirectory(SnapshotFolder);
        File.WriteAllText(received, actual);
        Assert.Fail(expected is null
            ? $"No snapshot {verified} yet; review {received} and rename it to accept."
            : $"Snapshot {verified} differs; review {received} (diff them) and rename it to accept.");
    }

    /// <summary>Every CiliumNetworkPolicy / CiliumClusterwideNetworkPolicy document of the YAML files under a folder.</summary>
    public static IReadOnlyList<(string File, JsonObject Doc)> ReadPolicies(string folder) =>
        Directory.GetFiles(folder, "*.yaml", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .SelectMany(f => Manifests.ParseYaml(File.ReadAllText(f)).OfType<JsonObject>().Select(d => (f, d)))
            .Where(x => x.d["kind"]?.GetValue<string>() is "CiliumNetworkPolicy" or "CiliumClusterwideNetworkPolicy")
            .ToList();

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
