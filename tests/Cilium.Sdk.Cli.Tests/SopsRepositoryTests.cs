using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Cilium.Sdk.Tests.Secrets;

namespace Cilium.Sdk.Cli.Tests;

/// <summary>
/// SOPS in a template user's repository, on every template case, with and without a BGP password: <c>render</c> without
/// <c>--adopt</c> names the creation rule a secret file lacks; <c>render --adopt</c> adds exactly that rule to
/// <c>.sops.yaml</c>; every owned <c>*.sops.yaml</c> encrypted as sops would (SopsSimulator, shared with the library's
/// tests) leaves <c>check</c> clean and is kept byte for byte by <c>render</c> and <c>render --force</c>; the password is
/// in no committed file in clear and no hash of it is in owned.json.
/// </summary>
public sealed class SopsRepositoryTests
{
    private const string Password = "Cli-sops-canary-7731";
    private const string RouterSecret = "unifi/bgp.sops.yaml";

    public static TheoryData<string, bool> Cases()
    {
        var data = new TheoryData<string, bool>();
        var cases = Path.GetDirectoryName(Path.GetDirectoryName(Cli.Case("a-defaults"))!)!;
        foreach (var @case in Directory.GetDirectories(cases).Select(Path.GetFileName).Order(StringComparer.Ordinal))
        {
            data.Add(@case!, false);
            data.Add(@case!, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Adopted_then_encrypted_as_sops_would_check_is_clean_and_render_keeps_every_encrypted_file(string @case, bool password)
    {
        using var repo = TemplateRepository.Create(@case);
        var sopsBefore = File.ReadAllText(repo[".sops.yaml"]);
        if (password && !File.ReadAllText(repo["cluster.yaml"]).Contains("cilium_bgp_router_addr:", StringComparison.Ordinal))
        {
            // A case the template made without BGP: adopted as it is, then BGP is switched on with a password.
            var (adopted, adoptOut, adoptErr) = Cli.Run("render", "--config", repo["cluster.yaml"], "--out", repo.Root, "--adopt");
            Assert.True(adopted == 0, adoptErr + adoptOut);
            repo.Commit("adopted without BGP");
        }

        SetPassword(repo, password);

        // Without --adopt, a secret file no creation rule matches is an error naming the rule, the file and --adopt.
        var (plain, _, plainErr) = Cli.Run("render", "--config", repo["cluster.yaml"], "--out", repo.Root);
        Assert.Equal(3, plain);
        if (password)
        {
            Assert.Contains($"{RouterSecret}: is a secret file Cilium.Sdk writes, but no creation rule of .sops.yaml matches it", plainErr, StringComparison.Ordinal);
            Assert.Contains("- path_regex: ^unifi/bgp\\.sops\\.yaml$", plainErr, StringComparison.Ordinal);
            Assert.Contains("or render with --adopt to add it", plainErr, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("WriteOptions", plainErr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, repo.Git("status", "--porcelain", "--untracked-files=all").Replace(" M cluster.yaml\n", string.Empty, StringComparison.Ordinal));

        var (code, stdout, stderr) = Cli.Run("render", "--config", repo["cluster.yaml"], "--out", repo.Root, "--adopt");
        Assert.True(code == 0, stderr + stdout);
        Assert.DoesNotContain("left as it is): cluster.yaml", stdout, StringComparison.Ordinal); // .sops.yaml's folder is not one the SDK writes into
        Assert.DoesNotContain("left as it is): talos/talenv.yaml", stdout, StringComparison.Ordinal); // nor is talconfig.yaml's

        var owned = OwnedPaths(repo);
        var secrets = owned.Where(p => p.EndsWith(".sops.yaml", StringComparison.Ordinal)).ToList();
        string[] expected = password ? ["kubernetes/apps/kube-system/cilium/app/secret.sops.yaml", RouterSecret] : [];
        Assert.Equal(expected, secrets);
        foreach (var path in secrets)
        {
            Assert.Contains($"plain text, encrypt before committing (from the repository root): sops --encrypt --in-place {path}", stdout, StringComparison.Ordinal);
        }

        // .sops.yaml differs from the template's only by the rule for the router config, at the end of creation_rules,
        // with the settings of the rule that covers the Kubernetes secret.
        var sopsAfter = File.ReadAllText(repo[".sops.yaml"]);
        Assert.Equal(password ? WithRouterRule(sopsBefore) : sopsBefore, sopsAfter);
        foreach (var probe in new[] { "talos/x.sops.yaml", "kubernetes/apps/a/b.sops.yaml", "bootstrap/x.sops.yaml", "infrastructure/a.sops.yaml", "kubernetes/apps/identity/keycloak/realm-import.sops.yaml" })
        {
            Assert.Equal(RuleOrNone(probe, sopsBefore), RuleOrNone(probe, sopsAfter));
        }

        var plainTexts = secrets.ToDictionary(p => p, p => File.ReadAllBytes(repo[p]));
        foreach (var path in secrets)
        {
            SopsSimulator.EncryptInPlace(repo.Root, path); // throws, as sops does, when no creation rule matches
            Assert.DoesNotContain(Password, File.ReadAllText(repo[path]), StringComparison.Ordinal);
        }

        repo.Commit("adopted, secrets encrypted");
        var encrypted = secrets.ToDictionary(p => p, p => File.ReadAllBytes(repo[p]));

        var (check, checkOut, checkErr) = Cli.Run("check", "--config", repo["cluster.yaml"], "--out", repo.Root);
        Assert.True(check == 0, checkOut + checkErr);
        Assert.Contains("no drift", checkOut, StringComparison.Ordinal);

        foreach (var args in new[] { Array.Empty<string>(), ["--force"] })
        {
            var (again, againOut, againErr) = Cli.Run(["render", "--config", repo["cluster.yaml"], "--out", repo.Root, .. args]);
            Assert.True(again == 0, againErr + againOut);
            Assert.DoesNotContain("encrypt before committing", againOut, StringComparison.Ordinal);
            Assert.Equal(string.Empty, repo.Git("status", "--porcelain", "--untracked-files=all"));
            foreach (var (path, bytes) in encrypted)
            {
                Assert.Equal(bytes, File.ReadAllBytes(repo[path]));
            }
        }

        // No committed file but the user's own cluster.yaml holds the password in clear (the template's unifi/bgp.conf
        // held it: it is replaced), and owned.json holds no hash of a secret file's plain text.
        foreach (var file in repo.Git("ls-files").Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(f => f != "cluster.yaml"))
        {
            Assert.DoesNotContain(Password, File.ReadAllText(repo[file]), StringComparison.Ordinal);
        }

        var manifest = File.ReadAllText(repo[".cilium-sdk/owned.json"]);
        foreach (var (path, bytes) in plainTexts)
        {
            Assert.DoesNotContain(Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant(), manifest, StringComparison.Ordinal);
        }

        if (password)
        {
            Assert.False(File.Exists(repo["unifi/bgp.conf"]));
            var (routerCode, config, routerErr) = Cli.Run("router-config", "--config", repo["cluster.yaml"]);
            Assert.True(routerCode == 0, routerErr);
            Assert.Contains($"neighbor TALOS password {Password}", config, StringComparison.Ordinal);
            Assert.StartsWith("!", config, StringComparison.Ordinal);
            Assert.Contains("router bgp", config, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_templates_router_config_with_the_password_in_clear_is_replaced_by_adopt_and_reported_otherwise()
    {
        using var repo = TemplateRepository.Create("c-bgp-full");
        SetPassword(repo, true);
        repo.Commit("password");
        Assert.Equal(0, Cli.Run("render", "--config", repo["cluster.yaml"], "--out", repo.Root, "--adopt").Code);
        repo.Commit("adopted");

        // The user brings the template's file back: every render and check warns, with its line, and changes nothing.
        repo.Git("checkout", "HEAD~1", "--", "unifi/bgp.conf");
        var (code, _, stderr) = Cli.Run("render", "--config", repo["cluster.yaml"], "--out", repo.Root);
        Assert.True(code == 0, stderr);
        var (text, index) = File.ReadAllLines(repo["unifi/bgp.conf"]).Select((l, i) => (l, i)).First(x => x.l.Contains(" password ", StringComparison.Ordinal));
        Assert.Contains($"warning: unifi/bgp.conf:{index + 1}: holds the BGP password in clear", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(text.Trim().Split(' ')[^1], stderr, StringComparison.Ordinal); // never the password itself
        var (check, _, checkErr) = Cli.Run("check", "--config", repo["cluster.yaml"], "--out", repo.Root);
        Assert.Equal(0, check);
        Assert.Contains("unifi/bgp.conf", checkErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_fails_naming_the_problem_when_the_repository_loses_the_rule_for_its_secrets_and_render_refuses()
    {
        using var repo = TemplateRepository.Create("c-bgp-full");
        SetPassword(repo, true);
        Assert.Equal(0, Cli.Run("render", "--config", repo["cluster.yaml"], "--out", repo.Root, "--adopt").Code);
        repo.Commit("adopted");
        var lines = File.ReadAllLines(repo[".sops.yaml"]).ToList();
        int start = lines.FindIndex(l => l.Contains("- path_regex: (bootstrap|kubernetes)/", StringComparison.Ordinal));
        int count = 1 + lines.Skip(start + 1).TakeWhile(l => l.StartsWith("    ", StringComparison.Ordinal)).Count();
        lines.RemoveRange(start, count);
        File.WriteAllText(repo[".sops.yaml"], string.Join('\n', lines) + "\n");
        repo.Commit("the rule for kubernetes/ secrets is gone");

        var (check, checkOut, checkErr) = Cli.Run("check", "--config", repo["cluster.yaml"], "--out", repo.Root);

        Assert.Equal(1, check);
        Assert.Contains("error: .sops.yaml: no creation rule matches kubernetes/apps/kube-system/cilium/app/secret.sops.yaml", checkErr, StringComparison.Ordinal);
        Assert.Contains("1 repository problem", checkOut, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, checkOut + checkErr, StringComparison.Ordinal);

        var (render, _, renderErr) = Cli.Run("render", "--config", repo["cluster.yaml"], "--out", repo.Root);
        Assert.Equal(3, render);
        Assert.Contains("kubernetes/apps/kube-system/cilium/app/secret.sops.yaml", renderErr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, repo.Git("status", "--porcelain", "--untracked-files=all"));
    }

    [Fact]
    public void Router_config_writes_the_whole_config_to_a_named_path_readable_only_by_the_user()
    {
        using var repo = TemplateRepository.Create("c-bgp-full");
        SetPassword(repo, true);
        var target = Path.Combine(repo.Root, "..", Path.GetFileName(repo.Root) + "-router.conf");
        try
        {
            var (code, stdout, stderr) = Cli.Run("router-config", "--config", repo["cluster.yaml"], "--output", target);

            Assert.True(code == 0, stderr);
            Assert.DoesNotContain(Password, stdout, StringComparison.Ordinal);
            var text = File.ReadAllText(target);
            Assert.Contains($"neighbor TALOS password {Password}", text, StringComparison.Ordinal);
            Assert.Equal(Cli.Run("router-config", "--config", repo["cluster.yaml"]).Out, text);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(target));
            }
        }
        finally
        {
            File.Delete(target);
        }
    }

    // The case with a BGP password (BGP switched on with the template's keys where the case has none), or without one.
    private static void SetPassword(TemplateRepository repo, bool password)
    {
        var lines = File.ReadAllLines(repo["cluster.yaml"]).Where(l => !l.StartsWith("cilium_bgp_password:", StringComparison.Ordinal)).ToList();
        if (password)
        {
            if (!lines.Any(l => l.StartsWith("cilium_bgp_router_addr:", StringComparison.Ordinal)))
            {
                lines.AddRange(["cilium_bgp_router_addr: \"192.168.1.1\"", "cilium_bgp_router_asn: \"64513\"", "cilium_bgp_node_asn: \"64514\""]);
            }

            lines.Add($"cilium_bgp_password: \"{Password}\"");
        }

        File.WriteAllText(repo["cluster.yaml"], string.Join('\n', lines) + "\n");
    }

    private static List<string> OwnedPaths(TemplateRepository repo) =>
        JsonNode.Parse(File.ReadAllText(repo[".cilium-sdk/owned.json"]))!["files"]!.AsArray().Select(f => (string)f!["path"]!).ToList();

    // The template's .sops.yaml with a rule for unifi/bgp.sops.yaml appended to creation_rules: the path_regex anchored to
    // that file, then the other lines of the rule that covers kubernetes/ secrets, as the template wrote them.
    private static string WithRouterRule(string sops)
    {
        var lines = sops.Split('\n').ToList();
        int start = lines.FindIndex(l => l.Contains("- path_regex: (bootstrap|kubernetes)/", StringComparison.Ordinal));
        Assert.True(start >= 0, "the template's .sops.yaml has no rule for kubernetes/ secrets");
        var settings = lines.Skip(start + 1).TakeWhile(l => l.StartsWith("    ", StringComparison.Ordinal)).ToList();
        int end = lines.FindIndex(l => l.StartsWith("stores:", StringComparison.Ordinal));
        Assert.True(end > start, "the template's .sops.yaml has no 'stores:' after creation_rules");
        var source = lines[start].Trim()["- path_regex: ".Length..];
        lines.InsertRange(end, ["  - path_regex: ^unifi/bgp\\.sops\\.yaml$", $"    # added by cilium-sdk; recipients and settings of the rule for {source}", .. settings]);
        return string.Join('\n', lines);
    }

    private static string RuleOrNone(string path, string sops)
    {
        var folder = Directory.CreateTempSubdirectory("cilium-sdk-sops-rule-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, ".sops.yaml"), sops);
            return SopsSimulator.RuleFor(folder, path).ToString();
        }
        catch (InvalidOperationException e)
        {
            return e.Message;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
