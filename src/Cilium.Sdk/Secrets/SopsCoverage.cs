using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Cilium.Sdk.Output;
using Cilium.Sdk.Rendering;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Cilium.Sdk.Secrets;

/// <summary>
/// Every secret file the SDK writes must be one sops can encrypt under the repository's <c>.sops.yaml</c>: some creation
/// rule must match its path (sops takes the first whose <c>path_regex</c> matches the path relative to the folder of
/// <c>.sops.yaml</c>; a rule without one matches everything; none means <c>no matching creation rules found</c>), and
/// that rule must encrypt the file's secret values (the SDK keeps them under <c>data</c> or <c>stringData</c>).
/// </summary>
/// <remarks>
/// With adoption, a file no rule matches gets a rule of its own, added as a merged entry at the end of
/// <c>creation_rules</c>: <c>path_regex</c> anchored to exactly that path (<c>^unifi/bgp\.sops\.yaml$</c>) and every other
/// setting (recipients, <c>encrypted_regex</c>, <c>mac_only_encrypted</c>, key groups) copied from the repository's rule
/// for the SDK's Kubernetes secret. Being last and matching only a path no earlier rule matched, it changes the rule of no
/// other path. Without adoption the error names the rule to add. A repository without <c>.sops.yaml</c> is left alone
/// (a warning when it is a git repository root).
/// </remarks>
internal static class SopsCoverage
{
    /// <summary>The list of <c>.sops.yaml</c> the SDK adds its rules to.</summary>
    public const string RulesList = "creation_rules";

    // Where the SDK's Kubernetes secret lives; its rule is the one whose settings an added rule copies.
    private const string KubernetesSecretProbe = "kubernetes/apps/kube-system/cilium/app/secret.sops.yaml";

    private static readonly string[] SecretKeys = ["data", "stringData"];

    /// <summary>The check (see <see cref="RepositoryChecks"/>).</summary>
    public static void Check(RepositoryCheckContext context)
    {
        var secrets = context.Tree.Files.Where(f => f.IsSecret && f.Kind == OutputFileKind.Owned).ToList();
        if (secrets.Count == 0)
        {
            return;
        }

        string? text = context.ReadText(SopsConfig.FileName);
        if (text is null)
        {
            if (Directory.Exists(Path.Combine(context.Root, ".git")) || File.Exists(Path.Combine(context.Root, ".git")))
            {
                context.Warning(
                    SopsConfig.FileName,
                    null,
                    $"is missing at the repository root, so sops has no creation rule for the secret files Cilium.Sdk writes ({string.Join(", ", secrets.Select(s => s.Path))})",
                    "add a .sops.yaml with a creation rule for them (for example 'path_regex: (kubernetes|unifi)/.*\\.sops\\.ya?ml' with your age recipient and 'encrypted_regex: ^(data|stringData)$'), or pass the recipients to sops on its command line");
            }

            return;
        }

        SopsConfig config;
        YamlMappingNode[] ruleNodes;
        try
        {
            config = SopsConfig.Parse(text);
            ruleNodes = RuleNodes(text);
        }
        catch (FormatException e)
        {
            // SopsConfig says "<file>:<line>: <problem>. Fix: <fix>": one finding at that line, with that fix.
            var said = Regex.Match(e.Message, @"^[^\n]*?:(?<line>\d+): (?<problem>.*?)\. Fix: (?<fix>.*?)\.?$", RegexOptions.Singleline | RegexOptions.CultureInvariant);
            context.Error(
                SopsConfig.FileName,
                said.Success ? int.Parse(said.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture) : null,
                said.Success ? said.Groups["problem"].Value : e.Message,
                said.Success ? said.Groups["fix"].Value : "correct the file; sops cannot read it either");
            return;
        }

        // The rules the SDK added earlier do not count as the repository's: a file they alone cover still needs them.
        var ours = context.RecordedEntries(SopsConfig.FileName).Where(e => e.List == RulesList).Select(e => e.Value).ToHashSet(StringComparer.Ordinal);
        var theirs = config.Rules.Where(r => r.PathRegex is null || !ours.Contains(r.PathRegex)).ToList();
        SopsCreationRule? RuleFor(string path) => theirs.FirstOrDefault(r => r.Matches(path));

        var needed = new List<OutputFile>();
        foreach (OutputFile file in secrets)
        {
            if (RuleFor(file.Path) is { } rule)
            {
                ReportClearSecrets(context, file, rule);
            }
            else
            {
                needed.Add(file);
            }
        }

        if (needed.Count == 0)
        {
            return;
        }

        // The settings to copy: those of the rule covering the SDK's Kubernetes secret (or where it would live).
        SopsCreationRule? template = secrets.Select(s => RuleFor(s.Path)).FirstOrDefault(r => r is not null) ?? RuleFor(KubernetesSecretProbe);
        var entries = new List<MergedEntry>();
        foreach (OutputFile file in needed)
        {
            string pathRegex = ExactPathRegex(file.Path);
            if (ours.Contains(pathRegex) && config.Rules.FirstOrDefault(r => r.PathRegex == pathRegex) is { } own)
            {
                // The rule the SDK added earlier stays, whatever happened to the others (an edit that leaves the
                // secret values in clear is reported at its line).
                ReportClearSecrets(context, file, own);
                entries.Add(MergedEntry.Mapping(RulesList, pathRegex, RuleBlock(pathRegex, ruleNodes[own.Index], own.PathRegex)));
                continue;
            }

            if (template is null)
            {
                context.Error(
                    SopsConfig.FileName,
                    null,
                    $"no creation rule matches {file.Path}, a secret file Cilium.Sdk writes, so sops refuses to encrypt it (no matching creation rules found), and no rule matches {KubernetesSecretProbe} either, so there are no recipients to copy",
                    $"add a rule at the end of creation_rules: '- path_regex: {pathRegex}' with your recipients (age: ...) and 'encrypted_regex: ^(data|stringData)$'");
                continue;
            }

            string block = RuleBlock(pathRegex, ruleNodes[template.Index], template.PathRegex);
            var added = SopsCreationRule.Read(RuleNodes("creation_rules:\n" + Indent(block))[0], config.Rules.Count, SopsConfig.FileName);
            if (ClearSecretKeys(file.Content, added) is { Count: > 0 } clear)
            {
                context.Error(
                    SopsConfig.FileName,
                    template.Line,
                    $"no creation rule matches {file.Path}, a secret file Cilium.Sdk writes, and the settings of {template} (the rule for the SDK's Kubernetes secret) would leave its secret values {string.Join(", ", clear)} in clear, so they cannot be copied into a rule for it",
                    $"add a rule at the end of creation_rules: '- path_regex: {pathRegex}' with your recipients and 'encrypted_regex: ^(data|stringData)$'");
                continue;
            }

            // A rule the SDK added earlier stays (and comes back if deleted: without it the file cannot be encrypted).
            if (context.Adopt || ours.Contains(pathRegex))
            {
                entries.Add(MergedEntry.Mapping(RulesList, pathRegex, block));
            }
            else
            {
                context.Error(
                    file.Path,
                    null,
                    $"is a secret file Cilium.Sdk writes, but no creation rule of {SopsConfig.FileName} matches it, so sops refuses to encrypt it (no matching creation rules found)",
                    $"add this rule at the end of creation_rules in {SopsConfig.FileName} (the settings are those of {template}, which covers the SDK's Kubernetes secret; at the end it changes the rule of no other file):\n"
                    + Indent(block, "      ")
                    + "    or write with WriteOptions.Adopt to add it");
            }
        }

        if (entries.Count > 0)
        {
            context.Merge(SopsConfig.FileName, null, entries);
        }
    }

    /// <summary>A <c>path_regex</c> matching exactly <paramref name="path"/> (relative to the folder of <c>.sops.yaml</c>).</summary>
    public static string ExactPathRegex(string path) => "^" + Regex.Escape(path) + "$";

    /// <summary>Reports each secret value of <paramref name="file"/> that <paramref name="rule"/> would leave in clear;
    /// true when there is none.</summary>
    private static bool ReportClearSecrets(RepositoryCheckContext context, OutputFile file, SopsCreationRule rule)
    {
        var clear = ClearSecretKeys(file.Content, rule);
        if (clear.Count == 0)
        {
            return true;
        }

        context.Error(
            SopsConfig.FileName,
            rule.Line,
            $"{rule} applies to {file.Path}, a secret file Cilium.Sdk writes, but leaves its secret values {string.Join(", ", clear)} in clear (its selectors encrypt other keys)",
            "let the rule encrypt data and stringData (encrypted_regex: ^(data|stringData)$, or no selector at all), or add a rule for that file before it");
        return false;
    }

    /// <summary>The key paths under <c>data</c>/<c>stringData</c> of each document that the rule does not encrypt.</summary>
    internal static IReadOnlyList<string> ClearSecretKeys(string content, SopsCreationRule rule)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(content));
        }
        catch (YamlException)
        {
            return [];
        }

        var clear = new List<string>();
        foreach (YamlDocument document in stream.Documents)
        {
            if (document.RootNode is not YamlMappingNode root)
            {
                continue;
            }

            foreach (string key in SecretKeys)
            {
                if (root.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? value))
                {
                    Leaves(value, [key], rule, clear);
                }
            }
        }

        return clear;
    }

    private static void Leaves(YamlNode node, List<string> keys, SopsCreationRule rule, List<string> clear)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                foreach (KeyValuePair<YamlNode, YamlNode> entry in mapping.Children)
                {
                    keys.Add(entry.Key is YamlScalarNode { Value: { } k } ? k : entry.Key.ToString());
                    Leaves(entry.Value, keys, rule, clear);
                    keys.RemoveAt(keys.Count - 1);
                }

                return;
            case YamlSequenceNode sequence:
                foreach (YamlNode item in sequence.Children)
                {
                    Leaves(item, keys, rule, clear);
                }

                return;
            default:
                if (!rule.Encrypts(keys))
                {
                    clear.Add(string.Join('.', keys));
                }

                return;
        }
    }

    // The rule as block YAML at indentation 0: the exact path_regex first (its identity), then every other key of the
    // template rule, values as the repository wrote them.
    private static string RuleBlock(string pathRegex, YamlMappingNode template, string? templatePathRegex)
    {
        var rule = new YamlMappingNode { { new YamlScalarNode("path_regex"), new YamlScalarNode(pathRegex) } };
        foreach (KeyValuePair<YamlNode, YamlNode> entry in template.Children)
        {
            if (entry.Key is not YamlScalarNode { Value: "path_regex" })
            {
                rule.Add(entry.Key, entry.Value);
            }
        }

        var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        new YamlStream(new YamlDocument(rule)).Save(writer, assignAnchors: false);
        string text = writer.ToString();
        foreach (string end in new[] { "...\n", "---\n" })
        {
            if (text.EndsWith(end, StringComparison.Ordinal))
            {
                text = text[..^end.Length];
            }
        }

        // Where the settings come from, for whoever reads .sops.yaml later (after the first key: that is the identity).
        int firstLine = text.IndexOf('\n', StringComparison.Ordinal) + 1;
        string source = templatePathRegex is null ? "the rule without path_regex" : "the rule for " + templatePathRegex;
        return text.Insert(firstLine, $"# added by cilium-sdk; recipients and settings of {source}\n");
    }

    private static YamlMappingNode[] RuleNodes(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.Count > 0 && stream.Documents[0].RootNode is YamlMappingNode root
            && root.Children.TryGetValue(new YamlScalarNode(RulesList), out YamlNode? list) && list is YamlSequenceNode sequence
            ? [.. sequence.Children.OfType<YamlMappingNode>()]
            : [];
    }

    private static string Indent(string block, string indent = "  ")
    {
        var text = new StringBuilder();
        bool first = true;
        foreach (string line in block.Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }

            text.Append(indent).Append(first ? "- " : "  ").Append(line).Append('\n');
            first = false;
        }

        return text.ToString();
    }
}
