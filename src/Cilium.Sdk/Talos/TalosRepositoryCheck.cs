using System;
using System.Linq;
using System.Text.Json.Nodes;
using Cilium.Sdk.Output;
using Cilium.Sdk.Rendering;
using Cilium.Sdk.Serialization;

namespace Cilium.Sdk.Talos;

/// <summary>
/// The repository check for a talhelper <c>talos/talconfig.yaml</c>: with adoption (and on every write after it) the
/// SDK's patch is put into its global <c>patches:</c> as a merged entry; otherwise, and for whatever that patch cannot
/// fix, <see cref="TalconfigCheck"/>'s findings become the check's errors and warnings.
/// </summary>
internal static class TalosRepositoryCheck
{
    private static readonly MergedEntry SdkEntry = MergedEntry.Scalar("patches", TalconfigCheck.SdkPatchEntry);

    /// <summary>Runs the check (one of <c>RepositoryChecks</c>' checks).</summary>
    /// <param name="context">The repository and the tree.</param>
    public static void Check(RepositoryCheckContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        string path = TalconfigCheck.DefaultPath;
        if (context.Tree[TalosPatches.CiliumPatchPath] is null || Needs(context.Tree) is not { } needs || context.ReadText(path) is null)
        {
            return;
        }

        // An entry the SDK added earlier stays on every later write: without it the writer would take it out again.
        bool merge = context.Adopt || context.RecordedEntries(path).Any(e => e.List == SdkEntry.List && e.Value == SdkEntry.Value);

        // The SDK's own files are read as this write leaves them (its Talos patch before it is first written).
        string? Read(string relative) => context.Tree[relative] is { Kind: OutputFileKind.Owned } file ? file.Content : context.ReadText(relative);
        TalconfigReport report = TalconfigCheck.Check(path, Read, needs, withSdkPatch: merge);
        if (merge)
        {
            context.Merge(path, null, [SdkEntry]);
        }

        foreach (TalosFinding finding in report.Findings)
        {
            if (finding.Severity == TalosFindingSeverity.Error)
            {
                context.Error(finding.File, finding.Line, finding.Message, finding.Fix);
            }
            else
            {
                context.Warning(finding.File, finding.Line, finding.Message, finding.Fix);
            }
        }
    }

    /// <summary>The needs from the chart values of the Cilium HelmRelease the tree writes; null without one.</summary>
    private static TalosNeeds? Needs(OutputTree tree)
    {
        OutputFile? release = tree.Files.FirstOrDefault(f => f.Path.EndsWith("/cilium/app/helmrelease.yaml", StringComparison.Ordinal));
        return release is null
            ? null
            : Manifests.ParseYaml(release.Content).OfType<JsonObject>().FirstOrDefault(d => (string?)d["kind"] == "HelmRelease")?["spec"]?["values"] is JsonObject values
                ? TalosNeeds.FromHelmValues(values)
                : null;
    }
}
