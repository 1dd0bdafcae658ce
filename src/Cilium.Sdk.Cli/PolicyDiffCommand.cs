using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Hubble.Flows;
using Cilium.Sdk.Serialization;
using Cilium.Sdk.Validation;
using Cilium.Sdk.Verdicts;

namespace Cilium.Sdk.Cli;

/// <summary>
/// <c>policy-diff</c>: what a policy change does before it merges. Two policy sets (two folders, or two git revisions
/// of one repository read with <c>git ls-tree</c> / <c>git cat-file</c>, never touching the work tree) through
/// <see cref="PolicyDiff"/>; every flow whose verdict changes, as text, Markdown or JSON.
/// </summary>
internal static class PolicyDiffCommand
{
    public const string Help = "Exit codes: 0 nothing that was allowed is denied now (or every such change is accepted), 1 something allowed is denied now, 2 usage error or unreadable input.";

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var baseRev = new Option<string>("--base") { Description = "The git revision before the change (a branch, tag or commit of --repo), e.g. origin/main." };
        var headRev = new Option<string>("--head") { Description = "The git revision after the change; the files in the work tree when omitted." };
        var repo = new Option<DirectoryInfo>("--repo") { Description = "The git repository for --base and --head (default: the current directory)." };
        var paths = new Option<string[]>("--path") { Description = "Where the policies are, relative to --repo (files or folders; default: the whole repository).", AllowMultipleArgumentsPerToken = true };
        var baseDir = new Option<string[]>("--base-dir") { Description = "Instead of git: the policy files and folders before the change.", AllowMultipleArgumentsPerToken = true };
        var headDir = new Option<string[]>("--head-dir") { Description = "Instead of git: the policy files and folders after the change.", AllowMultipleArgumentsPerToken = true };
        var flows = new Option<string[]>("--flows", "-f") { Description = "Observed flows to evaluate too: the output of 'hubble observe -o json', files (plain or gzip, rotated sets in order) or - for standard input.", AllowMultipleArgumentsPerToken = true };
        var accept = new Option<string[]>("--accept") { Description = "A change that is intended: 'SOURCE -> DESTINATION PORT/PROTOCOL' as the report prints it, '*' matching anything (e.g. 'monitoring/grafana -> monitoring/loki 3100/TCP'). Repeatable." };
        var acceptFile = new Option<FileInfo>("--accept-file") { Description = "A file of accept patterns, one a line ('#' starts a comment)." };
        var cilium = LintCommand.CiliumOption();
        var format = new Option<string>("--format") { Description = "text (default), markdown (for a pull-request comment) or json.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "markdown", "json");
        var command = new Command("policy-diff", "What a policy change does before it merges: the Cilium network policies of two git revisions (--base, --head) or two folders (--base-dir, --head-dir), evaluated over the endpoints and ports the policies and the component catalogue name (and an optional Hubble capture, --flows); every flow whose verdict changes, grouped by workload pair and port. " + Help)
        {
            baseRev, headRev, repo, paths, baseDir, headDir, flows, accept, acceptFile, cilium, format,
        };
        command.SetAction(parse =>
        {
            var version = CiliumVersion.Parse(parse.GetValue(cilium)!);
            var git = parse.GetValue(baseRev) is not null || parse.GetValue(headRev) is not null;
            var dirs = parse.GetValue(baseDir) is { Length: > 0 } || parse.GetValue(headDir) is { Length: > 0 };
            if (git == dirs)
            {
                stderr.WriteLine(git
                    ? "error: --base/--head (git revisions) and --base-dir/--head-dir (folders) are two ways to name the sides; use one. Fix: drop one pair."
                    : "error: name the two sides: --base REV [--head REV] (git revisions of --repo) or --base-dir DIR --head-dir DIR.");
                return ExitCodes.Usage;
            }

            if (git && parse.GetValue(baseRev) is null)
            {
                stderr.WriteLine("error: --head needs --base (the revision before the change). Fix: add --base, e.g. --base origin/main.");
                return ExitCodes.Usage;
            }

            if (dirs && (parse.GetValue(baseDir) is not { Length: > 0 } || parse.GetValue(headDir) is not { Length: > 0 }))
            {
                stderr.WriteLine("error: --base-dir and --head-dir go together. Fix: pass both.");
                return ExitCodes.Usage;
            }

            PolicyDiffAcceptance acceptance;
            try
            {
                acceptance = PolicyDiffAcceptance.Of(parse.GetValue(accept) ?? []);
                if (parse.GetValue(acceptFile) is { } file)
                {
                    if (!file.Exists)
                    {
                        stderr.WriteLine($"error: {file.FullName} does not exist. Fix: pass a file of accept patterns with --accept-file.");
                        return ExitCodes.Usage;
                    }

                    acceptance = acceptance.With(PolicyDiffAcceptance.Parse(File.ReadAllText(file.FullName)));
                }
            }
            catch (ArgumentException e)
            {
                var where = parse.GetValue(acceptFile) is { } f && e.ParamName == "text" ? "--accept-file " + f.Name + " " : "--accept ";
                stderr.WriteLine("error: " + where + e.Message.Split(" (Parameter", 2)[0]);
                return ExitCodes.Usage;
            }

            var flowPaths = parse.GetValue(flows) ?? [];
            foreach (var path in flowPaths.Where(p => p != "-"))
            {
                if (!File.Exists(path))
                {
                    stderr.WriteLine($"error: {Path.GetFullPath(path)} does not exist. Fix: pass the output of 'hubble observe -o json' with --flows.");
                    return ExitCodes.Usage;
                }
            }

            List<(string Name, string Text)>? before;
            List<(string Name, string Text)>? after;
            string baseName;
            string headName;
            if (git)
            {
                var root = parse.GetValue(repo)?.FullName ?? Directory.GetCurrentDirectory();
                var scope = parse.GetValue(paths) ?? [];
                baseName = parse.GetValue(baseRev)!;
                headName = parse.GetValue(headRev) ?? "work tree";
                before = GitFiles(root, baseName, scope, stderr);
                after = before is null ? null : parse.GetValue(headRev) is { } h ? GitFiles(root, h, scope, stderr) : FolderFiles(scope.Length == 0 ? [root] : scope.Select(p => Path.Combine(root, p)).ToArray(), stderr);
            }
            else
            {
                baseName = string.Join(" ", parse.GetValue(baseDir)!);
                headName = string.Join(" ", parse.GetValue(headDir)!);
                before = FolderFiles(parse.GetValue(baseDir)!, stderr);
                after = before is null ? null : FolderFiles(parse.GetValue(headDir)!, stderr);
            }

            var baseRecords = before is null ? null : Policies(before, version, stderr);
            var headRecords = after is null || baseRecords is null ? null : Policies(after, version, stderr);
            if (baseRecords is null || headRecords is null)
            {
                return ExitCodes.Usage;
            }

            HubbleFlowReader? reader = null;
            if (flowPaths.Length > 0)
            {
                reader = HubbleFlowReader.Open(FlowInput.ReplayOrder(flowPaths).Select(p => p == "-" ? FlowInput.StandardInput() : FlowInput.File(p)).ToArray());
            }

            var report = PolicyDiff.Compare(baseRecords, headRecords, new PolicyDiffOptions
            {
                BaseName = baseName,
                HeadName = headName,
                ObservedFlows = reader,
                Accept = acceptance,
            });
            if (reader is { ProblemCount: > 0 })
            {
                stderr.WriteLine($"warning: --flows: {reader.ProblemCount} bad line(s) skipped, first: {reader.Problems[0]}");
            }

            stdout.Write(parse.GetValue(format) switch
            {
                "json" => report.ToJson(),
                "markdown" => report.ToMarkdown(),
                _ => report.ToText(),
            });
            return report.HasBreakingChanges ? ExitCodes.Problems : ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The YAML files of folders and files, read; null after printing why when one cannot be read.</summary>
    private static List<(string Name, string Text)>? FolderFiles(string[] paths, TextWriter stderr)
    {
        var files = new List<(string, string)>();
        foreach (var path in paths)
        {
            if (!File.Exists(path) && !Directory.Exists(path))
            {
                stderr.WriteLine($"error: {Path.GetFullPath(path)} does not exist. Fix: pass policy files or folders.");
                return null;
            }

            try
            {
                foreach (var file in ManifestSet.Expand(path))
                {
                    files.Add((file, File.ReadAllText(file)));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"error: cannot read {path}: {e.Message}");
                return null;
            }
        }

        return files;
    }

    /// <summary>The YAML files of a revision (under <paramref name="scope"/>), from git's object store: the work tree and
    /// the index are not touched. Null after printing why when git fails.</summary>
    private static List<(string Name, string Text)>? GitFiles(string repo, string revision, string[] scope, TextWriter stderr)
    {
        if (revision.StartsWith('-'))
        {
            stderr.WriteLine($"error: '{revision}' is not a git revision. Fix: pass a branch, tag or commit with --base/--head.");
            return null;
        }

        var resolved = Git(repo, ["rev-parse", "--verify", "--quiet", revision + "^{commit}"], null, out var sha, out var error);
        if (!resolved)
        {
            stderr.WriteLine($"error: '{revision}' is not a commit of the git repository {repo}{(error.Length > 0 ? " (" + error.Trim() + ")" : string.Empty)}. Fix: pass a branch, tag or commit with --base/--head (and the repository with --repo).");
            return null;
        }

        var commit = Encoding.UTF8.GetString(sha).Trim();
        if (!Git(repo, ["ls-tree", "-r", "-z", "--name-only", commit, "--", .. scope], null, out var listing, out error))
        {
            stderr.WriteLine($"error: git ls-tree {revision} failed: {error.Trim()}");
            return null;
        }

        var names = Encoding.UTF8.GetString(listing).Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Where(n => n.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || n.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (names.Count == 0)
        {
            return [];
        }

        // One git process for every blob: "<sha> blob <size>\n<bytes>\n" per request line.
        var request = string.Concat(names.Select(n => commit + ":" + n + "\n"));
        if (!Git(repo, ["cat-file", "--batch"], request, out var batch, out error))
        {
            stderr.WriteLine($"error: git cat-file {revision} failed: {error.Trim()}");
            return null;
        }

        var files = new List<(string, string)>(names.Count);
        var at = 0;
        foreach (var name in names)
        {
            var eol = Array.IndexOf(batch, (byte)'\n', at);
            var header = Encoding.UTF8.GetString(batch, at, eol - at).Split(' ');
            if (header.Length < 3 || header[1] != "blob")
            {
                stderr.WriteLine($"error: git cat-file {revision}:{name}: {string.Join(' ', header)}");
                return null;
            }

            var size = int.Parse(header[2], System.Globalization.CultureInfo.InvariantCulture);
            files.Add((revision + ":" + name, new UTF8Encoding(false).GetString(batch, eol + 1, size).TrimStart('\uFEFF')));
            at = eol + 1 + size + 1;
        }

        return files;
    }

    private static bool Git(string repo, IEnumerable<string> args, string? input, out byte[] output, out string error)
    {
        var start = new ProcessStartInfo("git")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-C");
        start.ArgumentList.Add(repo);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        try
        {
            using var git = Process.Start(start)!;
            var errorTask = git.StandardError.ReadToEndAsync();
            if (input is not null)
            {
                var writer = System.Threading.Tasks.Task.Run(() =>
                {
                    git.StandardInput.Write(input);
                    git.StandardInput.Close();
                });
                using var buffer = new MemoryStream();
                git.StandardOutput.BaseStream.CopyTo(buffer);
                writer.Wait();
                output = buffer.ToArray();
            }
            else
            {
                using var buffer = new MemoryStream();
                git.StandardOutput.BaseStream.CopyTo(buffer);
                output = buffer.ToArray();
            }

            git.WaitForExit();
            error = errorTask.Result;
            return git.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            output = [];
            error = "git cannot be run: " + e.Message + "; install git or use --base-dir/--head-dir";
            return false;
        }
    }

    /// <summary>The policy records of the files that the API server and agent would accept; null after printing why
    /// when a policy cannot be read (no verdict would be honest then).</summary>
    private static List<object>? Policies(List<(string Name, string Text)> files, CiliumVersion version, TextWriter stderr)
    {
        var records = new List<object>();
        var failed = false;
        foreach (var (name, text) in files)
        {
            var read = Manifests.ReadAll(text, name);
            var policyDocuments = read.Where(d => PolicyKinds.Contains(d.Kind ?? string.Empty)).ToList();
            var indexes = policyDocuments.Select(d => d.Index).ToHashSet();
            foreach (var finding in read.Errors)
            {
                if (finding.DocumentIndex is { } i ? indexes.Contains(i) : text.Contains("cilium.io", StringComparison.Ordinal))
                {
                    stderr.WriteLine(finding);
                    failed = true;
                }
                else if (finding.DocumentIndex is null)
                {
                    stderr.WriteLine($"warning: {finding}; skipped: the file names no cilium.io kind");
                }
            }

            foreach (var document in policyDocuments.Where(d => d.Error is null))
            {
                if (PolicyDocuments.Accepted(document, version, stderr) is { } record)
                {
                    records.Add(record);
                }
            }
        }

        if (failed)
        {
            stderr.WriteLine("error: the policies above cannot be read, so no diff would be honest. Fix: correct them (cilium-sdk lint shows every problem).");
            return null;
        }

        return records;
    }

    private static readonly HashSet<string> PolicyKinds = new(StringComparer.Ordinal)
    {
        "CiliumNetworkPolicy", "CiliumClusterwideNetworkPolicy", "CiliumNetworkPolicyList", "CiliumClusterwideNetworkPolicyList", "CiliumCIDRGroup", "CiliumCIDRGroupList",
    };
}
