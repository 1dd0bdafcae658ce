using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Cilium.Sdk.Hubble.Flows;

/// <summary>
/// Reads <c>hubble observe -o json</c> output (also <c>-o jsonpb</c>, the legacy bare-flow JSON and the exporter's
/// file): one JSON object per line, as UTF-8 bytes, yielding flows as it reads (<see cref="IEnumerable{T}"/> and
/// <see cref="IAsyncEnumerable{T}"/>), so memory does not grow with the capture. Flow lines become
/// <see cref="HubbleFlow"/>s; other responses (lost events, debug events, server status) are counted and skipped; a
/// line that is not JSON, is longer than the limit, or is a flow with a wrong-typed field is reported with its input
/// and line number. Never throws for bad input; a damaged input (a gzip file cut short) is reported and reading goes on
/// with the next. Read once: a second enumeration throws.
/// </summary>
/// <remarks>
/// To replay a capture against policies, <c>FlowReplay.Run</c> reads the same inputs faster (in parallel, without
/// building a <see cref="HubbleFlow"/> per line).
/// </remarks>
public sealed class HubbleFlowReader : IEnumerable<HubbleFlow>, IAsyncEnumerable<HubbleFlow>
{
    /// <summary>The default line-length limit (1 MiB); a longer line is skipped and reported, never held.</summary>
    public const int DefaultMaxLineLength = 1 << 20;

    /// <summary>Bad lines listed in <see cref="Problems"/>; all are counted in <see cref="ProblemCount"/>.</summary>
    public const int DefaultMaxListedProblems = 1000;

    private readonly IReadOnlyList<FlowInput> inputs;
    private readonly int maxLineLength;
    private readonly int maxListedProblems;
    private readonly SortedDictionary<string, long> skipped = new(StringComparer.Ordinal);
    private readonly List<HubbleLineProblem> problems = [];
    private readonly FlowInput.CountingStream.Counter bytes = new();
    private int started;
    private long lines;
    private long problemCount;

    private HubbleFlowReader(IReadOnlyList<FlowInput> inputs, int maxLineLength, int maxListedProblems)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineLength, 2);
        this.inputs = inputs;
        this.maxLineLength = maxLineLength;
        this.maxListedProblems = maxListedProblems;
    }

    /// <summary>Lines read so far (blank ones included), over all inputs.</summary>
    public long Lines => Volatile.Read(ref lines);

    /// <summary>Bytes read so far from the inputs (compressed bytes for gzip files).</summary>
    public long Bytes => bytes.Bytes;

    /// <summary>Lines that are valid JSON but not flows (lost events, debug events, server status), by kind.</summary>
    public IReadOnlyDictionary<string, long> SkippedNonFlow => skipped;

    /// <summary>The first bad lines (not JSON, too long, malformed flows, unreadable inputs) with input and line.</summary>
    public IReadOnlyList<HubbleLineProblem> Problems => problems;

    /// <summary>All bad lines, listed or not.</summary>
    public long ProblemCount => problemCount;

    /// <summary>Reads a stream of UTF-8 (or UTF-16 with a byte-order mark) text, plain or gzip-compressed.</summary>
    /// <param name="stream">The bytes; disposed after reading unless <paramref name="leaveOpen"/>.</param>
    /// <param name="name">The name problems are reported with (a file name), or null.</param>
    /// <param name="maxLineLength">The longest line read, in bytes.</param>
    /// <param name="leaveOpen">Whether to leave the stream open.</param>
    /// <returns>The reader; enumerate it once.</returns>
    public static HubbleFlowReader Open(Stream stream, string? name = null, int maxLineLength = DefaultMaxLineLength, bool leaveOpen = false) =>
        new([FlowInput.FromStream(stream, name, leaveOpen)], maxLineLength, DefaultMaxListedProblems);

    /// <summary>Reads several inputs one after the other (see <see cref="FlowInput.Files"/> for rotated exports).</summary>
    /// <param name="inputs">The inputs, in the order to read them.</param>
    /// <param name="maxLineLength">The longest line read, in bytes.</param>
    /// <returns>The reader; enumerate it once.</returns>
    public static HubbleFlowReader Open(IEnumerable<FlowInput> inputs, int maxLineLength = DefaultMaxLineLength)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return new([.. inputs], maxLineLength, DefaultMaxListedProblems);
    }

    /// <summary>Reads every line of <paramref name="reader"/> at once (prefer <see cref="Open(Stream, string, int, bool)"/>
    /// for large captures: this holds every flow).</summary>
    /// <param name="reader">The text.</param>
    /// <param name="maxLineLength">The longest line read, in UTF-8 bytes.</param>
    /// <returns>The flows, skip counts and every problem.</returns>
    public static HubbleReadResult Read(TextReader reader, int maxLineLength = DefaultMaxLineLength)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return ReadAll(FlowInput.FromStream(new TextReaderStream(reader), null), maxLineLength);
    }

    /// <summary>Reads a file at once, plain or gzip-compressed (see <see cref="Read(TextReader, int)"/>).</summary>
    /// <param name="path">The file.</param>
    /// <param name="maxLineLength">The longest line read, in bytes.</param>
    /// <returns>The flows, skip counts and every problem.</returns>
    public static HubbleReadResult ReadFile(string path, int maxLineLength = DefaultMaxLineLength)
    {
        // Like the text reader it replaces: problems are reported by line alone, a missing file throws.
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1, FileOptions.SequentialScan);
        return ReadAll(FlowInput.FromStream(stream, null), maxLineLength);
    }

    /// <inheritdoc />
    public IEnumerator<HubbleFlow> GetEnumerator()
    {
        Start();
        return Enumerate();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public IAsyncEnumerator<HubbleFlow> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        Start();
        return EnumerateAsync(cancellationToken);
    }

    private static HubbleReadResult ReadAll(FlowInput input, int maxLineLength)
    {
        var reader = new HubbleFlowReader([input], maxLineLength, int.MaxValue);
        var flows = new List<HubbleFlow>();
        foreach (var flow in reader)
        {
            flows.Add(flow);
        }

        return new HubbleReadResult(flows, reader.Lines, reader.skipped, reader.problems);
    }

    private void Start()
    {
        if (Interlocked.Exchange(ref started, 1) != 0)
        {
            throw new InvalidOperationException("a HubbleFlowReader reads its inputs once: open a new one to read them again");
        }
    }

    private IEnumerator<HubbleFlow> Enumerate()
    {
        using var pool = new ChunkPool(1, LineChunker.ChunkCapacity(maxLineLength));
        var chunker = new LineChunker(pool, maxLineLength, bytes);
        var materializer = new FlowMaterializer();
        var batch = new List<HubbleFlow>();
        foreach (var chunk in chunker.Read(inputs, CancellationToken.None))
        {
            Take(chunk, materializer, batch);
            pool.Return(chunk);
            foreach (var flow in batch)
            {
                yield return flow;
            }
        }
    }

    private async IAsyncEnumerator<HubbleFlow> EnumerateAsync(CancellationToken cancellationToken)
    {
        using var pool = new ChunkPool(1, LineChunker.ChunkCapacity(maxLineLength));
        var chunker = new LineChunker(pool, maxLineLength, bytes);
        var materializer = new FlowMaterializer();
        var batch = new List<HubbleFlow>();
        await foreach (var chunk in chunker.ReadAsync(inputs, cancellationToken).ConfigureAwait(false))
        {
            Take(chunk, materializer, batch);
            pool.Return(chunk);
            foreach (var flow in batch)
            {
                yield return flow;
            }
        }
    }

    /// <summary>The flows of one chunk into <paramref name="batch"/>; counts and problems into this reader.</summary>
    private void Take(Chunk chunk, FlowMaterializer materializer, List<HubbleFlow> batch)
    {
        batch.Clear();
        var input = chunk.Input;
        if (chunk.InputProblem is { } inputProblem)
        {
            AddProblem(new HubbleLineProblem(input.Lines + 1, inputProblem, input.Name));
            return;
        }

        var parsed = materializer.Line;
        var lines = new ChunkLines(chunk, maxLineLength);
        while (lines.MoveNext())
        {
            var number = ++input.Lines;
            Interlocked.Increment(ref this.lines);
            if (lines.Length < 0)
            {
                AddProblem(new HubbleLineProblem(number, TooLong(maxLineLength), input.Name));
                continue;
            }

            FlowLineParser.Parse(chunk.Buffer, lines.Offset, lines.Length, parsed);
            switch (parsed.Kind)
            {
                case LineKind.Flow:
                    batch.Add(materializer.Flow(chunk.Buffer, number, input.Name));
                    break;
                case LineKind.NonFlow:
                    var kind = ParsedLine.NonFlowKinds[parsed.NonFlowKind];
                    skipped[kind] = skipped.GetValueOrDefault(kind) + 1;
                    break;
                case LineKind.Problem:
                    AddProblem(new HubbleLineProblem(number, parsed.Problem!, input.Name));
                    break;
            }
        }
    }

    /// <summary>The message for a line over the limit.</summary>
    internal static string TooLong(int maxLineLength) => $"longer than {maxLineLength.ToString(CultureInfo.InvariantCulture)} bytes; skipped";

    private void AddProblem(HubbleLineProblem problem)
    {
        problemCount++;
        if (problems.Count < maxListedProblems)
        {
            problems.Add(problem);
        }
    }

    /// <summary>A text reader's characters as UTF-8 bytes (for <see cref="HubbleFlowReader.Read(TextReader, int)"/>).</summary>
    private sealed class TextReaderStream(TextReader reader) : FlowInput.ReadOnlyStream
    {
        private readonly char[] chars = new char[8192];
        private readonly Encoder encoder = new UTF8Encoding(false).GetEncoder();
        private readonly byte[] pending = new byte[Encoding.UTF8.GetMaxByteCount(8192)];
        private int pendingStart;
        private int pendingEnd;
        private bool done;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            while (pendingStart == pendingEnd && !done)
            {
                var n = reader.Read(chars, 0, chars.Length);
                done = n == 0;
                pendingStart = 0;
                pendingEnd = encoder.GetBytes(chars, 0, n, pending, 0, flush: done);
            }

            var m = Math.Min(buffer.Length, pendingEnd - pendingStart);
            pending.AsSpan(pendingStart, m).CopyTo(buffer);
            pendingStart += m;
            return m;
        }
    }
}

/// <summary>Builds <see cref="HubbleFlow"/>s from parsed lines, sharing one <see cref="HubbleEndpoint"/> per distinct
/// side (a capture repeats the same few hundred endpoints) and interning short repeated strings.</summary>
internal sealed class FlowMaterializer
{
    private readonly ByteKeyCache<HubbleEndpoint> sides = new(1 << 16);
    private readonly ByteKeyCache<string> strings = new(1 << 12);

    public ParsedLine Line { get; } = new();

    public HubbleFlow Flow(ReadOnlySpan<byte> buffer, long line, string? file)
    {
        var f = Line.Flow;
        var envelope = Line.IsEnveloped ? Line.Root : null;
        var l7 = FlowText.L7(f.L7.Of(buffer), f.L7.Present);
        var deniedBy = new List<string>();
        FlowText.DeniedBy(f.EgressDeniedBy.Of(buffer), f.EgressDeniedBy.Present, deniedBy);
        FlowText.DeniedBy(f.IngressDeniedBy.Of(buffer), f.IngressDeniedBy.Present, deniedBy);
        var protocol = f.Protocol;
        return new HubbleFlow
        {
            Line = line,
            File = file,
            Time = FlowText.String(buffer, f.Time) ?? (envelope is null ? null : FlowText.String(buffer, envelope.Time)),
            Verdict = Intern(buffer, f.Verdict),
            EventType = f.EventType,
            TrafficDirection = Intern(buffer, f.TrafficDirection),
            IsReply = f.IsReply ?? f.Reply,
            Source = Side(buffer, f.Source, f.IpSource),
            Destination = Side(buffer, f.Destination, f.IpDestination),
            L4Protocol = protocol < 0 ? null : FlowFields.Protocols[protocol],
            DestinationPort = f.Port,
            IsSyn = f.Syn,
            DestinationNames = FlowText.Strings(f.DestinationNames.Of(buffer), f.DestinationNames.Present),
            HttpMethod = l7.HttpMethod,
            HttpUrl = l7.HttpUrl,
            HttpHeaders = l7.HttpHeaders,
            DnsQuery = l7.DnsQuery,
            L7Type = l7.Type,
            DropReason = Intern(buffer, f.DropReason),
            NodeName = Intern(buffer, f.NodeName) ?? (envelope is null ? null : Intern(buffer, envelope.NodeName)),
            DeniedBy = deniedBy,
        };
    }

    private HubbleEndpoint Side(ReadOnlySpan<byte> buffer, RawValue side, RawValue address)
    {
        var key = ByteKey.Of(buffer, side, address);
        if (!sides.TryGet(buffer, key, out var endpoint))
        {
            endpoint = FlowText.Side(side.Of(buffer), side.Present, FlowText.String(buffer, address));
            sides.Add(buffer, key, endpoint);
        }

        return endpoint;
    }

    private string? Intern(ReadOnlySpan<byte> buffer, RawValue value)
    {
        if (!value.Present)
        {
            return null;
        }

        var key = ByteKey.Of(buffer, value);
        if (!strings.TryGet(buffer, key, out var text))
        {
            text = FlowText.Decode(value.Of(buffer), value.Escaped);
            strings.Add(buffer, key, text);
        }

        return text;
    }
}
