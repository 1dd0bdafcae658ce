using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;

namespace Cilium.Sdk.Benchmarks;

/// <summary>What one full generation produced: files, declared types, bytes and diagnostics.</summary>
internal sealed record OutputStats(
    int Files,
    int Records,
    int Enums,
    long Bytes,
    IReadOnlyList<Diagnostic> Diagnostics,
    Exception? GeneratorException)
{
    private static readonly Regex RecordDeclaration = new(@"^\s*public sealed partial record\s+\w", RegexOptions.Multiline | RegexOptions.CultureInvariant);
    private static readonly Regex EnumDeclaration = new(@"^\s*public enum\s+\w", RegexOptions.Multiline | RegexOptions.CultureInvariant);

    /// <summary>Records plus enums: the "emitted types" figure (root and list records included).</summary>
    public int Types => Records + Enums;

    /// <summary>Diagnostics of severity Error.</summary>
    public IEnumerable<Diagnostic> Errors => Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error);

    /// <summary>Count per severity, e.g. "0 error, 2 warning, 5 info".</summary>
    public string SeveritySummary =>
        $"{Count(DiagnosticSeverity.Error)} error, {Count(DiagnosticSeverity.Warning)} warning, {Count(DiagnosticSeverity.Info)} info";

    /// <summary>Reads the single generator's run result out of a driver that has run.</summary>
    public static OutputStats From(GeneratorDriver driver)
    {
        var result = driver.GetRunResult().Results.Single();
        int records = 0, enums = 0;
        long bytes = 0;
        foreach (var source in result.GeneratedSources)
        {
            var text = source.SourceText.ToString();
            records += RecordDeclaration.Matches(text).Count;
            enums += EnumDeclaration.Matches(text).Count;
            bytes += Encoding.UTF8.GetByteCount(text);
        }

        return new OutputStats(result.GeneratedSources.Length, records, enums, bytes, result.Diagnostics, result.Exception);
    }

    private int Count(DiagnosticSeverity severity) => Diagnostics.Count(d => d.Severity == severity);
}
