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
        var adopt = new Option<bool>("--adopt") { Description = "Take over the files a cluster template made (run once in a template repository): names every value it changes with why and shows the diff of every file, adds the SDK's entries to your kustomizations (keeping everything else), keeps the Helm values you added in cilium-values.yaml and the other fields and comments of the files it takes over in cilium-overrides.yaml, refuses your hand edits of values it sets (unless --force), and leaves every file the SDK does not render in place." };
        var render = new Command("render", "Write the Flux GitOps tree, the Talos patch and the router's FRR config. Only files the SDK generated are ever changed (with --adopt, once: the template's Cilium files).");
        foreach (var option in renderInput.All)
        {
            render.Options.Add(option);
        }

        render.Options.Add(renderOut);
        render.Options.Add(force);
        render.Options.Add(rewriteSecrets);
        render.Options.Add(adopt);
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
                var directory = parse.GetValue(renderOut)!.FullName;
                var options = new WriteOptions { Force = parse.GetValue(force), RewriteSecrets = parse.GetValue(rewriteSecrets), Adopt = parse.GetValue(adopt) };
                Action undoAdoption = () => { };
                if (options.Adopt)
                {
                    var adopted = Adoption.Prepare(parse, renderInput, rendered, directory, options.Force, stdout, stderr, reporter, out undoAdoption);
                    if (adopted is null)
                    {
                        return ExitCodes.WriteFailed;
                    }

                    rendered = adopted;
                }

                WriteResult result;
                try
                {
                    result = rendered.WriteTo(directory, options);
                }
                catch (OutputException)
                {
                    // The writer changed nothing: neither do the kept values and overrides the adoption saved first.
                    undoAdoption();
                    throw;
                }

                reporter.Findings(result.Warnings);
                stdout.WriteLine(result.ToString());
                foreach (var (file, by) in result.Replaced)
                {
                    stdout.WriteLine($"replaced {file}: its objects are rendered in {by}");
                }

                foreach (var path in result.Kept)
                {
                    stdout.WriteLine($"kept (not rendered by Cilium.Sdk, left as it is): {path}");
                }

                foreach (var path in result.NeedsEncryption)
                {
                    stdout.WriteLine($"plain text, encrypt before committing (from the repository root): sops --encrypt --in-place {path}");
                }

                foreach (var path in result.StillInPlainText)
                {
                    stdout.WriteLine($"still plain text from an earlier render, encrypt before committing: sops --encrypt --in-place {path}");
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
                reporter.Findings(report.Problems.Concat(report.Warnings));
                if (!report.HasDrift && !report.HasProblems)
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
