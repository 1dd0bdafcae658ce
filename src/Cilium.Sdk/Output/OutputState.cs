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

    /// <summary>Reads the ownership manifest: path to the SHA-256 of the content the writer wrote.</summary>
    public SortedDictionary<string, string> ReadManifest(string displayRoot)
    {
        if (!File.Exists(ManifestFile))
        {
            return new SortedDictionary<string, string>(StringComparer.Ordinal);
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
            return ParseOwned(JsonNode.Parse(bytes)?["files"]);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new OutputException(
                $"The ownership manifest {Path.Combine(displayRoot, OutputPaths.StateFolder, ManifestName)} is not valid ({e.Message}). " +
                "Fix: restore it from version control; or delete it, and the next write adopts every file whose content is identical and refuses the others.",
                e);
        }
    }

    /// <summary>The manifest's text: sorted paths and hashes, two-space indented, LF line ends, one trailing LF.</summary>
    public static byte[] SerializeManifest(IReadOnlyDictionary<string, string> owned)
    {
        var root = new JsonObject { ["version"] = 1, ["files"] = OwnedToJson(owned) };
        return ToBytes(root);
    }

    public static JsonArray OwnedToJson(IReadOnlyDictionary<string, string> owned)
    {
        var files = new JsonArray();
        foreach (KeyValuePair<string, string> entry in owned.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            files.Add((JsonNode)new JsonObject { ["path"] = entry.Key, ["sha256"] = entry.Value }); // not Add<T>, which needs reflection
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
            string sha = item["sha256"]?.GetValue<string>() ?? throw new FormatException($"'{path}' has no 'sha256'");
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
    SortedDictionary<string, string> Owned)
{
    private const int Version = 2;

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

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            WriteFiles(writer, "deletes", Deletes);
            WriteFiles(writer, "files", Owned);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public static Journal Read(string file, string displayPath, IReadOnlyDictionary<string, string> manifest)
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
                if (version == 1)
                {
                    path = move.GetString() ?? throw new FormatException("a move has no path");
                    previous = manifest.TryGetValue(path, out string? owned) ? owned : null;
                }
                else
                {
                    path = move.GetProperty("path").GetString() ?? throw new FormatException("a move has no path");
                    previous = move.GetProperty("previous").GetString();
                }

                moves.Add(OutputPaths.Problem(path) is null ? new JournalMove(path, previous) : throw new FormatException($"bad move path '{path}'"));
            }

            return new Journal(moves, ReadFiles(root, "deletes").ToList(), ReadFiles(root, "files"));
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
internal sealed record JournalMove(string Path, string? Previous);
