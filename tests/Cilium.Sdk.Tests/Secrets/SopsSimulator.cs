using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Cilium.Sdk.Tests.Secrets;

/// <summary>
/// Does to a file what <c>sops --encrypt --in-place</c> does to its structure, for tests (sops is not packaged for
/// Debian): finds the first creation rule of the repository's <c>.sops.yaml</c> whose <c>path_regex</c> matches the
/// path relative to the repository, replaces every value the rule encrypts with an
/// <c>ENC[AES256_GCM,data:...,iv:...,tag:...,type:...]</c> string of the right type, drops the comments, and appends
/// a <c>sops:</c> block (age recipient, lastmodified, mac, the rule's selector, version) to every document. Written
/// apart from the SDK's own reader on purpose: the SDK must read what this writes. The "ciphertext" is derived from a
/// hash, never from the value, so no test can find a secret through it.
/// </summary>
internal static class SopsSimulator
{
    public const string Recipient = "age1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq";

    /// <summary>Encrypts <paramref name="relativePath"/> in place under <paramref name="repository"/>'s <c>.sops.yaml</c>.</summary>
    /// <exception cref="InvalidOperationException">No creation rule matches (sops refuses too).</exception>
    public static void EncryptInPlace(string repository, string relativePath)
    {
        var (encryptedRegex, recipient) = RuleFor(repository, relativePath);
        string file = Path.Combine(repository, relativePath);
        File.WriteAllText(file, Encrypt(File.ReadAllText(file), encryptedRegex, recipient ?? Recipient));
    }

    /// <summary>The matched rule's encrypted_regex (null: sops' default, everything) and age recipient.</summary>
    public static (string? EncryptedRegex, string? Recipient) RuleFor(string repository, string relativePath)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(repository, ".sops.yaml"))));
        var rules = (YamlSequenceNode)((YamlMappingNode)stream.Documents[0].RootNode)["creation_rules"];
        foreach (YamlMappingNode rule in rules.Cast<YamlMappingNode>())
        {
            string? Get(string key) => rule.Children.TryGetValue(new YamlScalarNode(key), out var v) ? ((YamlScalarNode)v).Value : null;
            var pathRegex = Get("path_regex");
            if (pathRegex is null || Regex.IsMatch(relativePath, pathRegex))
            {
                return (Get("encrypted_regex"), Get("age"));
            }
        }

        throw new InvalidOperationException($"error loading config: no matching creation rules found for {relativePath}");
    }

    public static string Encrypt(string plain, string? encryptedRegex, string recipient)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(plain));
        var output = new StringBuilder();
        int index = 0;
        foreach (var document in stream.Documents)
        {
            if (document.RootNode is not YamlMappingNode root)
            {
                continue;
            }

            var encrypted = (YamlMappingNode)Walk(root, [], encryptedRegex, ref index);
            encrypted.Add("sops", Metadata(encryptedRegex, recipient));
            if (output.Length > 0)
            {
                output.Append("---\n");
            }

            var text = new StringWriter { NewLine = "\n" };
            new YamlStream(new YamlDocument(encrypted)).Save(text, assignAnchors: false);
            output.Append(text.ToString().Replace("\n...\n", "\n", StringComparison.Ordinal));
        }

        return output.ToString();
    }

    private static YamlNode Walk(YamlNode node, List<string> keys, string? encryptedRegex, ref int index)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                var copy = new YamlMappingNode();
                foreach (var (key, value) in mapping.Children)
                {
                    keys.Add(((YamlScalarNode)key).Value!);
                    copy.Add(new YamlScalarNode(((YamlScalarNode)key).Value), Walk(value, keys, encryptedRegex, ref index));
                    keys.RemoveAt(keys.Count - 1);
                }

                return copy;
            case YamlSequenceNode sequence:
                var items = new YamlSequenceNode();
                foreach (var item in sequence.Children)
                {
                    items.Add(Walk(item, keys, encryptedRegex, ref index));
                }

                return items;
            case YamlScalarNode scalar:
                bool encrypts = encryptedRegex is null
                    ? !keys.Any(k => k.EndsWith("_unencrypted", StringComparison.Ordinal))
                    : keys.Any(k => Regex.IsMatch(k, encryptedRegex));
                if (!encrypts)
                {
                    return new YamlScalarNode(scalar.Value) { Style = scalar.Style };
                }

                return new YamlScalarNode(Enc(scalar.Value ?? string.Empty, TypeOf(scalar), index++));
            default:
                throw new InvalidOperationException("unexpected node");
        }
    }

    private static string TypeOf(YamlScalarNode scalar)
    {
        if (scalar.Style != YamlDotNet.Core.ScalarStyle.Plain)
        {
            return "str";
        }

        return scalar.Value switch
        {
            "true" or "false" => "bool",
            { } v when long.TryParse(v, out _) => "int",
            { } v when double.TryParse(v, System.Globalization.CultureInfo.InvariantCulture, out _) => "float",
            _ => "str",
        };
    }

    private static string Enc(string value, string type, int index)
    {
        // Pseudo-ciphertext of the value's length, from a hash of its position only.
        var data = Bytes($"data-{index}", Encoding.UTF8.GetByteCount(value));
        return $"ENC[AES256_GCM,data:{Convert.ToBase64String(data)},iv:{Convert.ToBase64String(Bytes($"iv-{index}", 32))},tag:{Convert.ToBase64String(Bytes($"tag-{index}", 16))},type:{type}]";
    }

    private static byte[] Bytes(string seed, int length)
    {
        var bytes = new List<byte>();
        for (int block = 0; bytes.Count < length; block++)
        {
            bytes.AddRange(SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}/{block}")));
        }

        return [.. bytes.Take(length)];
    }

    private static YamlMappingNode Metadata(string? encryptedRegex, string recipient)
    {
        var metadata = new YamlMappingNode
        {
            {
                "age", new YamlSequenceNode(new YamlMappingNode
                {
                    { "recipient", recipient },
                    { "enc", new YamlScalarNode("-----BEGIN AGE ENCRYPTED FILE-----\nYWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOSBzaW11bGF0ZWQ=\n-----END AGE ENCRYPTED FILE-----\n") { Style = YamlDotNet.Core.ScalarStyle.Literal } },
                })
            },
            { "lastmodified", "2026-01-01T00:00:00Z" },
            { "mac", Enc("mac-of-the-encrypted-values-sha512-hex-digest-placeholder", "str", 9999) },
        };
        if (encryptedRegex is null)
        {
            metadata.Add("unencrypted_suffix", "_unencrypted");
        }
        else
        {
            metadata.Add("encrypted_regex", encryptedRegex);
        }

        metadata.Add("mac_only_encrypted", new YamlScalarNode("true"));
        metadata.Add("version", "3.10.2");
        return metadata;
    }
}
