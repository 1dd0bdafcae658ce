using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using Cilium.Sdk.Helm;
using Cilium.Sdk.Output;
using Cilium.Sdk.Rendering;
using Cilium.Sdk.Serialization;

namespace Cilium.Sdk.Cli;

/// <summary>
/// <c>render --adopt</c> before it writes: compares the repository with the render, refuses what would lose content
/// (nothing written), keeps the Helm values the user added in the values file and the other fields and comments of the
/// files it takes over in the overrides file (both read back by every command), names every change with why, and shows
/// the diff of every file the adoption changes.
/// </summary>
internal static class Adoption
{
    /// <summary>The render to write (with the kept values), or null after printing why nothing is written.</summary>
    /// <remarks>The undo it gives back puts the values and overrides files back as they were: called when the write is then
    /// refused, so "nothing was written" stays true.</remarks>
    public static RenderedCluster? Prepare(ParseResult parse, CliApp.InputOptions input, RenderedCluster rendered, string directory, bool force, TextWriter stdout, TextWriter stderr, Reporter reporter, out Action undo)
    {
        var saved = new List<(FileInfo File, byte[]? Previous)>();
        undo = () => Restore(saved);
        var plan = RepositoryAdoption.Plan(rendered, directory);
        var refused = plan.Conflicts.Select(c => c.ToString()).ToList();
        if (plan.EditedValues.Count > 0 && !force)
        {
            refused.Add("kubernetes/apps/kube-system/cilium/app/helmrelease.yaml: was edited by hand: "
                + string.Join("; ", plan.EditedValues.Select(v => $"{v.Path} is {v.Yours}, Cilium.Sdk sets {v.Sdk}"))
                + ". Fix: set each in cluster.yaml, or keep yours in " + CliApp.ValuesFile(parse, input).Name + " (merged last, it wins), or render with --adopt --force to take the SDK's values");
        }

        foreach (var group in force ? [] : plan.EditedFields.GroupBy(f => f.File, System.StringComparer.Ordinal))
        {
            refused.Add(group.Key + ": was edited by hand: " + string.Join("; ", group.Select(f => $"{f.Object} {f.Path} is {f.Yours}, Cilium.Sdk sets {f.Sdk}"))
                + ". Fix: set each in cluster.yaml, or keep yours in " + CliApp.OverridesFileName + " under the file and object's 'fields:' (merged last, it wins), or render with --adopt --force to take the SDK's values");
        }

        if (refused.Count > 0)
        {
            reporter.Error($"did not adopt {directory} (nothing was written):\n  - " + string.Join("\n  - ", refused));
            return null;
        }

        // What the user's files hold and the SDK does not render goes into the files every command reads first: a crash
        // after this leaves it in both places, never in none; a refusal after this (the writer's) takes them back.
        if (plan.KeptValues.Count > 0)
        {
            var file = CliApp.ValuesFile(parse, input);
            saved.Add(Save(file, plan.KeptValues,
                "# Helm values for Cilium that cluster.yaml does not describe, kept from your HelmRelease by cilium-sdk render --adopt.\n"
                + "# Every cilium-sdk command reads this file and merges it over what cluster.yaml renders.\n"));
            stdout.WriteLine($"kept {Leaves(plan.KeptValues)} Helm value(s) of your HelmRelease in {file.FullName}");
        }

        if (plan.KeptOverrides.Count > 0)
        {
            var file = CliApp.OverridesFile(parse, input);
            saved.Add(Save(file, plan.KeptOverrides,
                "# Fields and comments of the files cilium-sdk render --adopt took over that cluster.yaml does not describe, kept from\n"
                + "# your repository: by file and object (Kind/name), 'fields' are merged over what cilium-sdk renders (an explicit null\n"
                + "# removes a key) and 'comments' are written above or beside the key they name. Every cilium-sdk command reads this file.\n"));
            var fields = plan.KeptOverrides.Sum(f => ((JsonObject)f.Value!).Sum(o => o.Value?["fields"] is JsonObject k ? Leaves(k) : 0));
            stdout.WriteLine($"kept {fields} field(s) and {plan.KeptComments.Count} comment(s) of the files taken over in {file.FullName}");
        }

        if (plan.KeptValues.Count > 0 || plan.KeptOverrides.Count > 0)
        {
            var reloaded = CliApp.Load(parse, input, stderr);
            if (reloaded?.Cluster is null)
            {
                Restore(saved);
                return null;
            }

            rendered = reloaded.Cluster.Build().Render();
        }

        stdout.Write(plan.ToString());
        var report = rendered.CheckAgainst(directory, adopt: true);
        stdout.Write(report.ToUnifiedDiff());
        return rendered;
    }

    // Returns the file's bytes before (null: it did not exist), for Restore.
    private static (FileInfo, byte[]?) Save(FileInfo file, JsonObject kept, string header)
    {
        byte[]? previous = file.Exists ? File.ReadAllBytes(file.FullName) : null;
        var values = file.Exists && Manifests.ParseYaml(File.ReadAllText(file.FullName)) is [JsonObject existing] ? existing : new JsonObject();
        values = HelmValues.CombineOverrides(values, kept);
        var temporary = file.FullName + ".tmp";
        File.WriteAllText(temporary, header + Manifests.ToYaml(HelmValues.Sorted(values)));
        File.Move(temporary, file.FullName, overwrite: true);
        return (file, previous);
    }

    private static void Restore(List<(FileInfo File, byte[]? Previous)> saved)
    {
        foreach (var (file, previous) in saved)
        {
            if (previous is null)
            {
                File.Delete(file.FullName);
            }
            else
            {
                var temporary = file.FullName + ".tmp";
                File.WriteAllBytes(temporary, previous);
                File.Move(temporary, file.FullName, overwrite: true);
            }
        }

        saved.Clear();
    }

    private static int Leaves(JsonNode? node) => node is JsonObject { Count: > 0 } obj ? obj.Sum(p => Leaves(p.Value)) : 1;
}
