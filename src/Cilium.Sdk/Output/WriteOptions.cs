using System;
using System.Collections.Generic;
using Cilium.Sdk.Secrets;

namespace Cilium.Sdk.Output;

/// <summary>Options for <see cref="OutputWriter.Write(OutputTree, string, WriteOptions?)"/>.</summary>
public sealed record WriteOptions
{
    /// <summary>The options used when none are given: no force, no adoption, no secret values to guard.</summary>
    public static WriteOptions Default { get; } = new();

    /// <summary>
    /// Overwrite or delete generated files that were edited since the writer wrote them. Files the writer never
    /// generated are never overwritten or deleted, with or without this flag.
    /// </summary>
    public bool Force { get; init; }

    /// <summary>
    /// Write the generated plain text over secret files that sops has encrypted (files the writer generated, or whose
    /// clear parts match the generated ones), for example after a secret value changed, which the writer cannot see
    /// through the encryption. Without it an encrypted file is never overwritten, <see cref="Force"/> included: it is
    /// left as it is when its clear parts match, and refused when they do not. Every file written in plain text is
    /// listed in <see cref="WriteResult.NeedsEncryption"/>, to encrypt again before committing.
    /// </summary>
    public bool RewriteSecrets { get; init; }

    /// <summary>
    /// Take over a repository's existing files once (for example the files a cluster template made): an existing file at
    /// an owned path is overwritten and owned from then on (check the diff first: <see cref="OutputWriter.Check"/>), and
    /// merged files the writer has not seen before get the SDK's entries. Without it such files are conflicts. Files the
    /// tree does not hold are never touched, except those named in <see cref="Replaces"/>.
    /// </summary>
    public bool Adopt { get; init; }

    /// <summary>
    /// With <see cref="Adopt"/>: existing files (path relative to the output root) to delete because the tree holds their
    /// objects under another path (the value). Merged kustomizations stop listing them. Ignored without Adopt, for a
    /// path the tree holds, and for a path whose replacement is not in the tree.
    /// </summary>
    public IReadOnlyDictionary<string, string> Replaces { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Secrets that must appear only in secret (<c>*.sops.yaml</c>) files. A non-secret file that contains one of them,
    /// as plain text or base64, stops the write; the error names the file, never the secret.
    /// </summary>
    public IEnumerable<SecretValue> SecretValues { get; init; } = Array.Empty<SecretValue>();

    /// <summary>Problems found before the write (an adoption's, the repository checks'): reported with the writer's own
    /// conflicts, in one refusal, and nothing is written.</summary>
    internal IReadOnlyList<OutputConflict> Conflicts { get; init; } = [];
}
