using System.Text;
using System.Text.Json.Nodes;
using Cilium.Sdk.Hubble.Flows;
using Cilium.Sdk.Tests.Infrastructure;
using Cilium.Sdk.Tests.Verdicts.Oracle;
using Cilium.Sdk.Verdicts;

namespace Cilium.Sdk.Tests.Verdicts;

/// <summary>
/// The streaming replay against the oracle (the reader and replay as they were before streaming, kept in
/// <c>Oracle/</c>): on every corpus capture, the template-case fixtures and thousands of mangled lines, every way of
/// reading gives the oracle's report, byte for byte.
/// </summary>
public sealed class StreamingReplayTests
{
    public static TheoryData<string> CorpusFiles => ReplayTests.CorpusFiles;

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void Every_corpus_capture_gives_the_oracles_report_on_every_path(string file)
    {
        var path = TestData.Shared("corpus", "cilium", "flows", file);

        AssertSameAsOracle(File.ReadAllBytes(path));
    }

    [Fact]
    public void The_template_case_fixture_gives_the_oracles_report_on_every_path()
    {
        var report = AssertSameAsOracle(Encoding.UTF8.GetBytes(string.Join("\n", ReplayTests.Fixture) + "\n"));

        Assert.Equal(3, report.WouldDrop.Count);
        Assert.Single(report.Undecidable);
        Assert.NotEmpty(report.Suggestions);
    }

    [Fact]
    public void Mangled_lines_give_the_oracles_problems_messages_and_groups()
    {
        var capture = Mangled(seed: 21, copies: 1);

        var report = AssertSameAsOracle(capture);

        Assert.True(report.ProblemCount > 200, report.ProblemCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(report.UnmappedCount > 50);
        Assert.True(report.Evaluated > 500);
        Assert.Contains(report.Problems, p => p.Message.Contains("not an integer", StringComparison.Ordinal));
        Assert.Contains(report.Problems, p => p.Message.Contains("out of range", StringComparison.Ordinal));
        Assert.Contains(report.Problems, p => p.Message.Contains("not valid JSON at byte", StringComparison.Ordinal));
        Assert.Contains(report.Problems, p => p.Message.Contains("not a JSON object", StringComparison.Ordinal));
        Assert.Contains(report.Unmapped, p => p.Message.Contains("out of range", StringComparison.Ordinal));
    }

    [Fact]
    public void Parallel_parsing_gives_the_sequential_report_whatever_the_thread_count()
    {
        var capture = Mangled(seed: 5, copies: 30);
        var verdicts = ReplayTests.CaseVerdicts();

        var reports = new[] { 1, 2, 3, 8 }
            .Select(p => FlowReplay.Run(verdicts, new MemoryStream(capture), Options(p)).ToJson())
            .ToList();

        Assert.All(reports, r => Assert.Equal(reports[0], r));
        Assert.Equal(LegacyReport(verdicts, capture).ToJson(), reports[0].Replace($"\"bytes\": {capture.Length}", "\"bytes\": 0", StringComparison.Ordinal));
    }

    /// <summary>Runs the oracle and every streaming path over <paramref name="capture"/>; all must agree.</summary>
    private static ReplayReport AssertSameAsOracle(byte[] capture)
    {
        var verdicts = ReplayTests.CaseVerdicts();
        var expected = LegacyReport(verdicts, capture);
        var paths = new (string Name, Func<ReplayReport> Run)[]
        {
            ("fast, 1 thread", () => FlowReplay.Run(verdicts, new MemoryStream(capture), Options(1))),
            ("fast, 4 threads", () => FlowReplay.Run(verdicts, new MemoryStream(capture), Options(4))),
            ("fast, a few bytes per read", () => FlowReplay.Run(verdicts, new TrickleStream(capture), Options(2))),
            ("fast, no caches", () => FlowReplay.Run(verdicts, new MemoryStream(capture), Options(2) with { UseCaches = false })),
            ("streamed flows", () => FlowReplay.Run(verdicts, HubbleFlowReader.Open(new MemoryStream(capture)), Options(1))),
            ("all at once", () => FlowReplay.Run(verdicts, HubbleFlowReader.Read(new StreamReader(new MemoryStream(capture), Encoding.UTF8)), ReplayTests.Case.Value.Version)),
        };
        foreach (var (name, run) in paths)
        {
            var actual = run() with { Bytes = 0 };
            Assert.True(expected.ToJson() == actual.ToJson(), $"{name}: the JSON report differs from the oracle's\n{Diff(expected.ToJson(), actual.ToJson())}");
            Assert.True(expected.ToText() == actual.ToText(), $"{name}: the text report differs from the oracle's\n{Diff(expected.ToText(), actual.ToText())}");
        }

        return expected;
    }

    private static ReplayReport LegacyReport(PolicyVerdicts verdicts, byte[] capture) =>
        LegacyFlowReplay.Run(verdicts, LegacyHubbleFlowReader.Read(new StreamReader(new MemoryStream(capture), Encoding.UTF8)), ReplayTests.Case.Value.Version);

    private static ReplayOptions Options(int parallelism) => new() { Version = ReplayTests.Case.Value.Version, Parallelism = parallelism, MaxListedProblems = int.MaxValue };

    private static string Diff(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        for (var i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            var x = i < e.Length ? e[i] : "<end>";
            var y = i < a.Length ? a[i] : "<end>";
            if (x != y)
            {
                return $"line {i + 1}:\n  oracle: {x}\n  actual: {y}";
            }
        }

        return "(same lines)";
    }

    /// <summary>
    /// Every corpus line, then each mangled the ways captures break: cut short, wrong-typed and out-of-range numbers,
    /// duplicate and escaped properties, other envelopes, odd line ends and white space, invalid UTF-8, a BOM.
    /// </summary>
    internal static byte[] Mangled(int seed, int copies)
    {
        var random = new Random(seed);
        var dir = TestData.Shared("corpus", "cilium", "flows");
        var lines = Directory.GetFiles(dir, "*.json*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .SelectMany(File.ReadLines).ToList();
        var output = new MemoryStream();
        output.Write([0xEF, 0xBB, 0xBF]);
        void Line(string text, string end = "\n") => output.Write(Encoding.UTF8.GetBytes(text + end));
        string[] identities = ["\"12\"", "\" 7 \"", "-3", "1.5", "1e99", "true", "{\"a\":1}", "[1]", "null", "\"x\"", "99999999999999999999"];
        string[] ports = ["70000", "\"443\"", "99999999999", "0", "null", "-1", "\"8080 \"", "[80]", "256"];
        for (var copy = 0; copy < copies; copy++)
        {
            foreach (var line in lines)
            {
                Line(line, random.Next(8) == 0 ? "\r\n" : "\n");
                switch (random.Next(16))
                {
                    case 0:
                        Line(line[..(1 + random.Next(line.Length - 1))]);
                        break;
                    case 1:
                        Line(line.Replace("\"identity\":", "\"identity\":" + identities[random.Next(identities.Length)] + ",\"x\":", StringComparison.Ordinal));
                        break;
                    case 2:
                        Line(ReplaceValue(line, "\"destination_port\":", ports[random.Next(ports.Length)]));
                        break;
                    case 3:
                        Line(line.Replace("{\"flow\":{", "{\"flow\":{\"is_reply\":true,\"verdict\":\"AUDIT\",\"l4\":{\"UDP\":{\"destination_port\":53}},", StringComparison.Ordinal));
                        break;
                    case 4:
                        Line(line.Replace("k8s:", "k8s\\u003a", StringComparison.Ordinal).Replace("\"verdict\"", "\"verd\\u0069ct\"", StringComparison.Ordinal));
                        break;
                    case 5:
                        Line(JsonNode.Parse(line)!["flow"]?.ToJsonString() ?? line);
                        break;
                    case 6:
                        Line("{\"flow\":null," + line[1..]);
                        Line(line[..^1] + ",\"flow\":\"not an object\"}");
                        break;
                    case 7:
                        Line(line.Replace("\"l4\":{", "\"l4\":{\"TCP\":{\"destination_port\":22,\"flags\":{\"SYN\":true}},\"ICMPv6\":{},", StringComparison.Ordinal));
                        Line(line.Replace("\"l4\":{", "\"l4\":[],\"l4b\":{", StringComparison.Ordinal));
                        break;
                    case 8:
                        Line(line.Replace("\"source\":{", "\"source\":\"x\",\"source2\":{", StringComparison.Ordinal));
                        Line(line.Replace("\"labels\":[", "\"labels\":[\"k8s:=v\",\"k8s:\",\"\",7,null,\"k8s:café=ü\",", StringComparison.Ordinal));
                        break;
                    case 9:
                        Line(line + " x");
                        Line("   " + line + "\t ");
                        Line(random.Next(2) == 0 ? "[1,2]" : "\"text\"");
                        break;
                    case 10:
                        Line(string.Empty);
                        Line(" \t");
                        output.Write([0xC2, 0xA0, (byte)'\n']);
                        break;
                    case 11:
                        var bytes = Encoding.UTF8.GetBytes(line.Replace("\"namespace\":\"", "\"namespace\":\"\u00ff", StringComparison.Ordinal));
                        var at = Array.IndexOf(bytes, (byte)0xC3);
                        if (at >= 0)
                        {
                            bytes[at] = 0xFF; // invalid UTF-8 inside a string: U+FFFD, as the text reader gave
                        }

                        output.Write(bytes);
                        output.WriteByte((byte)'\n');
                        break;
                    case 12:
                        Line(line.Replace("\"l7\":{", "\"l7\":{\"type\":\"RESPONSE\",\"http\":{\"method\":\"GET\",\"url\":\"/x\",\"headers\":[{\"key\":\"A\"},{\"value\":\"b\"},3,{\"key\":\"a\",\"value\":\"c\"}]},", StringComparison.Ordinal));
                        Line(line.Replace("\"l7\":{", "\"l7\":{\"dns\":{\"query\":\"\"},\"http\":\"x\",", StringComparison.Ordinal));
                        break;
                    case 13:
                        Line(line.Replace("\"event_type\":{\"type\":", "\"event_type\":{\"type\":\"4\",\"type\":", StringComparison.Ordinal));
                        Line(line.Replace("\"event_type\":{\"type\":", "\"event_type\":{\"type\":4.5,\"x\":", StringComparison.Ordinal));
                        break;
                    case 14:
                        Line(line.Replace("\"destination\":{", "\"destination_names\":[\"api.github.com.\",\"X.example\",1],\"destination\":{", StringComparison.Ordinal));
                        break;
                }
            }
        }

        return output.ToArray();
    }

    private static string ReplaceValue(string line, string field, string value)
    {
        var at = line.IndexOf(field, StringComparison.Ordinal);
        if (at < 0)
        {
            return line;
        }

        var start = at + field.Length;
        var end = start;
        while (end < line.Length && line[end] is not (',' or '}'))
        {
            end++;
        }

        return line[..start] + value + line[end..];
    }

    /// <summary>A stream that returns 1 to 13 bytes per read: every line crosses reads.</summary>
    private sealed class TrickleStream(byte[] data) : FlowInput.ReadOnlyStream
    {
        private int position;
        private int step;

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(Math.Min(count, 1 + (step++ % 13)), data.Length - position);
            Array.Copy(data, position, buffer, offset, n);
            position += n;
            return n;
        }
    }
}
