using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Cilium.Sdk.Secrets;

/// <summary>
/// A repository's <c>.sops.yaml</c>: its creation rules, read as sops reads them, so the SDK knows which rule a secret
/// file it writes falls under and which of its values sops encrypts.
/// </summary>
/// <remarks>
/// sops matches a file's path relative to the folder of <c>.sops.yaml</c> against each rule's <c>path_regex</c> (a Go
/// regular expression, matched anywhere in the path unless anchored), in order; the first rule that matches wins, and a
/// rule without <c>path_regex</c> matches every file. A file no rule matches cannot be encrypted
/// (<c>no matching creation rules found</c>).
/// </remarks>
internal sealed class SopsConfig
{
    /// <summary>The file name sops looks for.</summary>
    public const string FileName = ".sops.yaml";

    private SopsConfig(string displayPath, IReadOnlyList<SopsCreationRule> rules)
    {
        DisplayPath = displayPath;
        Rules = rules;
    }

    /// <summary>The path the config was read from, as given (for messages).</summary>
    public string DisplayPath { get; }

    /// <summary>The creation rules, in the file's order.</summary>
    public IReadOnlyList<SopsCreationRule> Rules { get; }

    /// <summary>Reads the <c>.sops.yaml</c> at a repository root; null when there is none.</summary>
    /// <param name="root">The repository root.</param>
    /// <returns>The config, or null.</returns>
    /// <exception cref="FormatException">The file is not valid YAML or a rule is malformed; the message names the file and line.</exception>
    public static SopsConfig? ReadFrom(string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        string path = Path.Combine(root, FileName);
        return File.Exists(path) ? Parse(File.ReadAllText(path), FileName) : null;
    }

    /// <summary>Reads a <c>.sops.yaml</c>'s text.</summary>
    /// <param name="text">The YAML.</param>
    /// <param name="displayPath">The file's name for messages.</param>
    /// <returns>The config.</returns>
    /// <exception cref="FormatException">The text is not valid YAML or a rule is malformed; the message names the file and line.</exception>
    public static SopsConfig Parse(string text, string displayPath = FileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(displayPath);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new FormatException($"{displayPath}:{e.Start.Line}: not valid YAML ({e.Message}). Fix: correct the file so sops can read it too.", e);
        }

        var rules = new List<SopsCreationRule>();
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root
            || !root.Children.TryGetValue(new YamlScalarNode("creation_rules"), out YamlNode? list))
        {
            return new SopsConfig(displayPath, rules);
        }

        if (list is not YamlSequenceNode sequence)
        {
            throw new FormatException($"{displayPath}:{list.Start.Line}: creation_rules is not a list. Fix: write it as a list of rules, each with a path_regex.");
        }

        foreach (YamlNode item in sequence)
        {
            if (item is not YamlMappingNode rule)
            {
                throw new FormatException($"{displayPath}:{item.Start.Line}: a creation rule is not a mapping. Fix: write each rule as 'path_regex: ...' with its keys.");
            }

            rules.Add(SopsCreationRule.Read(rule, rules.Count, displayPath));
        }

        return new SopsConfig(displayPath, rules);
    }

    /// <summary>The rule sops applies to a file: the first whose <c>path_regex</c> matches, or null when none does.</summary>
    /// <param name="relativePath">The file's path relative to the folder of <c>.sops.yaml</c>, <c>/</c>-separated.</param>
    /// <returns>The rule, or null.</returns>
    public SopsCreationRule? RuleFor(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        return Rules.FirstOrDefault(r => r.Matches(relativePath));
    }
}

/// <summary>
/// One creation rule of a <c>.sops.yaml</c>: the paths it covers, which values sops encrypts under it, and the
/// recipients it encrypts to.
/// </summary>
internal sealed class SopsCreationRule
{
    /// <summary>The suffix sops leaves in clear when a rule sets none of the four selectors.</summary>
    public const string DefaultUnencryptedSuffix = "_unencrypted";

    private readonly Regex? path;
    private readonly Regex? encrypted;
    private readonly Regex? unencrypted;

    private SopsCreationRule(int index, int line, string? pathRegex, SopsSelectors selectors, IReadOnlyList<string> recipients)
    {
        Index = index;
        Line = line;
        PathRegex = pathRegex;
        Selectors = selectors;
        Recipients = recipients;
        path = pathRegex is null ? null : GoRegex(pathRegex);
        encrypted = selectors.EncryptedRegex is null ? null : GoRegex(selectors.EncryptedRegex);
        unencrypted = selectors.UnencryptedRegex is null ? null : GoRegex(selectors.UnencryptedRegex);
    }

    /// <summary>The rule's position in <c>creation_rules</c> (0-based).</summary>
    public int Index { get; }

    /// <summary>The 1-based line of the rule in <c>.sops.yaml</c>.</summary>
    public int Line { get; }

    /// <summary>The rule's <c>path_regex</c>, or null (the rule matches every file).</summary>
    public string? PathRegex { get; }

    /// <summary>Which values the rule encrypts.</summary>
    public SopsSelectors Selectors { get; }

    /// <summary>The recipients, as <c>age: ...</c>, <c>pgp: ...</c>, <c>kms: ...</c> or <c>key_groups</c> lines, for
    /// messages (public keys only; a <c>.sops.yaml</c> holds no private key).</summary>
    public IReadOnlyList<string> Recipients { get; }

    /// <summary>True when sops applies this rule's <c>path_regex</c> to the path (anywhere in it, as Go's
    /// <c>regexp.MatchString</c>).</summary>
    /// <param name="relativePath">The path relative to the folder of <c>.sops.yaml</c>.</param>
    public bool Matches(string relativePath) => path is null || path.IsMatch(relativePath);

    /// <summary>Whether sops encrypts the value at <paramref name="keyPath"/> (the mapping keys from the document's root
    /// to the value; list items add no key), by sops' rule: everything, unless a key on the path ends in the
    /// unencrypted suffix; only keys with the encrypted suffix, when one is set; not below a key matching
    /// <c>unencrypted_regex</c>; only below a key matching <c>encrypted_regex</c>.</summary>
    /// <param name="keyPath">The keys from the root.</param>
    public bool Encrypts(IReadOnlyList<string> keyPath)
    {
        ArgumentNullException.ThrowIfNull(keyPath);
        return Selectors.Encrypts(keyPath, encrypted, unencrypted);
    }

    /// <summary>The rule as it reads in messages, e.g. <c>creation rule 3 (line 9, path_regex (bootstrap|kubernetes)/.*\.sops\.ya?ml)</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        $"creation rule {Index + 1} (line {Line}, {(PathRegex is null ? "no path_regex: every file" : "path_regex " + PathRegex)})";

    internal static SopsCreationRule Read(YamlMappingNode rule, int index, string displayPath)
    {
        string? Scalar(string key)
        {
            if (!rule.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? value))
            {
                return null;
            }

            return value is YamlScalarNode { Value: { } text } ? text
                : throw new FormatException($"{displayPath}:{value.Start.Line}: {key} is not a single value. Fix: write it as a quoted string.");
        }

        var selectors = new SopsSelectors(Scalar("encrypted_regex"), Scalar("unencrypted_regex"), Scalar("encrypted_suffix"), Scalar("unencrypted_suffix"));
        var recipients = new List<string>();
        foreach (string key in new[] { "age", "pgp", "kms", "gcp_kms", "azure_keyvault", "hc_vault_transit_uri" })
        {
            if (rule.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? value))
            {
                recipients.Add(value is YamlScalarNode scalar ? $"{key}: {scalar.Value}" : $"{key}: (line {value.Start.Line})");
            }
        }

        if (rule.Children.ContainsKey(new YamlScalarNode("key_groups")))
        {
            recipients.Add("key_groups (as written in the rule)");
        }

        var pathRegex = Scalar("path_regex");
        try
        {
            return new SopsCreationRule(index, (int)rule.Start.Line, string.IsNullOrEmpty(pathRegex) ? null : pathRegex, selectors, recipients);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"{displayPath}:{rule.Start.Line}: creation rule {index + 1} has a regular expression .NET cannot read ({e.Message}). Fix: simplify it (sops reads Go's RE2 syntax).", e);
        }
    }

    // Go's RE2 syntax agrees with .NET's for what creation rules use (classes, groups, alternation, anchors, ?, *, +);
    // the non-backtracking engine also keeps RE2's linear time.
    private static Regex GoRegex(string pattern) => new(pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
}

/// <summary>
/// Which values sops encrypts in a file: at most one of the four selectors (sops refuses more); none means sops'
/// default, everything except values below a key ending in <c>_unencrypted</c>. The same fields appear in a
/// <c>.sops.yaml</c> rule and in an encrypted file's own <c>sops:</c> block.
/// </summary>
/// <param name="EncryptedRegex">Only values below a key matching it are encrypted.</param>
/// <param name="UnencryptedRegex">Values below a key matching it stay in clear.</param>
/// <param name="EncryptedSuffix">Only values below a key with this suffix are encrypted.</param>
/// <param name="UnencryptedSuffix">Values below a key with this suffix stay in clear.</param>
internal sealed record SopsSelectors(string? EncryptedRegex, string? UnencryptedRegex, string? EncryptedSuffix, string? UnencryptedSuffix)
{
    /// <summary>sops' default: everything but values below a key ending in <c>_unencrypted</c>.</summary>
    public static SopsSelectors Default { get; } = new(null, null, null, SopsCreationRule.DefaultUnencryptedSuffix);

    /// <summary>True when no selector is set (sops then uses <see cref="Default"/>).</summary>
    public bool IsEmpty => EncryptedRegex is null && UnencryptedRegex is null && EncryptedSuffix is null && UnencryptedSuffix is null;

    internal bool Encrypts(IReadOnlyList<string> keyPath, Regex? encrypted = null, Regex? unencrypted = null)
    {
        SopsSelectors effective = IsEmpty ? Default : this;
        bool result = true;
        if (!string.IsNullOrEmpty(effective.UnencryptedSuffix) && keyPath.Any(k => k.EndsWith(effective.UnencryptedSuffix, StringComparison.Ordinal)))
        {
            result = false;
        }

        if (!string.IsNullOrEmpty(effective.EncryptedSuffix))
        {
            result = keyPath.Any(k => k.EndsWith(effective.EncryptedSuffix, StringComparison.Ordinal));
        }

        if (!string.IsNullOrEmpty(effective.UnencryptedRegex))
        {
            unencrypted ??= new Regex(effective.UnencryptedRegex, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
            if (keyPath.Any(unencrypted.IsMatch))
            {
                result = false;
            }
        }

        if (!string.IsNullOrEmpty(effective.EncryptedRegex))
        {
            encrypted ??= new Regex(effective.EncryptedRegex, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
            result = keyPath.Any(encrypted.IsMatch);
        }

        return result;
    }
}
