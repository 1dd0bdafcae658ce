using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;

namespace Cilium.Sdk.Hubble.Flows;

/// <summary>
/// One input of a capture: a file (plain or gzip-compressed, found by its content, not its name), standard input, or
/// any stream. Opened only when read. UTF-8 with or without a byte-order mark is read as is; UTF-16 (what Windows
/// PowerShell's <c>&gt;</c> writes) is converted.
/// </summary>
public sealed class FlowInput
{
    // logrotate: name.1, name.2.gz (higher is older). lumberjack (Hubble's exporter): name-2024-01-02T03-04-05.000.log[.gz].
    private static readonly Regex Numbered = new(@"^(?<base>.+)\.(?<n>[0-9]{1,9})$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
    private static readonly Regex Stamped = new(@"^(?<prefix>.+)-(?<stamp>[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}-[0-9]{2}-[0-9]{2}\.[0-9]{3})(?<ext>\.[^.]*)?$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);

    private readonly Func<Stream> open;

    private FlowInput(string? name, long? length, Func<Stream> open)
    {
        Name = name;
        Length = length;
        this.open = open;
    }

    /// <summary>The name problems are reported with (the path as given, <c>stdin</c>), or null for an unnamed stream.</summary>
    public string? Name { get; }

    /// <summary>The size in bytes when known beforehand (a file), for progress.</summary>
    public long? Length { get; }

    /// <summary>A file. Gzip is recognised by its first bytes; the file may grow while it is read (the live export).</summary>
    /// <param name="path">The path.</param>
    /// <returns>The input.</returns>
    public static FlowInput File(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        long? length = System.IO.File.Exists(path) ? new FileInfo(path).Length : null;
        return new FlowInput(path, length, () => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1, FileOptions.SequentialScan));
    }

    /// <summary>Standard input (<c>hubble observe -o json -f | cilium-sdk replay --flows -</c>); never closed.</summary>
    /// <returns>The input.</returns>
    public static FlowInput StandardInput() => new("stdin", null, () =>
    {
        WidenPipe(0);
        return new NonClosing(Console.OpenStandardInput());
    });

    /// <summary>A stream the caller opened; it is disposed after reading unless <paramref name="leaveOpen"/>.</summary>
    /// <param name="stream">The bytes.</param>
    /// <param name="name">The name problems are reported with, or null.</param>
    /// <param name="leaveOpen">Whether to leave the stream open.</param>
    /// <returns>The input.</returns>
    public static FlowInput FromStream(Stream stream, string? name = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return new FlowInput(name, stream.CanSeek ? stream.Length - stream.Position : null, () => leaveOpen ? new NonClosing(stream) : stream);
    }

    /// <summary>Files in the order to replay them: each rotated set oldest first, its live file last (logrotate's
    /// <c>name.2.gz</c>, <c>name.1</c>, <c>name</c>; Hubble exporter's <c>name-2024-01-02T03-04-05.000.log.gz</c> by time,
    /// then <c>name.log</c>). Sets keep the order in which they were first named; a path named twice is read once.</summary>
    /// <param name="paths">The paths, in any order (a shell glob sorts <c>.10</c> before <c>.2</c>).</param>
    /// <returns>The inputs.</returns>
    public static IReadOnlyList<FlowInput> Files(IEnumerable<string> paths) => ReplayOrder(paths).Select(File).ToArray();

    /// <summary>The order <see cref="Files"/> reads <paramref name="paths"/> in.</summary>
    /// <param name="paths">The paths.</param>
    /// <returns>The paths, ordered.</returns>
    public static IReadOnlyList<string> ReplayOrder(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var sets = new List<(string Key, List<(string Path, int Kind, string Rank)> Files)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            if (!seen.Add(Path.GetFullPath(path)))
            {
                continue;
            }

            var (stem, kind, rank) = Rotation(Path.GetFileName(path));
            var key = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path)) ?? string.Empty, stem);
            var set = sets.FindIndex(s => s.Key == key);
            if (set < 0)
            {
                sets.Add((key, []));
                set = sets.Count - 1;
            }

            sets[set].Files.Add((path, kind, rank));
        }

        return sets.SelectMany(s => s.Files.OrderBy(f => f.Kind).ThenBy(f => f.Rank, StringComparer.Ordinal).Select(f => f.Path)).ToArray();
    }

    /// <summary>A file's rotation set and place: kind 0 time-stamped backup (rank: the time), 1 numbered backup (rank:
    /// the number, largest first), 2 the live file.</summary>
    private static (string Stem, int Kind, string Rank) Rotation(string name)
    {
        var plain = name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? name[..^3] : name;
        if (Stamped.Match(plain) is { Success: true } s)
        {
            return (s.Groups["prefix"].Value + s.Groups["ext"].Value, 0, s.Groups["stamp"].Value);
        }

        if (Numbered.Match(plain) is { Success: true } n)
        {
            var number = int.Parse(n.Groups["n"].Value, CultureInfo.InvariantCulture);
            return (n.Groups["base"].Value, 1, (999_999_999 - number).ToString("D9", CultureInfo.InvariantCulture));
        }

        return (plain, 2, string.Empty);
    }

    /// <summary>
    /// A pipe on Linux holds 64 KiB: a fast writer (<c>hubble observe</c>, <c>zcat</c>) and this reader then take turns
    /// every 64 KiB. Asking for 1 MiB (the unprivileged limit) lets each read take what is there in one go. Not a pipe,
    /// not Linux, or refused: nothing changes.
    /// </summary>
    private static void WidenPipe(int fd)
    {
        const int SetPipeSize = 1031; // F_SETPIPE_SZ
        if (OperatingSystem.IsLinux())
        {
            try
            {
                _ = Fcntl(fd, SetPipeSize, 1 << 20);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
            }
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "fcntl")]
    private static extern int Fcntl(int fd, int command, int argument);

    /// <summary>Opens the input and decodes it to UTF-8 bytes (gzip, byte-order marks).</summary>
    internal Stream Open(CountingStream.Counter counter) => Decode(new CountingStream(open(), counter));

    private static Stream Decode(Stream stream)
    {
        var head = new byte[4];
        var n = 0;
        int read;
        while (n < head.Length && (read = stream.Read(head, n, head.Length - n)) > 0)
        {
            n += read;
        }

        var peeked = new PrefixedStream(head.AsMemory(0, n), stream);
        if (n >= 2 && head[0] == 0x1F && head[1] == 0x8B)
        {
            return Decode(new GZipStream(peeked, CompressionMode.Decompress));
        }

        if (n >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF)
        {
            return new PrefixedStream(head.AsMemory(3, n - 3), stream);
        }

        if (n >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF)))
        {
            var encoding = head[0] == 0xFF ? Encoding.Unicode : Encoding.BigEndianUnicode;
            return Encoding.CreateTranscodingStream(new PrefixedStream(head.AsMemory(2, n - 2), stream), encoding, Encoding.UTF8);
        }

        return peeked;
    }

    /// <summary>Counts the bytes read from the underlying input (compressed bytes for gzip), for progress.</summary>
    internal sealed class CountingStream(Stream inner, CountingStream.Counter counter) : ReadOnlyStream
    {
        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

        public override async System.Threading.Tasks.ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private int Count(int n)
        {
            counter.Add(n);
            return n;
        }

        /// <summary>A byte count another thread may read.</summary>
        internal sealed class Counter
        {
            private long bytes;

            public long Bytes => Volatile.Read(ref bytes);

            public void Add(long n) => Interlocked.Add(ref bytes, n);
        }
    }

    /// <summary>Bytes already read from a stream, then the rest of it.</summary>
    private sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream rest) : ReadOnlyStream
    {
        private ReadOnlyMemory<byte> prefix = prefix;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (prefix.IsEmpty)
            {
                return rest.Read(buffer);
            }

            var n = Math.Min(prefix.Length, buffer.Length);
            prefix.Span[..n].CopyTo(buffer);
            prefix = prefix[n..];
            return n;
        }

        public override System.Threading.Tasks.ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            prefix.IsEmpty ? rest.ReadAsync(buffer, cancellationToken) : new(Read(buffer.Span));

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                rest.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>A stream whose disposal leaves the inner stream open (standard input, a caller's stream).</summary>
    private sealed class NonClosing(Stream inner) : ReadOnlyStream
    {
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override int Read(Span<byte> buffer) => inner.Read(buffer);

        public override System.Threading.Tasks.ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);
    }

    /// <summary>The members a forward-only read stream does not have.</summary>
    internal abstract class ReadOnlyStream : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
