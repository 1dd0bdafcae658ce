using System;
using System.IO;

namespace Cilium.Sdk.Conformance.Tests;

/// <summary>Finds the repository and the shared upstream test data that CI places beside it.</summary>
internal static class SharedData
{
    private static readonly Lazy<string> RepositoryRootLazy = new(FindRepositoryRoot);

    /// <summary>The directory holding Cilium.Sdk.sln.</summary>
    public static string RepositoryRoot => RepositoryRootLazy.Value;

    /// <summary>Our own schema files.</summary>
    public static string SchemasDirectory => Path.Combine(RepositoryRoot, "src", "Cilium.Sdk", "Schemas");

    /// <summary>The upstream corpus; fails loudly when absent because CI guarantees it.</summary>
    public static string CorpusDirectory
    {
        get
        {
            string shared = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"));
            string corpus = Path.Combine(shared, "corpus");
            if (!Directory.Exists(Path.Combine(corpus, "cilium", "crds")) || !Directory.Exists(Path.Combine(corpus, "flux", "crds")))
            {
                throw new InvalidOperationException(
                    $"The upstream CRD data at {shared} is required (CI guarantees it); expected corpus/cilium/crds and corpus/flux/crds there.");
            }

            return corpus;
        }
    }

    private static string FindRepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cilium.Sdk.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Cilium.Sdk.sln above {AppContext.BaseDirectory}.");
    }
}
