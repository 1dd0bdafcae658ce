using System.Globalization;
using System.Text.RegularExpressions;
using Cilium.Sdk.Generators.Tests.Infrastructure;

namespace Cilium.Sdk.Generators.Tests.World;

/// <summary>
/// How many of the world corpus's CEL rules Validate() checks. Counted over the rule checks the generator emits
/// (after structurally identical shapes are folded into one type, a rule repeated across versions or kinds counts
/// once per distinct shape), both Gateway API channels included. Transition rules (<c>oldSelf</c>) need the stored
/// object and are reported apart: the share is translated / (translated + untranslated).
/// </summary>
public sealed partial class CelShareTests(ITestOutputHelper output)
{
    /// <summary>The floor the issue sets; the measured share is printed by the test.</summary>
    private const double MinimumShare = 0.95;

    [Fact]
    public void At_least_95_percent_of_the_corpus_rules_are_translated()
    {
        int translated = 0, transition = 0, untranslated = 0;
        var reasons = new SortedDictionary<string, int>(StringComparer.Ordinal);
        output.WriteLine("project | rules | translated | transition | untranslated | share");
        foreach (var (label, inputs) in Runs())
        {
            var source = GeneratorHarness.Run(inputs, GeneratorHarness.CreateCompilation()).AllSource;
            var t = Count(source, "// CEL: ");
            var o = Count(source, "// CEL (transition rule");
            var u = Count(source, "// CEL (not translated");
            foreach (Match m in Untranslated().Matches(source))
            {
                var reason = m.Groups[1].Value;
                reasons[reason] = reasons.GetValueOrDefault(reason) + 1;
            }

            translated += t;
            transition += o;
            untranslated += u;
            output.WriteLine($"{label} | {t + o + u} | {t} | {o} | {u} | {Share(t, u)}");
        }

        var share = (double)translated / Math.Max(1, translated + untranslated);
        output.WriteLine($"total | {translated + transition + untranslated} | {translated} | {transition} | {untranslated} | {Share(translated, untranslated)}");
        foreach (var (reason, count) in reasons.OrderByDescending(r => r.Value))
        {
            output.WriteLine($"  untranslated x{count}: {reason}");
        }

        Assert.True(translated > 500, $"only {translated} rules were translated: the corpus has over a thousand");
        Assert.True(share >= MinimumShare, $"translated share {share:P1} is below {MinimumShare:P0}");
    }

    /// <summary>One generator run per project; Gateway API once per channel (they declare the same kinds).</summary>
    internal static IEnumerable<(string Label, InputFile[] Inputs)> Runs()
    {
        foreach (var project in WorldCorpus.Projects)
        {
            var files = WorldCorpus.AllCrdFiles(project);
            foreach (var channel in files.GroupBy(f => project == "gateway-api" ? f.File.Split('/')[1] : string.Empty))
            {
                var label = channel.Key.Length == 0 ? project : $"{project} ({channel.Key})";
                yield return (label, channel.Select(e => GeneratorHarness.FromFile(e.FullPath, WorldCorpus.Namespace(project))).ToArray());
            }
        }
    }

    private static int Count(string source, string marker)
    {
        var count = 0;
        for (var i = source.IndexOf(marker, StringComparison.Ordinal); i >= 0; i = source.IndexOf(marker, i + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static string Share(int translated, int untranslated) =>
        ((double)translated / Math.Max(1, translated + untranslated)).ToString("P1", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"// CEL \(not translated, CRDGEN010: ([^)]*)\)")]
    private static partial Regex Untranslated();
}
