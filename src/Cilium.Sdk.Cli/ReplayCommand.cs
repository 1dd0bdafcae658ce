using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Hubble.Flows;
using Cilium.Sdk.Policies;
using Cilium.Sdk.Verdicts;

namespace Cilium.Sdk.Cli;

/// <summary>
/// <c>replay</c>: the verdict the configuration's policies would give in enforce mode to each flow of a
/// <c>hubble observe -o json</c> capture; exit 0 when nothing would drop, 1 when something would, 2 on usage errors
/// (including a configuration with errors or an unreadable flows file).
/// </summary>
internal static class ReplayCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr, Reporter reporter)
    {
        var flows = new Option<FileInfo>("--flows", "-f") { Description = "The output of 'hubble observe -o json' (one JSON object per line).", Required = true };
        var config = new Option<FileInfo>("--config", "-c") { Description = "The template's cluster.yaml.", Required = true };
        var nodes = new Option<FileInfo>("--nodes", "-n") { Description = "The template's nodes.yaml (default: beside --config)." };
        var format = new Option<string>("--format") { Description = "text (default) or json.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var replay = new Command("replay", "Replay observed Hubble flows against the configuration's network policies in enforce mode: report what would drop (AUDIT verdicts count as drops), grouped by workload and port, with suggested allow rules as SDK code and YAML. Exit 0 when nothing would drop, 1 when something would, 2 on usage errors.")
        {
            flows, config, nodes, format,
        };
        replay.SetAction(parse =>
        {
            var flowsFile = parse.GetValue(flows)!;
            if (!flowsFile.Exists)
            {
                stderr.WriteLine($"error: {flowsFile.FullName} does not exist. Fix: pass the output of 'hubble observe -o json' with --flows.");
                return ExitCodes.Usage;
            }

            var loaded = CliApp.Load(parse.GetValue(config)!, parse.GetValue(nodes), stderr);
            if (loaded is null)
            {
                return ExitCodes.Usage;
            }

            // Build() validates the whole description once and reports every problem.
            CiliumCluster? cluster = null;
            var problems = loaded.Problems.ToList();
            try
            {
                cluster = loaded.Cluster?.Build();
            }
            catch (ClusterValidationException e)
            {
                problems.AddRange(e.Errors);
            }

            if (cluster is null || problems.Any(p => p.IsError))
            {
                reporter.Text(problems.Where(p => p.IsError));
                stderr.WriteLine("error: the configuration has errors (above); fix them before replaying flows against its policies.");
                return ExitCodes.Usage;
            }

            HubbleReadResult read;
            try
            {
                read = HubbleFlowReader.ReadFile(flowsFile.FullName);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"error: cannot read {flowsFile.FullName}: {e.Message}");
                return ExitCodes.Usage;
            }

            var rendered = cluster.Spec.Policies?.Render(cluster.Spec.Version, PolicyMode.Enforce) ?? [];
            var verdicts = PolicyVerdicts.For(rendered);
            var report = FlowReplay.Run(verdicts, read, cluster.Spec.Version);
            stdout.Write(parse.GetValue(format) == "json" ? report.ToJson() : report.ToText());
            return report.HasDrops ? ExitCodes.Problems : ExitCodes.Success;
        });
        return replay;
    }
}
