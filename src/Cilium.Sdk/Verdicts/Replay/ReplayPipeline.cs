using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using Cilium.Sdk.Hubble.Flows;

namespace Cilium.Sdk.Verdicts;

/// <summary>
/// The fast replay: one thread reads the inputs into chunks of whole lines, <see cref="ReplayOptions.Parallelism"/>
/// threads parse the chunks (UTF-8 JSON into <see cref="LineRecord"/>s: raw places and hashes, no strings), and the
/// calling thread aggregates the chunks strictly in input order, so the report is the same whatever the parallelism.
/// A fixed pool of chunks bounds memory. On cancellation the chunks already read are still aggregated; a read that is
/// blocked (standard input) is abandoned on its background thread.
/// </summary>
internal sealed class ReplayPipeline
{
    private readonly PolicyVerdicts verdicts;
    private readonly ReplayOptions options;
    private readonly ReplayAccumulator accumulator;
    private readonly ReplayMapper mapper;
    private readonly FlowInput.CountingStream.Counter bytes = new();

    public ReplayPipeline(PolicyVerdicts verdicts, ReplayOptions options)
    {
        this.verdicts = verdicts;
        this.options = options;
        accumulator = new ReplayAccumulator(options.MaxListedProblems);
        mapper = new ReplayMapper(verdicts, options.UseCaches, options.Stats);
    }

    public ReplayReport Run(IReadOnlyList<FlowInput> inputs, CancellationToken cancellationToken)
    {
        var parallelism = Math.Max(1, options.Parallelism ?? Environment.ProcessorCount);
        var total = inputs.All(i => i.Length is not null) ? inputs.Sum(i => i.Length!.Value) : (long?)null;
        options.Progress?.Start(bytes, total);

        // Disposed only once every thread is done with them; after a cancellation the reader may stay blocked in a
        // read (standard input), so then they are left to the collector.
        var pool = new ChunkPool((2 * parallelism) + 2, LineChunker.ChunkCapacity(options.MaxLineLength));
        var stop = new CancellationTokenSource();
        var ordered = new BlockingCollection<Chunk>();
        var work = new BlockingCollection<Chunk>();
        var gate = new object();
        var stopped = false;
        Exception? readFailure = null;

        var reader = new Thread(() =>
        {
            try
            {
                foreach (var chunk in new LineChunker(pool, options.MaxLineLength, bytes).Read(inputs, stop.Token))
                {
                    lock (gate)
                    {
                        if (stopped)
                        {
                            return;
                        }

                        ((chunk.Parsed as LineRecords) ?? NewRecords(chunk)).Done.Reset();
                        ordered.Add(chunk);
                        work.Add(chunk);
                    }
                }
            }
            catch (Exception e) when (!stop.IsCancellationRequested)
            {
                readFailure = e;
            }
            catch (Exception)
            {
                // Stopped: nobody waits for this thread.
            }
            finally
            {
                lock (gate)
                {
                    if (!stopped)
                    {
                        ordered.CompleteAdding();
                        work.CompleteAdding();
                    }
                }
            }
        })
        { IsBackground = true, Name = "replay reader" };

        var workers = Enumerable.Range(0, parallelism).Select(i => new Thread(() =>
        {
            var line = new ParsedLine();
            try
            {
                foreach (var chunk in work.GetConsumingEnumerable(stop.Token))
                {
                    Parse(chunk, line);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
        })
        { IsBackground = true, Name = "replay parser " + i }).ToList();

        reader.Start();
        workers.ForEach(w => w.Start());
        var interrupted = false;
        var finished = false;
        try
        {
            try
            {
                foreach (var chunk in ordered.GetConsumingEnumerable(cancellationToken))
                {
                    Consume(chunk);
                    pool.Return(chunk);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Stop taking input; what was already handed over is aggregated, in order.
                interrupted = true;
                lock (gate)
                {
                    stopped = true;
                }

                while (ordered.TryTake(out var chunk))
                {
                    Consume(chunk);
                    pool.Return(chunk);
                }
            }

            finished = !interrupted;
        }
        finally
        {
            if (finished)
            {
                reader.Join();
                workers.ForEach(w => w.Join());
                pool.Dispose();
                ordered.Dispose();
                work.Dispose();
                stop.Dispose();
            }
            else
            {
                lock (gate)
                {
                    stopped = true;
                }

                stop.Cancel();
            }
        }

        if (readFailure is not null)
        {
            throw new InvalidOperationException("reading the flows failed: " + readFailure.Message, readFailure);
        }

        return accumulator.Report(options.Version, inputs.Select(i => i.Name).OfType<string>().ToArray(), bytes.Bytes, interrupted);
    }

    private static LineRecords NewRecords(Chunk chunk)
    {
        var records = new LineRecords();
        chunk.Parsed = records;
        return records;
    }

    /// <summary>Parses every line of a chunk into its records (on a parse thread).</summary>
    private void Parse(Chunk chunk, ParsedLine line)
    {
        var records = (LineRecords)chunk.Parsed!;
        var started = Stopwatch.GetTimestamp();
        try
        {
            records.Count = 0;
            if (chunk.InputProblem is null)
            {
                var lines = new ChunkLines(chunk, options.MaxLineLength);
                while (lines.MoveNext())
                {
                    ref var record = ref records.Next();
                    if (lines.Length < 0)
                    {
                        record = new LineRecord { Kind = LineKind.Problem, Problem = HubbleFlowReader.TooLong(options.MaxLineLength) };
                        continue;
                    }

                    FlowLineParser.Parse(chunk.Buffer, lines.Offset, lines.Length, line);
                    record = LineRecord.Of(chunk.Buffer, line);
                }
            }
        }
        catch (Exception e)
        {
            records.Failure = e;
        }
        finally
        {
            options.Stats?.AddParse(Stopwatch.GetTimestamp() - started);
            records.Done.Set();
        }
    }

    /// <summary>Aggregates a parsed chunk (on the calling thread, in input order).</summary>
    private void Consume(Chunk chunk)
    {
        var records = (LineRecords)chunk.Parsed!;
        records.Done.Wait();
        if (records.Failure is { } failure)
        {
            throw new InvalidOperationException("parsing the flows failed: " + failure.Message, failure);
        }

        var started = Stopwatch.GetTimestamp();
        var input = chunk.Input;
        if (chunk.InputProblem is { } problem)
        {
            accumulator.Problem(input.Lines + 1, problem, input.Name);
        }

        ReadOnlySpan<byte> buffer = chunk.Buffer;
        for (var i = 0; i < records.Count; i++)
        {
            ref var record = ref records.Items[i];
            var number = ++input.Lines;
            switch (record.Kind)
            {
                case LineKind.Flow:
                    accumulator.Flows++;
                    mapper.Add(buffer, ref record, number, input.Name, accumulator);
                    break;
                case LineKind.NonFlow:
                    accumulator.Skipped(ParsedLine.NonFlowKinds[record.NonFlowKind]);
                    break;
                case LineKind.Problem:
                    accumulator.Problem(number, record.Problem!, input.Name);
                    break;
            }
        }

        accumulator.Lines += records.Count;
        options.Progress?.Update(accumulator.Lines, accumulator.Flows, accumulator.WouldDrop);
        options.Stats?.AddAggregate(Stopwatch.GetTimestamp() - started);
    }

    /// <summary>The parsed lines of one chunk (reused with it) and whether parsing is done.</summary>
    private sealed class LineRecords
    {
        public LineRecord[] Items = new LineRecord[1024];
        public int Count;
        public Exception? Failure;

        public ManualResetEventSlim Done { get; } = new(false);

        public ref LineRecord Next()
        {
            if (Count == Items.Length)
            {
                Array.Resize(ref Items, Items.Length * 2);
            }

            return ref Items[Count++];
        }
    }
}

/// <summary>
/// One line as the replay needs it, made on a parse thread: what it is, and for a flow the few facts the aggregation
/// reads (reply, AUDIT, L4) plus cache keys over the raw bytes of its sides and its L7 part.
/// </summary>
internal struct LineRecord
{
    public LineKind Kind;
    public int NonFlowKind;
    public string? Problem;
    public bool Skip;
    public bool Audited;
    public int Protocol;
    public int? Port;
    public ByteKey Source;
    public ByteKey Destination;
    public ByteKey L7;

    public static LineRecord Of(ReadOnlySpan<byte> buffer, ParsedLine line)
    {
        switch (line.Kind)
        {
            case LineKind.Flow:
                var f = line.Flow;
                return new LineRecord
                {
                    Kind = LineKind.Flow,
                    Skip = (f.IsReply ?? f.Reply) == true || (f.L7Type.Present && !f.L7Type.Escaped && f.L7Type.Of(buffer).SequenceEqual("RESPONSE"u8))
                        || (f.L7Type.Escaped && FlowText.String(buffer, f.L7Type) == "RESPONSE"),
                    Audited = f.Verdict.Present && (f.Verdict.Escaped ? FlowText.String(buffer, f.Verdict) == "AUDIT" : f.Verdict.Of(buffer).SequenceEqual("AUDIT"u8)),
                    Protocol = f.Protocol,
                    Port = f.Port,
                    Source = ByteKey.Of(buffer, f.Source, f.IpSource),
                    Destination = ByteKey.Of(buffer, f.Destination, f.IpDestination, f.DestinationNames),
                    L7 = ByteKey.Of(buffer, f.L7),
                };
            case LineKind.NonFlow:
                return new LineRecord { Kind = LineKind.NonFlow, NonFlowKind = line.NonFlowKind };
            case LineKind.Problem:
                return new LineRecord { Kind = LineKind.Problem, Problem = line.Problem };
            default:
                return new LineRecord { Kind = LineKind.Blank };
        }
    }
}

/// <summary>
/// Maps flow records to engine flows and verdicts on the aggregating thread, with caches: one endpoint per distinct
/// side (namespace, labels, pod, address, DNS names as raw bytes), one L7 request per distinct <c>l7</c> object, one
/// verdict per distinct (source, destination, protocol, port, L7). Every step is the one
/// <see cref="HubbleFlowMapping.ToFlow"/> takes, and the engine's answer depends on the flow alone, so a cached answer
/// is the answer. Each cache starts over when full, which bounds memory.
/// </summary>
internal sealed class ReplayMapper(PolicyVerdicts verdicts, bool useCaches, ReplayStats? stats)
{
    private const int SideCapacity = 1 << 15;
    private const int VerdictCapacity = 1 << 14;

    private readonly ByteKeyCache<SideEntry> sources = new(useCaches ? SideCapacity : 1);
    private readonly ByteKeyCache<SideEntry> destinations = new(useCaches ? SideCapacity : 1);
    private readonly ByteKeyCache<L7Entry> l7s = new(useCaches ? SideCapacity : 1);
    private readonly Dictionary<VerdictKey, VerdictEntry> decided = [];
    private long nextId = 1;

    public void Add(ReadOnlySpan<byte> buffer, ref LineRecord record, long line, string? file, ReplayAccumulator accumulator)
    {
        if (record.Skip)
        {
            accumulator.Reply();
            return;
        }

        var protocol = record.Protocol < 0 ? null : HubbleFlowMapping.Protocol(FlowFields.Protocols[record.Protocol]);
        if (HubbleFlowMapping.CheckL4(protocol, record.Port) is { } why)
        {
            accumulator.Unmappable(line, why, file);
            return;
        }

        var source = Side(sources, buffer, record.Source, names: false);
        var destination = Side(destinations, buffer, record.Destination, names: true);
        var l7 = record.L7.A.Present ? L7(buffer, record.L7) : L7Entry.None;
        var key = new VerdictKey(source.Id, destination.Id, l7.Id, (int)protocol!.Value, record.Port!.Value);
        if (!decided.TryGetValue(key, out var entry))
        {
            entry = Decide(source, destination, l7.Request, protocol.Value, record.Port.Value);
            if (decided.Count >= (useCaches ? VerdictCapacity : 0))
            {
                decided.Clear();
            }

            decided[key] = entry;
        }

        if (entry.Unmappable is { } unmappable)
        {
            accumulator.Unmappable(line, unmappable, file);
            return;
        }

        accumulator.Decided(entry.Verdict!, record.Audited, line, file, ref entry.Drop, ref entry.Undecidable);
    }

    private VerdictEntry Decide(SideEntry source, SideEntry destination, L7Request l7, FlowProtocol protocol, int port)
    {
        // As ToFlow: a side the model refuses (ArgumentException) is reported by its message, the source's first.
        if ((source.Refused ?? destination.Refused) is { } refused)
        {
            return new VerdictEntry { Unmappable = refused };
        }

        if (source.Endpoint is null || destination.Endpoint is null)
        {
            return new VerdictEntry { Unmappable = HubbleFlowMapping.SideMissing(source.Endpoint, source.Why, destination.Why) };
        }

        Flow flow;
        try
        {
            flow = HubbleFlowMapping.Build(source.Endpoint, destination.Endpoint, protocol, port, l7.HttpMethod, l7.HttpUrl, l7.HttpHeaders, l7.DnsQuery);
        }
        catch (ArgumentException e)
        {
            return new VerdictEntry { Unmappable = e.Message };
        }

        var started = Stopwatch.GetTimestamp();
        var verdict = verdicts.Evaluate(flow);
        stats?.AddEvaluate(Stopwatch.GetTimestamp() - started);
        return new VerdictEntry { Verdict = verdict };
    }

    private SideEntry Side(ByteKeyCache<SideEntry> cache, ReadOnlySpan<byte> buffer, in ByteKey key, bool names)
    {
        if (cache.TryGet(buffer, key, out var entry))
        {
            return entry;
        }

        var side = FlowText.Side(key.A.Of(buffer), key.A.Present, FlowText.String(buffer, key.B));
        var dnsNames = names ? FlowText.Strings(key.C.Of(buffer), key.C.Present) : [];
        entry = new SideEntry { Id = nextId++ };
        try
        {
            entry.Endpoint = HubbleFlowMapping.ToEndpoint(side, dnsNames, out entry.Why);
        }
        catch (ArgumentException e)
        {
            entry.Refused = e.Message;
        }

        cache.Add(buffer, key, entry);
        return entry;
    }

    private L7Entry L7(ReadOnlySpan<byte> buffer, in ByteKey key)
    {
        if (!l7s.TryGet(buffer, key, out var entry))
        {
            entry = new L7Entry(nextId++, FlowText.L7(key.A.Of(buffer), true));
            l7s.Add(buffer, key, entry);
        }

        return entry;
    }

    private readonly record struct VerdictKey(long Source, long Destination, long L7, int Protocol, int Port);

    private sealed class SideEntry
    {
        public long Id;
        public Endpoint? Endpoint;
        public string? Why;
        public string? Refused;
    }

    private sealed record L7Entry(long Id, L7Request Request)
    {
        public static readonly L7Entry None = new(0, L7Request.None);
    }

    private sealed class VerdictEntry
    {
        public Verdict? Verdict;
        public string? Unmappable;
        public ReplayGroupCounter? Drop;
        public ReplayGroupCounter? Undecidable;
    }
}
