using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace Cilium.Sdk.Tests.Bgp.Live;

/// <summary>
/// A throw-away lab of Linux network namespaces for live BGP tests: namespaces with a unique prefix, daemons started in
/// them, and a cleanup that kills every process it started (by PID), anything left inside its own namespaces, and deletes
/// the namespaces, also when the test fails. Every command has a timeout. Needs root and iproute2.
/// </summary>
public sealed class NetnsLab : IDisposable
{
    /// <summary>Set to 1 to skip (instead of fail) live BGP tests where they cannot run (not root, no netns, no frr/gobgpd).</summary>
    public const string SkipVariable = "CILIUM_SDK_SKIP_LIVE_BGP";

    /// <summary>Set to 1 to keep the run directory (configs, daemon logs) after the test.</summary>
    public const string KeepVariable = "CILIUM_SDK_KEEP_LIVE_BGP";

    private static int counter;
    private readonly List<string> namespaces = new();
    private readonly List<Process> daemons = new();

    public NetnsLab()
    {
        Prefix = $"csb{Environment.ProcessId % 100000}x{Interlocked.Increment(ref counter)}-";
        RunDir = Directory.CreateTempSubdirectory("cilium-sdk-bgp-").FullName;
    }

    /// <summary>Prefix of every namespace name (unique per process and lab).</summary>
    public string Prefix { get; }

    /// <summary>Configs and logs of this run.</summary>
    public string RunDir { get; }

    /// <summary>Fails (or skips, with <see cref="SkipVariable"/>=1) when the lab cannot run here, saying why.</summary>
    public static void RequireLab(params string[] binaries)
    {
        var missing = binaries.Where(b => !File.Exists(b)).ToList();
        string? reason = null;
        if (!string.Equals(Environment.UserName, "root", StringComparison.Ordinal))
        {
            reason = $"it needs root (it creates network namespaces and TCP MD5 signatures) and runs as {Environment.UserName}";
        }
        else if (missing.Count > 0)
        {
            reason = $"{string.Join(", ", missing)} {(missing.Count == 1 ? "is" : "are")} not installed (apt-get install -y frr gobgpd iproute2, as .ci/run does)";
        }
        else if (Run("ip", ["netns", "list"], TimeSpan.FromSeconds(5)).Exit != 0)
        {
            reason = "'ip netns list' fails here (it needs iproute2 and a kernel with network namespaces)";
        }

        if (reason is null)
        {
            return;
        }

        if (Environment.GetEnvironmentVariable(SkipVariable) == "1")
        {
            Assert.Skip($"Skipped on request ({SkipVariable}=1 is set): the live BGP session test (FRR against GoBGP in network namespaces) cannot run here: {reason}.");
        }

        Assert.Fail($"The live BGP session test cannot run here: {reason}. Set {SkipVariable}=1 to skip it on this machine.");
    }

    public string Ns(string name) => Prefix + name;

    /// <summary>Creates a namespace (loopback up); fails when one of that name exists (not ours).</summary>
    public string AddNamespace(string name)
    {
        var ns = Ns(name);
        if (Run("ip", ["netns", "list"]).Output.Split('\n').Any(l => l.Split(' ')[0] == ns))
        {
            throw new InvalidOperationException($"network namespace {ns} already exists and is not ours");
        }

        Must("ip", "netns", "add", ns);
        namespaces.Add(ns);
        Must("ip", "-n", ns, "link", "set", "lo", "up");
        return ns;
    }

    /// <summary>Starts a long-running command inside <paramref name="ns"/>, output to <paramref name="log"/>. The shell
    /// execs the command, so the tracked PID is the daemon's.</summary>
    public Process StartDaemon(string ns, string command, string log, bool privateVarTmp = false)
    {
        string script;
        if (privateVarTmp)
        {
            // FRR daemons write /var/tmp/frr/<daemon>.<pid>/: keep it inside the run directory.
            var vartmp = Directory.CreateDirectory(Path.Combine(RunDir, "vartmp")).FullName;
            script = $"mount --bind '{vartmp}' /var/tmp && exec {command} >>'{log}' 2>&1";
        }
        else
        {
            script = $"exec {command} >>'{log}' 2>&1";
        }

        string[] args = privateVarTmp ? ["netns", "exec", ns, "unshare", "-m", "sh", "-c", script] : ["netns", "exec", ns, "sh", "-c", script];
        var psi = new ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardInput = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start " + command);
        daemons.Add(p);
        return p;
    }

    public static void Kill(Process p)
    {
        try
        {
            if (!p.HasExited)
            {
                p.Kill(entireProcessTree: true);
                p.WaitForExit(3000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>Runs a command to completion (10 s limit) and throws with its output when it fails.</summary>
    public static string Must(params string[] command)
    {
        var (exit, output) = Run(command[0], command[1..]);
        if (exit != 0)
        {
            throw new InvalidOperationException($"`{string.Join(' ', command)}` failed ({exit}): {output.Trim()}");
        }

        return output;
    }

    public static (int Exit, string Output) Run(string file, IEnumerable<string> args, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout ?? TimeSpan.FromSeconds(10)))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit(2000);
            return (124, $"timed out: {file} {string.Join(' ', args)}");
        }

        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>Polls <paramref name="condition"/> every 50 ms until it holds or <paramref name="limit"/> passes.</summary>
    public static async Task<bool> WaitUntil(Func<bool> condition, TimeSpan limit, CancellationToken cancel)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < limit)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(50, cancel);
        }

        return condition();
    }

    public void Dispose()
    {
        foreach (var p in daemons)
        {
            Kill(p);
            p.Dispose();
        }

        // Anything still running inside our namespaces was started by this lab.
        foreach (var ns in namespaces)
        {
            foreach (var pid in Run("ip", ["netns", "pids", ns]).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                Run("kill", ["-KILL", pid]);
            }
        }

        foreach (var ns in Enumerable.Reverse(namespaces))
        {
            Run("ip", ["netns", "del", ns]);
        }

        if (Environment.GetEnvironmentVariable(KeepVariable) != "1")
        {
            try
            {
                Directory.Delete(RunDir, recursive: true);
            }
            catch (IOException)
            {
                // A daemon may still be flushing a log; the directory is under /tmp.
            }
        }
    }
}
