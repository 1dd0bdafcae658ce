using System.Text;
using Cilium.Sdk.Tests.Migration;

namespace Cilium.Sdk.Cli.Tests;

/// <summary>The tool on hostile input writes nothing and names the file; with a known password it never prints it.</summary>
public sealed class HardeningTests(ITestOutputHelper output) : IDisposable
{
    private const string Canary = "Kn0wnCanary7731xQzP";

    private readonly DirectoryInfo temp = Directory.CreateTempSubdirectory("cilium-sdk-cli-hardening-");

    public void Dispose() => temp.Delete(recursive: true);

    public static TheoryData<string> Hostile => new(HostileTemplateYaml.Cases.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Render_and_check_of_hostile_yaml_fail_naming_the_file_and_write_nothing(string name)
    {
        var hostile = HostileTemplateYaml.Cases.Single(c => c.Name == name);
        var input = Directory.CreateDirectory(Path.Combine(temp.FullName, "in"));
        var config = Path.Combine(input.FullName, "cluster.yaml");
        File.WriteAllText(config, hostile.ClusterYaml);
        File.WriteAllText(Path.Combine(input.FullName, "nodes.yaml"), hostile.NodesYaml);
        var outDir = Path.Combine(temp.FullName, "out");

        var (code, stdout, stderr) = Cli.Run("render", "--config", config, "--out", outDir);

        Assert.NotEqual(0, code);
        Assert.Contains(hostile.File, stderr + stdout, StringComparison.Ordinal);
        Assert.True(!Directory.Exists(outDir) || !Directory.EnumerateFileSystemEntries(outDir).Any(), $"render wrote into {outDir}");
        Assert.True(stderr.Length + stdout.Length < 16_384, $"{stderr.Length + stdout.Length} characters of output for {name}");

        var (checkCode, checkOut, checkErr) = Cli.Run("check", "--config", config, "--out", outDir);
        Assert.NotEqual(0, checkCode);
        Assert.Contains(hostile.File, checkErr + checkOut, StringComparison.Ordinal);
        Assert.True(!Directory.Exists(outDir) || !Directory.EnumerateFileSystemEntries(outDir).Any());
    }

    [Fact]
    public void No_command_prints_the_bgp_password_valid_or_broken()
    {
        var runs = 0;
        foreach (var (label, clusterYaml) in new[]
        {
            ("valid", WithCanary(File.ReadAllText(Cli.Case("c-bgp-full")))),
            ("invalid hold time", WithCanary(File.ReadAllText(Cli.Case("c-bgp-full"))).Replace("cilium_bgp_hold_time: 9", "cilium_bgp_hold_time: 1000", StringComparison.Ordinal)),
            ("password FRR cannot carry", WithCanary(File.ReadAllText(Cli.Case("c-bgp-full")), Canary + " with spaces")),
            ("password without BGP", WithCanary(File.ReadAllText(Cli.Case("a-defaults")))),
        })
        {
            var dir = Directory.CreateDirectory(Path.Combine(temp.FullName, label.Replace(' ', '-')));
            var config = Path.Combine(dir.FullName, "cluster.yaml");
            File.WriteAllText(config, clusterYaml);
            File.Copy(Cli.Case(label == "password without BGP" ? "a-defaults" : "c-bgp-full", "nodes.yaml"), Path.Combine(dir.FullName, "nodes.yaml"));
            var outDir = Path.Combine(dir.FullName, "out");
            string[][] commands =
            [
                ["validate", "--config", config], ["validate", "--config", config, "--format", "json"],
                ["diagram", "--config", config], ["diagram", "--config", config, "--format", "dot"],
                ["render", "--config", config, "--out", outDir], ["check", "--config", config, "--out", outDir],
            ];
            foreach (var args in commands)
            {
                var (_, stdout, stderr) = Cli.Run(args);
                runs++;
                Assert.False(Leaks(stdout) || Leaks(stderr), $"{label}: '{string.Join(' ', args)}' printed the password:\n{stdout}\n{stderr}");
            }

            // Edit the secret file so check reports drift on it: the diff must not show either version.
            var secret = Directory.Exists(outDir) ? Directory.EnumerateFiles(outDir, "*.sops.yaml", SearchOption.AllDirectories).FirstOrDefault(f => File.ReadAllText(f).Contains(Canary, StringComparison.Ordinal)) : null;
            if (secret is not null)
            {
                File.AppendAllText(secret, "# edited\n");
                var (driftCode, stdout, stderr) = Cli.Run("check", "--config", config, "--out", outDir);
                runs++;
                Assert.Equal(1, driftCode);
                Assert.False(Leaks(stdout) || Leaks(stderr), $"{label}: check with drift printed the password:\n{stdout}\n{stderr}");
            }
        }

        output.WriteLine($"CLI: {runs} command runs scanned for the password, none printed it");
        Assert.True(runs >= 24);
    }

    private static string WithCanary(string clusterYaml, string password = Canary) =>
        string.Join('\n', clusterYaml.Split('\n').Where(l => !l.StartsWith("cilium_bgp_password:", StringComparison.Ordinal))).TrimEnd('\n') + $"\ncilium_bgp_password: \"{password}\"\n";

    private static bool Leaks(string text) =>
        text.Contains(Canary, StringComparison.Ordinal) || text.Contains(Convert.ToBase64String(Encoding.UTF8.GetBytes(Canary)), StringComparison.Ordinal);
}
