using Cilium.Sdk.Output;
using Cilium.Sdk.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace Cilium.Sdk.Tests.Output;

/// <summary>
/// The list editor keeps every byte it does not own: each case checks the exact text after an edit, that removing the
/// added entry gives the original bytes back, and (fuzz) that YAML reads the result as the old list plus the entry.
/// </summary>
public sealed class YamlListEditorTests
{
    private static readonly string[] Resources = ["resources"];

    [Fact]
    public void Appends_after_the_last_entry_of_a_file_without_a_final_newline_and_keeps_it_without_one()
    {
        const string text = "---\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ./cert-manager\n  - ./kube-system";

        string added = YamlListEditor.Add(text, Resources, YamlListItem.Of("./network"));

        Assert.Equal(text + "\n  - ./network", added);
        Assert.Equal(text, YamlListEditor.Remove(added, Resources, "./network"));
    }

    [Fact]
    public void Keeps_components_blank_lines_and_comments_around_the_list()
    {
        const string text = "---\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: kube-system\n\ncomponents:\n  - ../../components/sops\n\nresources:\n  - ./namespace.yaml\n  - ./cilium/ks.yaml # the CNI\n\n# more apps below\n";

        string added = YamlListEditor.Add(text, Resources, YamlListItem.Of("./network-policies/ks.yaml"));

        Assert.Equal(text.Replace("# the CNI\n", "# the CNI\n  - ./network-policies/ks.yaml\n", StringComparison.Ordinal), added);
        Assert.Equal(text, YamlListEditor.Remove(added, Resources, "./network-policies/ks.yaml"));
        Assert.Equal(["../../components/sops"], YamlListEditor.Entries(added, ["components"]).Select(e => e.Identity));
    }

    [Fact]
    public void An_entry_already_there_in_another_spelling_of_the_same_path_is_not_added_twice()
    {
        const string text = "resources:\n  - cilium/ks.yaml\n";

        Assert.Same(text, YamlListEditor.Add(text, Resources, YamlListItem.Of("./cilium/ks.yaml"), YamlListEditor.RelativePaths));
        Assert.Equal("resources:\n", YamlListEditor.Remove(text, Resources, "./cilium/ks.yaml", YamlListEditor.RelativePaths));
    }

    [Theory]
    [InlineData("resources:\n- ./a\n- ./b\n", "resources:\n- ./a\n- ./b\n- ./c\n")]
    [InlineData("resources:\n    -   ./a\n", "resources:\n    -   ./a\n    -   ./c\n")]
    [InlineData("resources: [./a, ./b]\n", "resources: [./a, ./b, ./c]\n")]
    [InlineData("resources: []\n", "resources: [./c]\n")]
    [InlineData("resources:\nkind: Kustomization\n", "resources:\n  - ./c\nkind: Kustomization\n")]
    [InlineData("resources: ~ # none yet\nkind: Kustomization\n", "resources: # none yet\n  - ./c\nkind: Kustomization\n")]
    [InlineData("kind: Kustomization\n", "kind: Kustomization\nresources:\n  - ./c\n")]
    [InlineData("kind: Kustomization", "kind: Kustomization\nresources:\n  - ./c")]
    [InlineData("", "resources:\n  - ./c\n")]
    [InlineData("---\n", "---\nresources:\n  - ./c\n")]
    public void Handles_each_list_style_a_missing_key_and_an_empty_value(string text, string expected)
    {
        Assert.Equal(expected, YamlListEditor.Add(text, Resources, YamlListItem.Of("./c")));
    }

    [Theory]
    [InlineData("resources: [./a, ./c, ./b]\n", "resources: [./a, ./b]\n")]
    [InlineData("resources: [./c, ./b]\n", "resources: [./b]\n")]
    [InlineData("resources: [./c]\n", "resources: []\n")]
    [InlineData("resources:\n  - ./c\n  - ./b\n", "resources:\n  - ./b\n")]
    [InlineData("resources:\n  - ./a\n  - ./b\n", "resources:\n  - ./a\n  - ./b\n")]
    public void Removes_only_the_entry_and_its_own_separator(string text, string expected)
    {
        Assert.Equal(expected, YamlListEditor.Remove(text, Resources, "./c"));
    }

    [Fact]
    public void Crlf_files_get_crlf_lines()
    {
        const string text = "resources:\r\n  - ./a # first\r\n  - ./b\r\n# end\r\n";

        string added = YamlListEditor.Add(text, Resources, YamlListItem.Of("./c"));

        Assert.Equal("resources:\r\n  - ./a # first\r\n  - ./b\r\n  - ./c\r\n# end\r\n", added);
        Assert.Equal(text, YamlListEditor.Remove(added, Resources, "./c"));
        Assert.Equal("kind: K\r\nresources:\r\n  - ./c\r\n", YamlListEditor.Add("kind: K\r\n", Resources, YamlListItem.Of("./c")));
    }

    [Fact]
    public void Talconfig_patches_are_quoted_like_their_siblings_and_nested_lists_are_found_or_created()
    {
        const string text = "---\nclusterName: kubernetes\n\n# Global patches\npatches:\n  - \"@./patches/global/machine-dns.yaml\"\n\n# Controller patches\ncontrolPlane:\n  patches:\n    - \"@./patches/controller/cluster.yaml\"\n";

        string global = YamlListEditor.Add(text, ["patches"], YamlListItem.Of("@./patches/global/cilium.yaml"));
        string worker = YamlListEditor.Add(global, ["worker", "patches"], YamlListItem.Of("@./patches/worker/cilium.yaml"));
        string control = YamlListEditor.Add(text, ["controlPlane", "patches"], YamlListItem.Of("@./patches/controller/cilium.yaml"));

        Assert.Equal(text.Replace("machine-dns.yaml\"\n", "machine-dns.yaml\"\n  - \"@./patches/global/cilium.yaml\"\n", StringComparison.Ordinal), global);
        Assert.Equal(global + "worker:\n  patches:\n    - \"@./patches/worker/cilium.yaml\"\n", worker);
        Assert.Equal(text + "    - \"@./patches/controller/cilium.yaml\"\n", control);
        Assert.Equal("@./patches/controller/cilium.yaml", YamlListEditor.Entries(control, ["controlPlane", "patches"])[^1].Identity);
        // Without quoted siblings, a value YAML would misread is still quoted.
        Assert.Equal("patches:\n  - \"@./a.yaml\"\n", YamlListEditor.Add("patches:\n", ["patches"], YamlListItem.Of("@./a.yaml")));
    }

    [Fact]
    public void Sops_creation_rules_are_mapping_entries_identified_by_their_path_regex()
    {
        const string text = "---\ncreation_rules:\n  - path_regex: talos/.*\\.sops\\.ya?ml\n    mac_only_encrypted: true\n    age: \"age1q\"\nstores:\n  yaml:\n    indent: 2\n";
        var rule = YamlListItem.Mapping("unifi/.*\\.sops\\.ya?ml", "path_regex: unifi/.*\\.sops\\.ya?ml\nencrypted_regex: \"^(frr)$\"\nage: \"age1q\"\n");

        string added = YamlListEditor.Add(text, ["creation_rules"], rule);

        Assert.Equal(text.Replace("age: \"age1q\"\nstores", "age: \"age1q\"\n  - path_regex: unifi/.*\\.sops\\.ya?ml\n    encrypted_regex: \"^(frr)$\"\n    age: \"age1q\"\nstores", StringComparison.Ordinal), added);
        Assert.Equal(["talos/.*\\.sops\\.ya?ml", "unifi/.*\\.sops\\.ya?ml"], YamlListEditor.Entries(added, ["creation_rules"]).Select(e => e.Identity));
        Assert.Equal(text, YamlListEditor.Remove(added, ["creation_rules"], "unifi/.*\\.sops\\.ya?ml"));
        Assert.Same(added, YamlListEditor.Add(added, ["creation_rules"], rule));
    }

    [Theory]
    [InlineData("resources:\n  a: b\n", "line 2", "is not a list")]
    [InlineData("resources: ./a\n", "line 1", "is not a list")]
    [InlineData("- a\n", "line 1", "is not a mapping")]
    [InlineData("resources: [a\n", "line", "not valid YAML")]
    [InlineData("spec: {a: 1}\n", "line 1", "flow mapping")]
    public void A_key_that_holds_something_else_is_an_error_with_its_line(string text, string line, string message)
    {
        string[] path = text.StartsWith("spec", StringComparison.Ordinal) ? ["spec", "resources"] : Resources;

        var error = Assert.Throws<YamlListEditException>(() => YamlListEditor.Add(text, path, YamlListItem.Of("./c")));

        Assert.Contains(line, error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains("Fix:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_template_kustomization_and_talconfig_keeps_its_bytes_through_add_and_remove()
    {
        var files = Directory.EnumerateFiles(TestData.Shared("corpus", "template", "cases"), "*.yaml", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) is "kustomization.yaml" or "talconfig.yaml")
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(files.Count > 50, $"only {files.Count} files");
        foreach (var file in files)
        {
            string text = File.ReadAllText(file);
            string[] path = Path.GetFileName(file) == "talconfig.yaml" ? ["patches"] : Resources;
            var before = Read(text, path);

            string added = YamlListEditor.Add(text, path, YamlListItem.Of("./sdk/ks.yaml"));

            Assert.Equal([.. before, "./sdk/ks.yaml"], Read(added, path));
            Assert.Equal(text, YamlListEditor.Remove(added, path, "./sdk/ks.yaml"));
        }
    }

    [Fact]
    public void Fuzz_random_list_files_read_back_as_the_old_list_plus_the_entry_and_removal_restores_the_bytes()
    {
        var random = new Random(20261204);
        for (int run = 0; run < 600; run++)
        {
            string newline = random.Next(4) == 0 ? "\r\n" : "\n";
            var entries = Enumerable.Range(0, random.Next(0, 5)).Select(i => random.Next(3) switch
            {
                0 => "./app-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                1 => "@./patches/p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".yaml",
                _ => "app " + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + ": x",
            }).ToList();
            var (text, path) = RandomFile(random, entries, newline);
            bool hadKey = text.Contains("resources:", StringComparison.Ordinal);
            var before = Read(text, path);
            Assert.Equal(entries, before);
            string entry = random.Next(2) == 0 ? "./new" : "@./new: yes";

            string added = YamlListEditor.Add(text, path, YamlListItem.Of(entry));

            Assert.True(before.SequenceEqual(Read(added, path).Take(before.Count)) && Read(added, path)[^1] == entry, $"run {run}:\n{text}\n---\n{added}");
            Assert.Equal(Others(text, path), Others(added, path));
            Assert.True(newline == "\n" || !added.Replace("\r\n", string.Empty, StringComparison.Ordinal).Contains('\n', StringComparison.Ordinal), $"run {run}: a lone LF in a CRLF file");
            string removed = YamlListEditor.Remove(added, path, entry);
            Assert.Equal(before, Read(removed, path));
            Assert.True(!hadKey || text == removed, $"run {run}:\n{text}\n---\n{added}\n---\n{removed}");
        }
    }

    // A kustomization-like file with the list at 'resources' or 'spec.resources', in one of several styles.
    private static (string Text, string[] Path) RandomFile(Random random, List<string> entries, string newline)
    {
        string Q(string value) => value.StartsWith('@') || value.Contains(": ", StringComparison.Ordinal) ? "\"" + value + "\"" : value;
        var lines = new List<string> { "---", "apiVersion: kustomize.config.k8s.io/v1beta1", "# a comment", "kind: Kustomization" };
        int style = random.Next(4);
        string keyIndent = string.Empty;
        if (random.Next(2) == 0)
        {
            lines.Add("spec:");
            keyIndent = "  ";
            lines.Add(keyIndent + "name: x");
        }

        string dashIndent = keyIndent + new string(' ', random.Next(3) * 2);
        if (entries.Count == 0 && style == 3)
        {
            lines.Add(keyIndent + "resources:");
        }
        else if (style == 0 || (style == 3 && entries.Count > 0))
        {
            lines.Add(keyIndent + "resources: [" + string.Join(", ", entries.Select(Q)) + "]");
        }
        else if (entries.Count > 0)
        {
            lines.Add(keyIndent + "resources:");
            foreach (var entry in entries)
            {
                lines.Add(dashIndent + "- " + Q(entry) + (random.Next(3) == 0 ? " # note" : string.Empty));
                if (random.Next(4) == 0)
                {
                    lines.Add(dashIndent + "# between");
                }
            }
        }

        if (random.Next(2) == 0)
        {
            lines.Add(string.Empty);
            lines.Add("# trailing comment");
        }

        if (random.Next(2) == 0)
        {
            lines.Add(keyIndent + "labels:");
            lines.Add(keyIndent + "  - pairs: {a: b}");
        }

        string text = string.Join(newline, lines);
        return (random.Next(3) == 0 ? text : text + newline, keyIndent.Length == 0 ? Resources : ["spec", "resources"]);
    }

    private static List<string> Read(string text, string[] path)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        YamlNode node = stream.Documents[0].RootNode;
        foreach (var key in path)
        {
            var mapping = (YamlMappingNode)node;
            if (!mapping.Children.TryGetValue(new YamlScalarNode(key), out var child))
            {
                return [];
            }

            node = child;
        }

        return node is YamlSequenceNode sequence ? sequence.Children.Select(c => ((YamlScalarNode)c).Value!).ToList() : [];
    }

    // Everything YAML reads apart from the list itself.
    private static string Others(string text, string[] path)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var parent = path.Length == 1 ? root : (YamlMappingNode)root.Children[new YamlScalarNode(path[0])];
        parent.Children.Remove(new YamlScalarNode(path[^1]));
        var writer = new StringWriter();
        stream.Save(writer, assignAnchors: false);
        return writer.ToString();
    }
}
