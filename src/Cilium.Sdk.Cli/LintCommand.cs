using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Validation;

namespace Cilium.Sdk.Cli;

/// <summary>
/// <c>lint</c>: every Cilium manifest of some files and folders checked against the schema, CEL rules and agent layer
/// of a Cilium release, plus what only the set shows; one finding a line with its file, line and column. Exit 0 when
/// nothing is an error, 1 when something is, 2 on usage errors or unreadable input.
/// </summary>
internal static class LintCommand
{
    public const string Help = "Exit codes: 0 no errors (warnings allowed, unless --warnings-as-errors), 1 errors found, 2 usage error or a path that cannot be read.";

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var paths = new Argument<string[]>("paths")
        {
            Description = "Manifest files and folders; a folder means every *.yaml and *.yml file below it (folders starting with '.' are skipped).",
            Arity = ArgumentArity.OneOrMore,
        };
        var cilium = CiliumOption();
        var format = new Option<string>("--format") { Description = "text (default: path:line:column: severity: message, as compilers print), json, github (workflow annotations) or sarif (SARIF 2.1.0 for code scanning).", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json", "github", "sarif");
        var warningsAsErrors = new Option<bool>("--warnings-as-errors") { Description = "Exit 1 on warnings too." };
        var lint = new Command("lint", "Check Cilium manifests (CiliumNetworkPolicy, pools, L2 and BGP resources, ...) against the schema, CEL rules and agent rules of a Cilium release, and across files: overlapping pools, selectors that select nothing, missing BGP peer configs, instances without peers. Documents that are not Cilium's are skipped and counted. " + Help)
        {
            paths, cilium, format, warningsAsErrors,
        };
        lint.SetAction(parse =>
        {
            var version = CiliumVersion.Parse(parse.GetValue(cilium)!);
            ManifestSet set;
            try
            {
                set = ManifestSet.Load(parse.GetValue(paths)!);
            }
            catch (FileNotFoundException e)
            {
                stderr.WriteLine($"error: {e.FileName} does not exist. Fix: pass manifest files or folders to lint.");
                return ExitCodes.Usage;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"error: cannot read the manifests: {e.Message}");
                return ExitCodes.Usage;
            }

            var findings = set.Validate(version);
            var report = new LintReport(set, findings, version);
            switch (parse.GetValue(format))
            {
                case "json":
                    LintFormats.Json(stdout, report);
                    break;
                case "github":
                    LintFormats.GitHub(stdout, report);
                    break;
                case "sarif":
                    LintFormats.Sarif(stdout, report);
                    break;
                default:
                    LintFormats.Text(stdout, report);
                    break;
            }

            var failed = report.Errors > 0 || (parse.GetValue(warningsAsErrors) && report.Warnings > 0);
            return failed ? ExitCodes.Problems : ExitCodes.Success;
        });
        return lint;
    }

    /// <summary>--cilium 1.19|1.20 (default 1.20), refusing other releases and spellings with the fix.</summary>
    internal static Option<string> CiliumOption()
    {
        var option = new Option<string>("--cilium") { Description = "The Cilium release to check for: 1.19 or 1.20 (default).", DefaultValueFactory = _ => "1.20" };
        option.Validators.Add(result =>
        {
            var text = result.GetValueOrDefault<string>();
            if (!CiliumVersion.TryParse(text, out _))
            {
                var fix = text is ['v' or 'V', .. var rest] && CiliumVersion.TryParse(rest, out var unprefixed) ? $"write --cilium {unprefixed}" : "use --cilium 1.19 or --cilium 1.20";
                result.AddError($"--cilium '{text}' is not a Cilium release this tool has schemas for (1.19, 1.20). Fix: {fix}.");
            }
        });
        return option;
    }
}

/// <summary>What a lint run found, with the counts every format reports.</summary>
internal sealed class LintReport
{
    public LintReport(ManifestSet set, IReadOnlyList<ManifestFinding> findings, CiliumVersion version)
    {
        Findings = findings;
        Version = version;
        Files = set.Files.Count;
        Documents = set.Documents.Count;
        var coverage = set.Documents.GroupBy(ManifestSet.CoverageOf).ToDictionary(g => g.Key, g => g.ToList());
        List<Serialization.ManifestDocument> Of(ManifestCoverage c) => coverage.GetValueOrDefault(c) ?? [];
        Checked = Of(ManifestCoverage.Checked).Count;
        Encrypted = Of(ManifestCoverage.Encrypted).Count;
        Unreadable = Of(ManifestCoverage.Unreadable).Count;
        NotCilium = Kinds(Of(ManifestCoverage.NotCilium));
        WithoutSchema = Kinds(Of(ManifestCoverage.KindWithoutSchema));
        Errors = findings.Count(f => f.IsError);
        Warnings = findings.Count - Errors;
    }

    public IReadOnlyList<ManifestFinding> Findings { get; }

    public CiliumVersion Version { get; }

    public int Files { get; }

    public int Documents { get; }

    public int Checked { get; }

    public int Encrypted { get; }

    public int Unreadable { get; }

    /// <summary>Skipped documents by "apiVersion kind", sorted.</summary>
    public IReadOnlyList<(string Kind, int Count)> NotCilium { get; }

    /// <summary>Cilium documents whose fields have no schema here, by "apiVersion kind".</summary>
    public IReadOnlyList<(string Kind, int Count)> WithoutSchema { get; }

    public int Errors { get; }

    public int Warnings { get; }

    /// <summary>The closing line: what was checked and skipped, and the counts.</summary>
    public string Summary()
    {
        var parts = new List<string>
        {
            $"{Checked} Cilium document(s) checked for Cilium {Version} in {Files} file(s): {Errors} error(s), {Warnings} warning(s)",
        };
        if (NotCilium.Count > 0)
        {
            parts.Add($"skipped {NotCilium.Sum(k => k.Count)} document(s) that are not Cilium's ({Show(NotCilium)})");
        }

        if (WithoutSchema.Count > 0)
        {
            parts.Add($"{WithoutSchema.Sum(k => k.Count)} Cilium document(s) of a kind this tool has no schema for, only apiVersion, name and scope checked ({Show(WithoutSchema)})");
        }

        if (Encrypted > 0)
        {
            parts.Add($"{Encrypted} Cilium document(s) encrypted with sops, not checked");
        }

        if (Unreadable > 0)
        {
            parts.Add($"{Unreadable} document(s) that are not valid YAML");
        }

        return string.Join("; ", parts);
    }

    private static string Show(IReadOnlyList<(string Kind, int Count)> kinds) =>
        string.Join(", ", kinds.Select(k => k.Count == 1 ? k.Kind : $"{k.Kind} x{k.Count}"));

    private static List<(string Kind, int Count)> Kinds(List<Serialization.ManifestDocument> documents) =>
        documents.GroupBy(d => $"{d.ApiVersion ?? "?"} {d.Kind ?? "?"}", StringComparer.Ordinal)
            .Select(g => (g.Key, g.Count()))
            .OrderBy(k => k.Key, StringComparer.Ordinal)
            .ToList();
}
