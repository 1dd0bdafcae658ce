using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using CrdKit.Serialization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Cilium.Sdk.Output;

/// <summary>
/// Adds and removes entries of one list in a YAML file someone else owns (a kustomization's <c>resources</c>,
/// talconfig.yaml's <c>patches</c>, .sops.yaml's <c>creation_rules</c>), keeping every other byte: other entries,
/// comments, blank lines, order, quoting, indentation, line ends and a missing final newline.
/// </summary>
/// <remarks>
/// Why text splicing: YamlDotNet's representation model (and any load/save round trip) drops comments and reflows
/// the file. So the list is located with YamlDotNet's parser events, whose marks give each node's character offset,
/// line and column, and only the entry's own lines are inserted or cut. Lists may be block (<c>- a</c>, indented or
/// not under their key) or flow (<c>[a, b]</c>); a missing key (or one with an empty value) gets a block list at the
/// indentation its siblings use. Only the first document of a file is edited. Entries are identified by their value
/// (scalars) or by the value of their first key (mappings, e.g. a creation rule's <c>path_regex</c>).
/// </remarks>
internal static class YamlListEditor
{
    /// <summary>Identity for entries that are relative paths: <c>./a</c>, <c>a</c> and <c>a/</c> are one entry.</summary>
    public static IEqualityComparer<string> RelativePaths { get; } = new RelativePathComparer();

    /// <summary>The entries of the list at <paramref name="keyPath"/>; empty when the key is absent or null.</summary>
    /// <exception cref="YamlListEditException">The text is not YAML, or the key holds something other than a list.</exception>
    public static IReadOnlyList<YamlListEntry> Entries(string text, IReadOnlyList<string> keyPath)
    {
        var located = Locate(text, keyPath);
        return located.List is null ? [] : located.List.Items.Select(Entry).ToList();
    }

    /// <summary>Whether the list holds an entry with <paramref name="identity"/>.</summary>
    public static bool Contains(string text, IReadOnlyList<string> keyPath, string identity, IEqualityComparer<string>? comparer = null) =>
        Entries(text, keyPath).Any(e => (comparer ?? StringComparer.Ordinal).Equals(e.Identity, identity));

    /// <summary>Appends <paramref name="item"/> to the list (creating the key when absent); returns the text unchanged
    /// when an entry with the same identity is already there.</summary>
    /// <exception cref="YamlListEditException">The text is not YAML, the key holds something other than a list, or a
    /// mapping entry would go into a flow list.</exception>
    public static string Add(string text, IReadOnlyList<string> keyPath, YamlListItem item, IEqualityComparer<string>? comparer = null)
    {
        ArgumentNullException.ThrowIfNull(item);
        var located = Locate(text, keyPath);
        comparer ??= StringComparer.Ordinal;
        if (located.List is { } list && list.Items.Any(i => comparer.Equals(Entry(i).Identity, item.Identity)))
        {
            return text;
        }

        string newline = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        if (located.List is { Flow: true } flow)
        {
            if (item.Block is not null)
            {
                throw new YamlListEditException($"line {flow.StartLine}: '{string.Join('.', keyPath)}' is a flow list ([...]); a mapping entry cannot be added to it. Fix: write the list as a block list (one '- ' entry a line)");
            }

            string quoted = Quote(item.Scalar!, flow.Items);
            int close = flow.EndStart; // the ']'
            string insert = flow.Items.Count == 0 ? quoted : ", " + quoted;
            return text.Insert(close, insert);
        }

        if (located.List is { } block)
        {
            Node last = block.Items[^1];
            int dash = DashBefore(text, last.Start);
            int lineStart = LineStart(text, dash);
            string indent = text[lineStart..dash];
            string gap = text[(dash + 1)..last.Start];
            if (gap.Length == 0 || gap.Contains('\n', StringComparison.Ordinal))
            {
                gap = " ";
            }

            return InsertLine(text, LineEnd(text, ContentEnd(last)), indent + "-" + gap + ItemText(item, indent.Length + 1 + gap.Length, block.Items, newline), newline);
        }

        if (located.NullValue is { } empty)
        {
            // 'key:' or 'key: ~' / 'key: null': the list goes on the lines below the key, two spaces deeper.
            string indent = new(' ', located.KeyColumn + 2);
            int at = LineBreakAt(text, located.KeyEnd);
            string entry = newline + indent + "- " + ItemText(item, indent.Length + 2, [], newline);
            if (empty.Value.Length == 0)
            {
                return text.Insert(at, entry);
            }

            // Cut the written '~' or 'null' and the spaces before it; a comment after it stays on the key's line.
            int from = empty.Start;
            while (from > located.KeyEnd && text[from - 1] == ' ')
            {
                from--;
            }

            return text.Insert(at, entry).Remove(from, empty.End - from);
        }

        // The key is missing: append it (and any missing parent keys) after the deepest mapping that exists.
        Node parent = located.Parent!;
        if (parent.Flow)
        {
            throw new YamlListEditException($"line {parent.StartLine}: '{string.Join('.', keyPath.Take(located.Depth))}' is a flow mapping ({{...}}). Fix: write it as a block mapping");
        }

        int keyColumn = parent.Pairs.Count > 0 ? Column(text, parent.Pairs[0].Key.Start) : 0;
        var lines = new StringBuilder();
        for (int depth = located.Depth; depth < keyPath.Count; depth++)
        {
            if (depth > located.Depth)
            {
                lines.Append(newline);
            }

            lines.Append(' ', keyColumn + (2 * (depth - located.Depth))).Append(QuoteKey(keyPath[depth])).Append(':');
        }

        string itemIndent = new(' ', keyColumn + (2 * (keyPath.Count - located.Depth)));
        lines.Append(newline).Append(itemIndent).Append("- ").Append(ItemText(item, itemIndent.Length + 2, [], newline));
        int end = parent.Pairs.Count > 0 ? LineEnd(text, ContentEnd(parent.Pairs[^1].Value)) : text.Length;
        return InsertLine(text, end, lines.ToString(), newline);
    }

    /// <summary>Removes the entry with <paramref name="identity"/> (its whole lines in a block list, the item and one
    /// comma in a flow list); returns the text unchanged when there is none.</summary>
    /// <exception cref="YamlListEditException">The text is not YAML, or the key holds something other than a list.</exception>
    public static string Remove(string text, IReadOnlyList<string> keyPath, string identity, IEqualityComparer<string>? comparer = null)
    {
        var located = Locate(text, keyPath);
        comparer ??= StringComparer.Ordinal;
        if (located.List is not { } list)
        {
            return text;
        }

        int index = list.Items.FindIndex(i => comparer.Equals(Entry(i).Identity, identity));
        if (index < 0)
        {
            return text;
        }

        Node item = list.Items[index];
        if (list.Flow)
        {
            int from, to;
            if (index > 0)
            {
                (from, to) = (ContentEnd(list.Items[index - 1]), ContentEnd(item));
            }
            else if (list.Items.Count > 1)
            {
                (from, to) = (item.Start, list.Items[1].Start);
            }
            else
            {
                (from, to) = (item.Start, ContentEnd(item));
            }

            return text.Remove(from, to - from);
        }

        int start = LineStart(text, DashBefore(text, item.Start));
        int stop = LineEnd(text, ContentEnd(item));
        if (stop == text.Length && !text.EndsWith('\n') && start > 0)
        {
            // The entry is the file's last line without a line break: keep the file without one.
            start -= text[..start].EndsWith("\r\n", StringComparison.Ordinal) ? 2 : 1;
        }

        return text.Remove(start, stop - start);
    }

    private static YamlListEntry Entry(Node item)
    {
        if (item.Kind == NodeKind.Scalar)
        {
            return new YamlListEntry(item.Value, item.StartLine, IsMapping: false);
        }

        if (item.Kind == NodeKind.Mapping && item.Pairs.Count > 0 && item.Pairs[0].Value.Kind == NodeKind.Scalar)
        {
            return new YamlListEntry(item.Pairs[0].Value.Value, item.StartLine, IsMapping: true);
        }

        return new YamlListEntry(string.Empty, item.StartLine, IsMapping: item.Kind == NodeKind.Mapping);
    }

    private static string ItemText(YamlListItem item, int continuationIndent, List<Node> siblings, string newline)
    {
        if (item.Scalar is not null)
        {
            return Quote(item.Scalar, siblings);
        }

        string[] lines = item.Block!.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');
        string pad = new(' ', continuationIndent);
        return string.Join(newline, lines.Select((line, i) => i == 0 || line.Length == 0 ? line : pad + line));
    }

    // The style of the list's other entries wins (talconfig quotes every patch); otherwise plain when YAML reads it back
    // as the same string.
    private static string Quote(string value, List<Node> siblings)
    {
        ScalarStyle style = siblings.FirstOrDefault(s => s.Kind == NodeKind.Scalar)?.Style ?? ScalarStyle.Plain;
        if (style == ScalarStyle.SingleQuoted && !value.Contains('\n', StringComparison.Ordinal))
        {
            return "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
        }

        if (style != ScalarStyle.DoubleQuoted && !YamlScalars.NeedsQuotes(value) && value.IndexOfAny([',', '[', ']', '{', '}']) < 0)
        {
            return value;
        }

        var quoted = new StringBuilder("\"");
        foreach (char c in value)
        {
            quoted.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                _ when char.IsControl(c) => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        return quoted.Append('"').ToString();
    }

    private static string QuoteKey(string key) => YamlScalars.NeedsQuotes(key) ? "\"" + key.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"" : key;

    private static string InsertLine(string text, int at, string line, string newline)
    {
        // At the end of a file without a final line break: the new line goes after a break, and the file keeps ending
        // without one.
        if (at == text.Length && text.Length > 0 && !text.EndsWith('\n'))
        {
            return text + newline + line;
        }

        return text.Insert(at, line + newline);
    }

    private static int LineStart(string text, int at)
    {
        int newline = at == 0 ? -1 : text.LastIndexOf('\n', at - 1);
        return newline + 1;
    }

    // The offset just past the line break of the line holding 'at' (a trailing comment stays with its entry).
    private static int LineEnd(string text, int at)
    {
        if (at > 0 && text[at - 1] == '\n')
        {
            return at; // a block scalar's content ends after its line break
        }

        int newline = text.IndexOf('\n', at);
        return newline < 0 ? text.Length : newline + 1;
    }

    // The offset of the line break (or end of file) of the line holding 'at'.
    private static int LineBreakAt(string text, int at)
    {
        int newline = text.IndexOf('\n', at);
        if (newline < 0)
        {
            return text.Length;
        }

        return newline > 0 && text[newline - 1] == '\r' ? newline - 1 : newline;
    }

    private static int Column(string text, int at) => at - LineStart(text, at);

    private static int DashBefore(string text, int at)
    {
        int i = at - 1;
        while (i >= 0 && text[i] is ' ' or '\t')
        {
            i--;
        }

        return i >= 0 && text[i] == '-' ? i : throw new YamlListEditException($"offset {at}: no '-' before a block list entry");
    }

    // Where a node's own text ends: block collections end with their last child (their end mark is the next token,
    // past blank lines and comments that belong to what follows).
    private static int ContentEnd(Node node) => node.Kind switch
    {
        NodeKind.Sequence when !node.Flow && node.Items.Count > 0 => ContentEnd(node.Items[^1]),
        NodeKind.Mapping when !node.Flow && node.Pairs.Count > 0 => ContentEnd(node.Pairs[^1].Value),
        _ => node.End,
    };

    private static Located Locate(string text, IReadOnlyList<string> keyPath)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(keyPath);
        if (keyPath.Count == 0)
        {
            throw new ArgumentException("The key path is empty.", nameof(keyPath));
        }

        Node? root;
        try
        {
            var parser = new Parser(new StringReader(text));
            parser.Consume<StreamStart>();
            if (!parser.TryConsume<DocumentStart>(out _))
            {
                root = null;
            }
            else
            {
                root = Read(parser, 0);
            }
        }
        catch (YamlException e)
        {
            throw new YamlListEditException($"line {e.Start.Line.ToString(CultureInfo.InvariantCulture)}: not valid YAML ({e.Message}). Fix: correct the file", e);
        }

        if (root is null || (root.Kind == NodeKind.Scalar && root.Value.Length == 0 && root.Style == ScalarStyle.Plain))
        {
            // An empty file (or only '---'): the keys go at its end, at column 0.
            return new Located(null, null, 0, 0, new Node(NodeKind.Mapping, text.Length, text.Length, 1), 0);
        }

        Node current = root;
        for (int depth = 0; depth < keyPath.Count; depth++)
        {
            if (current.Kind != NodeKind.Mapping)
            {
                throw new YamlListEditException($"line {current.StartLine}: '{string.Join('.', keyPath.Take(depth))}' is not a mapping, so it has no key '{keyPath[depth]}'. Fix: correct the file");
            }

            var pair = current.Pairs.FirstOrDefault(p => p.Key.Kind == NodeKind.Scalar && p.Key.Value == keyPath[depth]);
            if (pair.Key is null)
            {
                return new Located(null, null, 0, 0, current, depth);
            }

            if (depth == keyPath.Count - 1)
            {
                Node value = pair.Value;
                int keyColumn = Column(text, pair.Key.Start);
                if (value.Kind == NodeKind.Sequence)
                {
                    return new Located(value, null, keyColumn, pair.Key.End, current, depth);
                }

                if (value.Kind == NodeKind.Scalar && value.Style == ScalarStyle.Plain && value.Value is "" or "~" or "null" or "Null" or "NULL")
                {
                    // An empty value's marks point at the next token; only a written '~'/'null' has a span of its own.
                    Node empty = value.Value.Length == 0 ? new Node(NodeKind.Scalar, pair.Key.End, pair.Key.End, pair.Key.StartLine) : value;
                    return new Located(null, empty, keyColumn, pair.Key.End, current, depth);
                }

                throw new YamlListEditException($"line {value.StartLine}: '{string.Join('.', keyPath)}' is not a list. Fix: make it a list ('- ' entries) or remove the key");
            }

            current = pair.Value;
        }

        throw new InvalidOperationException("unreachable");
    }

    private static Node Read(IParser parser, int depth)
    {
        if (depth > 64)
        {
            throw new YamlListEditException($"line {parser.Current!.Start.Line}: nested more than 64 levels deep. Fix: correct the file");
        }

        ParsingEvent current = parser.Current ?? throw new YamlListEditException("the file ends early");
        switch (current)
        {
            case Scalar scalar:
                parser.MoveNext();
                return new Node(NodeKind.Scalar, (int)scalar.Start.Index, (int)scalar.End.Index, (int)scalar.Start.Line) { Value = scalar.Value, Style = scalar.Style };
            case AnchorAlias alias:
                parser.MoveNext();
                return new Node(NodeKind.Alias, (int)alias.Start.Index, (int)alias.End.Index, (int)alias.Start.Line);
            case SequenceStart start:
            {
                parser.MoveNext();
                var node = new Node(NodeKind.Sequence, (int)start.Start.Index, 0, (int)start.Start.Line) { Flow = start.Style == SequenceStyle.Flow };
                while (true)
                {
                    if (parser.Current is SequenceEnd end)
                    {
                        node.End = (int)end.End.Index;
                        node.EndStart = (int)end.Start.Index;
                        parser.MoveNext();
                        return node;
                    }

                    node.Items.Add(Read(parser, depth + 1));
                }
            }

            case MappingStart start:
            {
                parser.MoveNext();
                var node = new Node(NodeKind.Mapping, (int)start.Start.Index, 0, (int)start.Start.Line) { Flow = start.Style == MappingStyle.Flow };
                while (true)
                {
                    if (parser.Current is MappingEnd end)
                    {
                        node.End = (int)end.End.Index;
                        parser.MoveNext();
                        return node;
                    }

                    Node key = Read(parser, depth + 1);
                    Node value = Read(parser, depth + 1);
                    node.Pairs.Add((key, value));
                }
            }

            default:
                throw new YamlListEditException($"line {current.Start.Line}: unexpected {current.GetType().Name}");
        }
    }

    private enum NodeKind
    {
        Scalar,
        Sequence,
        Mapping,
        Alias,
    }

    private sealed class Node(NodeKind kind, int start, int end, int startLine)
    {
        public NodeKind Kind { get; } = kind;

        public int Start { get; } = start;

        public int End { get; set; } = end;

        public int StartLine { get; } = startLine;

        public string Value { get; init; } = string.Empty;

        public ScalarStyle Style { get; init; }

        public bool Flow { get; init; }

        public List<Node> Items { get; } = [];

        public List<(Node Key, Node Value)> Pairs { get; } = [];

        // For a flow sequence: where its ']' starts (the SequenceEnd event's start mark).
        public int EndStart { get; set; }
    }

    // What the key path leads to: the list, or an empty value to replace, or the deepest existing mapping (Parent)
    // and how many keys of the path it covers (Depth) when the key is missing.
    private sealed record Located(Node? List, Node? NullValue, int KeyColumn, int KeyEnd, Node? Parent, int Depth);

    /// <summary>A relative path as <see cref="RelativePaths"/> compares it (no leading <c>./</c>, no trailing <c>/</c>).</summary>
    internal static string NormalizePath(string path) => RelativePathComparer.Normalize(path)!;

    private sealed class RelativePathComparer : IEqualityComparer<string>
    {
        public bool Equals(string? x, string? y) => string.Equals(Normalize(x), Normalize(y), StringComparison.Ordinal);

        public int GetHashCode(string obj) => StringComparer.Ordinal.GetHashCode(Normalize(obj) ?? string.Empty);

        internal static string? Normalize(string? path)
        {
            if (path is null)
            {
                return null;
            }

            while (path.StartsWith("./", StringComparison.Ordinal))
            {
                path = path[2..];
            }

            return path.Length > 1 ? path.TrimEnd('/') : path;
        }
    }
}

/// <summary>An entry to add to a list: a scalar, or a mapping written as block YAML (its first key identifies it).</summary>
internal sealed record YamlListItem
{
    private YamlListItem(string identity, string? scalar, string? block)
    {
        Identity = identity;
        Scalar = scalar;
        Block = block;
    }

    /// <summary>What identifies the entry in its list: the scalar itself, or the value of the mapping's first key.</summary>
    public string Identity { get; }

    /// <summary>The scalar value (quoted as the list's other entries are, or as YAML needs).</summary>
    public string? Scalar { get; }

    /// <summary>The mapping as block YAML lines at indentation 0 (indented under the list's '- ' when added).</summary>
    public string? Block { get; }

    /// <summary>A scalar entry such as <c>./cilium/ks.yaml</c> or <c>@./patches/global/cilium.yaml</c>.</summary>
    public static YamlListItem Of(string value) => new(value, value, null);

    /// <summary>A mapping entry, e.g. a .sops.yaml creation rule (<paramref name="identity"/> = its <c>path_regex</c>):
    /// <paramref name="blockYaml"/> are its lines, first key first, as block YAML at indentation 0.</summary>
    public static YamlListItem Mapping(string identity, string blockYaml) => new(identity, null, blockYaml);
}

/// <summary>One entry of a list in a file: its identity (scalar value or first key's value) and 1-based line.</summary>
internal sealed record YamlListEntry(string Identity, int Line, bool IsMapping);

/// <summary>The list cannot be edited: the file is not YAML, or the key holds something else. The message names the line
/// and the fix.</summary>
internal sealed class YamlListEditException : Exception
{
    public YamlListEditException(string message)
        : base(message)
    {
    }

    public YamlListEditException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public YamlListEditException()
    {
    }
}
