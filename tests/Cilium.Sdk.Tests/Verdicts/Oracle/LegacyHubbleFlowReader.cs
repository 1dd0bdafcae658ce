using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using Cilium.Sdk.Hubble.Flows;

namespace Cilium.Sdk.Tests.Verdicts.Oracle;

/// <summary>
/// THE ORACLE: the flow reader as it was before streaming (JsonDocument per line, strings, everything in memory),
/// kept verbatim but for its types so the streaming reader can be held to the same answers. Do not improve it.
/// Reads <c>hubble observe -o json</c> output (also <c>-o jsonpb</c>, the legacy bare-flow JSON and the exporter's
/// file): one JSON object per line. Flow lines become <see cref="HubbleFlow"/>s; other responses (lost events, debug
/// events, server status) are counted and skipped; a line that is not JSON, is longer than the limit, or is a flow
/// with a wrong-typed field is reported with its line number. Never throws for bad input.
/// </summary>
internal static class LegacyHubbleFlowReader
{
    /// <summary>The default line-length limit (1 MiB of characters); a longer line is skipped and reported.</summary>
    public const int DefaultMaxLineLength = 1 << 20;

    private static readonly string[] NonFlowKinds = ["lost_events", "debug_event", "node_status", "agent_event"];

    /// <summary>Reads every line of <paramref name="reader"/>.</summary>
    /// <param name="reader">The text.</param>
    /// <param name="maxLineLength">The longest line read, in characters.</param>
    /// <returns>The flows, skip counts and problems.</returns>
    public static HubbleReadResult Read(TextReader reader, int maxLineLength = DefaultMaxLineLength)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineLength, 2);
        var flows = new List<HubbleFlow>();
        var skipped = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var problems = new List<HubbleLineProblem>();
        var lineNumber = 0;
        foreach (var (line, tooLong) in Lines(reader, maxLineLength))
        {
            lineNumber++;
            if (tooLong)
            {
                problems.Add(new HubbleLineProblem(lineNumber, $"longer than {maxLineLength.ToString(CultureInfo.InvariantCulture)} characters; skipped"));
                continue;
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                using var doc = JsonDocument.Parse(line, new JsonDocumentOptions { MaxDepth = 64 });
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    problems.Add(new HubbleLineProblem(lineNumber, $"a {root.ValueKind.ToString().ToLowerInvariant()}, not a JSON object; skipped"));
                    continue;
                }

                if (root.TryGetProperty("flow", out var flow) && flow.ValueKind == JsonValueKind.Object)
                {
                    flows.Add(ParseFlow(flow, lineNumber, root));
                }
                else if (NonFlowKinds.FirstOrDefault(k => root.TryGetProperty(k, out _)) is { } kind)
                {
                    skipped[kind] = skipped.GetValueOrDefault(kind) + 1;
                }
                else if (root.TryGetProperty("num_flows", out _) || root.TryGetProperty("seen_flows", out _))
                {
                    skipped["server_status"] = skipped.GetValueOrDefault("server_status") + 1;
                }
                else if (root.TryGetProperty("verdict", out _) || root.TryGetProperty("l4", out _) || root.TryGetProperty("IP", out _))
                {
                    // The legacy JSON printer writes the bare Flow, no envelope.
                    flows.Add(ParseFlow(root, lineNumber, null));
                }
                else
                {
                    skipped["other"] = skipped.GetValueOrDefault("other") + 1;
                }
            }
            catch (JsonException e)
            {
                var at = e.BytePositionInLine is { } b ? " at byte " + (b + 1).ToString(CultureInfo.InvariantCulture) : string.Empty;
                problems.Add(new HubbleLineProblem(lineNumber, $"not valid JSON{at}; skipped"));
            }
            catch (FlowShapeException e)
            {
                problems.Add(new HubbleLineProblem(lineNumber, e.Message + "; skipped"));
            }
        }

        return new HubbleReadResult(flows, lineNumber, skipped, problems);
    }

    /// <summary>Reads a file (see <see cref="Read(TextReader, int)"/>).</summary>
    /// <param name="path">The file.</param>
    /// <param name="maxLineLength">The longest line read, in characters.</param>
    /// <returns>The flows, skip counts and problems.</returns>
    public static HubbleReadResult ReadFile(string path, int maxLineLength = DefaultMaxLineLength)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        return Read(reader, maxLineLength);
    }

    /// <summary>Lines without ever holding more than <paramref name="max"/> characters of one.</summary>
    private static IEnumerable<(string Line, bool TooLong)> Lines(TextReader reader, int max)
    {
        var buffer = new char[8192];
        var line = new StringBuilder();
        var tooLong = false;
        var any = false;
        int read;
        while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                var c = buffer[i];
                if (c == '\n')
                {
                    yield return (tooLong ? string.Empty : line.ToString().TrimEnd('\r'), tooLong);
                    line.Clear();
                    tooLong = false;
                    any = false;
                    continue;
                }

                any = true;
                if (!tooLong)
                {
                    if (line.Length >= max)
                    {
                        tooLong = true;
                        line.Clear();
                    }
                    else
                    {
                        line.Append(c);
                    }
                }
            }
        }

        if (any)
        {
            yield return (tooLong ? string.Empty : line.ToString().TrimEnd('\r'), tooLong);
        }
    }

    private static HubbleFlow ParseFlow(JsonElement f, int line, JsonElement? envelope)
    {
        var ip = Obj(f, "IP");
        string? protocol = null;
        int? port = null;
        bool? syn = null;
        if (Obj(f, "l4") is { } l4)
        {
            foreach (var name in new[] { "TCP", "UDP", "SCTP" })
            {
                if (Obj(l4, name) is { } p)
                {
                    protocol = name;
                    port = Int(p, "destination_port", "l4." + name + ".destination_port");
                    if (name == "TCP" && Obj(p, "flags") is { } flags)
                    {
                        syn = Bool(flags, "SYN") == true && Bool(flags, "ACK") != true;
                    }
                }
            }

            foreach (var name in new[] { "ICMPv4", "ICMPv6" })
            {
                if (Obj(l4, name) is { } p)
                {
                    protocol = name;
                    port = Int(p, "type", "l4." + name + ".type") ?? 0;
                }
            }
        }

        string? method = null, url = null, query = null, l7Type = null;
        Dictionary<string, string>? headers = null;
        if (Obj(f, "l7") is { } l7)
        {
            l7Type = Str(l7, "type");
            if (Obj(l7, "http") is { } http)
            {
                method = Str(http, "method");
                url = Str(http, "url");
                if (http.TryGetProperty("headers", out var hs) && hs.ValueKind == JsonValueKind.Array)
                {
                    headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                    foreach (var h in hs.EnumerateArray().Where(h => h.ValueKind == JsonValueKind.Object))
                    {
                        if (Str(h, "key") is { } key)
                        {
                            headers[key] = Str(h, "value") ?? string.Empty;
                        }
                    }
                }
            }

            if (Obj(l7, "dns") is { } dns)
            {
                query = Str(dns, "query");
            }
        }

        var deniedBy = new List<string>();
        foreach (var field in new[] { "egress_denied_by", "ingress_denied_by" })
        {
            if (f.TryGetProperty(field, out var list) && list.ValueKind == JsonValueKind.Array)
            {
                deniedBy.AddRange(list.EnumerateArray().Where(p => p.ValueKind == JsonValueKind.Object)
                    .Select(p => $"{Str(p, "kind") ?? "policy"} {(Str(p, "namespace") is { } ns ? ns + "/" : string.Empty)}{Str(p, "name")}"));
            }
        }

        return new HubbleFlow
        {
            Line = line,
            Time = Str(f, "time") ?? (envelope is { } e ? Str(e, "time") : null),
            Verdict = Str(f, "verdict"),
            EventType = Obj(f, "event_type") is { } et ? Int(et, "type", "event_type.type") : null,
            TrafficDirection = Str(f, "traffic_direction"),
            IsReply = Bool(f, "is_reply") ?? Bool(f, "reply"),
            Source = Side(f, "source", ip is { } i1 ? Str(i1, "source") : null),
            Destination = Side(f, "destination", ip is { } i2 ? Str(i2, "destination") : null),
            L4Protocol = protocol,
            DestinationPort = port,
            IsSyn = syn,
            DestinationNames = Strings(f, "destination_names"),
            HttpMethod = method,
            HttpUrl = url,
            HttpHeaders = headers,
            DnsQuery = query,
            L7Type = l7Type,
            DropReason = Str(f, "drop_reason_desc"),
            NodeName = Str(f, "node_name") ?? (envelope is { } e2 ? Str(e2, "node_name") : null),
            DeniedBy = deniedBy,
        };
    }

    private static HubbleEndpoint Side(JsonElement f, string name, string? address)
    {
        var side = Obj(f, name);
        if (side is not { } s)
        {
            return new HubbleEndpoint(null, null, null, [], [], address);
        }

        var workloads = new List<string>();
        if (s.TryGetProperty("workloads", out var w) && w.ValueKind == JsonValueKind.Array)
        {
            workloads.AddRange(w.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.Object).Select(x => Str(x, "name")).OfType<string>());
        }

        return new HubbleEndpoint(Long(s, "identity", name + ".identity"), Str(s, "namespace"), Str(s, "pod_name"), Strings(s, "labels"), workloads, address);
    }

    private static JsonElement? Obj(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? v : null;

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static bool? Bool(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;

    private static IReadOnlyList<string> Strings(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array
            ? v.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToArray()
            : [];

    private static int? Int(JsonElement e, string name, string path) => Long(e, name, path) is { } n
        ? n is >= int.MinValue and <= int.MaxValue ? (int)n : throw new FlowShapeException($"{path} is {n.ToString(CultureInfo.InvariantCulture)}, out of range")
        : null;

    // Protobuf JSON writes 64-bit integers as strings; accept both.
    private static long? Long(JsonElement e, string name, string path)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n))
        {
            return n;
        }

        if (v.ValueKind == JsonValueKind.String && long.TryParse(v.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s))
        {
            return s;
        }

        throw new FlowShapeException($"{path} is {v.GetRawText()}, not an integer");
    }

    private sealed class FlowShapeException(string message) : Exception(message);
}
