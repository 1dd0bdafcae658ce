using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

using Cilium.Sdk.Hubble.Flows;

namespace Cilium.Sdk.Benchmarks;

/// <summary>
/// A Hubble capture of any size, streamed and never stored: a block of lines is built once from the real samples in
/// <c>../shared/corpus/cilium/flows</c> (read in place) and served over and over, cut at a line end at the size asked
/// for. The block holds every sample line as captured, and each flow line of the bookinfo/istio samples again with
/// its workloads renamed to the template's monitoring components (so the e-policies-audit policies select them and
/// drop some, as an audit capture shows) and, for world destinations, one of several external addresses. One truncated
/// line per block stands for the damage real captures have.
/// </summary>
internal sealed class CaptureGenerator
{
    private static readonly (string From, string To)[] Renames =
    [
        ("\"namespace\":\"bookinfo\"", "\"namespace\":\"monitoring\""),
        ("\"namespace\":\"istio-system\"", "\"namespace\":\"monitoring\""),
        ("pod.namespace=bookinfo", "pod.namespace=monitoring"),
        ("pod.namespace=istio-system", "pod.namespace=monitoring"),
        ("metadata.name=bookinfo", "metadata.name=monitoring"),
        ("k8s:app=productpage", "k8s:app.kubernetes.io/name=grafana"),
        ("k8s:app=reviews", "k8s:app.kubernetes.io/name=loki"),
        ("k8s:app=ratings", "k8s:app.kubernetes.io/name=alloy"),
        ("k8s:app=details", "k8s:app.kubernetes.io/name=tempo"),
        ("k8s:app=prometheus", "k8s:app.kubernetes.io/name=prometheus"),
        ("\"pod_name\":\"productpage-v1-", "\"pod_name\":\"grafana-"),
        ("\"pod_name\":\"reviews-v1-", "\"pod_name\":\"loki-"),
        ("\"pod_name\":\"reviews-v2-", "\"pod_name\":\"loki-"),
        ("\"pod_name\":\"reviews-v3-", "\"pod_name\":\"loki-"),
        ("\"pod_name\":\"ratings-v1-", "\"pod_name\":\"alloy-"),
        ("\"pod_name\":\"details-v1-", "\"pod_name\":\"tempo-"),
        ("\"verdict\":\"REDIRECTED\"", "\"verdict\":\"AUDIT\""),
    ];

    // Copies of the samples in one block; each copy sends the world flows to other addresses.
    private const int Copies = 4;

    private readonly byte[] block;
    private readonly int[] lineEnds;

    private CaptureGenerator(byte[] block, int[] lineEnds, int samples)
    {
        this.block = block;
        this.lineEnds = lineEnds;
        Samples = samples;
    }

    /// <summary>The sample lines read from the corpus.</summary>
    public int Samples { get; }

    /// <summary>Lines in one block.</summary>
    public int LinesPerBlock => lineEnds.Length;

    /// <summary>Bytes in one block.</summary>
    public int BlockBytes => block.Length;

    /// <summary>Builds the block from the corpus folder.</summary>
    public static CaptureGenerator FromCorpus(string flowsDirectory)
    {
        var samples = Directory.GetFiles(flowsDirectory, "*.json*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .SelectMany(File.ReadLines).Where(l => l.Length > 0).ToList();
        // Built as bytes, line by line: the generator runs inside the measured process, so it must stay small.
        var block = new MemoryStream();
        void Add(string line)
        {
            block.Write(Encoding.UTF8.GetBytes(line));
            block.WriteByte((byte)'\n');
        }

        for (var copy = 0; copy < Copies; copy++)
        {
            foreach (var line in samples)
            {
                Add(line);
                if (!line.StartsWith("{\"flow\":", StringComparison.Ordinal) || !(line.Contains("bookinfo", StringComparison.Ordinal) || line.Contains("istio-system", StringComparison.Ordinal)))
                {
                    continue;
                }

                var derived = Renames.Aggregate(line, (l, r) => l.Replace(r.From, r.To, StringComparison.Ordinal));
                if (derived.Contains("\"labels\":[\"reserved:world\"]", StringComparison.Ordinal))
                {
                    derived = derived.Replace("\"destination\":\"10.128.0.4\"", string.Create(CultureInfo.InvariantCulture, $"\"destination\":\"203.0.113.{(copy * 37 % 200) + 1}\""), StringComparison.Ordinal);
                }

                Add(derived);
            }

            // The damage real captures have: a line cut short (a rotated or killed writer).
            Add(samples[copy % samples.Count][..(samples[copy % samples.Count].Length / 2)]);
        }

        var bytes = block.ToArray();
        var ends = new List<int>();
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                ends.Add(i + 1);
            }
        }

        return new CaptureGenerator(bytes, ends.ToArray(), samples.Count);
    }

    /// <summary>A stream of about <paramref name="bytes"/> bytes of whole lines.</summary>
    public Stream Open(long bytes) => new Capture(this, bytes);

    /// <summary>The exact size and line count of the capture <see cref="Open"/> gives for <paramref name="bytes"/>.</summary>
    public (long Bytes, long Lines) Size(long bytes)
    {
        var blocks = bytes / block.Length;
        var rest = (int)(bytes % block.Length);
        var whole = Array.FindLastIndex(lineEnds, e => e <= rest) + 1;
        return ((blocks * block.Length) + (whole == 0 ? 0 : lineEnds[whole - 1]), (blocks * lineEnds.Length) + whole);
    }

    /// <summary>Serves the block again and again, then the whole lines of a last partial block.</summary>
    private sealed class Capture(CaptureGenerator generator, long bytes) : FlowInput.ReadOnlyStream
    {
        private readonly long length = generator.Size(bytes).Bytes;
        private long position;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var total = 0;
            while (buffer.Length > 0 && position < length)
            {
                var at = (int)(position % generator.block.Length);
                var n = (int)Math.Min(Math.Min(buffer.Length, generator.block.Length - at), length - position);
                generator.block.AsSpan(at, n).CopyTo(buffer);
                buffer = buffer[n..];
                position += n;
                total += n;
            }

            return total;
        }
    }
}
