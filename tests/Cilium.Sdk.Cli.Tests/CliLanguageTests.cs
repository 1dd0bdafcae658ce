using System.Text.RegularExpressions;

namespace Cilium.Sdk.Cli.Tests;

/// <summary>
/// The tool speaks its user's language: problems on stderr, results on stdout; each problem at the cluster.yaml key
/// (or nodes.yaml node) with its line; fixes naming keys and flags, never the library's C# API or builder paths; one
/// mistake, one error; "did you mean" for a misspelt key (an error with --strict).
/// </summary>
public sealed class CliLanguageTests : IDisposable
{
    private readonly DirectoryInfo temp = Directory.CreateTempSubdirectory("cilium-sdk-cli-language-");

    public void Dispose() => temp.Delete(recursive: true);

    /// <summary>C# the library may print but the tool must not: builder calls, option types, enum members, builder paths.</summary>
    private static readonly Regex LibraryWords = new(
        @"\.With[A-Z]\w*|\b[A-Z][A-Za-z]+(Options|Mode|Node|Cluster|Metric|Announcements)\.[A-Z]\w*|\bWriteOptions\b|\bAllowIbgp\b|\bEbgpMultihop\b|\bOpenMetrics\b|\bnetworks\.\w+|\bloadBalancer\.\w+|\bbgp\.\w+|\bhubble\.\w+",
        RegexOptions.CultureInvariant);

    /// <summary>One mistake made in a template case: the edit, where it must be reported, and words of the message.</summary>
    public static TheoryData<string, string, string, string, string> Mistakes => new()
    {
        // case, key to replace (or "+" to append), new line, expected path, message words
        { "c-bgp-full", "cilium_lb_pool_cidr", "cilium_lb_pool_cidr: \"192.168.1.0/24\"", "cilium_lb_pool_cidr", "addresses the cluster itself uses" },
        { "c-bgp-full", "cilium_lb_pool_cidr", "cilium_lb_pool_cidr: \"10.42.0.0/24\"", "cilium_lb_pool_cidr", "overlaps cluster_pod_cidr" },
        { "a-defaults", "node_cidr", "node_cidr: \"10.0.0.0/24\"", "node_cidr", "contains none of the nodes: k8s-0 (192.168.1.10)" },
        { "c-bgp-full", "cilium_bgp_node_asn", "cilium_bgp_node_asn: \"64513\"", "cilium_bgp_node_asn", "equals the router ASN" },
        { "c-bgp-full", "cilium_bgp_router_addr", "cilium_bgp_router_addr: \"10.9.9.1\"", "cilium_bgp_router_addr", "off the nodes' network" },
        { "d-hubble-monitoring", "hubble_enabled", "hubble_enabled: false", "hubble_ui_enabled", "needs Hubble" },
        { "c-bgp-full", "cilium_bgp_keepalive_time", "cilium_bgp_keepalive_time: 10", "cilium_bgp_keepalive_time", "greater than cilium_bgp_hold_time" },
        { "a-defaults", "cloudflare_gateway_addr", "cloudflare_gateway_addr: \"192.168.1.21\"", "cloudflare_gateway_addr", "same address as cluster_gateway_addr" },
    };

    /// <summary>Advice in the template's terms: the key, and the fix as the key to set.</summary>
    public static TheoryData<string, string, string, string, string> Advice => new()
    {
        { "c-bgp-full", "cilium_bgp_hold_time", "cilium_bgp_hold_time: 9", "cilium_bgp_graceful_restart_time", "set cilium_bgp_graceful_restart: false" },
        { "c-bgp-full", "cilium_bgp_ecmp_max_paths", "cilium_bgp_ecmp_max_paths: 2", "cilium_bgp_ecmp_max_paths", "set cilium_bgp_ecmp_max_paths: 3" },
        { "c-bgp-full", "cilium_bgp_keepalive_time", "cilium_bgp_keepalive_time: 4", "cilium_bgp_keepalive_time", "set cilium_bgp_keepalive_time: 3" },
        { "d-hubble-monitoring", "monitoring_enabled", "tracing_enabled: true", "tracing_enabled", "set monitoring_enabled: true" },
        { "a-defaults", "+", "cilium_bgp_hold_tme: 9", "cilium_bgp_hold_tme", "rename it to cilium_bgp_hold_time" },
    };

    private string Edited(string @case, string key, string line, string? nodes = null)
    {
        var dir = Directory.CreateDirectory(Path.Combine(temp.FullName, Guid.NewGuid().ToString("N")));
        var lines = File.ReadAllText(Cli.Case(@case)).Split('\n').ToList();
        if (key == "+")
        {
            lines.Add(line);
        }
        else
        {
            var at = lines.FindIndex(l => l.StartsWith(key + ":", StringComparison.Ordinal));
            Assert.True(at >= 0, $"{@case} has no {key}");
            lines[at] = line;
        }

        File.WriteAllText(Path.Combine(dir.FullName, "cluster.yaml"), string.Join('\n', lines));
        File.WriteAllText(Path.Combine(dir.FullName, "nodes.yaml"), nodes ?? File.ReadAllText(Cli.Case(@case, "nodes.yaml")));
        return Path.Combine(dir.FullName, "cluster.yaml");
    }

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void One_mistake_is_one_error_at_its_key_and_line_with_a_fix_in_keys(string @case, string key, string line, string path, string words)
    {
        var config = Edited(@case, key, line);

        var (code, stdout, stderr) = Cli.Run("validate", "--config", config);

        Assert.Equal(1, code);
        var errors = stderr.Split('\n').Where(l => l.StartsWith("error: ", StringComparison.Ordinal)).ToList();
        var error = Assert.Single(errors);
        Assert.StartsWith($"error: {path}: ", error, StringComparison.Ordinal);
        Assert.Contains(words, error, StringComparison.Ordinal);
        Assert.Matches(@"\((cluster|nodes)\.yaml line \d+", error);
        Assert.DoesNotMatch(LibraryWords, stderr);
        Assert.DoesNotContain("error:", stdout, StringComparison.Ordinal);
        Assert.Contains("1 error(s)", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Advice))]
    public void Warnings_name_the_key_and_the_fix_as_a_key_to_set(string @case, string key, string line, string path, string fix)
    {
        var config = Edited(@case, key, line);

        var (code, _, stderr) = Cli.Run("validate", "--config", config);

        Assert.Equal(0, code);
        var at = stderr.IndexOf($"warning: {path}: ", StringComparison.Ordinal);
        Assert.True(at >= 0, stderr);
        Assert.Contains("  fix: " + fix, stderr[at..], StringComparison.Ordinal);
        Assert.DoesNotMatch(LibraryWords, stderr);
    }

    [Fact]
    public void No_controller_is_reported_at_the_nodes_in_their_own_words()
    {
        var nodes = File.ReadAllText(Cli.Case("c-bgp-full", "nodes.yaml")).Replace("controller: true", "controller: false", StringComparison.Ordinal);
        var config = Edited("c-bgp-full", "+", "# no controller", nodes);

        var (code, _, stderr) = Cli.Run("validate", "--config", config);

        Assert.Equal(1, code);
        Assert.Contains("fix: set controller: true on at least one node in nodes.yaml", stderr, StringComparison.Ordinal);
        Assert.DoesNotMatch(LibraryWords, stderr);
    }

    [Fact]
    public void A_misspelt_key_is_a_warning_and_an_error_with_strict()
    {
        var config = Edited("c-bgp-full", "cilium_bgp_hold_time", "cilium_bgp_hold_tme: 9");

        var (code, _, stderr) = Cli.Run("validate", "--config", config);
        var (strictCode, _, strictErr) = Cli.Run("validate", "--config", config, "--strict");
        var (renderCode, _, renderErr) = Cli.Run("render", "--config", config, "--out", Path.Combine(temp.FullName, "out"), "--strict");

        Assert.Equal(0, code);
        Assert.Contains("warning: cilium_bgp_hold_tme: is not a key the template knows, so it is ignored (cluster.yaml line 17); did you mean cilium_bgp_hold_time?", stderr, StringComparison.Ordinal);
        Assert.Equal(1, strictCode);
        Assert.Contains("error: cilium_bgp_hold_tme:", strictErr, StringComparison.Ordinal);
        Assert.Equal(1, renderCode);
        Assert.Contains("did you mean cilium_bgp_hold_time?", renderErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(temp.FullName, "out")));
    }

    [Fact]
    public void Keys_the_template_knows_and_far_from_any_get_no_did_you_mean()
    {
        var (_, _, stderr) = Cli.Run("validate", "--config", Cli.Case("e-policies-audit"));

        Assert.DoesNotContain("did you mean", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_shows_every_warning_validate_shows_on_stderr_and_its_result_on_stdout()
    {
        var (_, _, validateErr) = Cli.Run("validate", "--config", Cli.Case("c-bgp-full"));
        var (code, stdout, stderr) = Cli.Run("render", "--config", Cli.Case("c-bgp-full"), "--out", Path.Combine(temp.FullName, "out"));

        Assert.Equal(0, code);
        Assert.Equal(validateErr, stderr);
        Assert.StartsWith("wrote ", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("warning", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_prints_the_diff_on_stdout_and_problems_on_stderr()
    {
        var outDir = Path.Combine(temp.FullName, "out");
        Cli.Run("render", "--config", Cli.Case("a-defaults"), "--out", outDir);
        File.AppendAllText(Path.Combine(outDir, "kubernetes/apps/kube-system/cilium/ks.yaml"), "# edited\n");

        var (code, stdout, stderr) = Cli.Run("check", "--config", Cli.Case("a-defaults"), "--out", outDir);

        Assert.Equal(1, code);
        Assert.Contains("-# edited", stdout, StringComparison.Ordinal);
        Assert.Contains("warning: cilium_lb_pool_cidr", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("warning", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Router_config_prints_the_whole_config_with_the_password_only_where_asked()
    {
        var file = Path.Combine(temp.FullName, "router.conf");

        var (code, stdout, _) = Cli.Run("router-config", "--config", Cli.Case("c-bgp-full"));
        var (fileCode, fileOut, _) = Cli.Run("router-config", "--config", Cli.Case("c-bgp-full"), "--output", file);
        var (noBgp, _, noBgpErr) = Cli.Run("router-config", "--config", Cli.Case("a-defaults"));

        Assert.Equal(0, code);
        Assert.Contains("neighbor TALOS password s3cret-md5", stdout, StringComparison.Ordinal);
        Assert.Equal(0, fileCode);
        Assert.DoesNotContain("s3cret-md5", fileOut, StringComparison.Ordinal);
        Assert.Equal(stdout, File.ReadAllText(file));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        Assert.Equal(1, noBgp);
        Assert.Contains("set cilium_bgp_router_addr, cilium_bgp_router_asn and cilium_bgp_node_asn", noBgpErr, StringComparison.Ordinal);
    }
}
