using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Cilium.Sdk.Validation;
using CrdKit.Validation;

namespace Cilium.Sdk.Cli;

/// <summary>The four ways <c>lint</c> prints its findings: text, JSON, GitHub workflow annotations, SARIF 2.1.0.</summary>
internal static class LintFormats
{
    /// <summary>Who rejects each finding, as the rules SARIF lists (one rule per layer).</summary>
    private static readonly (string Id, string Name, string Description)[] Rules =
    [
        (ManifestFinding.YamlLayer, "YamlSyntax", "The text is not a YAML stream kubectl can decode: syntax, duplicate keys, custom tags, alias bombs."),
        (ValidationLayers.Schema, "ApiServerSchema", "The Kubernetes API server refuses the object: the CRD's structural schema, its CEL rules, strict field validation, or an apiVersion the release does not serve."),
        (ValidationLayers.Agent, "CiliumAgentOrOperator", "The API server stores the object, but the Cilium agent refuses to import it, or the operator flags it with a status condition and ignores it."),
        (ValidationLayers.Cluster, "CrossDocument", "Only the set of files shows it: a selector that selects nothing there, a reference that points nowhere."),
    ];

    /// <summary>One finding a line, <c>path:line:column: severity: message</c>, then the summary line.</summary>
    public static void Text(TextWriter output, LintReport report)
    {
        foreach (var finding in report.Findings)
        {
            output.WriteLine(finding.ToString());
        }

        output.WriteLine(report.Summary());
    }

    /// <summary>GitHub Actions workflow commands (<c>::error file=...,line=...,col=...::message</c>), then the summary line.</summary>
    public static void GitHub(TextWriter output, LintReport report)
    {
        foreach (var f in report.Findings)
        {
            var title = $"{f.Document ?? "file"}{(f.Error.Path.Length == 0 ? string.Empty : " " + f.Error.Path)} [{f.Error.Layer}]";
            var value = f.Error.Value is null ? string.Empty : $" (value: {f.Error.Value})";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"::{(f.IsError ? "error" : "warning")} file={Property(f.File ?? "<text>")},line={f.Line},col={f.Column},title={Property(title)}::{Data($"{f.Error.Message}{value}; fix: {f.Error.Fix}")}"));
        }

        output.WriteLine(report.Summary());
    }

    /// <summary>The report as one JSON object: counts, skipped kinds, and every finding with all its fields.</summary>
    public static void Json(TextWriter output, LintReport report)
    {
        Write(output, json =>
        {
            json.WriteStartObject();
            json.WriteString("cilium", report.Version.ToString());
            json.WriteNumber("files", report.Files);
            json.WriteNumber("documents", report.Documents);
            json.WriteNumber("checked", report.Checked);
            Kinds(json, "notCilium", report.NotCilium);
            Kinds(json, "kindsWithoutSchema", report.WithoutSchema);
            json.WriteNumber("encrypted", report.Encrypted);
            json.WriteNumber("unreadable", report.Unreadable);
            json.WriteNumber("errors", report.Errors);
            json.WriteNumber("warnings", report.Warnings);
            json.WriteStartArray("findings");
            foreach (var f in report.Findings)
            {
                json.WriteStartObject();
                json.WriteString("file", f.File);
                json.WriteNumber("line", f.Line);
                json.WriteNumber("column", f.Column);
                json.WriteString("severity", f.IsError ? "error" : "warning");
                json.WriteString("layer", f.Error.Layer);
                json.WriteString("document", f.Document);
                if (f.DocumentIndex is { } index)
                {
                    json.WriteNumber("documentIndex", index);
                }
                else
                {
                    json.WriteNull("documentIndex");
                }

                json.WriteString("path", f.Error.Path);
                json.WriteString("value", f.Error.Value);
                json.WriteString("message", f.Error.Message);
                json.WriteString("fix", f.Error.Fix);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    /// <summary>A SARIF 2.1.0 log: one run, one rule per layer, one result per finding with its physical location.</summary>
    public static void Sarif(TextWriter output, LintReport report)
    {
        var version = typeof(LintFormats).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        version = plus < 0 ? version : version[..plus];
        Write(output, json =>
        {
            json.WriteStartObject();
            json.WriteString("$schema", "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json");
            json.WriteString("version", "2.1.0");
            json.WriteStartArray("runs");
            json.WriteStartObject();
            json.WriteStartObject("tool");
            json.WriteStartObject("driver");
            json.WriteString("name", "cilium-sdk lint");
            json.WriteString("semanticVersion", version);
            json.WriteStartArray("rules");
            foreach (var (id, name, description) in Rules)
            {
                json.WriteStartObject();
                json.WriteString("id", id);
                json.WriteString("name", name);
                json.WriteStartObject("shortDescription");
                json.WriteString("text", description);
                json.WriteEndObject();
                json.WriteStartObject("defaultConfiguration");
                json.WriteString("level", id == ValidationLayers.Cluster ? "warning" : "error");
                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteStartArray("results");
            foreach (var f in report.Findings)
            {
                var rule = Array.FindIndex(Rules, r => r.Id == f.Error.Layer);
                json.WriteStartObject();
                json.WriteString("ruleId", rule < 0 ? f.Error.Layer : Rules[rule].Id);
                if (rule >= 0)
                {
                    json.WriteNumber("ruleIndex", rule);
                }

                json.WriteString("level", f.IsError ? "error" : "warning");
                json.WriteStartObject("message");
                json.WriteString("text", f.Describe());
                json.WriteEndObject();
                json.WriteStartArray("locations");
                json.WriteStartObject();
                json.WriteStartObject("physicalLocation");
                json.WriteStartObject("artifactLocation");
                json.WriteString("uri", Uri(f.File));
                json.WriteEndObject();
                json.WriteStartObject("region");
                json.WriteNumber("startLine", f.Line);
                json.WriteNumber("startColumn", f.Column);
                json.WriteEndObject();
                json.WriteEndObject();
                json.WriteEndObject();
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("properties");
            json.WriteString("cilium", report.Version.ToString());
            json.WriteNumber("files", report.Files);
            json.WriteNumber("documents", report.Documents);
            json.WriteNumber("checked", report.Checked);
            json.WriteNumber("skipped", report.NotCilium.Sum(k => k.Count));
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    /// <summary>A file path as a SARIF artifact URI: relative paths with '/' (resolved against the checkout, as code
    /// scanning expects), absolute ones as file:// URIs, each segment percent-encoded.</summary>
    internal static string Uri(string? file)
    {
        if (file is null)
        {
            return "stdin";
        }

        var path = file.Replace('\\', '/');
        var absolute = path.StartsWith('/');
        var encoded = string.Join("/", path.Split('/').Select(System.Uri.EscapeDataString));
        return absolute ? "file://" + encoded : encoded.StartsWith("./", StringComparison.Ordinal) ? encoded[2..] : encoded;
    }

    private static void Kinds(Utf8JsonWriter json, string name, IReadOnlyList<(string Kind, int Count)> kinds)
    {
        json.WriteStartObject(name);
        foreach (var (kind, count) in kinds)
        {
            json.WriteNumber(kind, count);
        }

        json.WriteEndObject();
    }

    private static void Write(TextWriter output, Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(json);
        }

        output.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()).ReplaceLineEndings("\n"));
    }

    // Workflow command escaping: the message escapes %, CR and LF; properties also ':' and ','.
    private static string Data(string text) =>
        text.Replace("%", "%25", StringComparison.Ordinal).Replace("\r", "%0D", StringComparison.Ordinal).Replace("\n", "%0A", StringComparison.Ordinal);

    private static string Property(string text) =>
        Data(text).Replace(":", "%3A", StringComparison.Ordinal).Replace(",", "%2C", StringComparison.Ordinal);
}
