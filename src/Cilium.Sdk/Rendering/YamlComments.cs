using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace Cilium.Sdk.Rendering;

/// <summary>
/// The comments of one block-style YAML document, each tied to the key it stands above or beside by that key's path
/// (keys joined with '.', list items as <c>[i]</c>: <c>spec.values.bpf.hostLegacyRouting</c>), so a comment can be
/// carried from a repository's file into the file the SDK renders wherever its key survives. Line-based on purpose:
/// YamlDotNet's representation model drops comments, and its scanner gives comments without the key they belong to.
/// Handles what people and the SDK write in Kubernetes files: block mappings and lists (indented or not), block
/// scalars, flow collections on one line, quoted keys.
/// </summary>
internal static partial class YamlComments
{
    /// <summary>The path of comments after the last key of a document.</summary>
    public const string End = "(end)";

    /// <summary>One comment: <paramref name="Text"/> is its lines (each from its '#'), <paramref name="Line"/> the
    /// 1-based line of its first line in the text it was read from.</summary>
    public sealed record Comment(string Path, string Text, bool Beside, int Line);

    /// <summary>Every comment of <paramref name="document"/> with the key it belongs to: a comment line goes with the
    /// next key (or list item), a comment after a value with that value's key.</summary>
    public static List<Comment> Extract(string document, int firstLine = 1)
    {
        var comments = new List<Comment>();
        var pending = new List<string>();
        int pendingLine = 0;
        foreach (var line in Scan(Lines(document)))
        {
            if (line.Kind == LineKind.Comment)
            {
                if (pending.Count == 0)
                {
                    pendingLine = line.Index + firstLine;
                }

                pending.Add(line.Comment!);
            }
            else if (line.Kind == LineKind.Key)
            {
                if (pending.Count > 0)
                {
                    comments.Add(new Comment(line.Path!, string.Join('\n', pending), false, pendingLine));
                    pending.Clear();
                }

                if (line.Comment is not null)
                {
                    comments.Add(new Comment(line.Path!, line.Comment, true, line.Index + firstLine));
                }
            }
        }

        if (pending.Count > 0)
        {
            comments.Add(new Comment(End, string.Join('\n', pending), false, pendingLine));
        }

        return comments;
    }

    /// <summary>Every key and list item of <paramref name="document"/> in order: its path and 0-based line.</summary>
    public static List<(string Path, int Line)> Keys(string document) =>
        Scan(Lines(document)).Where(l => l.Kind == LineKind.Key).Select(l => (l.Path!, l.Index)).ToList();

    /// <summary>The path of the key or list item that holds <paramref name="path"/> ("" at the top).</summary>
    public static string Parent(string path)
    {
        int at = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return at < 0 ? string.Empty : path[..at];
    }

    /// <summary>The paths of every key and list item of <paramref name="document"/>.</summary>
    public static HashSet<string> Paths(string document) =>
        Scan(Lines(document)).Where(l => l.Kind == LineKind.Key).Select(l => l.Path!).ToHashSet(StringComparer.Ordinal);

    /// <summary>Puts <paramref name="comments"/> back into <paramref name="document"/>: above or beside the line of their
    /// key, indented as it is. Comments whose key the document lacks are returned in <paramref name="missing"/>.</summary>
    public static string Insert(string document, IEnumerable<Comment> comments, List<Comment> missing)
    {
        string[] lines = Lines(document);
        var keyLines = new Dictionary<string, (int Index, int Indent)>(StringComparer.Ordinal);
        foreach (var line in Scan(lines).Where(l => l.Kind == LineKind.Key))
        {
            keyLines.TryAdd(line.Path!, (line.Index, line.Indent));
        }

        var above = new SortedDictionary<int, List<string>>();
        var beside = new Dictionary<int, string>();
        var end = new List<string>();
        foreach (var comment in comments)
        {
            if (comment.Path == End)
            {
                end.AddRange(comment.Text.Split('\n'));
            }
            else if (!keyLines.TryGetValue(comment.Path, out var at))
            {
                missing.Add(comment);
            }
            else if (comment.Beside)
            {
                beside[at.Index] = beside.TryGetValue(at.Index, out var before) ? before + " " + comment.Text : comment.Text;
            }
            else
            {
                if (!above.TryGetValue(at.Index, out var list))
                {
                    above[at.Index] = list = [];
                }

                list.AddRange(comment.Text.Split('\n').Select(t => new string(' ', at.Indent) + t));
            }
        }

        var text = new StringBuilder(document.Length + 256);
        for (int i = 0; i < lines.Length; i++)
        {
            if (above.TryGetValue(i, out var list))
            {
                foreach (var comment in list)
                {
                    text.Append(comment).Append('\n');
                }
            }

            text.Append(lines[i]);
            if (beside.TryGetValue(i, out var inline))
            {
                text.Append(' ').Append(inline);
            }

            if (i < lines.Length - 1)
            {
                text.Append('\n');
            }
        }

        foreach (var comment in end)
        {
            if (text.Length > 0 && text[^1] != '\n')
            {
                text.Append('\n');
            }

            text.Append(comment).Append('\n');
        }

        return text.ToString();
    }

    private static string[] Lines(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');

    private enum LineKind
    {
        Comment,
        Key,
        Other,
    }

    private sealed record Line(int Index, LineKind Kind, string? Path, int Indent, string? Comment);

    // A mapping key at the start of a line's content: plain, or quoted; then ':' and a space or the line's end.
    [GeneratedRegex("""^(?:"(?<dq>(?:[^"\\]|\\.)*)"|'(?<sq>(?:[^']|'')*)'|(?<plain>[^\s#'"\[\]{},:&*!|>%@`-][^#]*?|-[^\s#][^#]*?))\s*:(?:\s|$)""")]
    private static partial Regex KeyPattern();

    private static IEnumerable<Line> Scan(string[] lines)
    {
        // Open levels: a mapping key (its column) or a list item (the column of its '-').
        var stack = new List<(int Indent, string Segment, bool Item)>();
        var counters = new Dictionary<string, int>(StringComparer.Ordinal);
        int blockIndent = -1;
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            string content = line.TrimStart(' ');
            int indent = line.Length - content.Length;
            if (blockIndent >= 0)
            {
                if (content.Length == 0 || indent > blockIndent)
                {
                    yield return new Line(i, LineKind.Other, null, indent, null);
                    continue;
                }

                blockIndent = -1;
            }

            if (content.Length == 0)
            {
                yield return new Line(i, LineKind.Other, null, indent, null);
                continue;
            }

            if (content[0] == '#')
            {
                yield return new Line(i, LineKind.Comment, null, indent, content.TrimEnd());
                continue;
            }

            if (content is "---" or "..." || content.StartsWith("--- ", StringComparison.Ordinal))
            {
                stack.Clear();
                counters.Clear();
                yield return new Line(i, LineKind.Other, null, indent, null);
                continue;
            }

            string? path = null;
            int column = indent;
            string rest = content;
            bool item = rest == "-" || rest.StartsWith("- ", StringComparison.Ordinal);
            while (stack.Count > 0 && (stack[^1].Indent > indent || (stack[^1].Indent == indent && (!item || stack[^1].Item))))
            {
                stack.RemoveAt(stack.Count - 1);
            }

            int dash = -1;
            while (rest == "-" || rest.StartsWith("- ", StringComparison.Ordinal))
            {
                dash = column;
                string parent = Join(stack);
                string counter = parent + "\0" + column.ToString(System.Globalization.CultureInfo.InvariantCulture);
                int index = counters.TryGetValue(counter, out int last) ? last + 1 : 0;
                counters[counter] = index;
                stack.Add((column, "[" + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]", true));
                path = Join(stack);
                string after = rest.Length > 1 ? rest[2..] : string.Empty;
                column += rest.Length - after.TrimStart(' ').Length;
                rest = after.TrimStart(' ');
            }

            string value = rest;
            bool keyed = false;
            if (KeyPattern().Match(rest) is { Success: true } key)
            {
                keyed = true;
                string name = key.Groups["dq"].Success ? Regex.Unescape(key.Groups["dq"].Value)
                    : key.Groups["sq"].Success ? key.Groups["sq"].Value.Replace("''", "'", StringComparison.Ordinal)
                    : key.Groups["plain"].Value.TrimEnd();
                stack.Add((column, name, false));
                path = Join(stack);
                value = rest[key.Length..];
            }

            var (scalar, comment) = SplitComment(value);
            if (scalar.Trim() is ['|' or '>', ..] indicator && !indicator.Contains(' ', StringComparison.Ordinal))
            {
                // The block's lines are those indented deeper than its key, or than the '-' of a bare list item.
                blockIndent = path is null ? indent : keyed ? column : dash;
            }

            yield return path is null
                ? new Line(i, LineKind.Other, null, indent, comment)
                : new Line(i, LineKind.Key, path, indent, comment);
        }
    }

    private static string Join(List<(int Indent, string Segment, bool Item)> stack)
    {
        var path = new StringBuilder();
        foreach (var (_, segment, item) in stack)
        {
            if (!item && path.Length > 0)
            {
                path.Append('.');
            }

            path.Append(segment);
        }

        return path.ToString();
    }

    // A value and the comment after it: '#' after a space, outside quotes.
    private static (string Value, string? Comment) SplitComment(string value)
    {
        char quote = '\0';
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (quote != '\0')
            {
                if (c == quote && (quote == '\'' || value[i - 1] != '\\'))
                {
                    quote = '\0';
                }
            }
            else if ((c == '"' || c == '\'') && (i == 0 || value[i - 1] == ' ' || value[i - 1] == '[' || value[i - 1] == '{' || value[i - 1] == ','))
            {
                quote = c;
            }
            else if (c == '#' && (i == 0 || value[i - 1] == ' '))
            {
                return (value[..i], value[i..].TrimEnd());
            }
        }

        return (value, null);
    }
}
