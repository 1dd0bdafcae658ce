using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
namespace Cilium.Sdk.Tests.Validation;

/// <summary>The validation tests' view of <see cref="Infrastructure.TestData"/>.</summary>
internal static class SharedCorpus
{
    /// <summary>A path under ../shared; fails (never skips) when the data CI guarantees is absent.</summary>
    public static string Require(string relative) => Infrastructure.TestData.Shared(relative);
}
