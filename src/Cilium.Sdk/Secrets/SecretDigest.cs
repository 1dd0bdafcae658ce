using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Cilium.Sdk.Secrets;

/// <summary>
/// What <c>.cilium-sdk/owned.json</c> (committed with the repository) records for a secret file instead of the SHA-256 of
/// its bytes: a SHA-256 of its skeleton, which holds no secret-derived value. A hash of the plain text would let anyone
/// with the repository test password guesses offline (a BGP password is often short).
/// </summary>
/// <remarks>
/// The skeleton is every document's keys and structure, with the values of <c>apiVersion</c>, <c>kind</c>, <c>type</c>
/// and <c>metadata</c> (what sops leaves in clear under a Kubernetes rule, <c>encrypted_regex: ^(data|stringData)$</c>);
/// every other scalar, and every <c>ENC[...]</c> value, is one placeholder. So the plain file and its encryption under
/// such a rule have the same skeleton, and the writer still tells an edited secret file from its own (a key added or
/// removed, the object renamed); what it cannot tell, by design, is an edit of a secret value in a plain-text file from
/// a change of the value in the configuration. The sops metadata block and comments are not part of it.
/// </remarks>
internal static class SecretDigest
{
    /// <summary>The prefix that marks a skeleton hash among the whole-file hashes of the ownership records.</summary>
    public const string Prefix = "clear:";

    private const string Hidden = "\u0001hidden";

    private static readonly HashSet<string> ClearKeys = new(StringComparer.Ordinal) { "apiVersion", "kind", "type", "metadata" };

    /// <summary>The record for a secret file's bytes: <see cref="Prefix"/> and the skeleton's SHA-256 (hex).</summary>
    public static string Of(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var skeleton = new StringBuilder();
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(new UTF8Encoding(false, true).GetString(bytes)));
            foreach (YamlDocument document in stream.Documents)
            {
                skeleton.Append("---\n");
                Write(document.RootNode, clear: false, depth: 0, skeleton);
            }
        }
        catch (Exception e) when (e is YamlException or DecoderFallbackException)
        {
            // Not YAML: nothing of it is recorded (every such file has one skeleton).
            skeleton.Clear().Append("not yaml");
        }

        return Prefix + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(skeleton.ToString()))).ToLowerInvariant();
    }

    private static void Write(YamlNode node, bool clear, int depth, StringBuilder skeleton)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                skeleton.Append("{\n");
                foreach (KeyValuePair<YamlNode, YamlNode> entry in mapping.Children)
                {
                    string key = entry.Key is YamlScalarNode { Value: { } k } ? k : "?";
                    if (depth == 0 && key == "sops")
                    {
                        continue; // sops' own metadata: added by encryption, not part of the file's content
                    }

                    skeleton.Append(Escape(key)).Append(": ");
                    Write(entry.Value, clear || (depth == 0 && ClearKeys.Contains(key)), depth + 1, skeleton);
                }

                skeleton.Append("}\n");
                return;
            case YamlSequenceNode sequence:
                skeleton.Append("[\n");
                foreach (YamlNode item in sequence.Children)
                {
                    Write(item, clear, depth + 1, skeleton);
                }

                skeleton.Append("]\n");
                return;
            case YamlScalarNode scalar:
                string value = scalar.Value ?? string.Empty;
                bool encrypted = value.StartsWith(SopsFile.EncryptedValuePrefix, StringComparison.Ordinal);
                skeleton.Append(clear && !encrypted ? Escape(value) : Hidden).Append('\n');
                return;
            default:
                skeleton.Append("?\n");
                return;
        }
    }

    private static string Escape(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
