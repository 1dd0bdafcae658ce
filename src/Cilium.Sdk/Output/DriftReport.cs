using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using DiffPlex;
using DiffPlex.Renderer;

namespace Cilium.Sdk.Output;

/// <summary>How a file on disk differs from the tree that would be written.</summary>
public enum DriftKind
{
    /// <summary>The tree has the file; the disk does not.</summary>
    Missing,

    /// <summary>The disk has the file with other content.</summary>
    Changed,

    /// <summary>The writer generated the file earlier, the tree no longer holds it, and it is still on disk (the next
    /// write deletes it).</summary>
    Extra,
}

/// <summary>One drifted file. The contents are kept for <see cref="DriftReport.ToUnifiedDiff"/> and never printed
/// by <see cref="ToString"/>.</summary>
public sealed class DriftEntry
{
    internal DriftEntry(string path, DriftKind kind, bool isSecret, string? expected, string? actual)
    {
        Path = path;
        Kind = kind;
        IsSecret = isSecret;
        Expected = expected;
        Actual = actual;
    }

    /// <summary>The path relative to the output root.</summary>
    public string Path { get; }

    /// <summary>How it differs.</summary>
    public DriftKind Kind { get; }

    /// <summary>True for a secret file: its content is never shown.</summary>
    public bool IsSecret { get; }

    /// <summary>The generated content (null for <see cref="DriftKind.Extra"/>).</summary>
    internal string? Expected { get; }

    /// <summary>The content on disk (null for <see cref="DriftKind.Missing"/>).</summary>
    internal string? Actual { get; }

    /// <summary>What the diff says instead of the content of a secret file, when there is more to say than that it
    /// differs (the places where a sops-encrypted file's clear parts differ).</summary>
    internal string? Note { get; init; }

    /// <summary>The kind and the path, e.g. <c>Changed kubernetes/apps/ks.yaml</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Kind} {Path}";
}

/// <summary>
/// What <see cref="OutputWriter.Check"/> found: the files a write would create, change or delete. Files on disk that
/// the writer never generated and the tree does not hold are not drift (they belong to the user).
/// </summary>
public sealed class DriftReport
{
    private const int ContextLines = 3;

    internal DriftReport(string directory, IReadOnlyList<DriftEntry> entries, bool interruptedWritePending)
    {
        Directory = directory;
        Entries = entries;
        InterruptedWritePending = interruptedWritePending;
    }

    /// <summary>The output directory, as the caller gave it.</summary>
    public string Directory { get; }

    /// <summary>True when at least one file drifted.</summary>
    public bool HasDrift => Entries.Count > 0;

    /// <summary>Every drifted file, sorted by path (ordinal).</summary>
    public IReadOnlyList<DriftEntry> Entries { get; }

    /// <summary>Errors in the repository's own files the tree depends on (a secret file no <c>.sops.yaml</c> creation rule
    /// covers, a <c>talconfig.yaml</c> that does not apply the SDK's patch): a write would refuse, so a drift check fails.
    /// Sorted by path and line.</summary>
    public IReadOnlyList<RepositoryFinding> Problems { get; private init; } = [];

    /// <summary>Advice about the repository's own files that does not fail a check. Sorted by path and line.</summary>
    public IReadOnlyList<RepositoryFinding> Warnings { get; private init; } = [];

    /// <summary>True when the repository has <see cref="Problems"/>.</summary>
    public bool HasProblems => Problems.Count > 0;

    /// <summary>
    /// True when an interrupted write left a journal. The report then describes the tree as the next write's
    /// roll-forward will leave it (the check itself never writes).
    /// </summary>
    public bool InterruptedWritePending { get; }

    /// <summary>
    /// A unified diff per drifted file, from disk (<c>a/</c>) to the generated tree (<c>b/</c>), with three lines of
    /// context; <c>/dev/null</c> stands for a missing side. Secret files get headers and the line
    /// <c>secret content differs (not shown)</c>. Empty when there is no drift. LF line ends.
    /// </summary>
    /// <returns>The diff text.</returns>
    public string ToUnifiedDiff()
    {
        var text = new StringBuilder();
        var renderer = new UnidiffRenderer(new Differ(), ContextLines);
        foreach (DriftEntry entry in Entries)
        {
            string oldName = entry.Kind == DriftKind.Missing ? "/dev/null" : "a/" + entry.Path;
            string newName = entry.Kind == DriftKind.Extra ? "/dev/null" : "b/" + entry.Path;
            text.Append("--- ").Append(oldName).Append('\n');
            text.Append("+++ ").Append(newName).Append('\n');
            if (entry.IsSecret)
            {
                text.Append(entry.Note ?? entry.Kind switch
                {
                    DriftKind.Missing => "secret file missing (content not shown)",
                    DriftKind.Extra => "secret file no longer generated (content not shown)",
                    _ => "secret content differs (not shown)",
                }).Append('\n');
                continue;
            }

            string oldText = Normalize(entry.Actual);
            string newText = Normalize(entry.Expected);
            if (oldText.Length == 0 || newText.Length == 0)
            {
                // A whole file added or removed: GNU diff's form (-0,0), which patch and git apply accept.
                AppendWholeFile(text, oldText.Length == 0 ? newText : oldText, added: oldText.Length == 0);
                continue;
            }

            string[] lines = renderer.Generate(StripFinalNewline(oldText), StripFinalNewline(newText), oldName, newName)
                .Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
            int first = 0;

            // Our own headers are above; the renderer's (the first two lines) are dropped so the format is ours.
            while (first < lines.Length && first < 2 && (lines[first].StartsWith("--- ", StringComparison.Ordinal) || lines[first].StartsWith("+++ ", StringComparison.Ordinal)))
            {
                first++;
            }

            int end = lines.Length;
            while (end > first && lines[end - 1].Length == 0)
            {
                end--;
            }

            if (end == first)
            {
                text.Append("only the line break at the end of the file differs\n");
            }

            for (int i = first; i < end; i++)
            {
                text.Append(lines[i]).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>A one-line summary, e.g. <c>drift in out/: 1 missing, 2 changed</c> or <c>no drift in out/</c>, with
    /// <c>; 1 repository problem</c> when there are <see cref="Problems"/>.</summary>
    /// <returns>The summary.</returns>
    public override string ToString()
    {
        string problems = Problems.Count == 0 ? string.Empty
            : "; " + Problems.Count.ToString(CultureInfo.InvariantCulture) + (Problems.Count == 1 ? " repository problem" : " repository problems");
        if (!HasDrift)
        {
            return $"no drift in {Directory}{problems}";
        }

        IEnumerable<string> parts = Entries.GroupBy(e => e.Kind).OrderBy(g => g.Key)
            .Select(g => g.Count().ToString(CultureInfo.InvariantCulture) + " " + g.Key.ToString().ToLowerInvariant());
        return $"drift in {Directory}: {string.Join(", ", parts)}{problems}";
    }

    internal DriftReport WithFindings(IReadOnlyList<RepositoryFinding> findings) => new(Directory, Entries, InterruptedWritePending)
    {
        Problems = [.. findings.Where(f => f.IsError)],
        Warnings = [.. findings.Where(f => !f.IsError)],
    };

    private static void AppendWholeFile(StringBuilder text, string content, bool added)
    {
        string[] lines = StripFinalNewline(content).Split('\n');
        string range = lines.Length == 1 ? "1" : "1," + lines.Length.ToString(CultureInfo.InvariantCulture);
        text.Append(added ? $"@@ -0,0 +{range} @@\n" : $"@@ -{range} +0,0 @@\n");
        foreach (string line in lines)
        {
            text.Append(added ? '+' : '-').Append(line).Append('\n');
        }
    }

    private static string StripFinalNewline(string text) => text.EndsWith('\n') ? text[..^1] : text;

    private static string Normalize(string? text) => (text ?? string.Empty).Replace("\r\n", "\n", StringComparison.Ordinal);
}
