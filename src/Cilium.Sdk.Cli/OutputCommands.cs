using System.CommandLine;
using System.IO;

namespace Cilium.Sdk.Cli;

/// <summary>render and check: they write or compare the GitOps tree (added with the output writer).</summary>
internal static class OutputCommands
{
    public static Command[] Create(TextWriter stdout, TextWriter stderr, Reporter reporter) => [];
}
