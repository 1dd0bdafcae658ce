using System;
using System.IO;
using System.Linq;
using Cilium.Sdk.Migration;
using Cilium.Sdk.Output;
using Cilium.Sdk.Rendering;
using Cilium.Sdk.Secrets;
using Cilium.Sdk.Tests.Infrastructure;
using Cilium.Sdk.Tests.Output;

namespace Cilium.Sdk.Tests.Secrets;

/// <summary>
/// Every secret file the SDK writes is one sops can encrypt under the repository's .sops.yaml: the repository checks
/// (run by every write and drift check) add a creation rule for it when adopting, or name the rule to add.
/// </summary>
public sealed class SopsCoverageTests
{
    private const string RouterPath = "unifi/bgp.sops.yaml";
    private const string SecretPath = "kubernetes/apps/kube-system/cilium/app/secret.sops.yaml";
    private const string Recipient = "age1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq";

    // The template's rules (../shared corpus cases): nothing matches unifi/.
    private const string SopsYaml = """
        ---
        creation_rules:
          - path_regex: talos/.*\.sops\.ya?ml
            mac_only_encrypted: true
            age: "age1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq"
          # secrets of the cluster
          - path_regex: (bootstrap|kubernetes)/.*\.sops\.ya?ml
            encrypted_regex: "^(data|stringData)$"
            mac_only_encrypted: true
            age: "age1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq"
        stores:
          yaml:
            indent: 2

        """;

    private static readonly string[] Probes =
    [
        "talos/cluster.sops.yaml", "kubernetes/apps/a/secret.sops.yaml", "bootstrap/x.sops.yml", "unifi/other.sops.yaml",
        "unifi/bgp.sops.yaml.bak", "x/unifi/bgp.sops.yaml", "unifi/bgpXsops.yaml", "infrastructure/a.sops.yaml", "README.md",
    ];

    private static OutputTree Tree() => OutputTree.Empty
        .Add("kubernetes/apps/ks.yaml", "kind: Kustomization\n")
        .Add(SecretPath, "apiVersion: v1\nkind: Secret\nmetadata:\n  name: bgp\nstringData:\n  password: pw\n", isSecret: true)
        .Add(RouterPath, "# router\nstringData:\n  frr: |\n    router bgp 1\n", isSecret: true);

    [Fact]
    public void Without_adopt_a_secret_file_no_rule_matches_is_an_error_naming_the_file_and_the_exact_rule_to_add()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir[".sops.yaml"], SopsYaml);

        var result = RepositoryChecks.Run(Tree(), dir.Path, adopt: false);

        var error = Assert.Single(result.Findings);
        Assert.True(error.IsError);
        Assert.Equal(RouterPath, error.Path);
        Assert.Contains("no creation rule of .sops.yaml matches it", error.Message, StringComparison.Ordinal);
        Assert.Contains("- path_regex: ^unifi/bgp\\.sops\\.yaml$", error.Fix, StringComparison.Ordinal);
        Assert.Contains("encrypted_regex: \"^(data|stringData)$\"", error.Fix, StringComparison.Ordinal);
        Assert.Contains($"age: \"{Recipient}\"", error.Fix, StringComparison.Ordinal);
        Assert.Contains("creation rule 2 (line 7", error.Fix, StringComparison.Ordinal); // whose settings it copies
        Assert.Contains("write with WriteOptions.Adopt to add it", error.Fix, StringComparison.Ordinal);
        Assert.Null(result.Tree[".sops.yaml"]);
    }

    [Fact]
    public void The_write_refuses_with_the_rule_and_writes_nothing()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir[".sops.yaml"], SopsYaml);
        var rendered = Render("c-bgp-full");

        var error = Assert.Throws<OutputException>(() => rendered.WriteTo(dir.Path));

        var conflict = Assert.Single(error.Conflicts);
        Assert.Equal(RouterPath, conflict.Path);
        Assert.Contains("^unifi/bgp\\.sops\\.yaml$", error.Message, StringComparison.Ordinal);
        Assert.Equal([".sops.yaml"], Directory.EnumerateFileSystemEntries(dir.Path).Select(Path.GetFileName));
        var drift = rendered.CheckAgainst(dir.Path);
        Assert.True(drift.HasProblems);
        Assert.Equal(RouterPath, Assert.Single(drift.Problems).Path);
        Assert.Contains("1 repository problem", drift.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_repository_error_is_refused_together_with_the_writers_own_conflicts()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir[".sops.yaml"], SopsYaml);
        var rendered = Render("c-bgp-full");
        string taken = rendered.Tree.Files.First(f => f.Path.EndsWith("/cilium/ks.yaml", StringComparison.Ordinal)).Path;
        Directory.CreateDirectory(Path.GetDirectoryName(dir[taken])!);
        File.WriteAllText(dir[taken], "# the user's\n");

        var error = Assert.Throws<OutputException>(() => rendered.WriteTo(dir.Path));

        Assert.Equal([taken, RouterPath], error.Conflicts.Select(c => c.Path));
        Assert.Contains("2 problems (nothing was written)", error.Message, StringComparison.Ordinal);
        Assert.Equal("# the user's\n", File.ReadAllText(dir[taken]));
        Assert.False(Directory.Exists(dir[".cilium-sdk"]));
    }

    [Fact]
    public void With_adopt_the_rule_is_added_last_changes_no_other_paths_rule_and_stays_on_later_writes()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir[".sops.yaml"], SopsYaml);
        var before = SopsConfig.Parse(SopsYaml);
        var rendered = Render("c-bgp-full");

        var result = rendered.WriteTo(dir.Path, new WriteOptions { Adopt = true });

        Assert.Contains(".sops.yaml", result.MergedInto);
        string text = File.ReadAllText(dir[".sops.yaml"]);
        string added = """
              - path_regex: ^unifi/bgp\.sops\.yaml$
                # added by cilium-sdk; recipients and settings of the rule for (bootstrap|kubernetes)/.*\.sops\.ya?ml
                encrypted_regex: "^(data|stringData)$"
                mac_only_encrypted: true
                age: "age1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq"

            """;
        Assert.Equal(SopsYaml.Replace("stores:", added + "stores:", StringComparison.Ordinal), text);
        var after = SopsConfig.Parse(text);
        Assert.Equal(before.Rules.Count, after.RuleFor(RouterPath)!.Index);
        foreach (string probe in Probes)
        {
            Assert.Equal(before.RuleFor(probe)?.Index, after.RuleFor(probe)?.Index);
        }

        // The new rule encrypts the router config's password; the Kubernetes secret keeps its own rule.
        Assert.Empty(SopsCoverage.ClearSecretKeys(rendered.Tree[RouterPath]!.Content, after.RuleFor(RouterPath)!));
        Assert.Equal(1, after.RuleFor(SecretPath)!.Index);

        // Later writes and checks without adopt keep it (it is the SDK's, recorded in owned.json).
        Assert.Empty(rendered.CheckAgainst(dir.Path).Problems);
        Assert.False(rendered.CheckAgainst(dir.Path).HasDrift);
        var again = rendered.WriteTo(dir.Path);
        Assert.Empty(again.Created.Concat(again.Updated));
        Assert.Equal(text, File.ReadAllText(dir[".sops.yaml"]));
    }

    [Fact]
    public void A_rule_that_would_leave_the_secret_values_in_clear_is_an_error_at_its_line()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir[".sops.yaml"], "creation_rules:\n  - path_regex: .*\\.sops\\.yaml\n    encrypted_regex: ^(password)$\n    age: " + Recipient + "\n");

        var result = RepositoryChecks.Run(Tree(), dir.Path, adopt: true);

        // The Kubernetes secret's stringData.password is encrypted by that regex; the router config's stringData.frr is not.
        var error = Assert.Single(result.Findings);
        Assert.True(error.IsError);
        Assert.Equal((".sops.yaml", 2), (error.Path, error.Line ?? 0));
        Assert.Contains("stringData.frr", error.Message, StringComparison.Ordinal);
        Assert.Contains(RouterPath, error.Message, StringComparison.Ordinal);
        Assert.Null(result.Tree[".sops.yaml"]); // nothing is added for a file another rule covers
    }

    [Fact]
    public void Without_a_sops_yaml_nothing_is_an_error_and_a_git_repository_gets_a_warning()
    {
        using var dir = new TempDirectory();
        Assert.Empty(RepositoryChecks.Run(Tree(), dir.Path, adopt: false).Findings);
        Assert.Empty(RepositoryChecks.Run(Tree(), Path.Combine(dir.Path, "not-yet-there"), adopt: true).Findings);

        Directory.CreateDirectory(dir[".git"]);
        var warning = Assert.Single(RepositoryChecks.Run(Tree(), dir.Path, adopt: false).Findings);
        Assert.False(warning.IsError);
        Assert.Equal(".sops.yaml", warning.Path);
        Assert.Contains(RouterPath, warning.Message, StringComparison.Ordinal);

        var rendered = Render("c-bgp-full");
        var written = rendered.WriteTo(dir.Path);
        Assert.Equal(".sops.yaml", Assert.Single(written.Warnings).Path);
        Assert.False(File.Exists(dir[".sops.yaml"]));
    }

    [Fact]
    public void A_malformed_sops_yaml_is_an_error_with_its_line()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir[".sops.yaml"], "creation_rules:\n  - path_regex: [unclosed\n");

        var error = Assert.Single(RepositoryChecks.Run(Tree(), dir.Path, adopt: true).Findings);

        Assert.True(error.IsError);
        Assert.Equal((".sops.yaml", true), (error.Path, error.Line is 2 or 3)); // where YamlDotNet finds the unclosed list
        Assert.StartsWith("not valid YAML", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, error.ToString().Split("Fix:").Length - 1); // one fix, not SopsConfig's and another
    }

    private static RenderedCluster Render(string @case)
    {
        var folder = TestData.Shared("corpus", "template", "cases", @case);
        var import = TemplateImporter.ImportFiles(Path.Combine(folder, "cluster.yaml"), Path.Combine(folder, "nodes.yaml"));
        Assert.True(import.Cluster is not null, string.Join("\n", import.Problems));
        return import.Cluster.Build().Render();
    }
}
