using System.IO.Compression;
using System.Text;
using Cilium.Sdk.Hubble.Flows;
using Cilium.Sdk.Tests.Infrastructure;
using Cilium.Sdk.Verdicts;

namespace Cilium.Sdk.Tests.Verdicts;

/// <summary>The inputs people have: rotated exports in order, gzip, UTF-16 from PowerShell, a stop part-way, bad
/// lines by file and line, limits that keep memory bounded, progress counters, and the streaming reader itself.</summary>
public sealed class CaptureInputTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("cilium-sdk-replay-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static string Sample(string name = "basic-sample-400-tcp-flows.json") => TestData.Shared("corpus", "cilium", "flows", "hubble-otel-testdata", name);

    private static ReplayOptions Options => new() { Version = ReplayTests.Case.Value.Version };

    [Theory]
    [InlineData("hubble-export.log hubble-export.log.1 hubble-export.log.10 hubble-export.log.2.gz", "hubble-export.log.10 hubble-export.log.2.gz hubble-export.log.1 hubble-export.log")]
    [InlineData("events.log events-2024-01-02T03-04-05.000.log.gz events-2023-12-31T23-59-59.999.log", "events-2023-12-31T23-59-59.999.log events-2024-01-02T03-04-05.000.log.gz events.log")]
    [InlineData("b.log a.log.1 a.log b.log.1 a.log", "b.log.1 b.log a.log.1 a.log")]
    [InlineData("capture.jsonl", "capture.jsonl")]
    public void Rotated_sets_are_read_oldest_first_live_file_last(string given, string expected)
    {
        var order = FlowInput.ReplayOrder(given.Split(' ').Select(n => Path.Combine(dir, n)));

        Assert.Equal(expected.Split(' '), order.Select(Path.GetFileName));
    }

    [Fact]
    public void A_rotated_export_replays_like_the_whole_capture_with_bad_lines_named_by_file_and_line()
    {
        var lines = File.ReadAllLines(Sample());
        var live = Path.Combine(dir, "hubble-export.log");
        File.WriteAllLines(live + ".2", lines[..100]);
        File.WriteAllLines(live + ".1", [.. lines[100..102], "{\"flow\": cut sh", .. lines[102..250]]);
        WriteGzip(live + ".3.gz", string.Empty);
        File.WriteAllLines(live, lines[250..]);
        var verdicts = ReplayTests.CaseVerdicts();

        var rotated = FlowReplay.Run(verdicts, FlowInput.Files(Directory.GetFiles(dir).Order(StringComparer.Ordinal)), Options);
        var whole = FlowReplay.Run(verdicts, File.OpenRead(Sample()), Options);

        Assert.Equal(["hubble-export.log.3.gz", "hubble-export.log.2", "hubble-export.log.1", "hubble-export.log"], rotated.Inputs.Select(Path.GetFileName));
        Assert.Equal((whole.Lines + 1, whole.Flows, whole.Evaluated, whole.Allowed, whole.SkippedReplies), (rotated.Lines, rotated.Flows, rotated.Evaluated, rotated.Allowed, rotated.SkippedReplies));
        var bad = Assert.Single(rotated.Problems);
        Assert.Equal((live + ".1", 3L), (bad.File, bad.Line));
        Assert.Contains($"{live}.1 line 3: not valid JSON", rotated.ToText(), StringComparison.Ordinal);
    }

    [Fact]
    public void Gzip_and_utf16_files_read_like_the_plain_file()
    {
        var verdicts = ReplayTests.CaseVerdicts();
        var text = File.ReadAllText(Sample("basic-sample-400-l7-redirected-flows.json"));
        WriteGzip(Path.Combine(dir, "flows.json.gz"), text);
        File.WriteAllText(Path.Combine(dir, "flows-utf16.json"), text, Encoding.Unicode);
        File.WriteAllText(Path.Combine(dir, "flows-bom.json"), text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        var plain = FlowReplay.Run(verdicts, File.OpenRead(Sample("basic-sample-400-l7-redirected-flows.json")), Options).ToJson();

        foreach (var name in new[] { "flows.json.gz", "flows-utf16.json", "flows-bom.json" })
        {
            var report = FlowReplay.Run(verdicts, File.OpenRead(Path.Combine(dir, name)), Options);
            Assert.Equal(400L, report.Flows);
            Assert.Equal(Normalize(plain), Normalize(report.ToJson()));
        }
    }

    [Fact]
    public void A_gzip_file_cut_short_is_reported_and_the_next_file_is_still_read()
    {
        var text = File.ReadAllText(Sample());
        var gz = Path.Combine(dir, "a.log.1.gz");
        WriteGzip(gz, text);
        var bytes = File.ReadAllBytes(gz);
        File.WriteAllBytes(gz, bytes[..(bytes.Length / 2)]);
        File.WriteAllText(Path.Combine(dir, "a.log"), text);

        var report = FlowReplay.Run(ReplayTests.CaseVerdicts(), FlowInput.Files([Path.Combine(dir, "a.log"), gz]), Options);

        Assert.All(report.Problems, p => Assert.Equal(gz, p.File));
        Assert.Contains(report.Problems, p => p.Message.Contains("cut short", StringComparison.Ordinal) || p.Message.Contains("not valid JSON", StringComparison.Ordinal));
        Assert.True(report.Flows > 400, $"the live file after the damaged one was read too: {report.Flows} flows");
    }

    [Fact]
    public void A_stop_part_way_reports_exactly_what_was_read_before_it()
    {
        var lines = File.ReadAllLines(Sample());
        var first = Encoding.UTF8.GetBytes(string.Join("\n", lines[..50]) + "\n");
        using var stop = new CancellationTokenSource();
        using var stream = new StopsOnSecondRead(first, stop);

        var report = FlowReplay.Run(ReplayTests.CaseVerdicts(), [FlowInput.FromStream(stream, "stdin", leaveOpen: true)], Options with { Parallelism = 2 }, stop.Token);
        var expected = FlowReplay.Run(ReplayTests.CaseVerdicts(), new MemoryStream(first), Options);

        Assert.True(report.Interrupted);
        Assert.Equal(50L, report.Lines);
        Assert.Equal((expected.Flows, expected.Evaluated, expected.Allowed, expected.SkippedReplies), (report.Flows, report.Evaluated, report.Allowed, report.SkippedReplies));
        Assert.StartsWith("INTERRUPTED: stopped before the end of the input; this report covers the 50 line(s) read until then\n", report.ToText(), StringComparison.Ordinal);
        Assert.True(System.Text.Json.Nodes.JsonNode.Parse(report.ToJson())!["interrupted"]!.GetValue<bool>());
    }

    [Fact]
    public void Bad_and_long_lines_are_all_counted_the_first_listed_and_reading_goes_on()
    {
        var good = File.ReadLines(Sample()).First();
        var text = new StringBuilder();
        for (var i = 0; i < 3000; i++)
        {
            text.Append("not json ").Append(i).Append('\n');
        }

        text.Append(new string('x', 5000)).Append('\n').Append(good).Append('\n');

        var report = FlowReplay.Run(ReplayTests.CaseVerdicts(), new MemoryStream(Encoding.UTF8.GetBytes(text.ToString())), Options with { MaxListedProblems = 10, MaxLineLength = 4096 });

        Assert.Equal((3002L, 1L, 3001L), (report.Lines, report.Flows, report.ProblemCount));
        Assert.Equal(10, report.Problems.Count);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), report.Problems.Select(p => p.Line));
        Assert.Contains("bad lines: 3001\n", report.ToText(), StringComparison.Ordinal);
        Assert.Contains("  ... 2991 more bad line(s)\n", report.ToText(), StringComparison.Ordinal);
        Assert.Equal(3001, System.Text.Json.Nodes.JsonNode.Parse(report.ToJson())!["badLineCount"]!.GetValue<int>());
    }

    [Fact]
    public void A_line_far_over_the_limit_is_skipped_as_it_arrives_and_the_next_line_reads()
    {
        var good = File.ReadLines(Sample()).First();
        using var stream = new HugeLineStream(50_000_000, Encoding.UTF8.GetBytes("\n" + good + "\n"));

        var report = FlowReplay.Run(ReplayTests.CaseVerdicts(), stream, Options with { MaxLineLength = 4096 });

        Assert.Equal((2L, 1L), (report.Lines, report.Flows));
        var problem = Assert.Single(report.Problems);
        Assert.Equal((1L, "longer than 4096 bytes; skipped"), (problem.Line, problem.Message));
    }

    [Fact]
    public void Progress_counters_end_at_the_reports_counts_and_read_as_one_line()
    {
        var progress = new ReplayProgress();
        var capture = StreamingReplayTests.Mangled(seed: 9, copies: 3);

        var report = FlowReplay.Run(ReplayTests.CaseVerdicts(), new MemoryStream(capture), Options with { Progress = progress });

        Assert.Equal((report.Lines, report.Flows, report.WouldDropCount, (long)capture.Length, (long?)capture.Length), (progress.Lines, progress.Flows, progress.WouldDrop, progress.Bytes, progress.TotalBytes));
        Assert.Equal("1.23 GB of 2.00 GB (61%), 1,234,567 flows, 411,522 flows/s, 1,234 would drop", ReplayProgress.Describe(1_230_000_000, 2_000_000_000, 1_234_567, TimeSpan.FromSeconds(3), 1_234));
        Assert.Equal("850 kB, 12 flows, 0 flows/s, 0 would drop", ReplayProgress.Describe(850_000, null, 12, TimeSpan.Zero, 0));
    }

    [Fact]
    public async Task The_reader_streams_flows_sync_and_async_with_lines_numbered_per_file()
    {
        var a = Path.Combine(dir, "a.log");
        var b = Path.Combine(dir, "b.log");
        File.Copy(Sample("basic-sample-10-flows.json"), a);
        File.Copy(Sample("basic-sample-5-dns-flows.json"), b);

        var reader = HubbleFlowReader.Open([FlowInput.File(a), FlowInput.File(b)]);
        var flows = reader.ToList();
        var streamed = new List<HubbleFlow>();
        await foreach (var flow in HubbleFlowReader.Open([FlowInput.File(a), FlowInput.File(b)]))
        {
            streamed.Add(flow);
        }

        Assert.Equal(15, flows.Count);
        Assert.Equal([.. Enumerable.Range(1, 10).Select(i => (a, (long)i)), .. Enumerable.Range(1, 5).Select(i => (b, (long)i))], flows.Select(f => (f.File!, f.Line)));
        Assert.Equal(flows.Select(Facts), streamed.Select(Facts));
        Assert.Equal((15L, new FileInfo(a).Length + new FileInfo(b).Length), (reader.Lines, reader.Bytes));
        // One HubbleEndpoint per distinct side: the capture's repeated endpoints are parsed once.
        Assert.True(flows.Select(f => f.Destination).Distinct(ReferenceEqualityComparer.Instance).Count() < flows.Count);
        Assert.Throws<InvalidOperationException>(() => reader.GetEnumerator());
    }

    [Fact]
    public void The_legacy_entry_points_still_read_everything_at_once()
    {
        var read = HubbleFlowReader.ReadFile(Sample());
        var report = FlowReplay.Run(ReplayTests.CaseVerdicts(), read, ReplayTests.Case.Value.Version);

        Assert.Equal(400, read.Flows.Count);
        Assert.Equal((400L, 400L, 268L), (report.Lines, report.Flows, report.Evaluated));
    }

    private static string Facts(HubbleFlow f) =>
        $"{f.File} {f.Line} {f.Time} {f.Verdict} {f.L4Protocol} {f.DestinationPort} {f.Source.PodName} {string.Join(",", f.Source.Labels)} {f.Destination.Address} {f.DnsQuery} {f.HttpUrl} {f.IsReply}";

    private static string Normalize(string json) => System.Text.RegularExpressions.Regex.Replace(json, "\"bytes\": [0-9]+", "\"bytes\": 0");

    private static void WriteGzip(string path, string text)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        gzip.Write(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>Serves <c>first</c>, then on the read after it stops the replay and blocks, as a quiet standard input does.</summary>
    private sealed class StopsOnSecondRead(byte[] first, CancellationTokenSource stop) : FlowInput.ReadOnlyStream
    {
        private readonly ManualResetEventSlim released = new();
        private int served;

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (served < first.Length)
            {
                var n = Math.Min(count, first.Length - served);
                Array.Copy(first, served, buffer, offset, n);
                served += n;
                return n;
            }

            stop.Cancel();
            released.Wait();
            return 0;
        }

        protected override void Dispose(bool disposing)
        {
            released.Set();
            base.Dispose(disposing);
        }
    }

    /// <summary>One line of <c>length</c> bytes of 'a', then <c>tail</c>, produced as read (never held).</summary>
    private sealed class HugeLineStream(long length, byte[] tail) : FlowInput.ReadOnlyStream
    {
        private long left = length;
        private int tailAt;

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (left > 0)
            {
                var n = (int)Math.Min(left, count);
                Array.Fill(buffer, (byte)'a', offset, n);
                left -= n;
                return n;
            }

            var m = Math.Min(tail.Length - tailAt, count);
            Array.Copy(tail, tailAt, buffer, offset, m);
            tailAt += m;
            return m;
        }
    }
}
