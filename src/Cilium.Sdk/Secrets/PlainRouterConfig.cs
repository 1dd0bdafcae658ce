using System;
using System.Text.RegularExpressions;
using Cilium.Sdk.Rendering;

namespace Cilium.Sdk.Secrets;

/// <summary>
/// The cluster template writes the router's FRR config, BGP password included, in clear to <c>unifi/bgp.conf</c>, a file
/// sops cannot encrypt. When the SDK writes the config with the password into <c>unifi/bgp.sops.yaml</c> instead, the
/// template's file is replaced when adopting (it holds nothing the SDK's does not), and reported otherwise.
/// </summary>
internal static class PlainRouterConfig
{
    private static readonly Regex PasswordLine = new(@"^\s*neighbor\s+\S+\s+password\s+\S", RegexOptions.CultureInvariant | RegexOptions.Multiline);

    /// <summary>The check (see <see cref="RepositoryChecks"/>).</summary>
    public static void Check(RepositoryCheckContext context)
    {
        const string plain = ClusterRenderer.RouterConfigPath;
        const string secret = ClusterRenderer.SecretRouterConfigPath;
        if (context.Tree[secret] is null || context.Tree[plain] is not null || context.IsOwned(plain) || context.ReadText(plain) is not { } text)
        {
            return;
        }

        if (context.Adopt)
        {
            context.Replace(plain, secret);
            return;
        }

        if (PasswordLine.Match(text) is { Success: true } match)
        {
            int line = 1;
            foreach (char c in text.AsSpan(0, match.Index))
            {
                line += c == '\n' ? 1 : 0;
            }

            context.Warning(
                plain,
                line,
                $"holds the BGP password in clear ('neighbor ... password'), in a file sops cannot encrypt; Cilium.Sdk writes the router config with the password to {secret}",
                $"delete it (git rm {plain}; {secret} holds the same config, and 'cilium-sdk router-config' prints it for the router), or write with WriteOptions.Adopt, which replaces it");
        }
    }
}
