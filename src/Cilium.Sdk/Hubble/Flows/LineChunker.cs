using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace Cilium.Sdk.Hubble.Flows;

/// <summary>One input being read: its name, and how many of its lines the consumer has seen (line numbers).</summary>
internal sealed class InputState(string? name)
{
    public string? Name { get; } = name;

    /// <summary>Lines consumed so far; only the (single, in-order) consumer touches it.</summary>
    public long Lines { get; set; }
}

/// <summary>
/// A run of whole lines of one input in a pooled buffer (bytes <see cref="Start"/> to <see cref="End"/>), or a marker
/// for a line too long to hold (<see cref="LeadingOverlong"/>, counted before the run) or for a problem with the input
/// itself. Lines are never split across chunks; only the last line of an input may lack its line break.
/// </summary>
internal sealed class Chunk(int capacity)
{
    public byte[] Buffer { get; } = new byte[capacity];

    public int Start;
    public int End;
    public InputState Input = null!;
    public bool LeadingOverlong;
    public string? InputProblem;

    /// <summary>Scratch owned by whoever parses the chunk (the replay's per-line records).</summary>
    public object? Parsed;

    public void Reset(InputState input)
    {
        Start = End = 0;
        Input = input;
        LeadingOverlong = false;
        InputProblem = null;
    }
}

/// <summary>A fixed set of chunks: renting blocks while all are in use, which bounds the memory of a whole pipeline.</summary>
internal sealed class ChunkPool : IDisposable
{
    private readonly Stack<Chunk> free = new();
    private readonly SemaphoreSlim available;

    public ChunkPool(int count, int capacity)
    {
        for (var i = 0; i < count; i++)
        {
            free.Push(new Chunk(capacity));
        }

        available = new SemaphoreSlim(count, count);
    }

    public Chunk Rent(CancellationToken cancellationToken)
    {
        available.Wait(cancellationToken);
        lock (free)
        {
            return free.Pop();
        }
    }

    public async ValueTask<Chunk> RentAsync(CancellationToken cancellationToken)
    {
        await available.WaitAsync(cancellationToken).ConfigureAwait(false);
        lock (free)
        {
            return free.Pop();
        }
    }

    public void Return(Chunk chunk)
    {
        lock (free)
        {
            free.Push(chunk);
        }

        available.Release();
    }

    public void Dispose() => available.Dispose();
}

/// <summary>
/// Cuts inputs into <see cref="Chunk"/>s of whole lines, reading each input once, in order. A line longer than the
/// limit is never held: its bytes are dropped as they arrive and a marker counts it. A read error (a truncated gzip
/// file, an I/O error) becomes a problem chunk and reading goes on with the next input. Each chunk is handed out as soon
/// as a read returns, so flows arriving slowly on a pipe are seen at once.
/// </summary>
internal sealed class LineChunker(ChunkPool pool, int maxLineLength, FlowInput.CountingStream.Counter counter)
{
    private readonly byte[] carry = new byte[maxLineLength + 1];
    private int carried;
    private bool skipping;
    private Exception? failure;

    /// <summary>The buffer size a pool needs for <paramref name="maxLineLength"/>.</summary>
    public static int ChunkCapacity(int maxLineLength) => Math.Max(maxLineLength + (64 << 10), 1 << 20);

    public IEnumerable<Chunk> Read(IEnumerable<FlowInput> inputs, CancellationToken cancellationToken)
    {
        foreach (var input in inputs)
        {
            var state = new InputState(input.Name);
            if (Open(input) is not { } stream)
            {
                yield return Problem(pool.Rent(cancellationToken), state);
                continue;
            }

            using (stream)
            {
                for (var done = false; !done;)
                {
                    var chunk = pool.Rent(cancellationToken);
                    var target = Prepare(chunk, state);
                    int n;
                    try
                    {
                        n = stream.Read(target.Span);
                    }
                    catch (Exception e) when (IsReadError(e))
                    {
                        (n, failure) = (0, e);
                    }

                    if (Settle(chunk, state, n, ref done))
                    {
                        yield return chunk;
                    }
                }
            }
        }
    }

    public async IAsyncEnumerable<Chunk> ReadAsync(IEnumerable<FlowInput> inputs, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var input in inputs)
        {
            var state = new InputState(input.Name);
            if (Open(input) is not { } stream)
            {
                yield return Problem(await pool.RentAsync(cancellationToken).ConfigureAwait(false), state);
                continue;
            }

            await using (stream.ConfigureAwait(false))
            {
                for (var done = false; !done;)
                {
                    var chunk = await pool.RentAsync(cancellationToken).ConfigureAwait(false);
                    var target = Prepare(chunk, state);
                    int n;
                    try
                    {
                        n = await stream.ReadAsync(target, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception e) when (IsReadError(e))
                    {
                        (n, failure) = (0, e);
                    }

                    if (Settle(chunk, state, n, ref done))
                    {
                        yield return chunk;
                    }
                }
            }
        }
    }

    /// <summary>Opens an input for reading from its start; null (the error kept for <see cref="Problem"/>) when it cannot be.</summary>
    private Stream? Open(FlowInput input)
    {
        carried = 0;
        skipping = false;
        failure = null;
        try
        {
            return input.Open(counter);
        }
        catch (Exception e) when (IsReadError(e))
        {
            failure = e;
            return null;
        }
    }

    /// <summary>A chunk that stands for an input that could not be opened.</summary>
    private Chunk Problem(Chunk chunk, InputState state)
    {
        chunk.Reset(state);
        chunk.InputProblem = "cannot be read (" + failure!.Message + "); skipped";
        return chunk;
    }

    /// <summary>Settles a read of <paramref name="n"/> bytes (or a failed one) into <paramref name="chunk"/>: true when it
    /// is to be handed out (else it went back to the pool); <paramref name="done"/> at the end of the input.</summary>
    private bool Settle(Chunk chunk, InputState state, int n, ref bool done)
    {
        if (failure is { } e)
        {
            chunk.Reset(state);
            chunk.InputProblem = e is InvalidDataException
                ? "the compressed data is damaged or cut short (" + e.Message + "); the rest of this input was skipped"
                : "reading failed (" + e.Message + "); the rest of this input was skipped";
            done = true;
            return true;
        }

        done = n == 0;
        if (Accept(chunk, n))
        {
            return true;
        }

        pool.Return(chunk);
        return false;
    }

    private static bool IsReadError(Exception e) => e is IOException or InvalidDataException or UnauthorizedAccessException or NotSupportedException;

    /// <summary>Puts the carried partial line at the front of <paramref name="chunk"/>; returns where to read into.</summary>
    private Memory<byte> Prepare(Chunk chunk, InputState state)
    {
        chunk.Reset(state);
        carry.AsSpan(0, carried).CopyTo(chunk.Buffer);
        return chunk.Buffer.AsMemory(carried);
    }

    /// <summary>Takes the result of a read of <paramref name="n"/> bytes (0: the end of the input) into
    /// <paramref name="chunk"/>; true when it holds something to hand out.</summary>
    private bool Accept(Chunk chunk, int n)
    {
        var data = chunk.Buffer.AsSpan(0, carried + n);
        carried = 0;
        if (n == 0)
        {
            // The end: a line being skipped ends here; a partial line is the last line, without its line break.
            chunk.LeadingOverlong = skipping;
            skipping = false;
            chunk.End = chunk.LeadingOverlong ? 0 : data.Length;
            return chunk.LeadingOverlong || data.Length > 0;
        }

        var start = 0;
        if (skipping)
        {
            var nl = data.IndexOf((byte)'\n');
            if (nl < 0)
            {
                return false;
            }

            skipping = false;
            chunk.LeadingOverlong = true;
            start = nl + 1;
        }

        chunk.Start = start;
        var last = data[start..].LastIndexOf((byte)'\n');
        var end = last < 0 ? start : start + last + 1;
        chunk.End = end;
        var rest = data[end..];
        if (rest.Length > maxLineLength)
        {
            skipping = true;
        }
        else
        {
            rest.CopyTo(carry);
            carried = rest.Length;
        }

        return chunk.LeadingOverlong || end > start;
    }
}

/// <summary>The lines of a chunk, in order: (offset, length) in its buffer without the line break and trailing
/// carriage returns; length -1 for a line longer than the limit (never held).</summary>
internal ref struct ChunkLines(Chunk chunk, int maxLineLength)
{
    private readonly ReadOnlySpan<byte> buffer = chunk.Buffer;
    private readonly int end = chunk.End;
    private int position = chunk.Start;
    private bool overlong = chunk.LeadingOverlong;

    public int Offset { get; private set; }

    public int Length { get; private set; }

    public bool MoveNext()
    {
        if (overlong)
        {
            overlong = false;
            (Offset, Length) = (position, -1);
            return true;
        }

        if (position >= end)
        {
            return false;
        }

        var nl = buffer[position..end].IndexOf((byte)'\n');
        var stop = nl < 0 ? end : position + nl;
        Offset = position;
        var length = stop - position;
        position = stop + 1;
        if (length > maxLineLength)
        {
            Length = -1;
            return true;
        }

        while (length > 0 && buffer[Offset + length - 1] == (byte)'\r')
        {
            length--;
        }

        Length = length;
        return true;
    }
}
