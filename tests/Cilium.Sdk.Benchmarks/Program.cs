using System;
using System.Globalization;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace Cilium.Sdk.Benchmarks;

/// <summary>
/// Entry point. No arguments: the quick Stopwatch harness (see <see cref="QuickHarness"/>).
/// <c>--bdn [BenchmarkDotNet args]</c>: BenchmarkDotNet over <see cref="GeneratorBenchmarks"/> (all benchmarks unless a filter is given).
/// <c>--build-cost [--kcmg DIR]</c>: what opting a CRD into an empty project costs <c>dotnet build</c> (<see cref="BuildCostHarness"/>).
/// <c>--render</c>: the cluster rendering harness (<see cref="RenderBenchmark"/>); <c>--render-scale</c>: the same from 2,000 to 20,000 policies.
/// <c>--verdicts [flows]</c>: the verdict engine harness (see <see cref="VerdictHarness"/>).
/// <c>--replay [--sizes 0.2,2,20] [--runs 3] [--modes fast,cli]</c>: the capture replay harness (see <see cref="ReplayHarness"/>).
/// <c>--dump DIR</c>: writes the generated sources of each scenario to DIR and ranks files and repeated lines by size (<see cref="DumpHarness"/>).
/// <c>--world</c>: the generator on each project of the world CRD corpus (see <see cref="WorldHarness"/>).
/// <c>--lint [--files 1000] [--runs 7]</c>: <c>cilium-sdk lint</c> on a generated tree (see <see cref="LintHarness"/>).
/// <c>--strict</c>: exit 1 when a target is missed. <c>--samples</c>: also print every timed sample in run order. <c>--cold N</c>: internal, one cold run of scenario N in this fresh process.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "--verdicts")
        {
            return VerdictHarness.Run(args.Skip(1).ToArray());
        }

        if (args.Length > 0 && args[0] == "--world")
        {
            return WorldHarness.Run(HarnessPaths.Locate());
        }

        if (args.Length > 0 && args[0] == "--lint")
        {
            return LintHarness.Run(args.Skip(1).ToArray());
        }

        if (args.Length > 0 && args[0] is "--replay" or "--replay-child" or "--replay-cli-child" or "--replay-write")
        {
            return ReplayHarness.Run(args);
        }

        HarnessPaths paths;
        try
        {
            paths = HarnessPaths.Locate();
        }
        catch (HarnessSetupException e)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return 2;
        }

        try
        {
            if (args.Length > 0 && args[0] == "--bdn")
            {
                var rest = args.Skip(1).ToArray();
                if (!rest.Any(a => a is "--filter" or "-f" or "--list" or "--help" or "-h" or "--info" or "--version"))
                {
                    rest = rest.Concat(new[] { "--filter", "*" }).ToArray();
                }

                // Artifacts (logs, reports) go beside the binaries (bin/, git-ignored) unless --artifacts is given.
                var config = DefaultConfig.Instance.WithArtifactsPath(Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts"));
                var summaries = BenchmarkSwitcher.FromTypes(new[] { typeof(GeneratorBenchmarks), typeof(RenderBenchmarks) }).Run(rest, config);
                return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
            }

            if (args.Length > 0 && args[0] == "--build-cost")
            {
                return BuildCostHarness.Run(paths, args.Skip(1).ToArray());
            }

            if (args.Length > 0 && args[0] == "--dump")
            {
                return DumpHarness.Run(paths, args.Skip(1).ToArray());
            }

            if (args.Length > 0 && args[0] == "--render-scale")
            {
                return RenderBenchmark.RunScale(samples: args.Contains("--samples"));
            }

            if (args.Length > 0 && args[0] == "--render-alloc")
            {
                return RenderAllocation.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20000);
            }

            if (args.Length > 0 && args[0] == "--serde")
            {
                return SerdeBenchmark.Run();
            }

            if (args.Length > 0 && args[0] == "--render")
            {
                return RenderBenchmark.Run(samples: args.Contains("--samples"));
            }

            if (args.Length == 2 && args[0] == "--cold" && int.TryParse(args[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var id)
                && Enum.IsDefined(typeof(ScenarioId), id))
            {
                return QuickHarness.RunColdChild(paths, (ScenarioId)id);
            }

            var strict = args.Contains("--strict");
            var samples = args.Contains("--samples");
            var unknown = args.Where(a => a is not "--strict" and not "--samples").ToArray();
            if (unknown.Length > 0)
            {
                Console.Error.WriteLine($"error: unknown arguments: {string.Join(' ', unknown)}. Use no arguments, --strict, --samples, or --bdn [BenchmarkDotNet args].");
                return 64;
            }

            return QuickHarness.Run(paths, strict, samples);
        }
        catch (HarnessSetupException e)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return 2;
        }
    }
}
