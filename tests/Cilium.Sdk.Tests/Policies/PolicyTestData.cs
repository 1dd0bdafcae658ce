using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using Cilium.Sdk.Serialization;
using CrdKit.Serialization;

namespace Cilium.Sdk.Tests.Policies;

/// <summary>Finds the repository and ../shared ([CallerFilePath] is /_/ in deterministic builds), and compares snapshots.</summary>
internal static class PolicyTestData
{
    public static string RepositoryRoot => Infrastructure.TestData.RepositoryRoot;

    public static string SnapshotFolder => Path.Combine(RepositoryRoot, "tests", "Cilium.Sdk.Tests", "Policies", "Snapshots");

    /// <summary>A path under ../shared; fails (never skips) when it is missing, because CI provides it.</summary>
    public static string RequireShared(string relative) => Infrastructure.TestData.Shared(relative);

    /// <summary>Compares with Snapshots/{name}.verified.{ext}; writes .received beside it on mismatch.</summary>
    public static void MatchSnapshot(string name, string actual, string extension = "yaml") =>
        Infrastructure.TestData.MatchSnapshot(Path.Combine("Policies", "Snapshots"), name, extension, actual);

    /// <summary>Every CiliumNetworkPolicy / CiliumClusterwideNetworkPolicy document of the YAML files under a folder.</summary>
    public static IReadOnlyList<(string File, JsonObject Doc)> ReadPolicies(string folder) =>
        Directory.GetFiles(folder, "*.yaml", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .SelectMany(f => Manifests.ParseYaml(File.ReadAllText(f)).OfType<JsonObject>().Select(d => (f, d)))
            .Where(x => x.d["kind"]?.GetValue<string>() is "CiliumNetworkPolicy" or "CiliumClusterwideNetworkPolicy")
            .ToList();
}
