using System.Diagnostics;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;

namespace Cilium.Sdk.Cli.Tests;

public sealed class ReplayCommandTests
{
    // Derived fixtures in `hubble observe -o json` shape: Loki → Prometheus 9090 is allowed by no preset; Grafana → Prometheus is.
    private const string LokiToPrometheus = """{"flow":{"verdict":"AUDIT","IP":{"source":"10.42.0.2","destination":"10.42.0.3"},"l4":{"TCP":{"destination_port":9090}},"source":{"identity":20001,"namespace":"monitoring","labels":["k8s:app.kubernetes.io/name=loki","k8s:io.kubernetes.pod.namespace=monitoring"],"pod_name":"loki-0"},"destination":{"identity":20002,"namespace":"monitoring","labels":["k8s:app.kubernetes.io/name=prometheus","k8s:io.kubernetes.pod.namespace=monitoring"],"pod_name":"prometheus-0"},"event_type":{"type":5},"traffic_direction":"EGRESS","policy_match_type":0,"is_reply":false}}""";
    private const string GrafanaToPrometheus = """{"flow":{"verdict":"FORWARDED","IP":{"source":"10.42.0.1","destination":"10.42.0.3"},"l4":{"TCP":{"destination_port":9090}},"source":{"identity":20003,"namespace":"monitoring","labels":["k8s:app.kubernetes.io/name=grafana","k8s:io.kubernetes.pod.namespace=monitoring"],"pod_name":"grafana-7d9f8b6c5d-x2x4z"},"destination":{"identity":20002,"namespace":"monitoring","labels":["k8s:app.kubernetes.io/name=prometheus","k8s:io.kubernetes.pod.namespace=monitoring"],"pod_name":"prometheus-0"},"event_type":{"type":4},"is_reply":false}}""";

    [Fact]
    public void Replay_exits_0_when_nothing_would_drop()
    {
        using var flows = new TempFile(GrafanaToPrometheus + "\n{\"lost_events\":{\"num_events_lost\":\"1\"}}\n");

        var (code, output, _) = Cli.Run("replay", "--flows", flows.Path, "--config", Cli.Case("e-policies-audit"));

        Assert.Equal(0, code);
        Assert.Contains("nothing would drop in enforce mode", output, StringComparison.Ordinal);
        Assert.Contains("skipped non-flow lines: lost_events 1", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_exits_1_with_the_grouped_drops_and_suggestions_as_json()
    {
        using var flows = new TempFile(LokiToPrometheus + "\n" + LokiToPrometheus + "\n" + GrafanaToPrometheus + "\nnot json\n");

        var (code, output, _) = Cli.Run("replay", "--flows", flows.Path, "--config", Cli.Case("e-policies-audit"), "--format", "json");

        Assert.Equal(1, code);
        var report = JsonNode.Parse(output)!;
        var group = Assert.Single(report["wouldDrop"]!.AsArray())!;
        Assert.Equal(("monitoring/loki", "monitoring/prometheus", 9090, "TCP", 2, 2), (group["source"]!.GetValue<string>(), group["destination"]!.GetValue<string>(), group["port"]!.GetValue<int>(), group["protocol"]!.GetValue<string>(), group["count"]!.GetValue<int>(), group["observedAudit"]!.GetValue<int>()));
        Assert.Equal(4, report["badLines"]![0]!["line"]!.GetValue<int>());
        Assert.Equal(["allow-loki-egress", "allow-prometheus-ingress"], report["suggestions"]!.AsArray().Select(s => s!["policy"]!.GetValue<string>().Split('/')[1]));
    }

    [Fact]
    public void Replay_exits_2_for_a_missing_flows_file_or_option()
    {
        var missing = Cli.Run("replay", "--flows", "/nonexistent/flows.jsonl", "--config", Cli.Case("e-policies-audit"));
        var noConfig = Cli.Run("replay", "--flows", "/nonexistent/flows.jsonl");

        Assert.Equal(2, missing.Code);
        Assert.Contains("does not exist", missing.Err, StringComparison.Ordinal);
        Assert.Equal(2, noConfig.Code);
        Assert.Contains("--config", noConfig.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_reads_a_rotated_export_oldest_first_with_gzip_and_names_bad_lines_by_file_and_line()
    {
        using var dir = new TempDir();
        var live = Path.Combine(dir.Path, "hubble-export.log");
        File.WriteAllText(live, GrafanaToPrometheus + "\n");
        File.WriteAllText(live + ".1", LokiToPrometheus + "\nnot json\n");
        using (var gz = new GZipStream(File.Create(live + ".2.gz"), CompressionLevel.Fastest))
        {
            gz.Write(Encoding.UTF8.GetBytes(LokiToPrometheus + "\n"));
        }

        // A shell glob sorts .2.gz after .1 and the live file first; the replay reads them oldest first anyway.
        var (code, output, err) = Cli.Run("replay", "--flows", live, live + ".1", live + ".2.gz", "--config", Cli.Case("e-policies-audit"), "--format", "json");

        Assert.Equal((1, string.Empty), (code, err));
        var report = JsonNode.Parse(output)!;
        Assert.Equal([live + ".2.gz", live + ".1", live], report["inputs"]!.AsArray().Select(i => i!.GetValue<string>()));
        Assert.Equal((4, 3), (report["lines"]!.GetValue<int>(), report["flows"]!.GetValue<int>()));
        var bad = Assert.Single(report["badLines"]!.AsArray())!;
        Assert.Equal((live + ".1", 2), (bad["file"]!.GetValue<string>(), bad["line"]!.GetValue<int>()));
        var group = Assert.Single(report["wouldDrop"]!.AsArray())!;
        Assert.Equal((2, live + ".2.gz", 1), (group["count"]!.GetValue<int>(), group["firstFile"]!.GetValue<string>(), group["firstLine"]!.GetValue<int>()));
    }

    [Fact]
    public void Replay_refuses_a_missing_file_among_several_and_standard_input_twice()
    {
        using var flows = new TempFile(GrafanaToPrometheus + "\n");

        var missing = Cli.Run("replay", "--flows", flows.Path, "/nonexistent/hubble-export.log.1", "--config", Cli.Case("e-policies-audit"));
        var twice = Cli.Run("replay", "--flows", "-", "-", "--config", Cli.Case("e-policies-audit"));

        Assert.Equal(2, missing.Code);
        Assert.Contains("/nonexistent/hubble-export.log.1 does not exist", missing.Err, StringComparison.Ordinal);
        Assert.Equal(2, twice.Code);
        Assert.Contains("standard input (-) more than once", twice.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_reads_standard_input_and_prints_nothing_extra_when_redirected()
    {
        var (code, output, err) = Tool.Run(["replay", "--flows", "-", "--config", Cli.Case("e-policies-audit"), "--format", "json"], LokiToPrometheus + "\n" + GrafanaToPrometheus + "\n{\"lost_events\":{}}\n");

        Assert.Equal((1, string.Empty), (code, err));
        var report = JsonNode.Parse(output)!;
        Assert.Equal((3, 2, 1), (report["lines"]!.GetValue<int>(), report["flows"]!.GetValue<int>(), report["wouldDropCount"]!.GetValue<int>()));
        Assert.Equal(["stdin"], report["inputs"]!.AsArray().Select(i => i!.GetValue<string>()));
    }

    [Fact]
    public void On_a_terminal_replay_shows_progress_and_ctrl_c_stops_it_with_the_report_of_what_was_read()
    {
        // A real terminal (script(1) gives the tool a pty) and a real Ctrl-C; the flows come through a FIFO that stays
        // open, so only the interrupt can end the run.
        using var dir = new TempDir();
        var fifo = Path.Combine(dir.Path, "flows.fifo");
        Assert.True(MakeFifo(fifo, Convert.ToInt32("600", 8)) == 0, "mkfifo failed");
        var command = $"exec env --default-signal=INT dotnet {Tool.Dll} replay --flows {fifo} --config {Cli.Case("e-policies-audit")}";
        using var terminal = Tool.Start("script", ["-qfec", command, "/dev/null"]);
        using var writer = new FileStream(fifo, FileMode.Open, FileAccess.Write);
        var lines = Enumerable.Repeat(GrafanaToPrometheus + "\n", 300).Concat(Enumerable.Repeat(LokiToPrometheus + "\n", 100));
        writer.Write(Encoding.UTF8.GetBytes(string.Concat(lines)));
        writer.Flush();

        terminal.WaitFor("replaying: ", "400 flows");
        terminal.Input.Write("\u0003");
        terminal.Input.Flush();
        // The child runs with SIGINT at its default (env --default-signal=INT): started from a shell's background job the
        // test host inherits SIGINT ignored, and .NET then never delivers Ctrl-C to the tool (seen: the replay went on).
        // If no report came in 20 s, press Ctrl-C again as a user would; a hang before or after the report still fails.
        if (!terminal.TryWaitFor(TimeSpan.FromSeconds(20), "INTERRUPTED"))
        {
            terminal.Input.Write("\u0003");
            terminal.Input.Flush();
        }

        var transcript = terminal.WaitForExit();

        Assert.Contains("INTERRUPTED: stopped before the end of the input; this report covers the 400 line(s) read until then", transcript, StringComparison.Ordinal);
        Assert.Contains("read 400 line(s): 400 flow(s)", transcript, StringComparison.Ordinal);
        Assert.Contains("WOULD DROP in enforce mode", transcript, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", transcript, StringComparison.Ordinal);
    }

    [DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static extern int MakeFifo(string path, int mode);

    [Fact]
    public void Help_lists_replay()
    {
        var (code, output, _) = Cli.Run("--help");

        Assert.Equal(0, code);
        Assert.Contains("replay", output, StringComparison.Ordinal);
    }

    private sealed class TempDir : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("cilium-sdk-cli-replay-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }

    /// <summary>The built tool (beside the tests) as a child process, the way a shell pipeline runs it.</summary>
    private static class Tool
    {
        public static string Dll => System.IO.Path.Combine(AppContext.BaseDirectory, "cilium-sdk.dll");

        public static (int Code, string Out, string Err) Run(string[] args, string input)
        {
            using var child = Start("dotnet", [Dll, .. args]);
            child.Input.Write(input);
            child.Input.Close();
            var output = child.WaitForExit();
            return (child.Process.ExitCode, output, child.Errors);
        }

        public static Child Start(string file, string[] args)
        {
            var start = new ProcessStartInfo(file) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in args)
            {
                start.ArgumentList.Add(a);
            }

            try
            {
                return new Child(Process.Start(start)!);
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                throw new InvalidOperationException($"this test runs '{file}' ({e.Message}); script comes with util-linux (Debian: bsdutils)", e);
            }
        }
    }

    /// <summary>A running child whose output is collected as it comes.</summary>
    private sealed class Child : IDisposable
    {
        private readonly StringBuilder output = new();
        private readonly StringBuilder errors = new();
        private readonly Task pumps;

        public Child(Process process)
        {
            Process = process;
            pumps = Task.WhenAll(Pump(process.StandardOutput, output), Pump(process.StandardError, errors));
        }

        public Process Process { get; }

        public StreamWriter Input => Process.StandardInput;

        public string Errors
        {
            get
            {
                lock (errors)
                {
                    return errors.ToString();
                }
            }
        }

        /// <summary>Waits (up to two minutes: a failure, never a measurement) until the output holds all of <paramref name="texts"/>.</summary>
        public void WaitFor(params string[] texts)
        {
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (true)
            {
                string seen;
                lock (output)
                {
                    seen = output.ToString();
                }

                if (texts.All(t => seen.Contains(t, StringComparison.Ordinal)))
                {
                    return;
                }

                Assert.True(DateTime.UtcNow < deadline && !Process.HasExited, $"the output never showed {string.Join(" and ", texts)}:\n{seen}\n{Errors}");
                Thread.Sleep(50);
            }
        }

        /// <summary>Whether the output holds all of <paramref name="texts"/> within <paramref name="timeout"/>.</summary>
        public bool TryWaitFor(TimeSpan timeout, params string[] texts)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (DateTime.UtcNow < deadline && !Process.HasExited)
            {
                lock (output)
                {
                    if (texts.All(t => output.ToString().Contains(t, StringComparison.Ordinal)))
                    {
                        return true;
                    }
                }

                Thread.Sleep(50);
            }

            lock (output)
            {
                return texts.All(t => output.ToString().Contains(t, StringComparison.Ordinal));
            }
        }

        public string WaitForExit()
        {
            if (!Process.WaitForExit(TimeSpan.FromMinutes(2)))
            {
                lock (output)
                {
                    Assert.Fail($"the child did not exit; its output so far:\n{output}\n{Errors}");
                }
            }

            pumps.Wait(TimeSpan.FromMinutes(1));
            lock (output)
            {
                return output.ToString();
            }
        }

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
            }

            Process.Dispose();
        }

        private static async Task Pump(StreamReader from, StringBuilder into)
        {
            var buffer = new char[4096];
            int n;
            while ((n = await from.ReadAsync(buffer)) > 0)
            {
                lock (into)
                {
                    into.Append(buffer, 0, n);
                }
            }
        }
    }

    private sealed class TempFile : IDisposable
    {
        public TempFile(string content)
        {
            Path = System.IO.Path.GetTempFileName();
            File.WriteAllText(Path, content);
        }

        public string Path { get; }

        public void Dispose() => File.Delete(Path);
    }
}
