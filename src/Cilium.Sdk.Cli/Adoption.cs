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
/// (nothing written), keeps the Helm values the user added in the values file (read back by every command), and shows
/// the diff of every file the adoption changes.
/// </summary>
internal static class Adoption
{
    /// <summary>The render to write (with the kept values), or null after printing why nothing is written.</summary>
    public static RenderedCluster? Prepare(ParseResult parse, CliApp.InputOptions input, RenderedCluster rendered, string directory, bool force, TextWriter stdout, TextWriter stderr, Reporter reporter)
    {
        var plan = RepositoryAdoption.Plan(rendered, directory);
        var refused = plan.Conflicts.Select(c => c.ToString()).ToList();
        if (plan.EditedValues.Count > 0 && !force)
        {
            refused.Add("kubernetes/apps/kube-system/cilium/app/helmrelease.yaml: was edited by hand: "
                + string.Join("; ", plan.EditedValues.Select(v => $"{v.Path} is {v.Yours}, Cilium.Sdk sets {v.Sdk}"))
                + ". Fix: set each in cluster.yaml, or keep yours in " + CliApp.ValuesFile(parse, input).Name + " (merged last, it wins), or render with --adopt --force to take the SDK's values");
        }

        if (refused.Count > 0)
        {
            reporter.Error($"did not adopt {directory} (nothing was written):\n  - " + string.Join("\n  - ", refused));
            return null;
        }

        if (plan.KeptValues.Count > 0)
        {
            // The user's values go into the values file first: a crash after this leaves them in both places, never in none.
            var file = CliApp.ValuesFile(parse, input);
            var values = file.Exists && Manifests.ParseYaml(File.ReadAllText(file.FullName)) is [JsonObject existing] ? existing : new JsonObject();
            values = HelmValues.CombineOverrides(values, plan.KeptValues);
            var text = "# Helm values for Cilium that cluster.yaml does not describe, kept from your HelmRelease by cilium-sdk render --adopt.\n"
                + "# Every cilium-sdk command reads this file and merges it over what cluster.yaml renders.\n"
                + Manifests.ToYaml(HelmValues.Sorted(values));
            var temporary = file.FullName + ".tmp";
            File.WriteAllText(temporary, text);
            File.Move(temporary, file.FullName, overwrite: true);
            stdout.WriteLine($"kept {Leaves(plan.KeptValues)} Helm value(s) of your HelmRelease in {file.FullName}");

            var reloaded = CliApp.Load(parse, input, stderr);
            if (reloaded?.Cluster is null)
            {
                return null;
            }

            rendered = reloaded.Cluster.Build().Render();
        }

        stdout.Write(plan.ToString());
        var report = rendered.CheckAgainst(directory, adopt: true);
        stdout.Write(report.ToUnifiedDiff());
        return rendered;
    }

    private static int Leaves(JsonNode? node) => node is JsonObject { Count: > 0 } obj ? obj.Sum(p => Leaves(p.Value)) : 1;
}
