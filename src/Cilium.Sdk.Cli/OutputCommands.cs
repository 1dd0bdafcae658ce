using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Output;

namespace Cilium.Sdk.Cli;

/// <summary><c>render</c> writes the GitOps tree, Talos patch and router config; <c>check</c> compares them (for CI).</summary>
internal static class OutputCommands
{
    public static Command[] Create(TextWriter stdout, TextWriter stderr, Reporter reporter)
    {
        var renderInput = new CliApp.InputOptions();
        var renderOut = new Option<DirectoryInfo>("--out", "-o") { Description = "The repository root to write into.", Required = true };
        var force = new Option<bool>("--force") { Description = "Overwrite generated files you edited (never files the SDK did not generate)." };
        var rewriteSecrets = new Option<bool>("--rewrite-secrets") { Description = "Write the generated plain text over secret files sops has encrypted (after a secret changed); then encrypt them again. Without it an encrypted file is never overwritten, --force included." };
        var render = new Command("render", "Write the Flux GitOps tree, the Talos patch and the router's FRR config. Only files the SDK generated are ever changed.");
        foreach (var option in renderInput.All)
        {
            render.Options.Add(option);
        }

        render.Options.Add(renderOut);
        render.Options.Add(force);
        render.Options.Add(rewriteSecrets);
        render.SetAction(parse =>
        {
            var cluster = CliApp.Build(parse, renderInput, stderr, reporter, out var loaded, out var code);
            if (cluster is null)
            {
                return code;
            }

            return Guard(reporter, loaded!, () =>
            {
                var rendered = cluster.Render();
                // Build() printed the cluster's warnings; rendering adds only what the records' own checks found.
                reporter.Text(CliApp.Problems(loaded!, rendered.Warnings.Except(cluster.Warnings)));
                var result = rendered.WriteTo(parse.GetValue(renderOut)!.FullName, new WriteOptions { Force = parse.GetValue(force), RewriteSecrets = parse.GetValue(rewriteSecrets) });
                stdout.WriteLine(result.ToString());
                foreach (var path in result.NeedsEncryption)
                {
                    stdout.WriteLine($"plain text, encrypt before committing (from the repository root): sops --encrypt --in-place {path}");
                }

                return ExitCodes.Success;
            });
        });

        var checkInput = new CliApp.InputOptions();
        var checkOut = new Option<DirectoryInfo>("--out", "-o") { Description = "The repository root to compare with.", Required = true };
        var check = new Command("check", "Exit 1 with a readable diff when the directory differs from what the configuration renders (for CI). Never writes.");
        foreach (var option in checkInput.All)
        {
            check.Options.Add(option);
        }

        check.Options.Add(checkOut);
        check.SetAction(parse =>
        {
            var cluster = CliApp.Build(parse, checkInput, stderr, reporter, out var loaded, out var code);
            if (cluster is null)
            {
                return code;
            }

            return Guard(reporter, loaded!, () =>
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

    private static int Guard(Reporter reporter, Migration.TemplateImport loaded, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (ClusterValidationException e)
        {
            reporter.Text(CliApp.Problems(loaded, e.Errors));
            return ExitCodes.Problems;
        }
        catch (OutputException e)
        {
            reporter.Error(e.Message);
            return ExitCodes.WriteFailed;
        }
    }
}
