using System;

namespace Cilium.Sdk.Cli;

/// <summary>
/// The library names its options by their C# names (<c>WriteOptions.Force</c>); the tool's user types flags. Every
/// message the tool prints passes through here, so a fix names <c>--force</c>, never a type.
/// </summary>
internal static class CliWords
{
    private static readonly (string Library, string Cli)[] Words =
    [
        ("write with WriteOptions.Force and WriteOptions.Adopt", "render with --adopt --force"),
        ("write with WriteOptions.Adopt", "render with --adopt"),
        ("write with WriteOptions.Force", "render with --force"),
        ("write with WriteOptions.RewriteSecrets", "render with --rewrite-secrets"),
        ("WriteOptions.Adopt", "--adopt"),
        ("WriteOptions.Force", "--force"),
        ("WriteOptions.RewriteSecrets", "--rewrite-secrets"),
        ("given in WriteOptions.SecretValues", "of this configuration"),
        ("WriteOptions.SecretValues", "the configuration's secrets"),
    ];

    public static string Translate(string text)
    {
        foreach (var (library, cli) in Words)
        {
            text = text.Replace(library, cli, StringComparison.Ordinal);
        }

        return text;
    }
}
