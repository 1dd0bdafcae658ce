using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Cilium.Sdk.Output;
using Cilium.Sdk.Secrets;
using Cilium.Sdk.Tests.Output;

namespace Cilium.Sdk.Tests.Secrets;

/// <summary>owned.json is committed, so it records a secret file by a hash of its skeleton (no secret-derived value), never
/// the SHA-256 of its plain text, which would let anyone test password guesses offline; ownership still works.</summary>
public sealed class SecretDigestTests
{
    private const string SecretPath = "kubernetes/apps/kube-system/cilium/app/secret.sops.yaml";
    private const string Rules = "creation_rules:\n  - path_regex: kubernetes/.*\\.sops\\.yaml\n    encrypted_regex: ^(data|stringData)$\n    age: age1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq\n";

    private static string Secret(string password, string name = "bgp-peer-password") =>
        $"apiVersion: v1\nkind: Secret\nmetadata:\n  name: {name}\n  namespace: kube-system\nstringData:\n  password: \"{password}\"\ntype: Opaque\n";

    private static OutputTree Tree(string password, string name = "bgp-peer-password") => OutputTree.Empty
        .Add("kubernetes/apps/ks.yaml", "kind: Kustomization\n")
        .Add(SecretPath, Secret(password, name), isSecret: true);

    private static string Sha(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();

    [Fact]
    public void Owned_json_holds_no_hash_of_a_secret_files_plain_text_and_the_skeleton_ignores_the_secret_value()
    {
        using var dir = new TempDirectory();
        OutputWriter.Write(Tree("pw1"), dir.Path);

        var manifest = File.ReadAllText(dir[".cilium-sdk/owned.json"]);
        Assert.DoesNotContain(Sha(Secret("pw1")), manifest, StringComparison.Ordinal);
        var entry = JsonNode.Parse(manifest)!["files"]!.AsArray().Single(f => (string)f!["path"]! == SecretPath)!;
        Assert.Null(entry["sha256"]);
        Assert.Equal(64, ((string)entry["clearSha256"]!).Length);
        Assert.Equal(Sha("kind: Kustomization\n"), (string)JsonNode.Parse(manifest)!["files"]![0]!["sha256"]!); // other files as before

        // Any password gives the same record; a renamed object does not.
        Assert.Equal(SecretDigest.Of(Encoding.UTF8.GetBytes(Secret("pw1"))), SecretDigest.Of(Encoding.UTF8.GetBytes(Secret("a much longer one"))));
        Assert.NotEqual(SecretDigest.Of(Encoding.UTF8.GetBytes(Secret("pw1"))), SecretDigest.Of(Encoding.UTF8.GetBytes(Secret("pw1", "renamed"))));
    }

    [Fact]
    public void The_plain_file_and_its_encryption_have_one_record_so_encrypting_changes_nothing_in_owned_json()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir[".sops.yaml"], Rules);
        OutputWriter.Write(Tree("pw1"), dir.Path);
        var before = File.ReadAllBytes(dir[".cilium-sdk/owned.json"]);
        SopsSimulator.EncryptInPlace(dir.Path, SecretPath);

        var result = OutputWriter.Write(Tree("pw1"), dir.Path);

        Assert.Empty(result.NeedsEncryption);
        Assert.Empty(result.StillInPlainText);
        Assert.Equal(before, File.ReadAllBytes(dir[".cilium-sdk/owned.json"]));
    }

    [Fact]
    public void A_changed_password_is_written_over_the_plain_file_and_an_edited_one_is_still_refused()
    {
        using var dir = new TempDirectory();
        OutputWriter.Write(Tree("pw1"), dir.Path);

        var rotated = OutputWriter.Write(Tree("pw2"), dir.Path);
        Assert.Equal([SecretPath], rotated.Updated);
        Assert.Equal([SecretPath], rotated.NeedsEncryption);
        Assert.Equal(Secret("pw2"), File.ReadAllText(dir[SecretPath]));

        var unchanged = OutputWriter.Write(Tree("pw2"), dir.Path);
        Assert.Empty(unchanged.NeedsEncryption); // not written by this run ...
        Assert.Equal([SecretPath], unchanged.StillInPlainText); // ... but still plain text

        File.WriteAllText(dir[SecretPath], Secret("pw2").Replace("type: Opaque\n", "type: Opaque\nimmutable: true\n", StringComparison.Ordinal));
        var error = Assert.Throws<OutputException>(() => OutputWriter.Write(Tree("pw3"), dir.Path));
        Assert.Contains("edited since it was written", Assert.Single(error.Conflicts).Message, StringComparison.Ordinal);
        Assert.Equal([SecretPath], OutputWriter.Write(Tree("pw3"), dir.Path, new WriteOptions { Force = true }).Updated);
    }

    [Fact]
    public void A_manifest_written_before_records_a_secrets_plain_hash_is_migrated_on_the_next_write()
    {
        using var dir = new TempDirectory();
        OutputWriter.Write(Tree("pw1"), dir.Path);
        string manifestPath = dir[".cilium-sdk/owned.json"];
        var old = JsonNode.Parse(File.ReadAllText(manifestPath))!;
        var entry = old["files"]!.AsArray().Single(f => (string)f!["path"]! == SecretPath)!.AsObject();
        entry.Remove("clearSha256");
        entry["sha256"] = Sha(Secret("pw1")); // what earlier versions wrote
        File.WriteAllText(manifestPath, old.ToJsonString());

        Assert.False(OutputWriter.Check(Tree("pw1"), dir.Path).HasDrift);
        var result = OutputWriter.Write(Tree("pw1"), dir.Path);

        Assert.Empty(result.Updated);
        var manifest = File.ReadAllText(manifestPath);
        Assert.DoesNotContain(Sha(Secret("pw1")), manifest, StringComparison.Ordinal);
        Assert.Contains("clearSha256", manifest, StringComparison.Ordinal);

        // An old record still tells the writer's file from an edited one: the stale file is deleted when unedited.
        entry["sha256"] = Sha(Secret("pw1"));
        File.WriteAllText(manifestPath, old.ToJsonString());
        var gone = OutputWriter.Write(OutputTree.Empty.Add("kubernetes/apps/ks.yaml", "kind: Kustomization\n"), dir.Path);
        Assert.Equal([SecretPath], gone.Deleted);
    }
}
