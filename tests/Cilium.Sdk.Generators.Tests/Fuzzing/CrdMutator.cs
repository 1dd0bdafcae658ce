using System.Text;
using CsCheck;

namespace Cilium.Sdk.Generators.Tests.Fuzzing;

/// <summary>The kinds of damage done to a real CRD's text.</summary>
public enum MutationKind
{
    DeleteKey,
    DuplicateKey,
    Retype,
    Rename,
    DeepNest,
    HugeString,
    InvalidUtf8,
    AnchorAlias,
    Truncate,
}

/// <summary>One mutation: what to do, where (an index taken modulo the candidates) and a variant selector.</summary>
public readonly record struct Mutation(MutationKind Kind, int Where, int Variant)
{
    public override string ToString() => $"{Kind}@{Where}/{Variant}";
}

/// <summary>
/// Line-based mutations of CRD YAML. Working on text (not a parsed tree) keeps what a tree cannot hold:
/// duplicate keys, broken indentation, truncation mid-token, undecodable bytes.
/// </summary>
public static class CrdMutator
{
    public static readonly Gen<Mutation> Mutation =
        Gen.Select(Gen.Enum<MutationKind>(), Gen.Int[0, 100_000], Gen.Int[0, 1_000], (k, w, v) => new Mutation(k, w, v));

    private static readonly string[] Retypes =
    [
        "[]", "{}", "42", "-1", "true", "null", "~", "\"text\"", "[1, {a: b}]", "1e400", "0x1F", "{type: [string, integer]}",
        "{type: object, properties: 3}", "{type: array}", "{type: array, items: []}", "{type: nonsense}", "{$ref: '#/x'}",
        "{enum: [a, a, 1, null, {}]}", "{type: string, pattern: '(a+)+$'}", "{type: string, format: 'int-or-string'}",
        "{x-kubernetes-int-or-string: true}", "{x-kubernetes-preserve-unknown-fields: yes}", "{type: integer, minimum: abc}",
        "{type: string, enum: []}", "{required: [ghost]}", "{x-kubernetes-validations: [{rule: 'self.a ==', message: 1}]}",
        "{oneOf: [{}, 1]}", "{allOf: [{type: string}, {type: integer}]}", "{additionalProperties: false}",
        "{additionalProperties: {type: object, properties: {a: {type: string}}}}",
    ];

    private static readonly string[] Names =
    [
        "", "\"\"", "\"9starts-with-digit\"", "class", "namespace", "\"with space\"", "\"dash-ed.dot/slash\"", "\"ünïcödé\"",
        "\"日本語\"", "\"@at\"", "__", "\"a\\u0000b\"", "$ref", "type", "properties", "Equals", "GetHashCode", "KubeKind",
        "\"" + new string('n', 600) + "\"", "Item", "apiVersion", "\"\\t\"",
    ];

    /// <summary>Applies the mutations in order; invalid UTF-8 is returned as bytes decoded the way the compiler may decode them.</summary>
    public static string Apply(string text, IEnumerable<Mutation> mutations)
    {
        foreach (var m in mutations)
        {
            text = Apply(text, m);
        }

        return text;
    }

    public static string Apply(string text, Mutation m)
    {
        var lines = text.Split('\n').ToList();
        var keyLines = Enumerable.Range(0, lines.Count).Where(i => KeyOf(lines[i]) is not null).ToList();
        if (keyLines.Count == 0 && m.Kind is not (MutationKind.Truncate or MutationKind.InvalidUtf8))
        {
            return text + "\n" + m.Kind + ": *undefined\n";
        }

        var at = keyLines.Count == 0 ? 0 : keyLines[m.Where % keyLines.Count];
        switch (m.Kind)
        {
            case MutationKind.DeleteKey:
                lines.RemoveRange(at, BlockEnd(lines, at) - at);
                break;
            case MutationKind.DuplicateKey:
                var end = BlockEnd(lines, at);
                lines.InsertRange(end, lines.GetRange(at, end - at));
                break;
            case MutationKind.Retype:
                ReplaceValue(lines, at, Retypes[m.Variant % Retypes.Length]);
                break;
            case MutationKind.Rename:
                var (indent, _) = KeyOf(lines[at])!.Value;
                lines[at] = lines[at][..indent] + (lines[at][indent] == '-' ? "- " : "") + Names[m.Variant % Names.Length] + lines[at][ColonOf(lines[at])..];
                break;
            case MutationKind.DeepNest:
                var depth = 20 + (m.Variant % 8 * 60); // 20 .. 440 levels: beyond the generator's and the parser's limits
                ReplaceValue(lines, at, m.Variant % 2 == 0
                    ? string.Concat(Enumerable.Repeat("{type: object, properties: {a: ", depth)) + "{type: string}" + new string('}', depth * 2)
                    : new string('[', depth) + new string(']', depth));
                break;
            case MutationKind.HugeString:
                var size = 1_000 << (m.Variant % 9); // 1 KB .. 256 KB
                ReplaceValue(lines, at, m.Variant % 3 == 0 ? "'" + new string('x', size) + "'" : "\"" + string.Concat(Enumerable.Repeat("\\u00e9\\n", size / 8)) + "\"");
                break;
            case MutationKind.InvalidUtf8:
                return InvalidUtf8(string.Join('\n', lines), m);
            case MutationKind.AnchorAlias:
                AnchorAlias(lines, keyLines, m);
                break;
            case MutationKind.Truncate:
                var joined = string.Join('\n', lines);
                return joined[..(joined.Length == 0 ? 0 : m.Where % joined.Length)];
        }

        return string.Join('\n', lines);
    }

    private static void AnchorAlias(List<string> lines, List<int> keyLines, Mutation m)
    {
        var target = keyLines[m.Where % keyLines.Count];
        var source = keyLines[(m.Where / 7 + m.Variant) % keyLines.Count];
        switch (m.Variant % 4)
        {
            case 0: // a real anchor reused elsewhere: may be legal, may create a cycle-like self reference
                lines[source] = WithAnchor(lines[source], "fz");
                ReplaceValue(lines, target, "*fz");
                break;
            case 1: // an alias to nothing
                ReplaceValue(lines, target, "*missing");
                break;
            case 2: // a billion-laughs bomb as a value
                var bomb = new StringBuilder("{l0: &l0 [a, a, a, a, a, a, a, a, a, a]");
                for (var i = 1; i < 12; i++)
                {
                    bomb.Append($", l{i}: &l{i} [*l{i - 1}, *l{i - 1}, *l{i - 1}, *l{i - 1}, *l{i - 1}, *l{i - 1}, *l{i - 1}, *l{i - 1}, *l{i - 1}, *l{i - 1}]");
                }

                ReplaceValue(lines, target, bomb.Append('}').ToString());
                break;
            default: // a merge key pulling another mapping in
                lines[source] = WithAnchor(lines[source], "mk");
                var (indent, _) = KeyOf(lines[target])!.Value;
                lines.Insert(target, new string(' ', indent) + "<<: *mk");
                break;
        }
    }

    private static string WithAnchor(string line, string anchor)
    {
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? line : line[..(colon + 1)] + $" &{anchor}" + line[(colon + 1)..];
    }

    private static string InvalidUtf8(string text, Mutation m)
    {
        var bytes = Encoding.UTF8.GetBytes(text).ToList();
        byte[][] bad = [[0xFF], [0xC3, 0x28], [0xE2, 0x82], [0xF0, 0x9F, 0x98], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0x00], [0xEF, 0xBB, 0xBF]];
        var insert = bad[m.Variant % bad.Length];
        bytes.InsertRange(bytes.Count == 0 ? 0 : m.Where % bytes.Count, insert);
        var raw = bytes.ToArray();

        // The compiler reads additional files as UTF-8 and falls back to a single-byte code page.
        return (m.Variant / bad.Length % 3) switch
        {
            0 => Encoding.UTF8.GetString(raw),
            1 => Encoding.Latin1.GetString(raw),
            _ => text.Insert(text.Length == 0 ? 0 : m.Where % text.Length, "\uD800\uFFFE\u0001"), // lone surrogate, non-character, control
        };
    }

    private static void ReplaceValue(List<string> lines, int at, string value)
    {
        var end = BlockEnd(lines, at);
        var line = lines[at];
        var colon = ColonOf(line);
        lines.RemoveRange(at + 1, end - at - 1);
        lines[at] = line[..(colon + 1)] + " " + value;
    }

    /// <summary>Where a key line's colon is: after the indent, an optional "- " and the key.</summary>
    private static int ColonOf(string line)
    {
        var (indent, key) = KeyOf(line)!.Value;
        return indent + (line[indent] == '-' ? 2 : 0) + key.Length;
    }

    /// <summary>The first line after <paramref name="at"/>'s block (lines indented deeper than it).</summary>
    private static int BlockEnd(List<string> lines, int at)
    {
        var indent = Indent(lines[at]);
        var i = at + 1;
        while (i < lines.Count && (lines[i].Trim().Length == 0 || Indent(lines[i]) > indent || (lines[i].TrimStart().StartsWith('-') && Indent(lines[i]) == indent && !lines[at].TrimStart().StartsWith('-'))))
        {
            i++;
        }

        return i;
    }

    private static int Indent(string line) => line.Length - line.TrimStart(' ').Length;

    /// <summary>(indent, key) of a plain block-mapping line "  key: ..." or "  - key: ...".</summary>
    private static (int Indent, string Key)? KeyOf(string line)
    {
        var indent = Indent(line);
        var rest = line[indent..];
        if (rest.StartsWith("- ", StringComparison.Ordinal))
        {
            rest = rest[2..];
        }

        var colon = rest.IndexOf(": ", StringComparison.Ordinal);
        if (colon <= 0 && rest.EndsWith(':'))
        {
            colon = rest.Length - 1;
        }

        if (colon <= 0 || rest[0] is '#' or '"' or '\'' or '{' or '[')
        {
            return null;
        }

        var key = rest[..colon];
        return key.All(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' or '$') ? (indent, key) : null;
    }
}
