using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Cilium.Sdk.Secrets;

namespace Cilium.Sdk.Output;

/// <summary>
/// Writes an <see cref="OutputTree"/> to a directory safely, and checks a directory against a tree (drift).
/// </summary>
/// <remarks>
/// <para><b>Ownership.</b> The writer records every file it wrote in <c>.cilium-sdk/owned.json</c> at the output root
/// (sorted paths with the SHA-256 of the bytes written, for a secret file the SHA-256 of its skeleton, which holds no secret-derived value: <see cref="SecretDigest"/>; commit it with the output). It never overwrites or deletes a
/// file it did not write: an existing file at a generated path that is not in the manifest is a conflict, unless its
/// content is already byte-identical, in which case the writer adopts it. A file it wrote earlier that the tree no
/// longer holds is deleted if it is unchanged since; a generated file the user edited is a conflict for overwriting
/// or deleting unless <see cref="WriteOptions.Force"/>. Every conflict is collected and reported together in one
/// <see cref="OutputException"/> before anything is written.</para>
/// <para><b>Atomicity.</b> A write (1) stages every new or changed file under <c>.cilium-sdk/staging/</c>, flushed to
/// disk; (2) commits a journal (<c>.cilium-sdk/journal.json</c>, written to a temporary file and renamed) listing
/// the moves (each with the hash its target had when planned, or "absent"), the deletions (with their hash) and the
/// new manifest; (3) deletes stale owned files, then renames each staged file into place; (4) writes the new manifest
/// the same way; (5) removes staging and the journal. A crash before (2) leaves the previous tree (the next write
/// discards the staging folder); a crash after it is rolled forward by the next write, which completes the same moves
/// and deletions (both idempotent), so the tree always converges to the new one and no user file is lost. Every
/// target is re-checked just before it is touched, in a normal write and in a roll-forward alike: a file that changed
/// since the plan (edited while the write ran, or between a crash and the recovery) is kept with its ownership entry,
/// the rest of the write completes, and the kept files are reported in an <see cref="OutputException"/>. Before the commit the writer also probes every target folder for writability, so an
/// unwritable one fails with nothing changed; the probe files are listed in <c>.cilium-sdk/probes</c> before they are
/// made, so ones left by a killed writer are removed by the next write. Writes to one directory are serialized with a lock file. File contents
/// are flushed to disk; folder entries are not (.NET has no portable call for it), so the guarantee is complete for a
/// killed process and best effort for a power loss.</para>
/// <para><b>Safety.</b> The writer does not write through a folder that is a symbolic link inside the output
/// directory (a conflict), so it cannot be led outside it.</para>
/// <para><b>Secrets.</b> Secret files (<see cref="OutputFile.IsSecret"/>) are created with mode 0600 on Unix (set at
/// creation, never briefly readable by others). A non-secret file that contains a value from
/// <see cref="WriteOptions.SecretValues"/> (plain or base64) is refused; the error names the file, never the secret.</para>
/// <para>Unchanged files are not rewritten, so their timestamps stay. Folders left empty by a deletion are removed.</para>
/// </remarks>
public static class OutputWriter
{
    /// <summary>The ownership manifest's path relative to the output root.</summary>
    public const string ManifestPath = OutputPaths.StateFolder + "/" + OutputState.ManifestName;

    private const UnixFileMode SecretMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Writes <paramref name="tree"/> into <paramref name="directory"/> (see the remarks on <see cref="OutputWriter"/>).</summary>
    /// <param name="tree">The files to write.</param>
    /// <param name="directory">The output root; created if missing.</param>
    /// <param name="options">Force and the secret values to guard; <see cref="WriteOptions.Default"/> if null.</param>
    /// <returns>What was created, updated, left unchanged, adopted and deleted.</returns>
    /// <exception cref="OutputException">Conflicts (every one listed, nothing written), a directory that cannot be
    /// written (nothing written), or an I/O failure while applying (the next write completes it).</exception>
    public static WriteResult Write(OutputTree tree, string directory, WriteOptions? options = null) =>
        Write(tree, directory, options, step: null);

    /// <summary>Compares <paramref name="tree"/> with <paramref name="directory"/> without writing anything.</summary>
    /// <remarks>
    /// A pending journal (an interrupted write) is not rolled forward here; the report describes the tree as the next
    /// write's roll-forward will leave it and sets <see cref="DriftReport.InterruptedWritePending"/>. Check takes no
    /// lock: run it when no write to the same directory is in progress.
    /// </remarks>
    /// <param name="tree">The files a write would produce.</param>
    /// <param name="directory">The output root.</param>
    /// <returns>Missing and changed files of the tree, and extra files the writer owns but would delete.</returns>
    /// <exception cref="OutputException">The directory is a file, or the ownership manifest or journal is unreadable.</exception>
    public static DriftReport Check(OutputTree tree, string directory)
    {
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentNullException.ThrowIfNull(directory);
        string root = Path.GetFullPath(directory);
        if (File.Exists(root))
        {
            throw new OutputException(directory, [new OutputConflict(directory, "the output directory is a file", "pass the folder that holds the generated tree")]);
        }

        var state = new OutputState(root);
        Ownership owned = state.ReadManifest(directory);
        Journal? journal = File.Exists(state.JournalFile) ? Journal.Read(state.JournalFile, Display(OutputState.JournalName), owned) : null;
        var moves = (journal?.Moves ?? []).ToDictionary(m => m.Path, StringComparer.Ordinal);
        var deletes = (journal?.Deletes ?? []).ToDictionary(d => d.Key, d => d.Value, StringComparer.Ordinal);
        if (journal is not null)
        {
            owned = journal.Owned;
        }

        var conflicts = new List<OutputConflict>();
        var staleOwned = owned.Files.Keys.Where(p => tree[p] is null).ToHashSet(StringComparer.Ordinal);
        string? Merged(string path, byte[] actual, IReadOnlyList<MergedEntry> needed)
        {
            try
            {
                return MergedFiles.Merge(path, Encoding.UTF8.GetString(actual), needed, owned.Merged.GetValueOrDefault(path) ?? [], staleOwned).Text;
            }
            catch (YamlListEditException e)
            {
                conflicts.Add(CannotMerge(path, e));
                return null;
            }
        }

        // The content the path will have once a pending journal is rolled forward (the plain file otherwise): a staged
        // file replaces its target only if the target still has the content the write planned over.
        byte[]? Effective(string path)
        {
            string full = state.FullPath(path);
            byte[]? bytes = File.Exists(full) ? File.ReadAllBytes(full) : null;
            if (moves.TryGetValue(path, out JournalMove? move) && File.Exists(state.StagedPath(path))
                && IsPrevious(bytes, move.Previous))
            {
                return File.ReadAllBytes(state.StagedPath(path));
            }

            return bytes is not null && deletes.TryGetValue(path, out string? sha) && OutputState.Sha256(bytes) == sha ? null : bytes;
        }

        var entries = new List<DriftEntry>();
        foreach (OutputFile file in tree.Files)
        {
            byte[]? actual = Effective(file.Path);
            if (file.Kind == OutputFileKind.Merged)
            {
                // A merged file drifts only when the SDK's entries are missing from it (or ones it added are stale).
                if (actual is null)
                {
                    if (file.CreateIfMissing)
                    {
                        entries.Add(new DriftEntry(file.Path, DriftKind.Missing, file.IsSecret, file.Content, null));
                    }
                }
                else if (Merged(file.Path, actual, file.Entries) is { } merged && merged != Encoding.UTF8.GetString(actual))
                {
                    entries.Add(new DriftEntry(file.Path, DriftKind.Changed, file.IsSecret, merged, Encoding.UTF8.GetString(actual)));
                }

                continue;
            }

            byte[] expected = Encoding.UTF8.GetBytes(file.Content);
            if (actual is null)
            {
                entries.Add(new DriftEntry(file.Path, DriftKind.Missing, file.IsSecret, file.Content, null));
            }
            else if (!actual.AsSpan().SequenceEqual(expected))
            {
                if (SopsFile.TryRead(actual) is not { } encrypted)
                {
                    entries.Add(new DriftEntry(file.Path, DriftKind.Changed, file.IsSecret, file.Content, Encoding.UTF8.GetString(actual)));
                }
                else if (encrypted.ClearDifferences(file.Content) is { Count: > 0 } differences)
                {
                    // Only what sops keeps in clear is compared; the diff names the places, never a value.
                    entries.Add(new DriftEntry(file.Path, DriftKind.Changed, isSecret: true, file.Content, Encoding.UTF8.GetString(actual))
                    {
                        Note = "encrypted with sops; what it keeps in clear differs at " + string.Join(", ", differences) + " (values not shown)",
                    });
                }
            }
        }

        foreach (string path in owned.Files.Keys)
        {
            if (tree[path] is null && Effective(path) is { } actual)
            {
                bool secret = path.EndsWith(OutputPaths.SecretSuffix, StringComparison.Ordinal);
                entries.Add(new DriftEntry(path, DriftKind.Extra, secret, null, Encoding.UTF8.GetString(actual)));
            }
        }

        foreach (string path in owned.Merged.Keys)
        {
            if (tree[path] is null && Effective(path) is { } actual && Merged(path, actual, []) is { } merged && merged != Encoding.UTF8.GetString(actual))
            {
                entries.Add(new DriftEntry(path, DriftKind.Changed, path.EndsWith(OutputPaths.SecretSuffix, StringComparison.Ordinal), merged, Encoding.UTF8.GetString(actual)));
            }
        }

        if (conflicts.Count > 0)
        {
            throw new OutputException(directory, conflicts);
        }

        entries.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return new DriftReport(directory, entries, journal is not null);
    }

    /// <summary>The write with a hook called after each step, so tests can simulate a crash there.</summary>
    internal static WriteResult Write(OutputTree tree, string directory, WriteOptions? options, Action<WriteStep, string>? step)
    {
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentNullException.ThrowIfNull(directory);
        options ??= WriteOptions.Default;
        step ??= static (_, _) => { };
        string root = Path.GetFullPath(directory);
        var state = new OutputState(root);
        CheckRootIsCreatable(state, directory);

        // A directory the writer never wrote to gets its state folder only once the plan is free of conflicts,
        // so a refused first write leaves no trace.
        bool stateExisted = Directory.Exists(state.Folder);
        FileStream? writeLock = null;
        try
        {
            bool recovered = false;
            if (stateExisted)
            {
                writeLock = AcquireLock(state, directory);
                Recovery recovery = Recover(state, directory, step);
                recovered = recovery.RolledForward;
                if (recovery.Kept.Count > 0)
                {
                    throw OutputException.Kept(directory, recovery.Kept, "completed an interrupted write");
                }
            }

            Ownership owned = state.ReadManifest(directory);
            var conflicts = new List<OutputConflict>(options.Conflicts);
            CheckSecrets(tree, options.SecretValues, conflicts);
            Plan plan = MakePlan(tree, state, owned, options, conflicts);
            if (conflicts.Count > 0)
            {
                throw new OutputException(directory, conflicts);
            }

            if (!stateExisted)
            {
                CreateStateFolder(state, directory);
                writeLock = AcquireLock(state, directory);
                if (File.Exists(state.ManifestFile) || File.Exists(state.JournalFile))
                {
                    // Another writer got there first: plan again, this time under the lock.
                    writeLock.Dispose();
                    writeLock = null;
                    return Write(tree, directory, options, step);
                }
            }

            return Execute(tree, directory, step, state, owned, plan, recovered);
        }
        finally
        {
            writeLock?.Dispose();
        }
    }

    private static WriteResult Execute(
        OutputTree tree, string directory, Action<WriteStep, string> step, OutputState state,
        Ownership owned, Plan plan, bool recovered)
    {
        // The secret files this write puts on disk in plain text are the ones to encrypt; an encrypted file left as it
        // is is not, and a plain one an earlier write left is named apart.
        var written = plan.Created.Concat(plan.Updated).ToHashSet(StringComparer.Ordinal);
        var plain = tree.Files.Where(f => f.IsSecret && written.Contains(f.Path)).Select(f => f.Path).ToList();
        var result = new WriteResult(directory, plan.Created, plan.Updated, plan.Unchanged, [.. plan.Deletes.Select(d => d.Key).Except(plan.Replaced.Keys)], plan.Adopted, recovered, plain)
        {
            StillInPlainText = [.. tree.Files.Where(f => f.IsSecret && !written.Contains(f.Path) && !plan.Encrypted.Contains(f.Path)).Select(f => f.Path)],
            TakenOver = [.. plan.TakenOver.Order(StringComparer.Ordinal)],
            MergedInto = [.. plan.MergedInto.Order(StringComparer.Ordinal)],
            Replaced = plan.Replaced,
            Kept = KeptBeside(tree, state, plan),
        };
        if (plan.Created.Count + plan.Updated.Count + plan.Deletes.Count == 0)
        {
            if (!owned.SameAs(plan.Owned))
            {
                Guard(directory, ManifestPath, "write the ownership manifest", () => OutputState.WriteAtomically(state.ManifestFile, OutputState.SerializeManifest(plan.Owned)));
            }

            FixSecretModes(tree, state, directory);
            return result;
        }

        var moves = plan.Created.Select(path => new JournalMove(path, null, plan.Next[path]))
            .Concat(plan.Updated.Select(path => new JournalMove(path, plan.Previous[path], plan.Next[path])))
            .OrderBy(m => m.Path, StringComparer.Ordinal)
            .ToList();
        var journal = new Journal(moves, plan.Deletes, plan.Owned);
        Stage(path => plan.Contents.TryGetValue(path, out string? merged) ? merged : tree[path]!.Content, tree, journal, state, directory, step);
        Guard(directory, Display(OutputState.JournalName), "commit the journal", () =>
        {
            OutputState.WriteAtomically(state.JournalFile, journal.Serialize());
        });
        step(WriteStep.JournalCommitted, OutputState.JournalName);
        List<OutputConflict> kept = Apply(state, journal, directory, step);
        FixSecretModes(tree, state, directory);
        return kept.Count == 0 ? result : throw OutputException.Kept(directory, kept, "wrote the tree");
    }

    /// <summary>Completes an interrupted write (journal present) or discards an uncommitted one (staging only).</summary>
    /// <returns>Whether a journal was rolled forward, and the files it kept because they changed since it was planned.</returns>
    internal static Recovery Recover(OutputState state, string directory, Action<WriteStep, string> step)
    {
        RemoveProbes(state, directory);
        if (File.Exists(state.JournalFile))
        {
            Journal journal = Journal.Read(state.JournalFile, Display(OutputState.JournalName), state.ReadManifest(directory));
            return new Recovery(true, Apply(state, journal, directory, step));
        }

        Guard(directory, Display(OutputState.StagingName), "discard the staging folder of an interrupted write", () =>
        {
            if (Directory.Exists(state.StagingFolder))
            {
                Directory.Delete(state.StagingFolder, recursive: true);
            }

            foreach (string temporary in new[] { state.JournalFile + ".tmp", state.ManifestFile + ".tmp" })
            {
                File.Delete(temporary);
            }
        });
        return new Recovery(false, []);
    }

    // Removes the writability probes a killed writer left (listed in the probes file; only names the writer gives them).
    private static void RemoveProbes(OutputState state, string directory) =>
        Guard(directory, Display(OutputState.ProbesName), "remove the probe files of an interrupted write", () =>
        {
            if (File.Exists(state.ProbesFile))
            {
                foreach (string probe in File.ReadAllLines(state.ProbesFile))
                {
                    if (OutputPaths.Problem(probe) is null && Path.GetFileName(probe).StartsWith(OutputState.ProbePrefix, StringComparison.Ordinal))
                    {
                        File.Delete(state.FullPath(probe));
                    }
                }
            }

            File.Delete(state.ProbesFile);
            File.Delete(state.ProbesFile + ".tmp");
        });

    private static void CheckRootIsCreatable(OutputState state, string directory)
    {
        // Find the nearest existing ancestor: a file there means no folder can be created below it.
        for (DirectoryInfo? dir = new(state.Root); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(dir.FullName))
            {
                throw new OutputException(directory, [new OutputConflict(
                    directory,
                    $"cannot create the output directory: {dir.FullName} is a file, not a folder",
                    "choose an output directory whose parent folders exist or can be created, or move that file")]);
            }

            if (Directory.Exists(dir.FullName))
            {
                break;
            }
        }
    }

    private static void CreateStateFolder(OutputState state, string directory)
    {
        Guard(directory, directory, "create the output directory and its .cilium-sdk folder", () =>
        {
            Directory.CreateDirectory(state.Folder);
            string gitIgnore = Path.Combine(state.Folder, OutputState.GitIgnoreName);
            if (!File.Exists(gitIgnore))
            {
                OutputState.WriteAtomically(gitIgnore, Encoding.UTF8.GetBytes(OutputState.GitIgnoreContent));
            }
        });
    }

    private static FileStream AcquireLock(OutputState state, string directory)
    {
        string path = Path.Combine(state.Folder, OutputState.LockName);
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new OutputException(directory, [new OutputConflict(
                Display(OutputState.LockName),
                "another write to this directory is in progress (the lock is held)",
                "wait for it to finish, then write again")], e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new OutputException(directory, [Unwritable(directory, Display(OutputState.LockName), "take the write lock", e)], e);
        }
    }

    private static void CheckSecrets(OutputTree tree, IEnumerable<SecretValue> secrets, List<OutputConflict> conflicts)
    {
        List<string> needles = [];
        foreach (SecretValue secret in secrets ?? [])
        {
            string plain = secret.Reveal();
            needles.Add(plain);
            needles.Add(Convert.ToBase64String(Encoding.UTF8.GetBytes(plain)));
        }

        foreach (OutputFile file in tree.Files.Where(f => !f.IsSecret))
        {
            if (needles.Any(n => file.Content.Contains(n, StringComparison.Ordinal)))
            {
                conflicts.Add(new OutputConflict(
                    file.Path,
                    "contains the value of a secret given in WriteOptions.SecretValues, but is not a secret file",
                    "keep the secret in a *.sops.yaml secret file and reference it (a secretKeyRef, or Flux postBuild substitution)"));
            }
        }
    }

    private static Plan MakePlan(OutputTree tree, OutputState state, Ownership owned, WriteOptions options, List<OutputConflict> conflicts)
    {
        var plan = new Plan();
        bool force = options.Force;
        var links = new Dictionary<string, bool>(StringComparer.Ordinal);
        var stale = owned.Files.Keys.Where(p => tree[p] is null).ToHashSet(StringComparer.Ordinal);

        foreach (string path in stale)
        {
            string full = state.FullPath(path);
            if (!File.Exists(full) || LinkedAncestor(path, state, links) is not null)
            {
                continue; // Gone (or out of reach behind a link): it simply leaves the manifest.
            }

            if (TryRead(full, path, conflicts) is not { } staleBytes)
            {
                continue;
            }

            string sha = OutputState.Sha256(staleBytes);
            if (IsRecorded(owned.Files[path], path.EndsWith(OutputPaths.SecretSuffix, StringComparison.Ordinal), staleBytes) || force)
            {
                plan.Deletes.Add(new KeyValuePair<string, string>(path, sha));
            }
            else
            {
                conflicts.Add(new OutputConflict(
                    path,
                    "was generated by Cilium.Sdk and is no longer generated, but was edited since it was written, so it is not deleted",
                    "move it out of the output directory to keep your edits, delete it, or write with WriteOptions.Force to delete it"));
            }
        }

        // An adoption replaces files of the repository whose objects the tree holds under another path: they are deleted
        // (with the hash they had, like any deletion) and merged kustomizations stop listing them.
        var replaced = new HashSet<string>(StringComparer.Ordinal);
        if (options.Adopt)
        {
            foreach (KeyValuePair<string, string> replace in options.Replaces.OrderBy(r => r.Key, StringComparer.Ordinal))
            {
                string full = state.FullPath(replace.Key);
                if (tree[replace.Key] is not null || owned.Files.ContainsKey(replace.Key) || !File.Exists(full) || tree[replace.Value] is null)
                {
                    continue;
                }

                if (TryHash(full, replace.Key, conflicts) is { } sha)
                {
                    plan.Deletes.Add(new KeyValuePair<string, string>(replace.Key, sha));
                    plan.Replaced[replace.Key] = replace.Value;
                    replaced.Add(replace.Key);
                }
            }
        }

        // Kustomizations stop listing every file the write deletes (stale generated files and replaced ones).
        var deleted = plan.Deletes.Select(d => d.Key).ToHashSet(StringComparer.Ordinal);
        replaced.UnionWith(deleted);
        foreach (OutputFile file in tree.Files)
        {
            string full = state.FullPath(file.Path);
            byte[] bytes = Encoding.UTF8.GetBytes(file.Content);
            string sha = OutputState.Sha256(bytes);
            string record = Record(file.IsSecret, bytes, sha);

            if (LinkedAncestor(file.Path, state, links) is { } link)
            {
                conflicts.Add(new OutputConflict(
                    file.Path,
                    $"lies below '{link}', a symbolic link; the writer does not write through links (they can lead outside the output directory)",
                    $"replace the link '{link}' with a real folder, or write to the folder it points to"));
                continue;
            }

            if (BlockingAncestor(file.Path, state, deleted) is { } ancestor)
            {
                conflicts.Add(new OutputConflict(
                    file.Path,
                    $"needs '{ancestor}' to be a folder, but it is a file the writer does not own or cannot delete",
                    $"move or delete '{ancestor}'"));
                continue;
            }

            if (Directory.Exists(full))
            {
                if (Directory.EnumerateFiles(full, "*", SearchOption.AllDirectories)
                    .Any(f => !deleted.Contains(Path.GetRelativePath(state.Root, f).Replace(Path.DirectorySeparatorChar, '/'))))
                {
                    conflicts.Add(new OutputConflict(file.Path, "is a folder on disk holding files the writer does not own", "move that folder or delete it"));
                }
                else if (file.Kind == OutputFileKind.Owned || file.CreateIfMissing)
                {
                    Create(plan, file, sha, record);
                }

                continue;
            }

            if (!File.Exists(full))
            {
                if (file.Kind == OutputFileKind.Owned || file.CreateIfMissing)
                {
                    Create(plan, file, sha, record);
                }

                continue;
            }

            byte[]? existing = TryRead(full, file.Path, conflicts);
            if (existing is null)
            {
                continue;
            }

            if (file.Kind == OutputFileKind.Merged)
            {
                PlanMerge(plan, file.Path, file.Entries, existing, owned, options.Adopt, replaced, conflicts);
                continue;
            }

            if (existing.AsSpan().SequenceEqual(bytes))
            {
                plan.Unchanged.Add(file.Path);
                plan.Owned.Files[file.Path] = record;
                if (!owned.Files.ContainsKey(file.Path))
                {
                    plan.Adopted.Add(file.Path);
                }
            }
            else if (SopsFile.TryRead(existing) is { } encrypted)
            {
                // Never plain text over an encrypted file unless asked: it stays as it is when what sops left in clear
                // matches. A file whose clear parts match is the generated one, as far as anyone can read it.
                IReadOnlyList<string> differences = encrypted.ClearDifferences(file.Content);
                bool ours = owned.Files.ContainsKey(file.Path) || differences.Count == 0;
                if (options.RewriteSecrets && ours)
                {
                    plan.Updated.Add(file.Path);
                    plan.Previous[file.Path] = OutputState.Sha256(existing);
                    plan.Next[file.Path] = sha;
                    plan.Owned.Files[file.Path] = record;
                }
                else if (differences.Count == 0)
                {
                    plan.Unchanged.Add(file.Path);
                    plan.Encrypted.Add(file.Path);
                    plan.Owned.Files[file.Path] = Record(file.IsSecret, existing, OutputState.Sha256(existing));
                    if (!owned.Files.ContainsKey(file.Path))
                    {
                        plan.Adopted.Add(file.Path);
                    }
                }
                else
                {
                    conflicts.Add(SecretFiles.EncryptedDiffers(file.Path, differences, owned.Files.ContainsKey(file.Path)));
                }
            }
            else if (!owned.Files.TryGetValue(file.Path, out string? ownedSha))
            {
                if (options.Adopt)
                {
                    plan.Updated.Add(file.Path);
                    plan.TakenOver.Add(file.Path);
                    plan.Previous[file.Path] = OutputState.Sha256(existing);
                    plan.Next[file.Path] = sha;
                    plan.Owned.Files[file.Path] = record;
                }
                else
                {
                    conflicts.Add(new OutputConflict(
                        file.Path,
                        $"exists but was not generated by Cilium.Sdk (it is not in {ManifestPath}), so it is not overwritten",
                        "write with WriteOptions.Adopt to take it over (the diff shows what changes; your version stays in git), or move it out of the output directory"));
                }
            }
            else if (IsRecorded(ownedSha, file.IsSecret, existing) || force)
            {
                plan.Updated.Add(file.Path);
                plan.Previous[file.Path] = OutputState.Sha256(existing);
                plan.Next[file.Path] = sha;
                plan.Owned.Files[file.Path] = record;
            }
            else
            {
                conflicts.Add(new OutputConflict(
                    file.Path,
                    "was generated by Cilium.Sdk but edited since it was written, so it is not overwritten",
                    "move your change into the C# that generates it and delete the file, or write with WriteOptions.Force to overwrite it"));
            }
        }

        // Merged files the tree no longer holds: the entries the writer added leave them; the files stay.
        foreach (string path in owned.Merged.Keys.Where(p => tree[p] is null))
        {
            string full = state.FullPath(path);
            if (File.Exists(full) && LinkedAncestor(path, state, links) is null && TryRead(full, path, conflicts) is { } existing)
            {
                PlanMerge(plan, path, [], existing, owned, adopt: true, replaced, conflicts);
                plan.Owned.Merged.Remove(path);
                plan.Unchanged.Remove(path);
            }
        }

        plan.Deletes.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return plan;
    }

    private static void Create(Plan plan, OutputFile file, string sha, string record)
    {
        plan.Created.Add(file.Path);
        plan.Next[file.Path] = sha;
        if (file.Kind == OutputFileKind.Merged)
        {
            // A merged file the writer creates holds only entries it added.
            plan.Owned.Merged[file.Path] = file.Entries;
        }
        else
        {
            plan.Owned.Files[file.Path] = record;
        }
    }

    // Whether a target still holds what the plan saw: its SHA-256, or for a version 1 journal (which names the
    // manifest's record as the expected content) a secret file's skeleton hash.
    private static bool IsPrevious(byte[]? bytes, string? previous) =>
        bytes is null ? previous is null
        : previous is not null && (OutputState.Sha256(bytes) == previous || (previous.StartsWith(SecretDigest.Prefix, StringComparison.Ordinal) && SecretDigest.Of(bytes) == previous));

    // What owned.json records for a file: the SHA-256 of its bytes; for a secret file, whose plain text may hold a short
    // password anyone with the repository could test guesses against, the hash of its skeleton (no secret-derived value).
    private static string Record(bool secret, byte[] bytes, string sha) => secret ? SecretDigest.Of(bytes) : sha;

    // Whether a file on disk is the one the writer recorded. A secret file recorded before skeleton hashes (the SHA-256
    // of its bytes) still matches; the next manifest replaces that record.
    private static bool IsRecorded(string recorded, bool secret, byte[] bytes) =>
        secret ? recorded == SecretDigest.Of(bytes) || recorded == OutputState.Sha256(bytes) : recorded == OutputState.Sha256(bytes);

    private static void PlanMerge(Plan plan, string path, IReadOnlyList<MergedEntry> needed, byte[] existing, Ownership owned, bool adopt, IReadOnlySet<string> replaced, List<OutputConflict> conflicts)
    {
        string text = Encoding.UTF8.GetString(existing);
        bool known = owned.Merged.ContainsKey(path) || owned.Files.ContainsKey(path);

        // A file the writer owned whole before holds only entries it wrote: all of them count as added by it.
        IReadOnlyList<MergedEntry> recorded = owned.Merged.GetValueOrDefault(path)
            ?? (owned.Files.ContainsKey(path) ? needed : []);
        string merged;
        List<MergedEntry> added;
        try
        {
            (merged, added) = MergedFiles.Merge(path, text, needed, recorded, replaced);
        }
        catch (YamlListEditException e)
        {
            conflicts.Add(CannotMerge(path, e));
            return;
        }

        if (merged == text)
        {
            plan.Unchanged.Add(path);
            plan.Owned.Merged[path] = added;
            return;
        }

        if (!known && !adopt)
        {
            var missing = needed.Where(n => !YamlListEditor.Contains(text, n.KeyPath, n.Value, n.Comparer)).Select(n => n.ToString());
            conflicts.Add(new OutputConflict(
                path,
                $"exists but is not yet shared with Cilium.Sdk (it is not in {ManifestPath}) and lacks the SDK's entries ({string.Join(", ", missing)})",
                "write with WriteOptions.Adopt to add them (every other entry, comment and the order are kept)"));
            return;
        }

        plan.Updated.Add(path);
        plan.MergedInto.Add(path);
        plan.Previous[path] = OutputState.Sha256(existing);
        plan.Contents[path] = merged;
        plan.Next[path] = OutputState.Sha256(Encoding.UTF8.GetBytes(merged));
        plan.Owned.Merged[path] = added;
    }

    private static OutputConflict CannotMerge(string path, YamlListEditException e) => new(
        path,
        $"is a file Cilium.Sdk adds entries to, but its list cannot be edited: {e.Message}",
        "correct the file, then write again");

    // Files in folders where the write took files over, merged into a list or replaced a file, that are neither in the
    // tree nor the writer's: they stay, and the result names them.
    private static IReadOnlyList<string> KeptBeside(OutputTree tree, OutputState state, Plan plan)
    {
        if (plan.TakenOver.Count == 0 && plan.MergedInto.Count == 0)
        {
            return [];
        }

        // A kustomization the SDK adds entries to decides what its folder applies; other merged files (.sops.yaml,
        // talconfig.yaml) are the repository's configuration and say nothing about the files beside them.
        var folders = plan.TakenOver.Concat(plan.MergedInto.Where(KustomizationGraph.IsKustomization)).Concat(plan.Replaced.Keys)
            .Select(p => p.Contains('/', StringComparison.Ordinal) ? p[..p.LastIndexOf('/')] : string.Empty)
            .ToHashSet(StringComparer.Ordinal);
        var kept = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string folder in folders)
        {
            string full = folder.Length == 0 ? state.Root : state.FullPath(folder);
            if (!Directory.Exists(full))
            {
                continue;
            }

            foreach (string file in Directory.EnumerateFiles(full))
            {
                string relative = Path.GetRelativePath(state.Root, file).Replace(Path.DirectorySeparatorChar, '/');
                if (tree[relative] is null && !plan.Owned.Files.ContainsKey(relative) && !plan.Replaced.ContainsKey(relative))
                {
                    kept.Add(relative);
                }
            }
        }

        return [.. kept];
    }

    /// <summary>The first folder of <paramref name="path"/> inside the root that is a symbolic link, or null.</summary>
    private static string? LinkedAncestor(string path, OutputState state, Dictionary<string, bool> cache)
    {
        for (int slash = path.IndexOf('/', StringComparison.Ordinal); slash >= 0; slash = path.IndexOf('/', slash + 1))
        {
            string folder = path[..slash];
            if (!cache.TryGetValue(folder, out bool isLink))
            {
                var info = new DirectoryInfo(state.FullPath(folder));
                isLink = info.Exists && info.LinkTarget is not null;
                cache[folder] = isLink;
            }

            if (isLink)
            {
                return folder;
            }
        }

        return null;
    }

    private static string? BlockingAncestor(string path, OutputState state, HashSet<string> deleted)
    {
        for (int slash = path.IndexOf('/', StringComparison.Ordinal); slash >= 0; slash = path.IndexOf('/', slash + 1))
        {
            string folder = path[..slash];
            if (File.Exists(state.FullPath(folder)) && !deleted.Contains(folder))
            {
                return folder;
            }
        }

        return null;
    }

    private static string? TryHash(string full, string path, List<OutputConflict> conflicts) =>
        TryRead(full, path, conflicts) is { } bytes ? OutputState.Sha256(bytes) : null;

    private static byte[]? TryRead(string full, string path, List<OutputConflict> conflicts)
    {
        try
        {
            return File.ReadAllBytes(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            conflicts.Add(new OutputConflict(path, $"cannot be read ({e.GetType().Name})", "make the file readable, or move it out of the output directory"));
            return null;
        }
    }

    private static void Stage(Func<string, string> content, OutputTree tree, Journal journal, OutputState state, string directory, Action<WriteStep, string> step)
    {
        string current = Display(OutputState.StagingName);
        try
        {
            Directory.CreateDirectory(state.StagingFolder);
            foreach (string path in journal.Moves.Select(m => m.Path))
            {
                current = path;
                bool secret = tree[path]?.IsSecret ?? path.EndsWith(OutputPaths.SecretSuffix, StringComparison.Ordinal);
                string staged = state.StagedPath(path);
                Directory.CreateDirectory(Path.GetDirectoryName(staged)!);
                var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
                if (secret && !OperatingSystem.IsWindows())
                {
                    create.UnixCreateMode = SecretMode;
                }

                using (var stream = new FileStream(staged, create))
                {
                    stream.Write(Encoding.UTF8.GetBytes(content(path)));
                    stream.Flush(flushToDisk: true);
                }

                step(WriteStep.Staged, path);
            }

            // Probe every folder the apply step will write in, so an unwritable one fails now, before the commit. The
            // probes are listed first: one left by a killed writer is removed by the next write (Recover).
            var probes = TargetFolders(journal, state)
                .Select(folder => Path.GetRelativePath(state.Root, Path.Combine(folder, OutputState.ProbePrefix + Guid.NewGuid().ToString("N"))).Replace(Path.DirectorySeparatorChar, '/'))
                .ToList();
            OutputState.WriteAtomically(state.ProbesFile, Encoding.UTF8.GetBytes(string.Join("\n", probes)));
            foreach (string probe in probes)
            {
                int slash = probe.LastIndexOf('/');
                current = slash < 0 ? "." : probe[..slash];
                using var stream = new FileStream(state.FullPath(probe), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
            }

            File.Delete(state.ProbesFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try
            {
                Directory.Delete(state.StagingFolder, recursive: true);
                File.Delete(state.ProbesFile);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
                // The next write discards it; the original error is the one to report.
            }

            throw new OutputException(directory, [Unwritable(directory, current, "write", e)], e);
        }
    }

    /// <summary>The nearest existing folder of every target and every deleted file.</summary>
    private static IEnumerable<string> TargetFolders(Journal journal, OutputState state)
    {
        var folders = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string path in journal.Moves.Select(m => m.Path).Concat(journal.Deletes.Select(d => d.Key)))
        {
            string? folder = Path.GetDirectoryName(state.FullPath(path));
            while (folder is not null && !Directory.Exists(folder))
            {
                folder = Path.GetDirectoryName(folder);
            }

            if (folder is not null)
            {
                folders.Add(folder);
            }
        }

        return folders;
    }

    /// <summary>Applies a committed journal: deletions, then moves, then the manifest; every step is idempotent, so an
    /// interrupted apply is completed by running it again.</summary>
    /// <remarks>Every target is re-checked just before it is touched: a file is deleted only if it still has the hash the
    /// plan saw, and a staged file replaces its target only if the target still has the content the plan saw (or is still
    /// absent, in which case the rename itself refuses an existing file). A target that changed in between (the user
    /// edited it while the write ran, or between a crash and the recovery) is kept, keeps the ownership entry it had,
    /// and is returned as a conflict; the rest of the write completes.</remarks>
    /// <returns>The files kept because they changed after the plan.</returns>
    private static List<OutputConflict> Apply(OutputState state, Journal journal, string directory, Action<WriteStep, string> step)
    {
        var kept = new List<OutputConflict>();
        Ownership before = state.ReadManifest(directory);
        Ownership owned = journal.Owned.Copy();
        foreach (KeyValuePair<string, string> delete in journal.Deletes)
        {
            string full = state.FullPath(delete.Key);
            Guard(directory, delete.Key, "delete the file (the next write retries)", () =>
            {
                if (!File.Exists(full))
                {
                    return; // Deleted before an interruption, or by the user.
                }

                if (OutputState.Sha256(File.ReadAllBytes(full)) == delete.Value)
                {
                    File.Delete(full);
                    PruneEmptyFolders(state, Path.GetDirectoryName(full));
                }
                else
                {
                    kept.Add(new OutputConflict(
                        delete.Key,
                        "changed after the write planned to delete it, so it was kept (it is no longer recorded as generated)",
                        "keep it, or delete it yourself"));
                }
            });
            step(WriteStep.Deleted, delete.Key);
        }

        foreach (JournalMove move in journal.Moves)
        {
            string staged = state.StagedPath(move.Path);
            string full = state.FullPath(move.Path);
            Guard(directory, move.Path, "move the staged file into place (the next write retries)", () =>
            {
                if (!File.Exists(staged))
                {
                    return; // Moved before an interruption.
                }

                if (Directory.Exists(full) && !Directory.EnumerateFiles(full, "*", SearchOption.AllDirectories).Any())
                {
                    Directory.Delete(full, recursive: true);
                }

                string? current = File.Exists(full) ? OutputState.Sha256(File.ReadAllBytes(full)) : Directory.Exists(full) ? string.Empty : null;
                if (current == move.Next)
                {
                    File.Delete(staged); // The target already has the generated content.
                }
                else if ((current != move.Previous && !IsPrevious(File.Exists(full) ? File.ReadAllBytes(full) : null, move.Previous))
                    || !TryMove(staged, full, overwrite: current is not null))
                {
                    kept.Add(Changed(move));
                    if (before.Files.TryGetValue(move.Path, out string? previouslyOwned))
                    {
                        owned.Files[move.Path] = previouslyOwned;
                    }
                    else
                    {
                        owned.Files.Remove(move.Path);
                    }

                    if (before.Merged.TryGetValue(move.Path, out var previouslyAdded))
                    {
                        owned.Merged[move.Path] = previouslyAdded;
                    }
                    else
                    {
                        owned.Merged.Remove(move.Path);
                    }
                }
            });
            step(WriteStep.Moved, move.Path);
        }

        Guard(directory, ManifestPath, "write the ownership manifest (the next write retries)", () =>
            OutputState.WriteAtomically(state.ManifestFile, OutputState.SerializeManifest(owned)));
        step(WriteStep.ManifestWritten, ManifestPath);

        Guard(directory, Display(OutputState.JournalName), "finish the write (the next write retries)", () =>
        {
            if (Directory.Exists(state.StagingFolder))
            {
                Directory.Delete(state.StagingFolder, recursive: true);
            }

            File.Delete(state.JournalFile);
        });
        step(WriteStep.Finished, OutputState.JournalName);
        kept.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return kept;
    }

    /// <summary>Renames the staged file over its target; without <paramref name="overwrite"/> the rename fails if a file
    /// appeared at the target (the check and the rename are one step).</summary>
    private static bool TryMove(string staged, string full, bool overwrite)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        try
        {
            File.Move(staged, full, overwrite);
            return true;
        }
        catch (IOException) when (!overwrite && (File.Exists(full) || Directory.Exists(full)))
        {
            return false;
        }
    }

    private static OutputConflict Changed(JournalMove move) => move.Previous is null
        ? new OutputConflict(
            move.Path,
            "appeared after the write was planned (while it ran, or before an interrupted write was completed), so it was kept and the generated file was not written",
            "move it out of the output directory or delete it, then write again")
        : new OutputConflict(
            move.Path,
            "changed after the write was planned (while it ran, or before an interrupted write was completed), so your content was kept and the generated file was not written",
            "move your change into the C# that generates it and write again, or write with WriteOptions.Force to overwrite it");

    private static void PruneEmptyFolders(OutputState state, string? folder)
    {
        string root = Path.TrimEndingDirectorySeparator(state.Root);
        while (folder is not null
            && !string.Equals(Path.TrimEndingDirectorySeparator(folder), root, StringComparison.Ordinal)
            && folder.StartsWith(root, StringComparison.Ordinal)
            && Directory.Exists(folder)
            && !Directory.EnumerateFileSystemEntries(folder).Any())
        {
            Directory.Delete(folder);
            folder = Path.GetDirectoryName(folder);
        }
    }

    private static void FixSecretModes(OutputTree tree, OutputState state, string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        foreach (OutputFile file in tree.Files.Where(f => f.IsSecret))
        {
            string full = state.FullPath(file.Path);
            Guard(directory, file.Path, "set the secret file's mode to 0600", () =>
            {
                if (!OperatingSystem.IsWindows() && File.GetUnixFileMode(full) != SecretMode)
                {
                    File.SetUnixFileMode(full, SecretMode);
                }
            });
        }
    }


    private static void Guard(string directory, string path, string action, Action io)
    {
        try
        {
            io();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputException(directory, [Unwritable(directory, path, action, e)], e);
        }
    }

    private static OutputConflict Unwritable(string directory, string path, string action, Exception e) => new(
        path,
        $"cannot {action} in {directory}: {e.GetType().Name}: {e.Message}",
        "make the output directory writable (check its permissions, that it is not on a read-only mount, and that no parent is a file), or choose another directory");

    private static string Display(string stateFile) => OutputPaths.StateFolder + "/" + stateFile;

    private sealed class Plan
    {
        public List<string> Created { get; } = [];

        public List<string> Updated { get; } = [];

        public List<string> Unchanged { get; } = [];

        public List<string> Adopted { get; } = [];

        /// <summary>Files left as they are because sops encrypted them and their clear parts match.</summary>
        public List<string> Encrypted { get; } = [];

        public List<KeyValuePair<string, string>> Deletes { get; } = [];

        /// <summary>For each updated file, the SHA-256 of the content it had when planned.</summary>
        public Dictionary<string, string> Previous { get; } = new(StringComparer.Ordinal);

        /// <summary>For each created or updated file, the SHA-256 of the content staged for it.</summary>
        public Dictionary<string, string> Next { get; } = new(StringComparer.Ordinal);

        /// <summary>The text to stage for merged files (their merged text, not the tree's content).</summary>
        public Dictionary<string, string> Contents { get; } = new(StringComparer.Ordinal);

        /// <summary>Files that existed, were not the writer's, and are now (adopted with other content).</summary>
        public List<string> TakenOver { get; } = [];

        /// <summary>Merged files whose lists this write changes.</summary>
        public List<string> MergedInto { get; } = [];

        /// <summary>Files an adoption deletes because the tree holds their objects under another path.</summary>
        public SortedDictionary<string, string> Replaced { get; } = new(StringComparer.Ordinal);

        public Ownership Owned { get; } = Ownership.Empty();
    }
}

/// <summary>What <see cref="OutputWriter.Recover"/> did: whether it rolled a journal forward, and the files it kept.</summary>
internal sealed record Recovery(bool RolledForward, IReadOnlyList<OutputConflict> Kept);

/// <summary>The points between the steps of a write, where a test's hook can simulate a crash.</summary>
internal enum WriteStep
{
    /// <summary>One file was staged (flushed to disk) under <c>.cilium-sdk/staging/</c>.</summary>
    Staged,

    /// <summary>The journal was committed; from here an interruption is rolled forward.</summary>
    JournalCommitted,

    /// <summary>One stale owned file was deleted.</summary>
    Deleted,

    /// <summary>One staged file was renamed into place.</summary>
    Moved,

    /// <summary>The new ownership manifest was written.</summary>
    ManifestWritten,

    /// <summary>Staging and the journal were removed; the write is complete.</summary>
    Finished,
}
