using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace Cilium.Sdk.Conformance.Tests;

/// <summary>Our schema files carry upstream's facts only, never its prose.</summary>
public sealed partial class DescriptionLeakTests
{
    // Shorter descriptions ("Name of the secret.") are too generic to prove copying.
    private const int MinimumDescriptionLength = 40;

    /// <summary>No upstream description longer than 40 characters appears in any of our files, raw or as parsed text.</summary>
    [Fact]
    public void OurFilesContainNoUpstreamDescriptions()
    {
        List<string> ourFiles = Directory.GetFiles(SharedData.SchemasDirectory, "*.yaml", SearchOption.AllDirectories).ToList();
        Assert.NotEmpty(ourFiles);
        string rawText = Normalize(string.Join("\n", ourFiles.Select(File.ReadAllText)));
        string parsedText = Normalize(string.Join("\n", ourFiles.SelectMany(f => Scalars(YamlTree.LoadDocument(f)))));

        List<string> leaked = UpstreamDescriptions()
            .Select(Normalize)
            .Where(d => d.Length > MinimumDescriptionLength)
            .Distinct(StringComparer.Ordinal)
            .Where(d => rawText.Contains(d, StringComparison.Ordinal) || parsedText.Contains(d, StringComparison.Ordinal))
            .ToList();

        Assert.True(leaked.Count == 0, "Upstream description text found in our schemas:\n" + string.Join("\n", leaked.Take(20)));
    }

    /// <summary>No controller-gen marker or annotation anywhere in our files.</summary>
    [Fact]
    public void OurFilesMentionNoControllerGen()
    {
        string[] offenders = Directory.GetFiles(SharedData.SchemasDirectory, "*.yaml", SearchOption.AllDirectories)
            .Where(f => File.ReadAllText(f).Contains("controller-gen", StringComparison.OrdinalIgnoreCase))
            .ToArray();

        Assert.Empty(offenders);
    }

    private static IEnumerable<string> UpstreamDescriptions()
    {
        IEnumerable<string> files = SupportedKinds.All.SelectMany(kind =>
            kind.CiliumVersions.Count == 0
                ? [kind.UpstreamPath(null)]
                : kind.CiliumVersions.Select(kind.UpstreamPath));
        return files.SelectMany(f => Descriptions(YamlTree.LoadDocument(f)));
    }

    // Every scalar under a "description" key (a property named "description" is a mapping and is walked through).
    private static IEnumerable<string> Descriptions(YamlNode node) => node switch
    {
        YamlMappingNode map => map.Entries().SelectMany(e =>
            e.Key == "description" && e.Value is YamlScalarNode text ? [text.Value ?? string.Empty] : Descriptions(e.Value)),
        YamlSequenceNode seq => seq.Children.SelectMany(Descriptions),
        _ => [],
    };

    private static IEnumerable<string> Scalars(YamlNode node) => node switch
    {
        YamlScalarNode scalar => [scalar.Value ?? string.Empty],
        YamlMappingNode map => map.Children.SelectMany(e => Scalars(e.Key).Concat(Scalars(e.Value))),
        YamlSequenceNode seq => seq.Children.SelectMany(Scalars),
        _ => [],
    };

    private static string Normalize(string text) => Whitespace().Replace(text, " ").Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
