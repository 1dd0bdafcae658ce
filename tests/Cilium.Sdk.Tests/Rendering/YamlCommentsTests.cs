using Cilium.Sdk.Rendering;

namespace Cilium.Sdk.Tests.Rendering;

/// <summary>
/// Comments tied to their key path survive a take-over: read from a person's file (any indentation, lists indented or
/// not, block scalars, quotes and '#' inside values), written into the SDK's differently ordered file above or beside
/// the same key.
/// </summary>
public sealed class YamlCommentsTests
{
    private const string Theirs = """
        ---
        # the release
        apiVersion: helm.toolkit.fluxcd.io/v2
        kind: HelmRelease
        metadata:
          name: cilium
        spec:
          values:
            bpf:
              masquerade: true
              # Ref: https://github.com/siderolabs/talos/issues/10002
              hostLegacyRouting: true
            url: "http://example.com/#anchor" # not a comment inside the quotes, this one is
            script: |
              # a line of the script, not a comment
              echo hi
            list:
            - name: a
              # above b's key
              port: 1
            -   name: b
            'quoted key': 1 # beside a quoted key
        # trailing
        """;

    [Fact]
    public void Extract_ties_each_comment_to_its_key_and_ignores_hashes_in_strings_and_block_scalars()
    {
        var comments = YamlComments.Extract(Theirs);

        Assert.Equal(
        [
            ("apiVersion", "# the release", false, 2),
            ("spec.values.bpf.hostLegacyRouting", "# Ref: https://github.com/siderolabs/talos/issues/10002", false, 11),
            ("spec.values.url", "# not a comment inside the quotes, this one is", true, 13),
            ("spec.values.list[0].port", "# above b's key", false, 19),
            ("spec.values.quoted key", "# beside a quoted key", true, 22),
            (YamlComments.End, "# trailing", false, 23),
        ], comments.Select(c => (c.Path, c.Text, c.Beside, c.Line)));
        Assert.Contains("spec.values.list[1].name", YamlComments.Paths(Theirs));
    }

    [Fact]
    public void A_block_scalar_that_is_a_bare_list_item_is_text_not_keys_or_comments()
    {
        const string document = """
            args:
              - |
                # a shell comment inside the script
                key: not a key
              # above the second item
              - plain
            """;

        var comments = YamlComments.Extract(document);

        Assert.Equal([("args[1]", "# above the second item", false, 5)], comments.Select(c => (c.Path, c.Text, c.Beside, c.Line)));
        Assert.DoesNotContain(YamlComments.Paths(document), p => p.Contains("key", StringComparison.Ordinal));
    }

    [Fact]
    public void Insert_writes_comments_above_and_beside_their_keys_in_another_order_and_reports_missing_keys()
    {
        const string ours = """
            ---
            apiVersion: helm.toolkit.fluxcd.io/v2
            kind: HelmRelease
            metadata:
              name: cilium
            spec:
              values:
                bpf:
                  hostLegacyRouting: true
                  masquerade: true
                list:
                  - name: a
                    port: 1

            """;
        var missing = new List<YamlComments.Comment>();

        var text = YamlComments.Insert(ours, YamlComments.Extract(Theirs), missing);

        Assert.Equal("""
            ---
            # the release
            apiVersion: helm.toolkit.fluxcd.io/v2
            kind: HelmRelease
            metadata:
              name: cilium
            spec:
              values:
                bpf:
                  # Ref: https://github.com/siderolabs/talos/issues/10002
                  hostLegacyRouting: true
                  masquerade: true
                list:
                  - name: a
                    # above b's key
                    port: 1
            # trailing

            """, text);
        Assert.Equal(["spec.values.quoted key", "spec.values.url"], missing.Select(m => m.Path).Order(StringComparer.Ordinal));
        // Read back, the written comments are tied to the same keys.
        Assert.Equal(
            YamlComments.Extract(Theirs).Where(c => !missing.Contains(c)).Select(c => (c.Path, c.Text)),
            YamlComments.Extract(text).Select(c => (c.Path, c.Text)));
    }
}
