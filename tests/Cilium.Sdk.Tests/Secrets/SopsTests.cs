using System;
using System.IO;
using System.Linq;
using System.Text;
using Cilium.Sdk.Output;
using Cilium.Sdk.Secrets;
using Cilium.Sdk.Tests.Output;

namespace Cilium.Sdk.Tests.Secrets;

/// <summary>sops' creation rules as sops applies them, encrypted files recognised, and the writer never putting plain
/// text over an encrypted file.</summary>
public sealed class SopsTests
{
    private const string Password = "Kn0wn-sops-canary-5521";
    private const string SecretPath = "kubernetes/apps/kube-system/cilium/app/secret.sops.yaml";

    private const string SopsYaml = """
        creation_rules:
          - path_regex: talos/.*\.sops\.ya?ml
            age: "age1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq"
          - path_regex: kubernetes/apps/identity/.*realm\.sops\.ya?ml
            encrypted_regex: "^(clientSecret)$"
            age: "age1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq"
          - path_regex: (bootstrap|kubernetes)/.*\.sops\.ya?ml
            encrypted_regex: "^(data|stringData)$"
            mac_only_encrypted: true
            age: "age1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq"
        """;

    private static readonly string Secret = $"""
        ---
        apiVersion: v1
        kind: Secret
        metadata:
          name: bgp-peer-password
          namespace: kube-system
        type: Opaque
        stringData:
          password: "{Password}"
        """ + "\n";

    [Theory]
    [InlineData("talos/cluster.sops.yaml", 1)]
    [InlineData("kubernetes/apps/identity/keycloak/realm.sops.yaml", 2)] // the earlier rule wins over rule 3
    [InlineData("kubernetes/apps/kube-system/cilium/app/secret.sops.yaml", 3)]
    [InlineData("bootstrap/secret.sops.yml", 3)]
    [InlineData("apps/kubernetes/x.sops.yaml", 3)] // Go's MatchString: anywhere in the path unless anchored
    [InlineData("unifi/bgp.sops.yaml", 0)]
    [InlineData("kubernetes/apps/secret.yaml", 0)]
    public void The_first_creation_rule_whose_path_regex_matches_the_relative_path_applies(string path, int rule)
    {
        var config = SopsConfig.Parse(SopsYaml);

        Assert.Equal(rule, config.RuleFor(path) is { } found ? found.Index + 1 : 0);
    }

    [Fact]
    public void A_rule_without_path_regex_matches_every_file_and_its_line_is_known()
    {
        var config = SopsConfig.Parse("creation_rules:\n  - path_regex: only/.*\n    age: a\n  - age: b\n");

        Assert.Equal(2, config.RuleFor("unifi/bgp.sops.yaml")!.Index + 1);
        Assert.Equal(4, config.Rules[1].Line);
        Assert.Equal(["age: b"], config.Rules[1].Recipients);
    }

    [Fact]
    public void Encrypted_regex_encrypts_only_below_matching_keys_and_the_default_encrypts_all_but_unencrypted_suffixes()
    {
        var rule = SopsConfig.Parse(SopsYaml).RuleFor(SecretPath)!;
        Assert.True(rule.Encrypts(["stringData", "password"]));
        Assert.True(rule.Encrypts(["data", "nested", "deeper"]));
        Assert.False(rule.Encrypts(["metadata", "name"]));
        Assert.False(rule.Encrypts(["stringDataX"])); // anchored by the rule's own ^...$

        var byDefault = SopsConfig.Parse(SopsYaml).RuleFor("talos/x.sops.yaml")!;
        Assert.True(byDefault.Selectors.IsEmpty);
        Assert.True(byDefault.Encrypts(["frr"]));
        Assert.True(byDefault.Encrypts(["metadata", "name"]));
        Assert.False(byDefault.Encrypts(["note_unencrypted", "text"]));

        Assert.False(new SopsSelectors(null, "^metadata$", null, null).Encrypts(["metadata", "name"]));
        Assert.True(new SopsSelectors(null, "^metadata$", null, null).Encrypts(["spec", "name"]));
        Assert.True(new SopsSelectors(null, null, "_secret", null).Encrypts(["token_secret"]));
        Assert.False(new SopsSelectors(null, null, "_secret", null).Encrypts(["token"]));
    }

    [Fact]
    public void A_malformed_sops_yaml_is_an_error_naming_the_file_and_line()
    {
        var error = Assert.Throws<FormatException>(() => SopsConfig.Parse("creation_rules:\n  - path_regex: [unclosed\n", ".sops.yaml"));
        Assert.StartsWith(".sops.yaml:", error.Message, StringComparison.Ordinal);

        var notList = Assert.Throws<FormatException>(() => SopsConfig.Parse("creation_rules: nope\n"));
        Assert.Contains(":1:", notList.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_encrypted_file_is_recognised_and_only_its_clear_parts_are_compared()
    {
        string encrypted = SopsSimulator.Encrypt(Secret, "^(data|stringData)$", SopsSimulator.Recipient);
        Assert.DoesNotContain(Password, encrypted, StringComparison.Ordinal);
        Assert.Contains("ENC[AES256_GCM,data:", encrypted, StringComparison.Ordinal);

        var file = SopsFile.TryRead(Encoding.UTF8.GetBytes(encrypted));

        Assert.NotNull(file);
        Assert.Equal("^(data|stringData)$", file.Selectors.EncryptedRegex);
        Assert.Empty(file.ClearDifferences(Secret));
        Assert.Empty(file.ClearDifferences(Secret.Replace(Password, "another-password", StringComparison.Ordinal)));
        Assert.Equal(["metadata.name"], file.ClearDifferences(Secret.Replace("name: bgp-peer-password", "name: renamed", StringComparison.Ordinal)));
        Assert.Equal(["stringData.username (missing)"], file.ClearDifferences(Secret + "  username: admin\n"));
        Assert.Equal(["type (not generated)"], file.ClearDifferences(Secret.Replace("type: Opaque\n", string.Empty, StringComparison.Ordinal)));
        Assert.Null(SopsFile.TryRead(Encoding.UTF8.GetBytes(Secret)));
        Assert.Null(SopsFile.TryRead(Encoding.UTF8.GetBytes("sops: is just a word here\n")));
    }

    [Fact]
    public void Every_document_of_a_multi_document_file_is_compared()
    {
        string two = Secret + Secret.Replace("bgp-peer-password", "second", StringComparison.Ordinal);
        var file = SopsFile.TryRead(Encoding.UTF8.GetBytes(SopsSimulator.Encrypt(two, "^(data|stringData)$", SopsSimulator.Recipient)))!;
        var everything = SopsFile.TryRead(Encoding.UTF8.GetBytes(SopsSimulator.Encrypt(two, null, SopsSimulator.Recipient)))!;

        Assert.Empty(file.ClearDifferences(two));
        Assert.Empty(everything.ClearDifferences(Secret + Secret)); // sops' default encrypts metadata.name too: unreadable
        Assert.Equal(["document 3: missing (the generated file has more documents)"], file.ClearDifferences(two + Secret));
        Assert.Equal(["document 2: metadata.name"], file.ClearDifferences(Secret + Secret));
    }

    [Fact]
    public void Render_leaves_an_encrypted_file_byte_identical_when_its_clear_parts_match_with_or_without_force()
    {
        using var dir = new TempDirectory();
        var tree = OutputTree.Empty.Add("kubernetes/apps/ks.yaml", "kind: Kustomization\n").Add(SecretPath, Secret, isSecret: true);
        var first = OutputWriter.Write(tree, dir.Path, Guarded());
        Assert.Equal([SecretPath], first.NeedsEncryption);
        File.WriteAllText(dir[".sops.yaml"], SopsYaml);
        SopsSimulator.EncryptInPlace(dir.Path, SecretPath);
        var encrypted = File.ReadAllBytes(dir[SecretPath]);

        foreach (var options in new[] { Guarded(), Guarded() with { Force = true } })
        {
            var result = OutputWriter.Write(tree, dir.Path, options);

            Assert.Equal(encrypted, File.ReadAllBytes(dir[SecretPath]));
            Assert.Contains(SecretPath, result.Unchanged);
            Assert.Empty(result.NeedsEncryption);
            Assert.False(OutputWriter.Check(tree, dir.Path).HasDrift);
        }

        // A changed password cannot be seen through the encryption: still no drift, still untouched.
        var newPassword = OutputTree.Empty.Add("kubernetes/apps/ks.yaml", "kind: Kustomization\n").Add(SecretPath, Secret.Replace(Password, "rotated-value", StringComparison.Ordinal), isSecret: true);
        OutputWriter.Write(newPassword, dir.Path);
        Assert.Equal(encrypted, File.ReadAllBytes(dir[SecretPath]));
        NoSecretInState(dir.Path);
    }

    [Fact]
    public void Render_refuses_to_write_over_an_encrypted_file_whose_clear_parts_differ_naming_the_file_and_rewrite_secrets()
    {
        using var dir = new TempDirectory();
        var tree = OutputTree.Empty.Add(SecretPath, Secret, isSecret: true);
        OutputWriter.Write(tree, dir.Path, Guarded());
        File.WriteAllText(dir[".sops.yaml"], SopsYaml);
        SopsSimulator.EncryptInPlace(dir.Path, SecretPath);
        var encrypted = File.ReadAllBytes(dir[SecretPath]);
        var renamed = OutputTree.Empty.Add(SecretPath, Secret.Replace("name: bgp-peer-password", "name: bgp-auth", StringComparison.Ordinal), isSecret: true);

        foreach (var options in new[] { Guarded(), Guarded() with { Force = true } })
        {
            var error = Assert.Throws<OutputException>(() => OutputWriter.Write(renamed, dir.Path, options));

            var conflict = Assert.Single(error.Conflicts);
            Assert.Equal(SecretPath, conflict.Path);
            Assert.Contains("encrypted with sops", conflict.Message, StringComparison.Ordinal);
            Assert.Contains("metadata.name", conflict.Message, StringComparison.Ordinal);
            Assert.Contains("WriteOptions.RewriteSecrets", conflict.Fix, StringComparison.Ordinal);
            Assert.Contains($"sops --encrypt --in-place {SecretPath}", conflict.Fix, StringComparison.Ordinal);
            Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
            Assert.Equal(encrypted, File.ReadAllBytes(dir[SecretPath]));
        }

        var drift = OutputWriter.Check(renamed, dir.Path);
        var diff = drift.ToUnifiedDiff();
        Assert.True(drift.HasDrift);
        Assert.Contains("what it keeps in clear differs at metadata.name", diff, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, diff, StringComparison.Ordinal);
        Assert.DoesNotContain("bgp-auth", diff, StringComparison.Ordinal);
    }

    [Fact]
    public void Rewrite_secrets_writes_the_plain_text_over_the_encrypted_file_and_names_it()
    {
        using var dir = new TempDirectory();
        var tree = OutputTree.Empty.Add(SecretPath, Secret, isSecret: true).Add("kubernetes/apps/ks.yaml", "kind: Kustomization\n");
        OutputWriter.Write(tree, dir.Path, Guarded());
        File.WriteAllText(dir[".sops.yaml"], SopsYaml);
        SopsSimulator.EncryptInPlace(dir.Path, SecretPath);

        var result = OutputWriter.Write(tree, dir.Path, Guarded() with { RewriteSecrets = true });

        Assert.Equal([SecretPath], result.Updated);
        Assert.Equal([SecretPath], result.NeedsEncryption);
        Assert.Equal(Secret, File.ReadAllText(dir[SecretPath]));
        Assert.False(OutputWriter.Check(tree, dir.Path).HasDrift);
        NoSecretInState(dir.Path);
    }

    [Fact]
    public void An_encrypted_file_the_writer_did_not_write_is_kept_and_adopted_when_its_clear_parts_match_else_refused()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir[".sops.yaml"], SopsYaml);
        Directory.CreateDirectory(Path.GetDirectoryName(dir[SecretPath])!);
        File.WriteAllText(dir[SecretPath], Secret);
        SopsSimulator.EncryptInPlace(dir.Path, SecretPath);
        var encrypted = File.ReadAllBytes(dir[SecretPath]);

        var result = OutputWriter.Write(OutputTree.Empty.Add(SecretPath, Secret, isSecret: true), dir.Path, Guarded());

        Assert.Equal([SecretPath], result.Adopted);
        Assert.Equal(encrypted, File.ReadAllBytes(dir[SecretPath]));

        using var other = new TempDirectory();
        Directory.CreateDirectory(Path.GetDirectoryName(other[SecretPath])!);
        File.WriteAllBytes(other[SecretPath], encrypted);
        var error = Assert.Throws<OutputException>(() => OutputWriter.Write(
            OutputTree.Empty.Add(SecretPath, Secret.Replace("namespace: kube-system", "namespace: other", StringComparison.Ordinal), isSecret: true),
            other.Path,
            Guarded() with { RewriteSecrets = true }));
        Assert.Contains("not generated by Cilium.Sdk", Assert.Single(error.Conflicts).Message, StringComparison.Ordinal);
        Assert.Equal(encrypted, File.ReadAllBytes(other[SecretPath]));
    }

    private static WriteOptions Guarded() => new() { SecretValues = [new SecretValue(Password)] };

    // The writer's state folder (journal, staging, manifest) never holds the secret once a write is done.
    private static void NoSecretInState(string root)
    {
        var state = Path.Combine(root, ".cilium-sdk");
        Assert.False(Directory.Exists(Path.Combine(state, "staging")), "staging left behind");
        foreach (var file in Directory.EnumerateFiles(state, "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain(Password, File.ReadAllText(file), StringComparison.Ordinal);
        }
    }
}
