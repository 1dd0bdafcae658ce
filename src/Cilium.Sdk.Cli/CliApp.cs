using System;
using System.CommandLine;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Diagrams;
using Cilium.Sdk.Migration;
using CrdKit.Validation;

namespace Cilium.Sdk.Cli;

/// <summary>
/// The <c>cilium-sdk</c> command line: one System.CommandLine tree, run in-process by the tests with their own
/// writers. Inputs are the makejinja template's <c>cluster.yaml</c> and <c>nodes.yaml</c>. Problems go to stderr in the
/// template's terms (the key, file and line, fixes naming keys and flags); results go to stdout.
/// </summary>
internal static class CliApp
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, bool colour)
    {
        var root = new RootCommand("Cilium networking from a cluster template's cluster.yaml, with Cilium.Sdk: render the GitOps tree, Talos patch and router config into your repository (adopting the template's files once); check for drift; validate; draw the network; and, for any folder of Cilium YAML, lint it and test policy verdicts. " + ExitCodes.Help);
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

    /// <summary>The options every command that reads the template shares.</summary>
    internal sealed class InputOptions
    {
        public Option<FileInfo> Config { get; } = new("--config", "-c") { Description = "The template's cluster.yaml.", Required = true };

        public Option<FileInfo> Nodes { get; } = new("--nodes", "-n") { Description = "The template's nodes.yaml (default: nodes.yaml beside --config)." };

        public Option<bool> Strict { get; } = new("--strict") { Description = "Treat a misspelt key (\"did you mean ...?\") as an error, not a warning." };

        public Option<FileInfo> Values { get; } = new("--values") { Description = "Helm values for Cilium merged over what cluster.yaml renders (default: cilium-values.yaml beside --config, when it exists; render --adopt keeps the values of your HelmRelease there)." };

        public IEnumerable<Option> All => [Config, Nodes, Strict, Values];
    }

    private static Command[] Commands(TextWriter stdout, TextWriter stderr, bool colour)
    {
        var reporter = new Reporter(stderr, colour);

        var validateInput = new InputOptions();
        var format = new Option<string>("--format") { Description = "text (default) or json (the report on stdout).", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var validate = new Command("validate", "Print every error and warning of the configuration with its cluster.yaml key, line and fix.");
        foreach (var option in validateInput.All.Append(format))
        {
            validate.Options.Add(option);
        }

        validate.SetAction(parse =>
        {
            var loaded = Load(parse, validateInput, stderr);
            if (loaded is null)
            {
                return ExitCodes.Usage;
            }

            var problems = Problems(loaded, loaded.Cluster?.Validate() ?? []);
            if (parse.GetValue(format) == "json")
            {
                stdout.WriteLine(Reporter.Json(problems, loaded.IgnoredKeys));
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

        var diagramInput = new InputOptions();
        var diagramFormat = new Option<string>("--format")
        {
            Description = "mermaid (default), markdown (a fenced mermaid block GitHub renders in a .md file) or dot (Graphviz).",
            DefaultValueFactory = _ => "mermaid",
        };
        diagramFormat.AcceptOnlyFromAmong("mermaid", "markdown", "dot");
        var diagram = new Command("diagram", "Draw the cluster's network (nodes, LoadBalancer pools and pinned Service IPs, announcements) as Mermaid, Markdown or Graphviz DOT.");
        foreach (var option in diagramInput.All.Append(diagramFormat))
        {
            diagram.Options.Add(option);
        }

        diagram.SetAction(parse =>
        {
            var cluster = Build(parse, diagramInput, stderr, reporter, out _, out var code);
            if (cluster is null)
            {
                return code;
            }

            var graph = ClusterDiagram.Build(cluster);
            stdout.Write(parse.GetValue(diagramFormat) switch
            {
                "dot" => ClusterDiagram.ToDot(graph),
                "markdown" => ClusterDiagram.ToMarkdown(graph),
                _ => ClusterDiagram.ToMermaid(graph),
            });
            return ExitCodes.Success;
        });

        return [validate, diagram, .. OutputCommands.Create(stdout, stderr, reporter), RouterConfigCommand.Create(stdout, stderr, reporter), ReplayCommand.Create(stdout, stderr, reporter), LintCommand.Create(stdout, stderr), VerdictCommand.Create(stdout, stderr), PolicyDiffCommand.Create(stdout, stderr)];
    }

    /// <summary>Reads the template files; null (after printing why) when they cannot be read.</summary>
    internal static TemplateImport? Load(FileInfo config, FileInfo? nodes, TextWriter stderr) => Load(config, nodes, strict: false, stderr);

    internal static TemplateImport? Load(System.CommandLine.ParseResult parse, InputOptions input, TextWriter stderr)
    {
        var config = parse.GetValue(input.Config)!;
        var loaded = Load(config, parse.GetValue(input.Nodes), parse.GetValue(input.Strict), stderr);
        if (loaded?.Cluster is null)
        {
            return loaded;
        }

        var file = ValuesFile(parse, input);
        if (!file.Exists)
        {
            if (parse.GetValue(input.Values) is not null)
            {
                stderr.WriteLine($"error: {file.FullName} does not exist. Fix: pass an existing Helm values file with --values, or leave --values out.");
                return null;
            }

            return LoadOverrides(parse, input, loaded, stderr);
        }

        try
        {
            var documents = Cilium.Sdk.Serialization.Manifests.ParseYaml(File.ReadAllText(file.FullName));
            if (documents.Count == 0)
            {
                return LoadOverrides(parse, input, loaded, stderr);
            }

            if (documents.Count > 1 || documents[0] is not System.Text.Json.Nodes.JsonObject values)
            {
                stderr.WriteLine($"error: {file.FullName} is not one YAML mapping of Helm values. Fix: write the chart values as a mapping (as under spec.values of a HelmRelease).");
                return null;
            }

            loaded = loaded with { Cluster = loaded.Cluster.WithHelmValues(values) };
            return LoadOverrides(parse, input, loaded, stderr);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            stderr.WriteLine($"error: cannot read the Helm values in {file.FullName}: {e.Message} Fix: correct the file (YAML, as under spec.values of a HelmRelease).");
            return null;
        }
    }

    // cilium-overrides.yaml beside cluster.yaml: the fields and comments render --adopt kept from the files it took over.
    private static TemplateImport? LoadOverrides(System.CommandLine.ParseResult parse, InputOptions input, TemplateImport loaded, TextWriter stderr)
    {
        var file = OverridesFile(parse, input);
        if (!file.Exists)
        {
            return loaded;
        }

        try
        {
            var documents = Cilium.Sdk.Serialization.Manifests.ParseYaml(File.ReadAllText(file.FullName));
            if (documents.Count == 0)
            {
                return loaded;
            }

            if (documents.Count > 1 || documents[0] is not System.Text.Json.Nodes.JsonObject overrides)
            {
                stderr.WriteLine($"error: {file.FullName} is not one YAML mapping. Fix: map each file (relative to the repository root) to its objects ('Kind/name'), each to 'fields:' and 'comments:', as render --adopt writes it.");
                return null;
            }

            return loaded with { Cluster = loaded.Cluster!.WithManifestOverrides(overrides) };
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            stderr.WriteLine($"error: cannot read {file.FullName}: {e.Message} Fix: correct the file (YAML: file, then 'Kind/name', then 'fields:' and 'comments:').");
            return null;
        }
    }

    /// <summary>The manifest overrides file beside --config.</summary>
    internal static FileInfo OverridesFile(System.CommandLine.ParseResult parse, InputOptions input) =>
        new(Path.Combine(parse.GetValue(input.Config)!.DirectoryName ?? ".", OverridesFileName));

    /// <summary>The name of the manifest overrides file beside cluster.yaml.</summary>
    internal const string OverridesFileName = "cilium-overrides.yaml";

    /// <summary>The Helm values file: --values, else cilium-values.yaml beside --config.</summary>
    internal static FileInfo ValuesFile(System.CommandLine.ParseResult parse, InputOptions input) =>
        parse.GetValue(input.Values) ?? new FileInfo(Path.Combine(parse.GetValue(input.Config)!.DirectoryName ?? ".", ValuesFileName));

    /// <summary>The default name of the Helm values file beside cluster.yaml.</summary>
    internal const string ValuesFileName = "cilium-values.yaml";

    private static TemplateImport? Load(FileInfo config, FileInfo? nodes, bool strict, TextWriter stderr)
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
            return TemplateImporter.ImportFiles(config.FullName, nodesFile.FullName, new TemplateReadOptions(strict));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"error: cannot read the configuration: {e.Message}");
            return null;
        }
    }

    /// <summary>The reader's problems, then <paramref name="more"/> in the template's terms; errors first.</summary>
    internal static IReadOnlyList<ValidationError> Problems(TemplateImport loaded, IEnumerable<ValidationError> more) =>
        loaded.Problems.Concat(loaded.InTemplateTerms(more)).OrderBy(p => p.Severity).ToList();

    /// <summary>Reads, validates and builds, printing every problem (warnings too, as validate does); null when an
    /// error stops it.</summary>
    internal static CiliumCluster? Build(System.CommandLine.ParseResult parse, InputOptions input, TextWriter stderr, Reporter reporter, out TemplateImport? loaded, out int exitCode)
    {
        loaded = Load(parse, input, stderr);
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
            reporter.Text(Problems(loaded, cluster.Warnings));
            exitCode = loaded.Problems.Any(p => p.IsError) ? ExitCodes.Problems : ExitCodes.Success;
            return exitCode == ExitCodes.Success ? cluster : null;
        }
        catch (ClusterValidationException e)
        {
            reporter.Text(Problems(loaded, e.Errors));
            exitCode = ExitCodes.Problems;
            return null;
        }
    }
}
