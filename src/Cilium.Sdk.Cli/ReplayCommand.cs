using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Hubble.Flows;
using Cilium.Sdk.Policies;
using Cilium.Sdk.Verdicts;

namespace Cilium.Sdk.Cli;

/// <summary>
/// <c>replay</c>: the verdict the configuration's policies would give in enforce mode to each flow of a
/// <c>hubble observe -o json</c> capture (files, rotated exports, gzip, or standard input), streamed; exit 0 when nothing
/// would drop, 1 when something would, 2 on usage errors (including a configuration with errors or a missing flows
/// file). Ctrl-C stops reading and still prints the report of what was read. On a terminal, a progress line on standard
/// error (a few times a second) unless <c>--quiet</c>; nothing extra when standard error is redirected.
/// </summary>
internal static class ReplayCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr, Reporter reporter)
    {
        var flows = new Option<string[]>("--flows", "-f")
        {
            Description = "The output of 'hubble observe -o json' (one JSON object per line): one or more files, plain or gzip, in any order (a rotated export such as hubble-export.log, .1, .2.gz is read oldest first), or - for standard input.",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var config = new Option<FileInfo>("--config", "-c") { Description = "The template's cluster.yaml.", Required = true };
        var nodes = new Option<FileInfo>("--nodes", "-n") { Description = "The template's nodes.yaml (default: beside --config)." };
        var format = new Option<string>("--format") { Description = "text (default) or json.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress line on the terminal." };
        var replay = new Command("replay", "Replay observed Hubble flows against the configuration's network policies in enforce mode: report what would drop (AUDIT verdicts count as drops), grouped by workload and port, with suggested allow rules as SDK code and YAML. Ctrl-C stops and prints what was read. Exit 0 when nothing would drop, 1 when something would, 2 on usage errors.")
        {
            flows, config, nodes, format, quiet,
        };
        replay.SetAction(parse =>
        {
            var paths = parse.GetValue(flows)!;
            if (paths.Count(p => p == "-") > 1)
            {
                stderr.WriteLine("error: --flows names standard input (-) more than once. Fix: pass - once.");
                return ExitCodes.Usage;
            }

            foreach (var path in paths.Where(p => p != "-"))
            {
                if (!File.Exists(path))
                {
                    stderr.WriteLine($"error: {Path.GetFullPath(path)} does not exist. Fix: pass the output of 'hubble observe -o json' with --flows.");
                    return ExitCodes.Usage;
                }
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

            var rendered = cluster.Spec.Policies?.Render(cluster.Spec.Version, PolicyMode.Enforce) ?? [];
            var verdicts = PolicyVerdicts.For(rendered);
            var inputs = FlowInput.ReplayOrder(paths).Select(p => p == "-" ? FlowInput.StandardInput() : FlowInput.File(p)).ToArray();
            var progress = new ReplayProgress();
            using var stop = new CancellationTokenSource();
            using var interrupt = OnInterrupt(stop);
            using var line = !parse.GetValue(quiet) && IsTerminal(stderr) ? new ProgressLine(stderr, progress) : null;
            var report = FlowReplay.Run(verdicts, inputs, new ReplayOptions { Version = cluster.Spec.Version, Progress = progress }, stop.Token);
            line?.Dispose();
            stdout.Write(parse.GetValue(format) == "json" ? report.ToJson() : report.ToText());
            return report.HasDrops ? ExitCodes.Problems : ExitCodes.Success;
        });
        return replay;
    }

    /// <summary>Whether <paramref name="stderr"/> is this process's standard error and that is a terminal.</summary>
    private static bool IsTerminal(TextWriter stderr) => ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected;

    /// <summary>The first Ctrl-C (or SIGTERM) stops reading and lets the report print; a second one ends the process.</summary>
    private static IDisposable OnInterrupt(CancellationTokenSource stop)
    {
        void Handle(PosixSignalContext context)
        {
            if (!stop.IsCancellationRequested)
            {
                context.Cancel = true;
                stop.Cancel();
            }
        }

        var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle);
        var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle);
        return new Both(interrupt, terminate);
    }

    private sealed class Both(IDisposable first, IDisposable second) : IDisposable
    {
        public void Dispose()
        {
            first.Dispose();
            second.Dispose();
        }
    }

    /// <summary>Rewrites one line on the terminal four times a second; erased when disposed.</summary>
    private sealed class ProgressLine : IDisposable
    {
        private readonly TextWriter terminal;
        private readonly ReplayProgress progress;
        private readonly Timer timer;
        private readonly object gate = new();
        private int width;
        private bool done;

        public ProgressLine(TextWriter terminal, ReplayProgress progress)
        {
            this.terminal = terminal;
            this.progress = progress;
            timer = new Timer(_ => Show(), null, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(250));
        }

        public void Dispose()
        {
            lock (gate)
            {
                if (done)
                {
                    return;
                }

                done = true;
                timer.Dispose();
                if (width > 0)
                {
                    terminal.Write("\r" + new string(' ', width) + "\r");
                    terminal.Flush();
                }
            }
        }

        private void Show()
        {
            lock (gate)
            {
                if (done)
                {
                    return;
                }

                var text = "replaying: " + progress;
                terminal.Write("\r" + text.PadRight(width));
                terminal.Flush();
                width = Math.Max(width, text.Length);
            }
        }
    }
}
