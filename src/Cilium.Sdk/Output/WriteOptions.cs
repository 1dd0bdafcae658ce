using System;
using System.Collections.Generic;
using Cilium.Sdk.Secrets;

namespace Cilium.Sdk.Output;

/// <summary>Options for <see cref="OutputWriter.Write(OutputTree, string, WriteOptions?)"/>.</summary>
public sealed record WriteOptions
{
    /// <summary>The options used when none are given: no force, no secret values to guard.</summary>
    public static WriteOptions Default { get; } = new();

    /// <summary>
    /// Overwrite or delete generated files that were edited since the writer wrote them. Files the writer never
    /// generated are never overwritten or deleted, with or without this flag.
    /// </summary>
    public bool Force { get; init; }

    /// <summary>
    /// Secrets that must appear only in secret (<c>*.sops.yaml</c>) files. A non-secret file that contains one of them,
    /// as plain text or base64, stops the write; the error names the file, never the secret.
    /// </summary>
    public IEnumerable<SecretValue> SecretValues { get; init; } = Array.Empty<SecretValue>();
}
