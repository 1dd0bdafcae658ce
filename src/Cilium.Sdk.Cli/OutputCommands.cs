using System;
using System.CommandLine;
using System.IO;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Output;

namespace Cilium.Sdk.Cli;

/// <summary><c>render</c> writes the GitOps tree, Talos patch and router config; <c>check</c> compares them (for CI).</summary>
internal static class OutputCommands
{
    public static Command[] Create(TextWriter stdout, TextWriter stderr, Reporter reporter)
    {
        var renderConfig = new Option<FileInfo>("--config", "-c") { Description = "The template's cluster.yaml.", Required = true };
        var renderNodes = new Option<FileInfo>("--nodes", "-n") { Description = "The template's nodes.yaml (default: beside --config)." };
        var renderOut = new Option<DirectoryInfo>("--out", "-o") { Description = "The repository root to write into.", Required = true };
        var force = new Option<bool>("--force") { Description = "Overwrite generated files you edited (never files the SDK did not generate)." };
        var render = new Command("render", "Write the Flux GitOps tree, the Talos patch and the router's FRR config. Only files the SDK generated are ever changed.")
        {
            renderConfig, renderNodes, renderOut, force,
        };
        render.SetAction(parse =>
        {
            var cluster = CliApp.Build(parse.GetValue(renderConfig)!, parse.GetValue(renderNodes), stderr, reporter, out var code);
            if (cluster is null)
            {
                return code;
            }

            return Guard(stderr, () =>
            {
                var rendered = cluster.Render();
                reporter.Text(rendered.Warnings);
                stdout.WriteLine(rendered.WriteTo(parse.GetValue(renderOut)!.FullName, parse.GetValue(force)).ToString());
                return ExitCodes.Success;
            });
        });

        var checkConfig = new Option<FileInfo>("--config", "-c") { Description = "The template's cluster.yaml.", Required = true };
        var checkNodes = new Option<FileInfo>("--nodes", "-n") { Description = "The template's nodes.yaml (default: beside --config)." };
        var checkOut = new Option<DirectoryInfo>("--out", "-o") { Description = "The repository root to compare with.", Required = true };
        var check = new Command("check", "Exit 1 with a readable diff when the directory differs from what the configuration renders (for CI). Never writes.")
        {
            checkConfig, checkNodes, checkOut,
        };
        check.SetAction(parse =>
        {
            var cluster = CliApp.Build(parse.GetValue(checkConfig)!, parse.GetValue(checkNodes), stderr, reporter, out var code);
            if (cluster is null)
            {
                return code;
            }

            return Guard(stderr, () =>
            {
                var report = cluster.Render().CheckAgainst(parse.GetValue(checkOut)!.FullName);
                if (!report.HasDrift)
                {
                    stdout.WriteLine("no drift");
                    return ExitCodes.Success;
                }

                stdout.Write(report.ToUnifiedDiff());
                stdout.WriteLine(report.ToString());
                return ExitCodes.Problems;
            });
        });

        return [render, check];
    }

    private static int Guard(TextWriter stderr, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (ClusterValidationException e)
        {
            stderr.WriteLine("error: " + e.Message);
            return ExitCodes.Problems;
        }
        catch (OutputException e)
        {
            stderr.WriteLine("error: " + e.Message);
            return ExitCodes.WriteFailed;
        }
    }
}
