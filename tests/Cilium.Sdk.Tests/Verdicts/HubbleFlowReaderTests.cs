using Cilium.Sdk.Hubble.Flows;
using Cilium.Sdk.Tests.Infrastructure;
using Cilium.Sdk.Verdicts;

namespace Cilium.Sdk.Tests.Verdicts;

/// <summary>The flow reader on every file of ../shared/corpus/cilium/flows and on broken input.</summary>
public sealed class HubbleFlowReaderTests
{
    // file, flows, skipped non-flow lines (kind=count), replies (is_reply or legacy reply)
    public static TheoryData<string, int, string, int> CorpusFiles => new()
    {
        { "cilium-docs/export-rst-L196-dropped.jsonl", 2, "", 0 },
        { "cilium-tests/printer_test-debug-event.jsonl", 0, "debug_event=2", 0 },
        { "cilium-tests/printer_test-flow-json-legacy-noenvelope.jsonl", 1, "", 0 },
        { "cilium-tests/printer_test-flow-jsonpb.jsonl", 2, "", 0 },
        { "cilium-tests/printer_test-lost-events.jsonl", 0, "lost_events=6", 0 },
        { "cilium-tests/printer_test-server-status.jsonl", 0, "server_status=4", 0 },
        { "hubble-otel-testdata/basic-sample-10-flows.json", 10, "", 5 },
        { "hubble-otel-testdata/basic-sample-400-icmpv4-flows.json", 18, "", 4 },
        { "hubble-otel-testdata/basic-sample-400-l7-redirected-flows.json", 400, "", 0 },
        { "hubble-otel-testdata/basic-sample-400-tcp-flows.json", 400, "", 132 },
        { "hubble-otel-testdata/basic-sample-5-dns-flows.json", 5, "", 2 },
        { "hubble-otel-testdata/basic-sample-5-http-flows.json", 5, "", 2 },
    };

    [Fact]
    public void Every_corpus_file_is_covered()
    {
        var dir = TestData.Shared("corpus", "cilium", "flows");
        var files = Directory.GetFiles(dir, "*.json*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(dir, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);

        Assert.Equal(files, CorpusFiles.Select(row => row.Data.Item1).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void A_corpus_file_reads_with_the_expected_counts_and_no_problems(string file, int flows, string skipped, int replies)
    {
        var result = HubbleFlowReader.ReadFile(TestData.Shared("corpus", "cilium", "flows", file));

        Assert.Empty(result.Problems);
        Assert.Equal(flows, result.Flows.Count);
        Assert.Equal(skipped, string.Join(",", result.SkippedNonFlow.Select(kv => kv.Key + "=" + kv.Value)));
        Assert.Equal(replies, result.Flows.Count(f => f.IsReply == true));
        Assert.Equal(File.ReadLines(TestData.Shared("corpus", "cilium", "flows", file)).LongCount(), result.Lines);
    }

    [Fact]
    public void Both_envelopes_give_the_same_flow()
    {
        var wrapped = HubbleFlowReader.ReadFile(TestData.Shared("corpus", "cilium", "flows", "cilium-tests", "printer_test-flow-jsonpb.jsonl")).Flows[0];
        var legacy = HubbleFlowReader.ReadFile(TestData.Shared("corpus", "cilium", "flows", "cilium-tests", "printer_test-flow-json-legacy-noenvelope.jsonl")).Flows[0];

        Assert.Equal(("DROPPED", "TCP", 8080, "1.1.1.1", "2.2.2.2", 4L, 12345L), (wrapped.Verdict, wrapped.L4Protocol, wrapped.DestinationPort, wrapped.Source.Address, wrapped.Destination.Address, wrapped.Source.Identity, wrapped.Destination.Identity));
        Assert.Equal((wrapped.Verdict, wrapped.L4Protocol, wrapped.DestinationPort, wrapped.Source.Address, wrapped.Destination.Address, wrapped.Source.Identity, wrapped.Destination.Identity),
            (legacy.Verdict, legacy.L4Protocol, legacy.DestinationPort, legacy.Source.Address, legacy.Destination.Address, legacy.Source.Identity, legacy.Destination.Identity));
    }

    [Fact]
    public void L7_fields_are_read()
    {
        var http = HubbleFlowReader.ReadFile(TestData.Shared("corpus", "cilium", "flows", "hubble-otel-testdata", "basic-sample-5-http-flows.json")).Flows[0];
        var dns = HubbleFlowReader.ReadFile(TestData.Shared("corpus", "cilium", "flows", "hubble-otel-testdata", "basic-sample-5-dns-flows.json")).Flows[0];

        Assert.Equal(("GET", "http://10.128.0.4:9990/metrics"), (http.HttpMethod, http.HttpUrl));
        Assert.Equal("Prometheus/2.15.1", http.HttpHeaders!["user-agent"]);
        var flow = HubbleFlowMapping.ToFlow(http, out _)!;
        Assert.Equal(new HttpRequest("GET", "/metrics", "10.128.0.4:9990", http.HttpHeaders), flow.Http);
        Assert.Equal("istiod-istio-1611.istio-system.svc.istio-system.svc.cluster.local.", dns.DnsQuery);
        Assert.Equal("istiod-istio-1611.istio-system.svc.istio-system.svc.cluster.local", HubbleFlowMapping.ToFlow(dns, out _)!.DnsQuery);
    }

    [Fact]
    public void Bad_lines_are_reported_with_their_line_numbers_and_reading_goes_on()
    {
        var text = string.Join("\n",
            "{\"flow\":{\"verdict\":\"FORWARDED\",\"l4\":{\"TCP\":{\"destination_port\":80}},\"source\":{\"identity\":1},\"destination\":{\"identity\":2}}}",
            "not json at all",
            "",
            "[1,2]",
            "{\"flow\":{\"verdict\":\"FORWARDED\",\"l4\":{\"TCP\":{\"destination_port\":\"eighty\"}}}}",
            "{\"flow\":{\"verdict\":\"AUDIT\",\"l4\":{\"UDP\":{\"destination_port\":53}},\"source\":{\"identity\":\"6\"}}}",
            new string('x', 300),
            "{\"lost_events\":{\"num_events_lost\":\"1\"}}",
            "{\"something\":\"else\"}") + "\n";

        var result = HubbleFlowReader.Read(new StringReader(text), maxLineLength: 200);

        Assert.Equal(9L, result.Lines);
        Assert.Equal(2, result.Flows.Count);
        Assert.Equal([1L, 6L], result.Flows.Select(f => f.Line));
        Assert.Equal(6L, result.Flows[1].Source.Identity);
        Assert.Equal([2L, 4L, 5L, 7L], result.Problems.Select(p => p.Line));
        Assert.Contains("not valid JSON", result.Problems[0].Message, StringComparison.Ordinal);
        Assert.Contains("not a JSON object", result.Problems[1].Message, StringComparison.Ordinal);
        Assert.Contains("l4.TCP.destination_port is \"eighty\", not an integer", result.Problems[2].Message, StringComparison.Ordinal);
        Assert.Contains("longer than 200 bytes", result.Problems[3].Message, StringComparison.Ordinal);
        Assert.Equal("lost_events=1,other=1", string.Join(",", result.SkippedNonFlow.Select(kv => kv.Key + "=" + kv.Value)));
    }

    [Fact]
    public void A_huge_line_is_never_held_whole()
    {
        // 50 MB of one line must be skipped without buffering it; the next line still reads.
        var reader = new RepeatingReader(50_000_000, "\n{\"flow\":{\"verdict\":\"FORWARDED\",\"l4\":{\"UDP\":{\"destination_port\":53}},\"source\":{\"identity\":1},\"destination\":{\"identity\":2}}}\n");

        var result = HubbleFlowReader.Read(reader, maxLineLength: 4096);

        Assert.Single(result.Problems);
        Assert.Single(result.Flows);
        Assert.Equal(2L, result.Flows[0].Line);
    }

    private sealed class RepeatingReader(int count, string tail) : TextReader
    {
        private int left = count;
        private int tailAt;

        public override int Read(char[] buffer, int index, int length)
        {
            if (left > 0)
            {
                var n = Math.Min(left, length);
                Array.Fill(buffer, 'a', index, n);
                left -= n;
                return n;
            }

            var m = Math.Min(tail.Length - tailAt, length);
            tail.CopyTo(tailAt, buffer, index, m);
            tailAt += m;
            return m;
        }
    }
}

/// <summary>Mangled captures never crash the reader or the replay.</summary>
public sealed class HubbleRobustnessTests
{
    [Fact]
    public void Truncated_and_retyped_corpus_lines_are_reported_never_thrown()
    {
        var lines = File.ReadLines(TestData.Shared("corpus", "cilium", "flows", "hubble-otel-testdata", "basic-sample-400-tcp-flows.json")).Take(60).ToList();
        var random = new Random(7);
        var mangled = new List<string>();
        foreach (var line in lines)
        {
            mangled.Add(line[..(1 + random.Next(line.Length - 1))]);
            mangled.Add(line.Replace("\"destination_port\":", "\"destination_port\":\"x", StringComparison.Ordinal));
            mangled.Add(line.Replace("\"labels\":[", "\"labels\":[\"k8s:=v\",\"k8s:\",\"\",", StringComparison.Ordinal).Replace("\"namespace\":\"", "\"namespace\":\"\",\"x\":\"", StringComparison.Ordinal));
            mangled.Add(line.Replace("\"identity\":", "\"identity\":1e99,\"y\":", StringComparison.Ordinal));
        }

        var read = HubbleFlowReader.Read(new StringReader(string.Join("\n", mangled)));
        var report = FlowReplay.Run(PolicyVerdicts.For(Cilium.Sdk.Policies.Presets.All()), read);

        Assert.Equal(mangled.Count, (int)read.Lines);
        Assert.Equal(read.Lines, read.Flows.Count + read.Problems.Count + read.SkippedCount);
        Assert.NotEmpty(read.Problems);
        Assert.Equal(read.Flows.Count, report.SkippedReplies + report.Unmapped.Count + report.Evaluated);
    }
}
