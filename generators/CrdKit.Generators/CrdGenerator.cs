using System;
using System.IO;
using System.Linq;
using CrdKit.Generators.Diagnostics;
using CrdKit.Generators.Emitting;
using CrdKit.Generators.Model;
using CrdKit.Generators.Parsing;
using CrdKit.Generators.Shaping;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace CrdKit.Generators;

/// <summary>
/// Turns opted-in CRD YAML files (<c>&lt;AdditionalFiles Include="crds/*.yaml" KubernetesCrd="true" /&gt;</c>)
/// into C# records. This file is the pipeline only: parse each file early into equatable models, plan the
/// types over all files (naming and de-duplication), then emit one source per CRD.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class CrdGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // The project's RootNamespace is its name unless set, so it is made a valid namespace (cil-cnp -> cil_cnp).
        var rootNamespace = context.AnalyzerConfigOptionsProvider.Select(static (options, _) =>
            Namespaces.Safe(options.GlobalOptions.TryGetValue("build_property.RootNamespace", out var value) ? value : null));

        var inputs = context.AdditionalTextsProvider
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Select(static (pair, cancellationToken) =>
            {
                var options = pair.Right.GetOptions(pair.Left);
                var optedIn = options.TryGetValue("build_metadata.AdditionalFiles.KubernetesCrd", out var flag)
                    && string.Equals(flag, "true", StringComparison.OrdinalIgnoreCase);
                if (!optedIn)
                {
                    return null;
                }

                options.TryGetValue("build_metadata.AdditionalFiles.KubernetesCrdNamespace", out var ns);
                options.TryGetValue("build_metadata.AdditionalFiles.KubernetesCrdUntranslatedRules", out var severity);
                var text = pair.Left.GetText(cancellationToken)?.ToString();
                return new CrdInput(pair.Left.Path, text, string.IsNullOrWhiteSpace(ns) ? null : ns!.Trim(), Severity(severity));
            })
            .Where(static input => input is not null)
            .WithTrackingName(TrackingNames.CrdInputs);

        var parsed = inputs
            .Combine(rootNamespace)
            .Select(static (pair, cancellationToken) => Parse(pair.Left!, pair.Right, cancellationToken))
            .WithTrackingName(TrackingNames.Parsed);

        context.RegisterSourceOutput(
            parsed.SelectMany(static (file, _) => file.Diagnostics).WithTrackingName(TrackingNames.ParseDiagnostics),
            static (spc, diagnostic) => Report(spc, diagnostic));

        var plan = parsed.Collect()
            .Select(static (files, cancellationToken) => TypePlanner.Plan(files, cancellationToken))
            .WithTrackingName(TrackingNames.Plan);

        context.RegisterSourceOutput(
            plan.SelectMany(static (p, _) => p.Diagnostics).WithTrackingName(TrackingNames.PlanDiagnostics),
            static (spc, diagnostic) => Report(spc, diagnostic));

        var units = plan.SelectMany(static (p, _) => p.Units).WithTrackingName(TrackingNames.Units);
        context.RegisterSourceOutput(units, static (spc, unit) =>
            spc.AddSource(unit.HintName, SourceText.From(Emitter.Emit(unit), System.Text.Encoding.UTF8)));
    }

    private static CrdFile Parse(CrdInput input, string rootNamespace, System.Threading.CancellationToken cancellationToken)
    {
        // An explicit namespace the user wrote is not changed silently: an invalid one is an error at the file, and the
        // code goes into the valid namespace the error suggests, so it is the only error.
        var ns = input.Namespace ?? rootNamespace;
        DiagnosticInfo? badNamespace = null;
        if (!Namespaces.IsValid(ns))
        {
            var safe = Namespaces.Safe(ns);
            badNamespace = DiagnosticInfo.Create("CRDGEN011", input.Path, 0, 0, ns, safe);
            ns = safe;
        }

        var file = ParseText(input, ns, cancellationToken);
        return badNamespace is null ? file : file with { Diagnostics = new[] { badNamespace }.Concat(file.Diagnostics).ToEquatableArray() };
    }

    private static CrdFile ParseText(CrdInput input, string ns, System.Threading.CancellationToken cancellationToken)
    {
        if (input.Text is null)
        {
            return new CrdFile(input.Path, ns, EquatableArray<CrdModel>.Empty,
                new[] { DiagnosticInfo.Create("CRDGEN001", input.Path, 0, 0, Path.GetFileName(input.Path), "the file could not be read") }.ToEquatableArray());
        }

        try
        {
            return CrdParser.Parse(input.Path, input.Text, ns, cancellationToken) with { UntranslatedSeverity = input.UntranslatedSeverity };
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception e)
        {
            // The parser reports bad input as diagnostics; this is the last line of defence against CS8785.
            return new CrdFile(input.Path, ns, EquatableArray<CrdModel>.Empty,
                new[] { DiagnosticInfo.Create("CRDGEN001", input.Path, 0, 0, Path.GetFileName(input.Path), "unexpected " + e.GetType().Name + ": " + e.Message) }.ToEquatableArray());
        }
    }

    /// <summary>"warning", "Warning", "error"... as a severity name, or null (keep the default) for anything else.</summary>
    private static string? Severity(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "info" or "information" => "Info",
        "warning" => "Warning",
        "error" => "Error",
        _ => null,
    };

    private static void Report(SourceProductionContext context, DiagnosticInfo info)
    {
        // An id the table does not know is a generator bug: say so rather than drop the diagnostic.
        var descriptor = DiagnosticDescriptors.Find(info.Id);
        if (descriptor is null)
        {
            info = DiagnosticInfo.Create("CRDGEN000", info.FilePath, info.Line, info.Column, info.Id, string.Join("; ", info.Arguments));
            descriptor = DiagnosticDescriptors.Internal;
        }

        var position = new LinePosition(info.Line, info.Column);
        var location = string.IsNullOrEmpty(info.FilePath)
            ? Location.None
            : Location.Create(info.FilePath, new TextSpan(0, 0), new LinePositionSpan(position, position));
        var arguments = new object[info.Arguments.Count];
        for (var i = 0; i < arguments.Length; i++)
        {
            arguments[i] = info.Arguments[i];
        }

        var severity = info.Severity switch
        {
            "Info" => DiagnosticSeverity.Info,
            "Warning" => DiagnosticSeverity.Warning,
            "Error" => DiagnosticSeverity.Error,
            _ => descriptor.DefaultSeverity,
        };
        context.ReportDiagnostic(Diagnostic.Create(descriptor, location, severity, additionalLocations: null, properties: null, arguments));
    }

    /// <summary>An opted-in file's path, text and namespace. Remarks: equatable by value (pipeline model).</summary>
    private sealed record CrdInput(string Path, string? Text, string? Namespace, string? UntranslatedSeverity);
}
