using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Cilium.Sdk.Output;

/// <summary>What <see cref="OutputWriter.Write(OutputTree, string, WriteOptions?)"/> did. Every list is sorted (ordinal).</summary>
public sealed class WriteResult
{
    internal WriteResult(
        string directory,
        IReadOnlyList<string> created,
        IReadOnlyList<string> updated,
        IReadOnlyList<string> unchanged,
        IReadOnlyList<string> deleted,
        IReadOnlyList<string> adopted,
        bool recovered,
        IReadOnlyList<string>? needsEncryption = null)
    {
        NeedsEncryption = needsEncryption ?? [];
        Directory = directory;
        Created = created;
        Updated = updated;
        Unchanged = unchanged;
        Deleted = deleted;
        Adopted = adopted;
        RecoveredInterruptedWrite = recovered;
    }

    /// <summary>The output directory, as the caller gave it.</summary>
    public string Directory { get; }

    /// <summary>Files that did not exist and were written.</summary>
    public IReadOnlyList<string> Created { get; }

    /// <summary>Generated files whose content changed.</summary>
    public IReadOnlyList<string> Updated { get; }

    /// <summary>Files already byte-identical (not rewritten, so their timestamps stay).</summary>
    public IReadOnlyList<string> Unchanged { get; }

    /// <summary>Files the writer generated earlier that the tree no longer holds.</summary>
    public IReadOnlyList<string> Deleted { get; }

    /// <summary>The subset of <see cref="Unchanged"/> that the writer did not own before and now does (the file
    /// already had exactly the generated content).</summary>
    public IReadOnlyList<string> Adopted { get; }

    /// <summary>Secret files (<c>*.sops.yaml</c>) this write put on disk in plain text (created or rewritten): encrypt each
    /// before committing (<c>sops --encrypt --in-place PATH</c>). A secret file sops already encrypted, whose clear parts
    /// match, is left as it is and is not listed; one rewritten with <see cref="WriteOptions.RewriteSecrets"/> is.</summary>
    public IReadOnlyList<string> NeedsEncryption { get; }

    /// <summary>Secret files an earlier write left in plain text that this write did not touch: still to encrypt
    /// before committing.</summary>
    public IReadOnlyList<string> StillInPlainText { get; internal init; } = [];

    /// <summary>Files that existed with other content, were not the writer's, and were taken over
    /// (<see cref="WriteOptions.Adopt"/>): overwritten and owned from now on. A subset of <see cref="Updated"/>.</summary>
    public IReadOnlyList<string> TakenOver { get; internal init; } = [];

    /// <summary>Merged files (the repository's) whose lists this write changed: entries added or removed, every other
    /// byte kept. A subset of <see cref="Updated"/>.</summary>
    public IReadOnlyList<string> MergedInto { get; internal init; } = [];

    /// <summary>Files an adoption deleted because the tree holds their objects elsewhere: path to its replacement.</summary>
    public IReadOnlyDictionary<string, string> Replaced { get; internal init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Files that are not the writer's, in folders where this write took files over: left as they are.</summary>
    public IReadOnlyList<string> Kept { get; internal init; } = [];

    /// <summary>What the checks of the repository's own files (<c>.sops.yaml</c>, <c>talconfig.yaml</c>) found that did
    /// not stop the write, sorted by path and line.</summary>
    public IReadOnlyList<RepositoryFinding> Warnings { get; internal set; } = [];

    /// <summary>True when an earlier write had been interrupted and this call completed it first.</summary>
    public bool RecoveredInterruptedWrite { get; }

    /// <summary>A one-line summary, e.g. <c>wrote 5 files (3 created, 2 unchanged) to out/</c>.</summary>
    /// <returns>The summary; counts that are zero are left out.</returns>
    public override string ToString()
    {
        int total = Created.Count + Updated.Count + Unchanged.Count;
        var parts = new List<string>();
        AddPart(parts, Created.Count, "created");
        AddPart(parts, Updated.Count, "updated");
        AddPart(parts, Unchanged.Count, "unchanged");
        AddPart(parts, Deleted.Count, "deleted");
        AddPart(parts, TakenOver.Count, "taken over");
        AddPart(parts, MergedInto.Count, "merged into");
        AddPart(parts, Replaced.Count, "replaced");
        AddPart(parts, Kept.Count, "kept beside");
        var text = new StringBuilder();
        text.Append("wrote ").Append(total.ToString(CultureInfo.InvariantCulture)).Append(total == 1 ? " file" : " files");
        if (parts.Count > 0)
        {
            text.Append(" (").Append(string.Join(", ", parts)).Append(')');
        }

        text.Append(" to ").Append(Directory);
        if (!Directory.EndsWith('/') && !Directory.EndsWith(System.IO.Path.DirectorySeparatorChar))
        {
            text.Append('/');
        }

        return text.ToString();
    }

    private static void AddPart(List<string> parts, int count, string what)
    {
        if (count > 0)
        {
            parts.Add(count.ToString(CultureInfo.InvariantCulture) + " " + what);
        }
    }
}
