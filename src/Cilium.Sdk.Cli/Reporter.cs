using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cilium.Sdk.Validation;
using CrdKit.Validation;

namespace Cilium.Sdk.Cli;

/// <summary>Prints problems: coloured when a terminal is attached, plain when not, JSON for machines.</summary>
internal sealed class Reporter(TextWriter output, bool colour)
{
    public void Text(IEnumerable<ValidationError> problems)
    {
        foreach (var problem in problems)
        {
            var (label, code) = problem.IsError ? ("error", "31") : ("warning", "33");
            var head = colour ? $"\u001b[{code}m{label}\u001b[0m" : label;
            var at = problem.Path.Length == 0 ? "(root)" : problem.Path;
            var value = problem.Value is null ? string.Empty : $" (value: {problem.Value})";
            output.WriteLine($"{head}: {at}: {problem.Message}{value}");
            output.WriteLine($"  fix: {problem.Fix}");
        }
    }

    public void Json(IReadOnlyList<ValidationError> problems, IReadOnlyList<string> ignoredKeys)
    {
        var array = new JsonArray(problems.Select(p => (JsonNode)new JsonObject
        {
            ["severity"] = p.IsError ? "error" : "warning",
            ["path"] = p.Path,
            ["value"] = p.Value,
            ["message"] = p.Message,
            ["fix"] = p.Fix,
            ["layer"] = p.Layer,
        }).ToArray());
        var document = new JsonObject
        {
            ["errors"] = problems.Count(p => p.IsError),
            ["warnings"] = problems.Count(p => !p.IsError),
            ["problems"] = array,
            ["ignoredKeys"] = new JsonArray(ignoredKeys.Select(k => (JsonNode)JsonValue.Create(k)).ToArray()),
        };
        output.WriteLine(document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }
}
