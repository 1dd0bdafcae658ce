using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using Cilium.Sdk.Cluster;
using Cilium.Sdk.Serialization;
using Cilium.Sdk.Validation;
using CrdKit.Validation;
using YamlDotNet.RepresentationModel;

namespace Cilium.Sdk.Tests.Validation;

/// <summary>
/// ManifestSet (what <c>cilium-sdk lint</c> runs) on the upstream examples in ../shared/corpus/cilium/examples, read in
/// place, each file on its own: every expected-valid file is clean (except the rejections listed here with their
/// reason, each of which must still be found), and every file the index lists with schema errors gets a finding at
/// the line of the error, found independently with YamlDotNet's representation model.
/// </summary>
public sealed class LintCorpusTests
{
    private static readonly string Examples = SharedCorpus.Require("corpus/cilium/examples");

    /// <summary>Expected-valid files that a stricter layer than the index's checker rejects: file -> (path, layer, why).</summary>
    private static readonly Dictionary<string, (string Path, string Layer, string Why)> KnownRejections = new(StringComparer.Ordinal)
    {
        ["Documentation__network__kubernetes__configuration__L257__heredoc0.yaml"] = ("spec.ingress[0].toPorts[0].ports[0].port", ValidationLayers.Agent, "port '65536' passes the CRD's unanchored pattern but is no port"),
        ["out-default.yaml"] = ("specs[1].egress[0].toPorts[0].serverNames[", ValidationLayers.Schema, "serverNames is a list-type set upstream and an item repeats"),
        ["cilium-cli__connectivity__builder__manifests__template__testdata__generate_dns_match_pattern__out.yaml"] = ("specs[1].egress[0].toPorts[0].serverNames[", ValidationLayers.Schema, "serverNames is a list-type set upstream and items repeat"),
        ["auth.yaml"] = ("spec.egress[0].auth", ValidationLayers.Schema, "the index lists 'auth' among its unknown fields: strict field validation (kubectl's default) rejects it"),
        ["Documentation__network__bgp-control-plane__bgp-control-plane-configuration__L57.yaml"] = ("spec.bgpInstances[0].peers[", ValidationLayers.Agent, "the page defines the CiliumBGPPeerConfig cilium-peer in a later code block (L326): alone, the file references a missing peer config"),
    };

    [Fact]
    public void Every_expected_valid_example_lints_clean_and_every_listed_schema_error_has_a_finding_at_its_line()
    {
        var index = JsonNode.Parse(File.ReadAllText(Path.Combine(Examples, "index.json")))!.AsArray();
        int files = 0, documents = 0, clean = 0, knownConfirmed = 0, invalidFiles = 0, errorsListed = 0, errorsAtLine = 0, pruned = 0;
        var failures = new List<string>();
        foreach (var entry in index.Select(e => e!.AsObject()))
        {
            if (entry["templated"]!.GetValue<bool>() || entry["parse_error"] is not null)
            {
                continue;
            }

            var file = entry["file"]!.GetValue<string>();
            var path = Path.Combine(Examples, entry["topic"]!.GetValue<string>(), file);
            var version = entry["origin"]!.GetValue<string>().StartsWith("main", StringComparison.Ordinal) ? CiliumVersion.V1_20 : CiliumVersion.V1_19;
            var set = ManifestSet.Load([path]);
            var findings = set.Validate(version);
            files++;
            documents += set.Documents.Count;
            var errors = findings.Where(f => f.IsError).ToList();

            if (entry["expected_valid"]!.GetValue<bool>())
            {
                if (KnownRejections.TryGetValue(file, out var known))
                {
                    var matched = errors.Where(f => f.Error.Path.StartsWith(known.Path, StringComparison.Ordinal) && f.Error.Layer == known.Layer).ToList();
                    if (matched.Count == 0)
                    {
                        failures.Add($"{file}: expected the known {known.Layer} rejection at {known.Path} ({known.Why}); got: {string.Join(" | ", errors)}");
                    }

                    knownConfirmed++;
                    errors = errors.Except(matched).ToList();
                }

                // BGP control plane v1 examples come from the 1.18 tree: 1.19 removed the kind, which is the finding.
                errors.RemoveAll(f => f.Document?.StartsWith("CiliumBGPPeeringPolicy", StringComparison.Ordinal) == true && f.Error.Path == "apiVersion" && f.Error.Message.Contains("removed in 1.19", StringComparison.Ordinal));

                // Warnings are allowed only for deprecated apiVersions (the API server's own warning).
                var warnings = findings.Where(f => !f.IsError && !f.Error.Message.StartsWith("is deprecated", StringComparison.Ordinal)).ToList();
                if (errors.Count > 0 || warnings.Count > 0)
                {
                    failures.Add($"{file} ({version}) is expected valid: {string.Join(" | ", errors.Concat(warnings))}");
                }
                else
                {
                    clean++;
                }

                continue;
            }

            var listed = (entry["schema_errors"] as JsonArray ?? []).SelectMany(e => e!["errors"]!.AsArray().Select(x => (Name: e["name"]?.GetValue<string>(), Error: x!.GetValue<string>()))).ToList();
            if (listed.Count == 0)
            {
                continue;
            }

            invalidFiles++;
            var lines = IndependentLines(path);
            var anyAtLine = false;
            foreach (var (_, error) in listed)
            {
                errorsListed++;
                if (error.Contains("None is not of type", StringComparison.Ordinal))
                {
                    // The index's JSON Schema checker sees `key:` with no value as null; the API server prunes such a
                    // field (null = absent), so it is no error there. Such a file must still get the error it really has.
                    pruned++;
                    continue;
                }

                var expected = LineOf(lines, error);
                if (findings.Any(f => f.IsError && f.Line == expected))
                {
                    errorsAtLine++;
                    anyAtLine = true;
                }
            }

            if (!anyAtLine && !(listed.All(l => l.Error.Contains("None is not of type", StringComparison.Ordinal)) && errors.Count > 0))
            {
                failures.Add($"{file}: no finding at the line of any listed error ({string.Join(" | ", listed.Select(l => $"{l.Error} -> line {LineOf(lines, l.Error)}"))}); got: {string.Join(" | ", findings)}");
            }
        }

        TestContext.Current.TestOutputHelper!.WriteLine($"{files} files, {documents} documents; expected-valid: {clean} clean, {knownConfirmed} known rejections confirmed; {invalidFiles} files with listed schema errors: {errorsAtLine} of {errorsListed} listed errors have a finding at their line ({pruned} are explicit nulls the API server prunes)");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(KnownRejections.Count, knownConfirmed);
        Assert.True(files >= 215, $"only {files} files were linted");
        Assert.True(invalidFiles >= 18, $"only {invalidFiles} files with listed schema errors");
    }

    [Fact]
    public void A_cross_file_reference_resolves_when_both_files_are_linted_together()
    {
        var bgp = Path.Combine(Examples, "bgp-v2");
        var cluster = Path.Combine(bgp, "Documentation__network__bgp-control-plane__bgp-control-plane-configuration__L57.yaml");
        var peer = Path.Combine(bgp, "Documentation__network__bgp-control-plane__bgp-control-plane-configuration__L326.yaml");

        var alone = ManifestSet.Load([cluster]).Validate(CiliumVersion.V1_20);
        var together = ManifestSet.Load([cluster, peer]).Validate(CiliumVersion.V1_20);

        Assert.Contains(alone, f => f.Error.Path.EndsWith("peerConfigRef.name", StringComparison.Ordinal) && f.Error.Value == "cilium-peer" && f.File == cluster);
        Assert.DoesNotContain(together, f => f.Error.Path.EndsWith("peerConfigRef.name", StringComparison.Ordinal));
    }

    [Fact]
    public void Multi_document_examples_keep_the_lines_of_their_file()
    {
        var counted = 0;
        foreach (var path in Directory.EnumerateFiles(Examples, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            string text = File.ReadAllText(path);
            YamlStream stream;
            try
            {
                stream = new YamlStream();
                stream.Load(new StringReader(text));
            }
            catch (YamlDotNet.Core.YamlException)
            {
                continue;
            }

            var nonEmpty = stream.Documents.Where(d => d.RootNode is not YamlScalarNode { Value: null or "" }).ToList();
            if (nonEmpty.Count < 2)
            {
                continue;
            }

            var read = Manifests.ReadFile(path);
            Assert.Equal(nonEmpty.Select(d => (int)d.RootNode.Start.Line), read.Select(d => d.Line));
            counted++;
        }

        Assert.True(counted >= 10, $"only {counted} multi-document examples");
    }

    /// <summary>Each document's YAML tree, for finding the line of an index error path independently of the SDK.</summary>
    private static List<YamlNode> IndependentLines(string path)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(path)));
        return stream.Documents.Select(d => d.RootNode).ToList();
    }

    /// <summary>The line an index error ("spec/blocks/0/cidr: ...", or ": ..." for the root) points at: the key of the
    /// deepest field on the path that exists (the item's start for list items), in the first document that has it.</summary>
    private static long LineOf(List<YamlNode> documents, string error)
    {
        var path = error[..error.IndexOf(':', StringComparison.Ordinal)];
        var segments = path.Length == 0 ? [] : path.Split('/');
        long best = documents[0].Start.Line;
        foreach (var root in documents)
        {
            var node = root;
            long line = root.Start.Line;
            var depth = 0;
            foreach (var segment in segments)
            {
                if (node is YamlMappingNode map && map.Children.FirstOrDefault(kv => kv.Key is YamlScalarNode k && k.Value == segment) is { Key: not null } entry)
                {
                    line = entry.Key.Start.Line;
                    node = entry.Value;
                }
                else if (node is YamlSequenceNode seq && int.TryParse(segment, out var i) && i < seq.Children.Count)
                {
                    node = seq.Children[i];
                    line = node.Start.Line;
                }
                else
                {
                    break;
                }

                depth++;
            }

            if (depth == segments.Length)
            {
                return line;
            }

            best = depth > 0 ? line : best;
        }

        return best;
    }
}
