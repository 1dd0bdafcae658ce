using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Migration;
using Cilium.Sdk.Policies;
using Cilium.Sdk.Rendering;
using Cilium.Sdk.Tests.Cluster;
using Cilium.Sdk.Tests.Infrastructure;
using Cilium.Sdk.Tests.Output;
using Cilium.Sdk.Tests.Policies;
using Cilium.Sdk.Tests.Verdicts;

namespace Cilium.Sdk.Tests.Determinism;

/// <summary>
/// Same input, same bytes: in fresh processes (nothing cached from an earlier render, type initializers and dictionary
/// seeds of their own) under cultures that format numbers, dates and casing differently (de-DE: decimal comma; tr-TR:
/// dotless i; ar-SA: Umm al-Qura calendar) and with invariant globalization, every render is byte for byte the one
/// this process makes. A child is this test executable running this test with <see cref="ChildOutputVariable"/> set.
/// </summary>
public sealed class CrossProcessRenderTests
{
    private const string ChildOutputVariable = "CILIUM_SDK_RENDER_CHILD_OUTPUT";

    /// <summary>The children: what each is told (environment) and the culture it must then report.</summary>
    private static readonly (string Name, string ExpectedCulture, Dictionary<string, string?> Environment)[] Children =
    [
        ("invariant globalization", string.Empty, new() { ["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1", ["LC_ALL"] = "C", ["LANG"] = "C" }),
        ("de-DE", "de-DE", Locale("de_DE.UTF-8")),
        ("tr-TR", "tr-TR", Locale("tr_TR.UTF-8")),
        ("ar-SA", "ar-SA", Locale("ar_SA.UTF-8")),
    ];

    [Fact]
    public async Task Rendering_is_byte_identical_across_processes_and_cultures()
    {
        if (Environment.GetEnvironmentVariable(ChildOutputVariable) is { Length: > 0 } childOutput)
        {
            // Child mode (started by the parent below, never in a normal run): render, say which culture rendered it.
            File.WriteAllText(childOutput + ".culture", CultureInfo.CurrentCulture.Name);
            File.WriteAllBytes(childOutput, RenderEverything());
            return;
        }

        Assert.SkipWhen(OperatingSystem.IsWindows(), "Runs on Linux and macOS only: each child render is started through the Unix app host with LC_ALL/LANG set to its culture, which Windows does not have.");
        string host = Path.Combine(AppContext.BaseDirectory, "Cilium.Sdk.Tests");
        Assert.True(File.Exists(host), $"The test executable {host} is needed to start the child renderers.");
        byte[] expected = RenderEverything();
        Assert.True(expected.Length > 100_000, $"the render is only {expected.Length} bytes: it covers too little");

        using var temp = new TempDirectory();
        var started = Children.Select(child => (child, Output: Path.Combine(temp.Path, child.ExpectedCulture.Length == 0 ? "invariant" : child.ExpectedCulture), Process: (Process?)null)).ToList();
        for (int i = 0; i < started.Count; i++)
        {
            started[i] = started[i] with { Process = Start(host, started[i].Output, started[i].child.Environment) };
        }

        var report = new StringBuilder();
        foreach (var (child, output, process) in started)
        {
            using (process)
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
                timeout.CancelAfter(TimeSpan.FromMinutes(3));
                var stdout = process!.StandardOutput.ReadToEndAsync(timeout.Token);
                var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
                await process.WaitForExitAsync(timeout.Token);
                string said = await stdout + "\n" + await stderr;
                Assert.True(process.ExitCode == 0, $"{child.Name}: the child failed ({process.ExitCode}):\n{said}");
                Assert.True(File.Exists(output), $"{child.Name}: the child wrote nothing (did it run the test?):\n{said}");
                Assert.Equal(child.ExpectedCulture, File.ReadAllText(output + ".culture"));
                byte[] actual = File.ReadAllBytes(output);
                Assert.True(expected.AsSpan().SequenceEqual(actual), $"{child.Name}: {Describe(expected, actual)}");
                report.Append(child.Name).Append(": ").Append(Convert.ToHexStringLower(SHA256.HashData(actual))[..16]).Append(' ');
            }
        }

        TestContext.Current.TestOutputHelper!.WriteLine($"{expected.Length} bytes, sha256 {Convert.ToHexStringLower(SHA256.HashData(expected))[..16]} here; {report}");
    }

    /// <summary>Everything the SDK renders from a description: every preset in both policy modes, the sample clusters for
    /// every supported Cilium version, and every template case of ../shared imported and rendered (BGP, FRR config and
    /// Talos patches included), and the flow replay reports of the fixture and every corpus capture.</summary>
    private static byte[] RenderEverything()
    {
        var text = new StringBuilder();
        text.Append("## presets enforce\n").Append(PresetTests.RenderAll(PolicyMode.Enforce));
        text.Append("## presets audit\n").Append(PresetTests.RenderAll(PolicyMode.Audit));
        foreach (var version in CiliumVersion.Supported)
        {
            Append(text, $"homelab {version}", SampleClusters.HomeLab(version).Build().Render());
            Append(text, $"everything {version}", SampleClusters.Everything(version).Build().Render());
        }

        foreach (var dir in Directory.GetDirectories(TestData.Shared("corpus", "template", "cases")).Order(StringComparer.Ordinal))
        {
            var import = TemplateImporter.ImportFiles(Path.Combine(dir, "cluster.yaml"), Path.Combine(dir, "nodes.yaml"));
            Assert.True(import.Cluster is not null, $"{dir}: {string.Join("; ", import.Problems)}");
            Append(text, "template case " + Path.GetFileName(dir), import.Cluster.Build().Render());
        }

        // The verdict engine's replay reports (text and JSON): the fixture and every corpus capture of ../shared.
        var replays = new List<(string Name, Cilium.Sdk.Hubble.Flows.HubbleReadResult Read)>
        {
            ("fixture", Cilium.Sdk.Hubble.Flows.HubbleFlowReader.Read(new StringReader(string.Join("\n", ReplayTests.Fixture) + "\n"))),
        };
        replays.AddRange(HubbleFlowReaderTests.CorpusFiles.Select(row => (row.Data.Item1, Cilium.Sdk.Hubble.Flows.HubbleFlowReader.ReadFile(TestData.Shared("corpus", "cilium", "flows", row.Data.Item1)))));
        foreach (var (name, read) in replays)
        {
            var report = Cilium.Sdk.Verdicts.FlowReplay.Run(ReplayTests.CaseVerdicts(), read, ReplayTests.Case.Value.Version);
            text.Append("## replay ").Append(name).Append('\n').Append(report.ToText()).Append('\n').Append(report.ToJson()).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static void Append(StringBuilder text, string name, RenderedCluster rendered)
    {
        text.Append("## ").Append(name).Append('\n');
        foreach (var file in rendered.Tree.Files)
        {
            text.Append("### ").Append(file.Path).Append('\n').Append(file.Content);
        }
    }

    private static Dictionary<string, string?> Locale(string locale) => new() { ["LC_ALL"] = locale, ["LANG"] = locale, ["LC_MESSAGES"] = null };

    private static Process Start(string host, string output, Dictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo(host)
        {
            ArgumentList = { "-method", "*." + nameof(CrossProcessRenderTests) + "." + nameof(Rendering_is_byte_identical_across_processes_and_cultures) },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment[ChildOutputVariable] = output;
        start.Environment["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = null;
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return Process.Start(start)!;
    }

    private static string Describe(byte[] expected, byte[] actual)
    {
        string[] here = Encoding.UTF8.GetString(expected).Split('\n'), there = Encoding.UTF8.GetString(actual).Split('\n');
        for (int line = 0; line < Math.Max(here.Length, there.Length); line++)
        {
            string? a = line < here.Length ? here[line] : null, b = line < there.Length ? there[line] : null;
            if (a != b)
            {
                return $"{actual.Length} bytes instead of {expected.Length}; first difference at line {line + 1}: here '{a}', in the child '{b}'";
            }
        }

        return $"{actual.Length} bytes instead of {expected.Length}";
    }
}
