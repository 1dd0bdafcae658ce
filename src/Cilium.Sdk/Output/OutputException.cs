using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Cilium.Sdk.Output;

/// <summary>
/// The output could not be written (or checked): conflicts with files the writer does not own, edited generated
/// files, a secret in a non-secret file, or a directory that cannot be written. The message lists every
/// <see cref="Conflicts">conflict</see>, each with its path and fix. When it comes from the checks before writing,
/// nothing was written.
/// </summary>
public sealed class OutputException : Exception
{
    /// <summary>Creates the exception with a message only.</summary>
    public OutputException()
        : this("The output could not be written.")
    {
    }

    /// <summary>Creates the exception with a message only.</summary>
    /// <param name="message">What is wrong and how to fix it.</param>
    public OutputException(string message)
        : base(message)
    {
        Conflicts = Array.Empty<OutputConflict>();
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What is wrong and how to fix it.</param>
    /// <param name="innerException">The cause.</param>
    public OutputException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Conflicts = Array.Empty<OutputConflict>();
    }

    /// <summary>Creates the exception for one or more conflicts found in <paramref name="directory"/>.</summary>
    /// <param name="directory">The output directory, as the caller gave it.</param>
    /// <param name="conflicts">Every conflict (at least one).</param>
    /// <param name="innerException">The I/O error behind a single conflict, if any.</param>
    public OutputException(string directory, IEnumerable<OutputConflict> conflicts, Exception? innerException = null)
        : this(directory, conflicts.OrderBy(c => c.Path, StringComparer.Ordinal).ToList(), innerException)
    {
    }

    private OutputException(string directory, List<OutputConflict> conflicts, Exception? innerException)
        : base(Describe(directory, conflicts), innerException)
    {
        Conflicts = conflicts;
    }

    private OutputException(string message, List<OutputConflict> conflicts)
        : base(message)
    {
        Conflicts = conflicts;
    }

    /// <summary>Every conflict, sorted by path; empty when the exception carries only a message.</summary>
    public IReadOnlyList<OutputConflict> Conflicts { get; }

    /// <summary>A write that completed except for files that changed after it was planned, which it kept.</summary>
    internal static OutputException Kept(string directory, IReadOnlyList<OutputConflict> kept, string what)
    {
        var text = new StringBuilder();
        text.Append("Cilium.Sdk ").Append(what).Append(" in ").Append(directory).Append(" but kept ")
            .Append(kept.Count.ToString(CultureInfo.InvariantCulture)).Append(kept.Count == 1 ? " file" : " files")
            .Append(" that changed after the write was planned:");
        foreach (OutputConflict conflict in kept)
        {
            text.Append('\n').Append("  - ").Append(conflict);
        }

        return new OutputException(text.ToString(), [.. kept]);
    }

    private static string Describe(string directory, List<OutputConflict> conflicts)
    {
        var text = new StringBuilder();
        text.Append("Cilium.Sdk did not write to ").Append(directory).Append(": ");
        if (conflicts.Count == 1)
        {
            return text.Append(conflicts[0]).Append(" (nothing was written)").ToString();
        }

        text.Append(conflicts.Count.ToString(CultureInfo.InvariantCulture)).Append(" problems (nothing was written):");
        foreach (OutputConflict conflict in conflicts)
        {
            text.Append('\n').Append("  - ").Append(conflict);
        }

        return text.ToString();
    }
}
