using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cilium.Sdk.Output;

/// <summary>
/// The writer's bookkeeping under <c>.cilium-sdk/</c> at the output root: the ownership manifest
/// (<c>owned.json</c>, meant to be committed), and while a write is in flight the staging folder, the journal and the
/// lock (all ignored by the <c>.gitignore</c> written beside them).
/// </summary>
internal sealed class OutputState
{
    public const string ManifestName = "owned.json";
    public const string JournalName = "journal.json";
    public const string StagingName = "staging";
    public const string LockName = "lock";
    public const string ProbesName = "probes";
    public const string ProbePrefix = ".cilium-sdk-probe-";
    public const string GitIgnoreName = ".gitignore";

    /// <summary>The manifest's name for a secret file's record: the SHA-256 of its skeleton (see <see cref="Secrets.SecretDigest"/>).</summary>
    public const string ClearHashName = "clearSha256";
    public const string GitIgnoreContent = "# Cilium.Sdk's in-flight write state; commit owned.json only.\n/lock\n/staging/\n/journal.json\n/probes\n/*.tmp\n";

    public OutputState(string root)
    {
        Root = root;
        Folder = Path.Combine(root, OutputPaths.StateFolder);
        ManifestFile = Path.Combine(Folder, ManifestName);
        JournalFile = Path.Combine(Folder, JournalName);
        StagingFolder = Path.Combine(Folder, StagingName);
        ProbesFile = Path.Combine(Folder, ProbesName);
    }

    public string Root { get; }

    public string Folder { get; }

    public string ManifestFile { get; }

    public string JournalFile { get; }

    public string StagingFolder { get; }

    /// <summary>The writability probes of a write in progress, one relative path a line, listed before they are made:
    /// a writer killed while one exists leaves its name for the next write to remove.</summary>
    public string ProbesFile { get; }

    public string FullPath(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    public string StagedPath(string relative) => Path.Combine(StagingFolder, relative.Replace('/', Path.DirectorySeparatorChar));

    public static string Sha256(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();

    /// <summary>Reads the ownership manifest: owned paths with the SHA-256 of the content the writer wrote, and merged
    /// files with the entries the writer added to them.</summary>
    public Ownership ReadManifest(string displayRoot)
    {
        if (!File.Exists(ManifestFile))
        {
            return Ownership.Empty();
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(ManifestFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputException(
                $"The ownership manifest {Path.Combine(displayRoot, OutputPaths.StateFolder, ManifestName)} cannot be read ({e.Message}). " +
                "Fix: make it readable; without it the writer cannot tell its files from yours.",
                e);
        }

        try
        {
            JsonNode? root = JsonNode.Parse(bytes);
            return new Ownership(ParseOwned(root?["files"]), ParseMerged(root?["merged"]));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new OutputException(
                $"The ownership manifest {Path.Combine(displayRoot, OutputPaths.StateFolder, ManifestName)} is not valid ({e.Message}). " +
                "Fix: restore it from version control; or delete it, and the next write adopts every file whose content is identical and refuses the others.",
                e);
        }
    }

    /// <summary>The manifest's text: sorted paths and hashes, then (when there are any) the merged files with the entries
    /// the writer added, sorted; two-space indented, LF line ends, one trailing LF.</summary>
    public static byte[] SerializeManifest(Ownership ownership)
    {
        var root = new JsonObject { ["version"] = 1, ["files"] = OwnedToJson(ownership.Files) };
        if (ownership.Merged.Count > 0)
        {
            root["merged"] = MergedToJson(ownership.Merged);
        }

        return ToBytes(root);
    }

    public static JsonArray MergedToJson(IReadOnlyDictionary<string, IReadOnlyList<MergedEntry>> merged)
    {
        var files = new JsonArray();
        foreach (KeyValuePair<string, IReadOnlyList<MergedEntry>> file in merged.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            var added = new JsonArray();
            foreach (MergedEntry entry in file.Value.OrderBy(e => e.List, StringComparer.Ordinal).ThenBy(e => e.Value, StringComparer.Ordinal))
            {
                added.Add((JsonNode)new JsonObject { ["list"] = entry.List, ["value"] = entry.Value });
            }

            files.Add((JsonNode)new JsonObject { ["path"] = file.Key, ["added"] = added });
        }

        return files;
    }

    public static SortedDictionary<string, IReadOnlyList<MergedEntry>> ParseMerged(JsonNode? merged)
    {
        var result = new SortedDictionary<string, IReadOnlyList<MergedEntry>>(StringComparer.Ordinal);
        if (merged is null)
        {
            return result;
        }

        if (merged is not JsonArray array)
        {
            throw new FormatException("'merged' is not a list");
        }

        foreach (JsonNode? item in array)
        {
            string path = item?["path"]?.GetValue<string>() ?? throw new FormatException("a merged entry has no 'path'");
            if (OutputPaths.Problem(path) is { } problem)
            {
                throw new FormatException($"'{path}': {problem}");
            }

            var entries = new List<MergedEntry>();
            foreach (JsonNode? added in item["added"] as JsonArray ?? throw new FormatException($"'{path}' has no 'added' list"))
            {
                string list = added?["list"]?.GetValue<string>() ?? throw new FormatException($"an entry of '{path}' has no 'list'");
                string value = added["value"]?.GetValue<string>() ?? throw new FormatException($"an entry of '{path}' has no 'value'");
                entries.Add(MergedEntry.Scalar(list, value));
            }

            result[path] = entries;
        }

        return result;
    }

    public static JsonArray OwnedToJson(IReadOnlyDictionary<string, string> owned)
    {
        var files = new JsonArray();
        foreach (KeyValuePair<string, string> entry in owned.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            // A secret file's record is the hash of its skeleton (no secret-derived value), under its own name.
            files.Add(entry.Value.StartsWith(Secrets.SecretDigest.Prefix, StringComparison.Ordinal)
                ? (JsonNode)new JsonObject { ["path"] = entry.Key, [ClearHashName] = entry.Value[Secrets.SecretDigest.Prefix.Length..] }
                : (JsonNode)new JsonObject { ["path"] = entry.Key, ["sha256"] = entry.Value }); // not Add<T>, which needs reflection
        }

        return files;
    }

    public static SortedDictionary<string, string> ParseOwned(JsonNode? files)
    {
        var owned = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (files is not JsonArray array)
        {
            throw new FormatException("'files' is not a list");
        }

        foreach (JsonNode? item in array)
        {
            string path = item?["path"]?.GetValue<string>() ?? throw new FormatException("an entry has no 'path'");
            string sha = item["sha256"]?.GetValue<string>()
                ?? (item[ClearHashName]?.GetValue<string>() is { } clear ? Secrets.SecretDigest.Prefix + clear : null)
                ?? throw new FormatException($"'{path}' has no 'sha256' or '{ClearHashName}'");
            if (OutputPaths.Problem(path) is { } problem)
            {
                throw new FormatException($"'{path}': {problem}");
            }

            owned[path] = sha;
        }

        return owned;
    }

    public static byte[] ToBytes(JsonNode node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            node.WriteTo(writer);
        }

        // Utf8JsonWriter uses Environment.NewLine before .NET 9; the files are LF everywhere.
        string text = Encoding.UTF8.GetString(buffer.ToArray()).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
        return Encoding.UTF8.GetBytes(text);
    }

    /// <summary>Writes a small state file atomically: a temporary file, flushed to disk, renamed over the target.</summary>
    public static void WriteAtomically(string path, byte[] bytes)
    {
        string temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }
}

/// <summary>
/// The plan of one write, committed to disk before any generated file is touched, so an interrupted write can be
/// completed: files to move from staging into place (each with the content its target must still have, or absent),
/// files to delete (with the hash they must still have), and the ownership manifest to write at the end.
/// </summary>
/// <remarks>Written with a <see cref="Utf8JsonWriter"/> and read with <see cref="JsonDocument"/>: no reflection.
/// Version 1 journals (moves without the expected previous content) are read too: a move's expected content is then the
/// one the ownership manifest records for it (an update), or absent (a creation), as the plan required.</remarks>
internal sealed record Journal(
    IReadOnlyList<JournalMove> Moves,
    IReadOnlyList<KeyValuePair<string, string>> Deletes,
    Ownership Owned)
{
    private const int Version = 3;

    public byte[] Serialize()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", Version);
            writer.WriteStartArray("moves");
            foreach (JournalMove move in Moves)
            {
                writer.WriteStartObject();
                writer.WriteString("path", move.Path);
                if (move.Previous is null)
                {
                    writer.WriteNull("previous");
                }
                else
                {
                    writer.WriteString("previous", move.Previous);
                }

                writer.WriteString("next", move.Next);

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            WriteFiles(writer, "deletes", Deletes);
            WriteFiles(writer, "files", Owned.Files);
            writer.WriteEndObject();
        }

        // The merged records go in as the manifest writes them (JsonNode, no reflection), so the roll-forward writes them.
        var root = JsonNode.Parse(buffer.ToArray())!.AsObject();
        root["merged"] = OutputState.MergedToJson(Owned.Merged);
        return OutputState.ToBytes(root);
    }

    public static Journal Read(string file, string displayPath, Ownership manifest)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(file));
            JsonElement root = document.RootElement;
            int version = root.GetProperty("version").GetInt32();
            var moves = new List<JournalMove>();
            foreach (JsonElement move in Array(root, "moves"))
            {
                string path;
                string? previous;
                string? next = null;
                if (version == 1)
                {
                    path = move.GetString() ?? throw new FormatException("a move has no path");
                    previous = manifest.Files.TryGetValue(path, out string? owned) ? owned : null;
                }
                else
                {
                    path = move.GetProperty("path").GetString() ?? throw new FormatException("a move has no path");
                    previous = move.GetProperty("previous").GetString();
                    next = move.TryGetProperty("next", out JsonElement written) ? written.GetString() : null;
                }

                moves.Add(OutputPaths.Problem(path) is null ? new JournalMove(path, previous, next ?? string.Empty) : throw new FormatException($"bad move path '{path}'"));
            }

            var files = ReadFiles(root, "files");
            var merged = root.TryGetProperty("merged", out JsonElement mergedElement)
                ? OutputState.ParseMerged(JsonNode.Parse(mergedElement.GetRawText()))
                : new SortedDictionary<string, IReadOnlyList<MergedEntry>>(StringComparer.Ordinal);

            // Journals before version 3 name a move's new content only through the manifest it writes.
            moves = moves.Select(m => m.Next.Length > 0 ? m : m with { Next = files.TryGetValue(m.Path, out string? sha) ? sha : string.Empty }).ToList();
            return new Journal(moves, ReadFiles(root, "deletes").ToList(), new Ownership(files, merged));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            throw new OutputException(
                $"The journal of an interrupted write, {displayPath}, cannot be read ({e.Message}). " +
                "Fix: delete it and the staging folder beside it, check the output with git, then write again.",
                e);
        }
    }

    private static void WriteFiles(Utf8JsonWriter writer, string name, IEnumerable<KeyValuePair<string, string>> files)
    {
        writer.WriteStartArray(name);
        foreach (KeyValuePair<string, string> entry in files.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            writer.WriteStartObject();
            writer.WriteString("path", entry.Key);
            writer.WriteString("sha256", entry.Value);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static JsonElement.ArrayEnumerator Array(JsonElement root, string name) =>
        root.GetProperty(name) is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray() : throw new FormatException($"'{name}' is not a list");

    private static SortedDictionary<string, string> ReadFiles(JsonElement root, string name)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (JsonElement item in Array(root, name))
        {
            string path = item.GetProperty("path").GetString() ?? throw new FormatException("an entry has no 'path'");
            string sha = item.GetProperty("sha256").GetString() ?? throw new FormatException($"'{path}' has no 'sha256'");
            files[OutputPaths.Problem(path) is { } problem ? throw new FormatException($"'{path}': {problem}") : path] = sha;
        }

        return files;
    }
}

/// <summary>One staged file of a <see cref="Journal"/> and what its target must still hold for the move to happen.</summary>
/// <param name="Path">The target, relative to the output root.</param>
/// <param name="Previous">The SHA-256 of the target's content when the write was planned, or null when it was absent.</param>
/// <param name="Next">The SHA-256 of the staged content (for a merged file the merged text, which the manifest does not
/// record).</param>
internal sealed record JournalMove(string Path, string? Previous, string Next);

/// <summary>What the writer owns in a directory: whole files (path to the SHA-256 it wrote) and merged files (path to the
/// entries it added itself).</summary>
internal sealed record Ownership(SortedDictionary<string, string> Files, SortedDictionary<string, IReadOnlyList<MergedEntry>> Merged)
{
    public static Ownership Empty() => new(
        new SortedDictionary<string, string>(StringComparer.Ordinal),
        new SortedDictionary<string, IReadOnlyList<MergedEntry>>(StringComparer.Ordinal));

    public Ownership Copy() => new(
        new SortedDictionary<string, string>(Files, StringComparer.Ordinal),
        new SortedDictionary<string, IReadOnlyList<MergedEntry>>(Merged, StringComparer.Ordinal));

    public bool SameAs(Ownership other) =>
        Files.Count == other.Files.Count && Files.All(e => other.Files.TryGetValue(e.Key, out string? sha) && sha == e.Value)
        && Merged.Count == other.Merged.Count
        && Merged.All(e => other.Merged.TryGetValue(e.Key, out var entries) && entries.Count == e.Value.Count && e.Value.All(a => entries.Any(b => b.SameAs(a))));
}
