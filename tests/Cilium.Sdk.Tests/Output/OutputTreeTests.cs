using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Cilium.Sdk.Output;

namespace Cilium.Sdk.Tests.Output;

/// <summary>The immutable, sorted, path-checked tree of files to write.</summary>
public sealed class OutputTreeTests
{
    [Fact]
    public void Files_are_sorted_by_path_ordinal_and_found_by_indexer()
    {
        var tree = OutputTree.Empty.Add("b.yaml", "b").Add("a/z.yaml", "z").Add("B.txt", "B").Add("a.yaml", "a");

        Assert.Equal(["B.txt", "a.yaml", "a/z.yaml", "b.yaml"], tree.Files.Select(f => f.Path));
        Assert.Equal("z", tree["a/z.yaml"]!.Content);
        Assert.Null(tree["missing.yaml"]);
    }

    [Fact]
    public void Add_returns_a_new_tree_and_leaves_the_original_unchanged()
    {
        var one = OutputTree.Empty.Add("a.yaml", "a");
        var two = one.Add("b.yaml", "b");

        Assert.Single(one.Files);
        Assert.Equal(2, two.Files.Count);
        Assert.Empty(OutputTree.Empty.Files);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("/etc/passwd", "absolute")]
    [InlineData("C:/x.yaml", "absolute")]
    [InlineData("a/../b.yaml", "'..'")]
    [InlineData("../b.yaml", "'..'")]
    [InlineData("./b.yaml", "'.'")]
    [InlineData("a\\b.yaml", "backslash")]
    [InlineData("a//b.yaml", "empty segment")]
    [InlineData("a/", "empty segment")]
    [InlineData(".cilium-sdk/owned.json", "reserved")]
    [InlineData(".Cilium-SDK/owned.json", "reserved")]
    [InlineData(".cilium-sdk", "reserved")]
    [InlineData(".cilium-sdk//owned.json", "empty segment")]
    [InlineData("a/b/..", "'..'")]
    [InlineData("a\tb.yaml", "control character")]
    public void Add_refuses_a_path_that_is_not_relative_and_normalized(string path, string reason)
    {
        var error = Assert.Throws<ArgumentException>(() => OutputTree.Empty.Add(path, "x"));

        Assert.Contains($"'{path}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Contains("Fix:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_refuses_a_duplicate_path_naming_it()
    {
        var tree = OutputTree.Empty.Add("kubernetes/apps/ks.yaml", "a");

        var error = Assert.Throws<ArgumentException>(() => tree.Add("kubernetes/apps/ks.yaml", "b"));

        Assert.Contains("'kubernetes/apps/ks.yaml' is added twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_refuses_paths_that_differ_only_in_case()
    {
        var error = Assert.Throws<ArgumentException>(() => OutputTree.Empty.Add("apps/Cilium.yaml", "a").Add("apps/cilium.yaml", "b"));

        Assert.Contains("only in letter case", error.Message, StringComparison.Ordinal);
        Assert.Contains("apps/Cilium.yaml", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_refuses_a_file_that_is_also_a_folder_in_either_order()
    {
        var first = Assert.Throws<ArgumentException>(() => OutputTree.Empty.Add("apps", "a").Add("apps/x.yaml", "b"));
        var second = Assert.Throws<ArgumentException>(() => OutputTree.Empty.Add("apps/x.yaml", "b").Add("apps", "a"));

        Assert.Contains("'apps' is a file of this tree", first.Message, StringComparison.Ordinal);
        Assert.Contains("is a folder of 'apps/x.yaml'", second.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_secret_must_be_named_sops_yaml_and_the_error_suggests_the_name()
    {
        var error = Assert.Throws<ArgumentException>(() => OutputTree.Empty.Add("kubernetes/apps/bgp-secret.yaml", "x", isSecret: true));

        Assert.Contains("kubernetes/apps/bgp-secret.sops.yaml", error.Message, StringComparison.Ordinal);
        Assert.True(OutputTree.Empty.Add("kubernetes/apps/bgp-secret.sops.yaml", "x", isSecret: true).Files[0].IsSecret);
    }

    /// <summary>The renderer fills one <c>OutputTree.Builder</c>: for any sequence of additions it must end with the
    /// tree that <see cref="OutputTree.Add"/> one at a time gives, or refuse the same addition with the same message.</summary>
    [Theory]
    [InlineData("a/b/c/d.yaml|a/b/x.yaml|a/y.yaml|z.yaml")]
    [InlineData("a/b/c/d.yaml|a/b")]
    [InlineData("a/b/c/d.yaml|a/b/c")]
    [InlineData("a/b|a/b/c/d.yaml")]
    [InlineData("a/b/c.yaml|A/b/c.yaml")]
    [InlineData("a/b/c.yaml|a/b/c.yaml")]
    [InlineData("x/secret.yaml!")]
    [InlineData("x/s.sops.yaml!|x/t.yaml|../u.yaml")]
    public void The_batch_builder_checks_and_builds_exactly_as_Add_does(string sequence)
    {
        var additions = sequence.Split('|').Select(a => (Path: a.TrimEnd('!'), Secret: a.EndsWith('!'))).ToList();
        string? addError = null;
        var tree = OutputTree.Empty;
        try
        {
            foreach (var (path, secret) in additions)
            {
                tree = tree.Add(path, "content of " + path, secret);
            }
        }
        catch (ArgumentException e)
        {
            addError = e.Message;
        }

        string? builderError = null;
        var builder = OutputTree.Empty.ToBuilder();
        try
        {
            foreach (var (path, secret) in additions)
            {
                builder.Add(path, "content of " + path, secret);
            }
        }
        catch (ArgumentException e)
        {
            builderError = e.Message;
        }

        Assert.Equal(addError, builderError);
        if (addError is null)
        {
            Assert.Equal(tree.Files, builder.ToTree().Files);
        }
    }

    /// <summary>A tree frozen from the builder makes its case and folder indexes only when <see cref="OutputTree.Add"/>
    /// is called on it: then it must refuse and accept exactly what the same tree built by Add does.</summary>
    [Theory]
    [InlineData("a/b/C.yaml", "only in letter case")]
    [InlineData("A/b/x.yaml", null)]
    [InlineData("a/b", "is a folder of")]
    [InlineData("a", "is a folder of")]
    [InlineData("a/b/c.yaml/d.yaml", "is a file of this tree")]
    [InlineData("a/b/c.yaml", "added twice")]
    [InlineData(".cilium-sdk/x", "reserved")]
    [InlineData("a/b/e/f.yaml", null)]
    public void A_tree_frozen_from_the_builder_checks_a_later_Add_as_a_tree_built_by_Add(string path, string? reason)
    {
        string[] paths = ["a/b/c.yaml", "a/b/d/e.yaml", "z.yaml"];
        var byAdd = paths.Aggregate(OutputTree.Empty, (tree, p) => tree.Add(p, "x"));
        var builder = OutputTree.Empty.ToBuilder();
        foreach (var p in paths)
        {
            builder.Add(p, "x");
        }

        var frozen = builder.ToTree();
        string? Outcome(OutputTree tree, bool merged)
        {
            try
            {
                var added = merged ? tree.AddMerged(path, null, []) : tree.Add(path, "y");
                return string.Join("|", added.Files.Select(f => f.Path));
            }
            catch (ArgumentException e)
            {
                return "refused: " + e.Message;
            }
        }

        foreach (var merged in new[] { false, true })
        {
            var expected = Outcome(byAdd, merged);
            Assert.Equal(expected, Outcome(frozen, merged));
            if (reason is null)
            {
                Assert.DoesNotContain("refused", expected, StringComparison.Ordinal);
            }
            else
            {
                Assert.Contains(reason, expected, StringComparison.Ordinal);
            }
        }

        // And the frozen tree, grown by Add, keeps checking: the file just added collides with its case twin.
        if (reason is null)
        {
            var grown = frozen.Add(path, "y");
            Assert.Contains("letter case", Assert.Throws<ArgumentException>(() => grown.Add(path.ToUpperInvariant(), "y")).Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void OutputFile_ToString_never_shows_content()
    {
        var secret = new OutputFile("s.sops.yaml", "password: hunter2", IsSecret: true);
        var plain = new OutputFile("p.yaml", "kind: Namespace");

        Assert.DoesNotContain("hunter2", secret.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Namespace", plain.ToString(), StringComparison.Ordinal);
    }
}
