using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
namespace Cilium.Sdk.Tests.Validation;

/// <summary>Finds ../shared beside the repository ([CallerFilePath] is /_/ in CI builds, so walk up to the .sln).</summary>
internal static class SharedCorpus
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cilium.Sdk.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Cilium.Sdk.sln not found above " + AppContext.BaseDirectory);
    });

    /// <summary>A path under ../shared; fails (never skips) when the data CI guarantees is absent.</summary>
    public static string Require(string relative)
    {
        var path = Path.GetFullPath(Path.Combine(Root.Value, "..", "shared", relative));
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            Assert.Fail($"Test data {path} is required: ../shared is missing beside the repository (CI provides it).");
        }

        return path;
    }
}
