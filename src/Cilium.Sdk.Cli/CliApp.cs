using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Diagrams;
using Cilium.Sdk.Migration;

namespace Cilium.Sdk.Cli;

/// <summary>
/// The <c>cilium-sdk</c> command line: one System.CommandLine tree, run in-process by the tests with their own
/// writers. Inputs are the makejinja template's <c>cluster.yaml</c> and <c>nodes.yaml</c>.
/// </summary>
internal static class CliApp
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, bool colour)
    {
        var root = new RootCommand("Cilium networking from a cluster template's cluster.yaml, with Cilium.Sdk: render the GitOps tree, Talos patch and router config; check for drift; validate; draw the network. " + ExitCodes.Help);
        foreach (var command in Commands(stdout, stderr, colour))
        {
            root.Subcommands.Add(command);
        }

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                stderr.WriteLine("error: " + error.Message);
            }

            stderr.WriteLine("Run 'cilium-sdk --help' for usage.");
            return ExitCodes.Usage;
        }

        return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }

    private static Option<FileInfo> ConfigOption() => new("--config", "-c")
    {
        Description = "The template's cluster.yaml.",
        Required = true,
    };

    private static Option<FileInfo> NodesOption() => new("--nodes", "-n")
    {
        Description = "The template's nodes.yaml (default: nodes.yaml beside --config).",
    };

    private static Command[] Commands(TextWriter stdout, TextWriter stderr, bool colour)
    {
        var reporter = new Reporter(stdout, colour);

        var validateConfig = ConfigOption();
        var validateNodes = NodesOption();
        var format = new Option<string>("--format") { Description = "text (default) or json.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var validate = new Command("validate", "Print every error and warning of the configuration with its key path and fix.")
        {
            validateConfig, validateNodes, format,
        };
        validate.SetAction(parse =>
        {
            var loaded = Load(parse.GetValue(validateConfig)!, parse.GetValue(validateNodes), stderr);
            if (loaded is null)
            {
                return ExitCodes.Usage;
            }

            var problems = loaded.Problems.Concat(loaded.Cluster?.Validate() ?? []).ToList();
            if (parse.GetValue(format) == "json")
            {
                reporter.Json(problems, loaded.IgnoredKeys);
            }
            else
            {
                reporter.Text(problems);
                if (loaded.IgnoredKeys.Count > 0)
                {
                    stdout.WriteLine($"not used by the Cilium parts (ignored): {string.Join(", ", loaded.IgnoredKeys)}");
                }

                stdout.WriteLine($"{problems.Count(p => p.IsError)} error(s), {problems.Count(p => !p.IsError)} warning(s)");
            }

            return problems.Any(p => p.IsError) ? ExitCodes.Problems : ExitCodes.Success;
        });

        var diagramConfig = ConfigOption();
        var diagramNodes = NodesOption();
        var diagramFormat = new Option<string>("--format") { Description = "mermaid (default, renders on GitHub) or dot (Graphviz).", DefaultValueFactory = _ => "mermaid" };
        diagramFormat.AcceptOnlyFromAmong("mermaid", "dot");
        var diagram = new Command("diagram", "Draw the cluster's network (nodes, LB pools and pinned Service IPs, announcements) as Mermaid or Graphviz DOT.")
        {
            diagramConfig, diagramNodes, diagramFormat,
        };
        diagram.SetAction(parse =>
        {
            var cluster = Build(parse.GetValue(diagramConfig)!, parse.GetValue(diagramNodes), stderr, reporter, out var code);
            if (cluster is null)
            {
                return code;
            }

            var graph = ClusterDiagram.Build(cluster);
            stdout.Write(parse.GetValue(diagramFormat) == "dot" ? ClusterDiagram.ToDot(graph) : ClusterDiagram.ToMermaid(graph));
            return ExitCodes.Success;
        });

        return [validate, diagram, .. OutputCommands.Create(stdout, stderr, reporter), ReplayCommand.Create(stdout, stderr, reporter)];
    }

    /// <summary>Reads the template files; null (after printing why) when they cannot be read.</summary>
    internal static TemplateImport? Load(FileInfo config, FileInfo? nodes, TextWriter stderr)
    {
        var nodesFile = nodes ?? new FileInfo(Path.Combine(config.DirectoryName ?? ".", "nodes.yaml"));
        foreach (var file in new[] { config, nodesFile })
        {
            if (!file.Exists)
            {
                stderr.WriteLine($"error: {file.FullName} does not exist. Fix: pass the template's cluster.yaml with --config and nodes.yaml with --nodes.");
                return null;
            }
        }

        try
        {
            return TemplateImporter.ImportFiles(config.FullName, nodesFile.FullName);
        }
        catch (IOException e)
        {
            stderr.WriteLine($"error: cannot read the configuration: {e.Message}");
            return null;
        }
        catch (UnauthorizedAccessException e)
        {
            stderr.WriteLine($"error: cannot read the configuration: {e.Message}");
            return null;
        }
    }

    /// <summary>Reads, validates and builds; null (after printing every problem) when that fails.</summary>
    internal static CiliumCluster? Build(FileInfo config, FileInfo? nodes, TextWriter stderr, Reporter reporter, out int exitCode)
    {
        var loaded = Load(config, nodes, stderr);
        if (loaded is null)
        {
            exitCode = ExitCodes.Usage;
            return null;
        }

        if (loaded.Cluster is null)
        {
            reporter.Text(loaded.Problems);
            exitCode = ExitCodes.Problems;
            return null;
        }

        // Build() validates the whole description once and reports every problem; validating first would do it twice.
        try
        {
            var cluster = loaded.Cluster.Build();
            if (loaded.Problems.Any(p => p.IsError))
            {
                reporter.Text(loaded.Problems.Concat(cluster.Warnings).ToList());
                exitCode = ExitCodes.Problems;
                return null;
            }

            exitCode = ExitCodes.Success;
            return cluster;
        }
        catch (ClusterValidationException e)
        {
            reporter.Text(loaded.Problems.Concat(e.Errors).ToList());
            exitCode = ExitCodes.Problems;
            return null;
        }
    }
}
