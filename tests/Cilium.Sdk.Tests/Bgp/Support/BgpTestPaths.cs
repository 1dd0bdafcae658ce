using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
namespace Cilium.Sdk.Tests.Bgp.Support;

/// <summary>The BGP tests' view of <see cref="Infrastructure.TestData"/>.</summary>
public static class BgpTestPaths
{
    public static string Root => Infrastructure.TestData.RepositoryRoot;

    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    /// <summary>A path under ../shared; fails (never skips) when the data CI guarantees is absent.</summary>
    public static string RequireShared(string relative) => Infrastructure.TestData.Shared(relative);
}

/// <summary>Approval snapshots for the BGP and FRR tests (see <see cref="Infrastructure.TestData.MatchSnapshot"/>).</summary>
public static class BgpSnapshot
{
    // folder: relative to tests/Cilium.Sdk.Tests, e.g. "Bgp/Snapshots".
    public static void Match(string folder, string name, string extension, string actual) =>
        Infrastructure.TestData.MatchSnapshot(folder, name, extension, actual);
}
