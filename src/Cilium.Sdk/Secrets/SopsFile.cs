using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Cilium.Sdk.Secrets;

/// <summary>
/// A YAML file sops has encrypted: every document carries a top-level <c>sops:</c> block (sops appends it to each
/// document), and the values it encrypted read <c>ENC[AES256_GCM,data:...,iv:...,tag:...,type:...]</c>. Keys, the
/// document structure and the values its rule leaves in clear stay readable; those are what the SDK compares.
/// </summary>
internal sealed class SopsFile
{
    /// <summary>The start of every value sops encrypts (its only cipher, AES-256-GCM).</summary>
    public const string EncryptedValuePrefix = "ENC[AES256_GCM,";

    private const string MetadataKey = "sops";

    private readonly IReadOnlyList<YamlNode?> documents;

    private SopsFile(IReadOnlyList<YamlNode?> documents, SopsSelectors selectors)
    {
        this.documents = documents;
        Selectors = selectors;
    }

    /// <summary>The selectors the file was encrypted with, from its own <c>sops:</c> block (sops records the rule's
    /// <c>encrypted_regex</c> and the others there); sops' default when it records none.</summary>
    public SopsSelectors Selectors { get; }

    /// <summary>Reads <paramref name="bytes"/> as a sops-encrypted YAML file; null when it is not one (no document has a
    /// top-level <c>sops:</c> mapping and no value is an <c>ENC[AES256_GCM,...]</c> string) or is not YAML.</summary>
    /// <param name="bytes">The file's bytes.</param>
    /// <returns>The encrypted file, or null.</returns>
    public static SopsFile? TryRead(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        string text;
        try
        {
            text = new System.Text.UTF8Encoding(false, true).GetString(bytes);
        }
        catch (System.Text.DecoderFallbackException)
        {
            return null;
        }

        // Cheap test first: most files the writer compares are not encrypted.
        if (!text.Contains(EncryptedValuePrefix, StringComparison.Ordinal) && !text.Contains(MetadataKey + ":", StringComparison.Ordinal))
        {
            return null;
        }

        List<YamlNode?>? documents = Load(text);
        if (documents is null)
        {
            return null;
        }

        YamlMappingNode? metadata = documents.OfType<YamlMappingNode>()
            .Select(d => d.Children.TryGetValue(new YamlScalarNode(MetadataKey), out YamlNode? m) ? m as YamlMappingNode : null)
            .FirstOrDefault(m => m is not null);
        if (metadata is null && !documents.Any(d => d is not null && HasEncryptedValue(d)))
        {
            return null;
        }

        string? Selector(string key) => metadata is not null && metadata.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? v) && v is YamlScalarNode { Value: { Length: > 0 } s } ? s : null;
        var selectors = new SopsSelectors(Selector("encrypted_regex"), Selector("unencrypted_regex"), Selector("encrypted_suffix"), Selector("unencrypted_suffix"));
        return new SopsFile(documents.Select(StripMetadata).ToList(), selectors);
    }

    /// <summary>True when the bytes are a sops-encrypted YAML file.</summary>
    public static bool IsEncrypted(byte[] bytes) => TryRead(bytes) is not null;

    /// <summary>
    /// Where the parts sops leaves in clear differ from the plain text <paramref name="generated"/>: keys missing or
    /// added, lists of another length, documents added or missing, and values in clear that differ. A value that is
    /// encrypted here cannot be read and is never reported (its key and place are still compared). Comments are not
    /// compared (sops encrypts most of them).
    /// </summary>
    /// <param name="generated">The plain YAML the SDK would write.</param>
    /// <returns>The paths that differ, e.g. <c>metadata.name</c> (<c>document 2: ...</c> past the first document); empty
    /// when the clear parts match. Never a value.</returns>
    public IReadOnlyList<string> ClearDifferences(string generated)
    {
        ArgumentNullException.ThrowIfNull(generated);
        List<YamlNode?> expected = Load(generated) ?? [];
        var differences = new List<string>();
        int count = Math.Max(expected.Count, documents.Count);
        for (int i = 0; i < count; i++)
        {
            string prefix = count == 1 ? string.Empty : $"document {(i + 1).ToString(CultureInfo.InvariantCulture)}: ";
            if (i >= documents.Count)
            {
                differences.Add(prefix + "missing (the generated file has more documents)");
            }
            else if (i >= expected.Count)
            {
                differences.Add(prefix + "not generated (the file has more documents)");
            }
            else
            {
                Compare(expected[i], documents[i], [], string.Empty, prefix, differences);
            }
        }

        return differences;
    }

    private static List<YamlNode?>? Load(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException)
        {
            return null;
        }

        // A document that is only a comment or empty has no root node (or an empty plain scalar).
        return stream.Documents
            .Select(d => d.RootNode is YamlScalarNode { Value: null or "" } && d.RootNode.Tag.IsEmpty ? null : d.RootNode)
            .Where(n => n is not null)
            .ToList();
    }

    private static YamlNode? StripMetadata(YamlNode? document)
    {
        if (document is not YamlMappingNode mapping || !mapping.Children.ContainsKey(new YamlScalarNode(MetadataKey)))
        {
            return document;
        }

        var copy = new YamlMappingNode();
        foreach (KeyValuePair<YamlNode, YamlNode> entry in mapping.Children)
        {
            if (entry.Key is not YamlScalarNode { Value: MetadataKey })
            {
                copy.Add(entry.Key, entry.Value);
            }
        }

        return copy;
    }

    private static bool HasEncryptedValue(YamlNode node) => node switch
    {
        YamlScalarNode scalar => IsEncryptedValue(scalar),
        YamlMappingNode mapping => mapping.Children.Values.Any(HasEncryptedValue),
        YamlSequenceNode sequence => sequence.Children.Any(HasEncryptedValue),
        _ => false,
    };

    private static bool IsEncryptedValue(YamlScalarNode scalar) =>
        scalar.Value is { } v && v.StartsWith(EncryptedValuePrefix, StringComparison.Ordinal) && v.EndsWith(']');

    private static void Compare(YamlNode? expected, YamlNode? actual, List<string> keys, string path, string prefix, List<string> differences)
    {
        string At(string suffix = "") => prefix + (path.Length == 0 ? "(the document)" : path) + suffix;
        switch (expected)
        {
            case YamlMappingNode mapping when actual is YamlMappingNode other:
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (KeyValuePair<YamlNode, YamlNode> entry in mapping.Children)
                {
                    string key = KeyText(entry.Key);
                    seen.Add(key);
                    string child = path.Length == 0 ? key : path + "." + key;
                    YamlNode? match = other.Children.FirstOrDefault(e => KeyText(e.Key) == key).Value;
                    if (match is null && !other.Children.Keys.Any(k => KeyText(k) == key))
                    {
                        differences.Add(prefix + child + " (missing)");
                        continue;
                    }

                    keys.Add(key);
                    Compare(entry.Value, match, keys, child, prefix, differences);
                    keys.RemoveAt(keys.Count - 1);
                }

                foreach (YamlNode key in other.Children.Keys)
                {
                    if (!seen.Contains(KeyText(key)))
                    {
                        differences.Add(prefix + (path.Length == 0 ? KeyText(key) : path + "." + KeyText(key)) + " (not generated)");
                    }
                }

                return;
            case YamlSequenceNode sequence when actual is YamlSequenceNode other:
                if (sequence.Children.Count != other.Children.Count)
                {
                    differences.Add(At($" ({other.Children.Count.ToString(CultureInfo.InvariantCulture)} items, generated {sequence.Children.Count.ToString(CultureInfo.InvariantCulture)})"));
                    return;
                }

                for (int i = 0; i < sequence.Children.Count; i++)
                {
                    Compare(sequence.Children[i], other.Children[i], keys, $"{path}[{i.ToString(CultureInfo.InvariantCulture)}]", prefix, differences);
                }

                return;
            case YamlScalarNode scalar when actual is YamlScalarNode other:
                if (!IsEncryptedValue(other) && Canonical(scalar) != Canonical(other))
                {
                    differences.Add(At());
                }

                return;
            default:
                if (actual is YamlScalarNode encrypted && IsEncryptedValue(encrypted) && expected is YamlScalarNode)
                {
                    return;
                }

                differences.Add(At(" (another kind of value)"));
                return;
        }
    }

    private static string KeyText(YamlNode key) => key is YamlScalarNode { Value: { } text } ? text : key.ToString();

    // A scalar as YAML's core schema resolves it (what sops' YAML library reads), so a re-quoted but equal value
    // matches: "s3cret" and s3cret are one string, 7445 and 7445 one integer, "7445" a string.
    private static string Canonical(YamlScalarNode scalar)
    {
        string value = scalar.Value ?? string.Empty;
        if (scalar.Style is not ScalarStyle.Plain || !scalar.Tag.IsEmpty)
        {
            return scalar.Tag.IsEmpty || scalar.Tag.Value == "tag:yaml.org,2002:str" ? "str:" + value : scalar.Tag.Value + ":" + value;
        }

        return value switch
        {
            "" or "~" or "null" or "Null" or "NULL" => "null:",
            "true" or "True" or "TRUE" => "bool:true",
            "false" or "False" or "FALSE" => "bool:false",
            _ when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long number) => "int:" + number.ToString(CultureInfo.InvariantCulture),
            _ when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double real) && value.Any(char.IsAsciiDigit) => "float:" + real.ToString("R", CultureInfo.InvariantCulture),
            _ => "str:" + value,
        };
    }
}
