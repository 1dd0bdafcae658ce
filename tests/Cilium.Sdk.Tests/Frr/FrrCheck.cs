using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Cilium.Sdk.Tests.Frr;

/// <summary>
/// FRR's own offline checkers on a config: <c>vtysh -C -f</c> (syntax; its exit code is reliable) and
/// <c>bgpd -C -f</c> (also builds the objects, e.g. catches an unknown peer-group; always exits 0, so its output is
/// read). Needs Debian's <c>frr</c>; without it the test fails and says so, unless <see cref="SkipVariable"/> is 1.
/// </summary>
public static class FrrCheck
{
    /// <summary>Set to 1 to skip (instead of fail) FRR checks when frr is not installed.</summary>
    public const string SkipVariable = "CILIUM_SDK_SKIP_FRR";

    public const string Vtysh = "/usr/bin/vtysh";
    public const string Bgpd = "/usr/lib/frr/bgpd";

    // bgpd -C reports a per-neighbor `graceful-restart` as "Config Failed" (it cannot reset a peer in check mode);
    // the running daemon applies it (measured: localGrMode "Restart"). Nothing else is excused.
    private static readonly Regex PerNeighborGracefulRestart = new(@"^neighbor \S+ graceful-restart$", RegexOptions.CultureInvariant);
    private static readonly Regex ConfigFailed = new(@"Config Failed on config line \d+:\s*(.*)$", RegexOptions.CultureInvariant);

    public static void RequireFrr()
    {
        if (File.Exists(Vtysh) && File.Exists(Bgpd))
        {
            return;
        }

        if (Environment.GetEnvironmentVariable(SkipVariable) == "1")
        {
            Assert.Skip($"Skipped on request ({SkipVariable}=1 is set): FRR's own checkers ({Vtysh}, {Bgpd}) are not installed here, so the generated router config cannot be loaded into FRR.");
        }

        Assert.Fail($"frr is not installed ({Vtysh}, {Bgpd} missing). Install it: apt-get install -y frr (.ci/run does); or set {SkipVariable}=1 to skip FRR checks.");
    }

    /// <summary>Every problem FRR's checkers report for <paramref name="config"/> (empty when it is clean).</summary>
    public static IReadOnlyList<string> Problems(string config)
    {
        RequireFrr();
        var dir = Directory.CreateTempSubdirectory("cilium-sdk-frr-");
        try
        {
            var file = Path.Combine(dir.FullName, "frr.conf");
            File.WriteAllText(file, config);
            var problems = new List<string>();

            var (vtyshExit, vtyshOut) = Run(Vtysh, ["-C", "-f", file]);
            if (vtyshExit != 0)
            {
                problems.Add($"vtysh -C exit {vtyshExit}: {vtyshOut.Trim()}");
            }

            // bgpd writes a scratch dir under /var/tmp/frr; as root, give it a private /var/tmp (mount namespace).
            var vartmp = Directory.CreateDirectory(Path.Combine(dir.FullName, "vartmp")).FullName;
            var bgpdArgs = $"-C -S -Z -n -p 0 -P 0 -f '{file}' -i '{dir.FullName}/bgpd.pid' --vty_socket '{dir.FullName}' --log stdout --log-level warnings";
            var (_, bgpdOut) = Environment.UserName == "root"
                ? Run("unshare", ["-m", "sh", "-c", $"mount --bind '{vartmp}' /var/tmp && exec {Bgpd} {bgpdArgs}"])
                : Run("sh", ["-c", $"exec {Bgpd} {bgpdArgs}"]);
            foreach (var line in bgpdOut.Split('\n'))
            {
                if (line.Contains("Unknown command", StringComparison.Ordinal) || line.Contains("No such command", StringComparison.Ordinal))
                {
                    problems.Add("bgpd -C: " + line.Trim());
                }

                var failed = ConfigFailed.Match(line);
                if (failed.Success && !PerNeighborGracefulRestart.IsMatch(failed.Groups[1].Value.Trim()))
                {
                    problems.Add("bgpd -C: " + line.Trim());
                }
            }

            return problems.Distinct(StringComparer.Ordinal).ToList();
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static (int Exit, string Output) Run(string file, string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(20)))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"{file} did not finish within 20 s");
        }

        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}
