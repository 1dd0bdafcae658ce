using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using CrdKit.Validation;

namespace Cilium.Sdk.Cli;

/// <summary>Prints problems on the problem stream (stderr): coloured when a terminal is attached, plain when not; JSON
/// (a command's result) goes to the result stream (stdout).</summary>
internal sealed class Reporter(TextWriter problems, bool colour)
{
    public void Text(IEnumerable<ValidationError> found)
    {
        foreach (var problem in found)
        {
            var (label, code) = problem.IsError ? ("error", "31") : ("warning", "33");
            var head = colour ? $"\u001b[{code}m{label}\u001b[0m" : label;
            var at = problem.Path.Length == 0 ? "(root)" : problem.Path;
            var value = problem.Value is null ? string.Empty : $" (value: {problem.Value})";
            problems.WriteLine($"{head}: {at}: {CliWords.Translate(problem.Message)}{value}");
            problems.WriteLine($"  fix: {CliWords.Translate(problem.Fix)}");
        }
    }

    /// <summary>What the checks of the repository's own files found (.sops.yaml, talconfig.yaml): file and line first.</summary>
    public void Findings(IEnumerable<Cilium.Sdk.Output.RepositoryFinding> found)
    {
        foreach (var finding in found)
        {
            var (label, code) = finding.IsError ? ("error", "31") : ("warning", "33");
            var head = colour ? $"\u001b[{code}m{label}\u001b[0m" : label;
            var at = finding.Line is { } line ? $"{finding.Path}:{line.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : finding.Path;
            problems.WriteLine($"{head}: {at}: {CliWords.Translate(finding.Message)}");
            problems.WriteLine($"  fix: {CliWords.Translate(finding.Fix)}");
        }
    }

    /// <summary>A problem the tool itself found (not the configuration's), in the same form.</summary>
    public void Error(string message, string? fix = null)
    {
        var head = colour ? "\u001b[31merror\u001b[0m" : "error";
        problems.WriteLine($"{head}: {CliWords.Translate(message)}");
        if (fix is not null)
        {
            problems.WriteLine($"  fix: {CliWords.Translate(fix)}");
        }
    }

    public static string Json(IReadOnlyList<ValidationError> found, IReadOnlyList<string> ignoredKeys)
    {
        var array = new JsonArray(found.Select(p => (JsonNode)new JsonObject
        {
            ["severity"] = p.IsError ? "error" : "warning",
            ["path"] = p.Path,
            ["value"] = p.Value,
            ["message"] = CliWords.Translate(p.Message),
            ["fix"] = CliWords.Translate(p.Fix),
            ["layer"] = p.Layer,
        }).ToArray());
        var document = new JsonObject
        {
            ["errors"] = found.Count(p => p.IsError),
            ["warnings"] = found.Count(p => !p.IsError),
            ["problems"] = array,
            ["ignoredKeys"] = new JsonArray(ignoredKeys.Select(k => (JsonNode)JsonValue.Create(k)).ToArray()),
        };
        return document.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
