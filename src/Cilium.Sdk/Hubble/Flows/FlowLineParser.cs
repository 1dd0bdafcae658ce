using System;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Cilium.Sdk.Hubble.Flows;

/// <summary>What one line is.</summary>
internal enum LineKind : byte
{
    /// <summary>Empty or white space.</summary>
    Blank,

    /// <summary>A flow (either envelope).</summary>
    Flow,

    /// <summary>Valid JSON that is not a flow (lost events, debug events, server status, other).</summary>
    NonFlow,

    /// <summary>Not usable: not JSON, not an object, too long, or a flow with a wrong-typed field.</summary>
    Problem,
}

/// <summary>A JSON value's place in the buffer the line was parsed from; <see cref="Length"/> is -1 when absent.</summary>
/// <remarks>For strings, the bytes between the quotes as written (<see cref="Escaped"/> says whether they hold
/// escapes); for objects and arrays, the whole raw value. Equal raw bytes always decode to equal values, which is what
/// lets the caches key on them.</remarks>
internal readonly record struct RawValue(int Start, int Length, bool Escaped = false)
{
    public static readonly RawValue None = new(0, -1);

    public bool Present => Length >= 0;

    public ReadOnlySpan<byte> Of(ReadOnlySpan<byte> buffer) => Present ? buffer.Slice(Start, Length) : default;
}

/// <summary>
/// The fields of one flow object that the reader and the replay need, as places in the line's buffer (nothing is
/// decoded or allocated). Objects the replay maps (<c>source</c>, <c>destination</c>, <c>l7</c>, ...) are kept raw and
/// only parsed further when a cache misses. Wrong-typed integers are recorded per field; the first in the order the
/// reader has always checked them (l4, event type, source, destination) makes the line a problem.
/// </summary>
internal sealed class FlowFields
{
    // Error slots, in the order the fields were always checked: the first one set is reported.
    internal const int ErrorL4 = 0; // + protocol index 0..4
    internal const int ErrorEventType = 5;
    internal const int ErrorSource = 6;
    internal const int ErrorDestination = 7;

    /// <summary>L4 protocols in the order they are looked at: the last present one wins, as printed by Hubble.</summary>
    internal static readonly string[] Protocols = ["TCP", "UDP", "SCTP", "ICMPv4", "ICMPv6"];

    private readonly string?[] errors = new string?[8];
    private readonly bool[] l4Present = new bool[5];
    private readonly int?[] l4Port = new int?[5];

    public RawValue Time;
    public RawValue Verdict;
    public RawValue TrafficDirection;
    public RawValue DropReason;
    public RawValue NodeName;
    public RawValue IpSource;
    public RawValue IpDestination;
    public RawValue Source;
    public RawValue Destination;
    public RawValue DestinationNames;
    public RawValue L7;
    public RawValue L7Type;
    public RawValue EgressDeniedBy;
    public RawValue IngressDeniedBy;
    public int? EventType;
    public bool? IsReply;
    public bool? Reply;
    public bool? Syn;

    /// <summary>The L4 protocol index into <see cref="Protocols"/>, or -1.</summary>
    public int Protocol
    {
        get
        {
            for (var p = 4; p >= 0; p--)
            {
                if (l4Present[p])
                {
                    return p;
                }
            }

            return -1;
        }
    }

    /// <summary>The destination port (or ICMP type, 0 when absent) of <see cref="Protocol"/>.</summary>
    public int? Port => Protocol is var p and >= 0 ? (p >= 3 ? l4Port[p] ?? 0 : l4Port[p]) : null;

    /// <summary>The first wrong-typed field's message, or null.</summary>
    public string? Error
    {
        get
        {
            foreach (var e in errors)
            {
                if (e is not null)
                {
                    return e;
                }
            }

            return null;
        }
    }

    public void Reset()
    {
        Time = Verdict = TrafficDirection = DropReason = NodeName = IpSource = IpDestination = RawValue.None;
        Source = Destination = DestinationNames = L7 = L7Type = EgressDeniedBy = IngressDeniedBy = RawValue.None;
        EventType = null;
        IsReply = Reply = Syn = null;
        ResetL4();
        Array.Clear(errors);
    }

    internal void ResetL4()
    {
        Array.Clear(l4Present);
        Array.Clear(l4Port);
        Syn = null;
        for (var i = 0; i < 5; i++)
        {
            errors[ErrorL4 + i] = null;
        }
    }

    internal void SetL4(int protocol, int? port, string? error)
    {
        l4Present[protocol] = true;
        l4Port[protocol] = port;
        errors[ErrorL4 + protocol] = error;
    }

    internal void ClearL4(int protocol)
    {
        l4Present[protocol] = false;
        l4Port[protocol] = null;
        errors[ErrorL4 + protocol] = null;
        if (protocol == 0)
        {
            Syn = null;
        }
    }

    internal void SetError(int slot, string? error) => errors[slot] = error;
}

/// <summary>One parsed line: its kind, the flow's fields, the non-flow kind or the problem.</summary>
internal sealed class ParsedLine
{
    /// <summary>Kinds of non-flow lines, in the order they are recognised.</summary>
    internal static readonly string[] NonFlowKinds = ["lost_events", "debug_event", "node_status", "agent_event", "server_status", "other"];

    /// <summary>The <c>flow</c> object of the <c>{"flow": ...}</c> envelope.</summary>
    internal readonly FlowFields Enveloped = new();

    /// <summary>The root object read as a bare flow (the legacy printer); also holds the envelope's <c>time</c> and <c>node_name</c>.</summary>
    internal readonly FlowFields Root = new();

    public LineKind Kind;

    /// <summary>For <see cref="LineKind.NonFlow"/>: the index into <see cref="NonFlowKinds"/>.</summary>
    public int NonFlowKind;

    /// <summary>For <see cref="LineKind.Problem"/>: what is wrong.</summary>
    public string? Problem;

    /// <summary>For <see cref="LineKind.Flow"/>: whether the flow came in the envelope (else it is the bare root).</summary>
    public bool IsEnveloped;

    /// <summary>The flow's fields (valid when <see cref="Kind"/> is <see cref="LineKind.Flow"/>).</summary>
    public FlowFields Flow => IsEnveloped ? Enveloped : Root;
}

/// <summary>
/// Parses one line of <c>hubble observe -o json</c> output from UTF-8 bytes with <see cref="Utf8JsonReader"/>: no
/// string per line, no document per flow. Gives exactly the answers <c>JsonDocument</c> did (the same problems with the
/// same messages, the last of duplicate properties wins), which the oracle test holds it to.
/// </summary>
internal static class FlowLineParser
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 64 };

    /// <summary>Parses the line of <paramref name="length"/> bytes (no line break) at <paramref name="offset"/> in <paramref name="buffer"/>.</summary>
    public static void Parse(ReadOnlySpan<byte> buffer, int offset, int length, ParsedLine result)
    {
        result.Problem = null;
        var line = buffer.Slice(offset, length);
        if (IsBlank(line))
        {
            result.Kind = LineKind.Blank;
            return;
        }

        try
        {
            ParseRoot(line, offset, result);
        }
        catch (JsonException e)
        {
            var at = e.BytePositionInLine is { } b ? " at byte " + (b + 1).ToString(CultureInfo.InvariantCulture) : string.Empty;
            Problem(result, $"not valid JSON{at}; skipped");
        }
    }

    private static void Problem(ParsedLine result, string message)
    {
        result.Kind = LineKind.Problem;
        result.Problem = message;
    }

    private static bool IsBlank(ReadOnlySpan<byte> line)
    {
        var i = 0;
        while (i < line.Length && line[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\v' or (byte)'\f')
        {
            i++;
        }

        if (i == line.Length)
        {
            return true;
        }

        // Only Unicode white space beyond ASCII (rare): decide as string.IsNullOrWhiteSpace did.
        return line[i] >= 0x80 && string.IsNullOrWhiteSpace(Encoding.UTF8.GetString(line));
    }

    private static void ParseRoot(ReadOnlySpan<byte> line, int offset, ParsedLine result)
    {
        var reader = new Utf8JsonReader(line, Options);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            var kind = reader.TokenType switch
            {
                JsonTokenType.StartArray => "array",
                JsonTokenType.String => "string",
                JsonTokenType.Number => "number",
                JsonTokenType.True => "true",
                JsonTokenType.False => "false",
                _ => "null",
            };
            reader.Skip();
            EndOfLine(ref reader);
            Problem(result, $"a {kind}, not a JSON object; skipped");
            return;
        }

        result.Enveloped.Reset();
        result.Root.Reset();
        var hasFlow = false;
        Span<bool> seen = stackalloc bool[6];
        var legacyField = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = Name(ref reader);
            reader.Read();
            if (name.SequenceEqual("flow"u8))
            {
                // The last "flow" decides (as JsonElement.TryGetProperty found it).
                hasFlow = reader.TokenType == JsonTokenType.StartObject;
                if (hasFlow)
                {
                    result.Enveloped.Reset();
                    ParseFlowObject(ref reader, line, offset, result.Enveloped);
                }
                else
                {
                    reader.Skip();
                }

                continue;
            }

            switch (name.Length)
            {
                case 11 when name.SequenceEqual("lost_events"u8): seen[0] = true; break;
                case 11 when name.SequenceEqual("debug_event"u8): seen[1] = true; break;
                case 11 when name.SequenceEqual("node_status"u8): seen[2] = true; break;
                case 11 when name.SequenceEqual("agent_event"u8): seen[3] = true; break;
                case 9 when name.SequenceEqual("num_flows"u8):
                case 10 when name.SequenceEqual("seen_flows"u8): seen[4] = true; break;
                case 7 when name.SequenceEqual("verdict"u8):
                case 2 when name.SequenceEqual("l4"u8) || name.SequenceEqual("IP"u8): legacyField = true; break;
            }

            FlowProperty(name, ref reader, line, offset, result.Root);
        }

        EndOfLine(ref reader);
        if (hasFlow)
        {
            result.IsEnveloped = true;
            Flow(result);
            return;
        }

        for (var k = 0; k < 5; k++)
        {
            if (seen[k])
            {
                result.Kind = LineKind.NonFlow;
                result.NonFlowKind = k;
                return;
            }
        }

        if (legacyField)
        {
            // The legacy JSON printer writes the bare Flow, no envelope.
            result.IsEnveloped = false;
            Flow(result);
            return;
        }

        result.Kind = LineKind.NonFlow;
        result.NonFlowKind = 5;
    }

    private static void Flow(ParsedLine result)
    {
        if (result.Flow.Error is { } error)
        {
            Problem(result, error + "; skipped");
        }
        else
        {
            result.Kind = LineKind.Flow;
        }
    }

    /// <summary>Anything after the root value but white space is invalid JSON, as JsonDocument.Parse said.</summary>
    private static void EndOfLine(ref Utf8JsonReader reader)
    {
        while (reader.Read())
        {
            reader.Skip();
        }
    }

    private static void ParseFlowObject(ref Utf8JsonReader reader, ReadOnlySpan<byte> line, int offset, FlowFields f)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = Name(ref reader);
            reader.Read();
            FlowProperty(name, ref reader, line, offset, f);
        }
    }

    /// <summary>One property of a flow object (the reader is on its value); other properties are skipped.</summary>
    private static void FlowProperty(scoped ReadOnlySpan<byte> name, ref Utf8JsonReader reader, ReadOnlySpan<byte> line, int offset, FlowFields f)
    {
        switch (name.Length)
        {
            case 2 when name.SequenceEqual("l4"u8):
                L4(ref reader, line, f);
                return;
            case 2 when name.SequenceEqual("IP"u8):
                Ip(ref reader, offset, f);
                return;
            case 2 when name.SequenceEqual("l7"u8):
                L7(ref reader, offset, f);
                return;
            case 4 when name.SequenceEqual("time"u8):
                f.Time = String(ref reader, offset);
                return;
            case 5 when name.SequenceEqual("reply"u8):
                f.Reply = Bool(ref reader);
                return;
            case 6 when name.SequenceEqual("source"u8):
                f.Source = Side(ref reader, line, offset, f, FlowFields.ErrorSource, "source.identity");
                return;
            case 7 when name.SequenceEqual("verdict"u8):
                f.Verdict = String(ref reader, offset);
                return;
            case 8 when name.SequenceEqual("is_reply"u8):
                f.IsReply = Bool(ref reader);
                return;
            case 9 when name.SequenceEqual("node_name"u8):
                f.NodeName = String(ref reader, offset);
                return;
            case 10 when name.SequenceEqual("event_type"u8):
                EventType(ref reader, line, f);
                return;
            case 11 when name.SequenceEqual("destination"u8):
                f.Destination = Side(ref reader, line, offset, f, FlowFields.ErrorDestination, "destination.identity");
                return;
            case 16 when name.SequenceEqual("drop_reason_desc"u8):
                f.DropReason = String(ref reader, offset);
                return;
            case 16 when name.SequenceEqual("egress_denied_by"u8):
                f.EgressDeniedBy = RawArray(ref reader, offset);
                return;
            case 17 when name.SequenceEqual("ingress_denied_by"u8):
                f.IngressDeniedBy = RawArray(ref reader, offset);
                return;
            case 17 when name.SequenceEqual("destination_names"u8):
                f.DestinationNames = RawArray(ref reader, offset);
                return;
            case 17 when name.SequenceEqual("traffic_direction"u8):
                f.TrafficDirection = String(ref reader, offset);
                return;
            default:
                reader.Skip();
                return;
        }
    }

    /// <summary>The <c>l7</c> object kept raw, with its <c>type</c> (a RESPONSE is not a new connection).</summary>
    private static void L7(ref Utf8JsonReader reader, int offset, FlowFields f)
    {
        f.L7 = f.L7Type = RawValue.None;
        if (!IsObject(ref reader))
        {
            return;
        }

        var start = (int)reader.TokenStartIndex;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = Name(ref reader);
            reader.Read();
            if (name.SequenceEqual("type"u8))
            {
                f.L7Type = String(ref reader, offset);
            }
            else
            {
                reader.Skip();
            }
        }

        f.L7 = new RawValue(offset + start, (int)reader.BytesConsumed - start);
    }

    /// <summary>The <c>l4</c> object (the last one wins): each protocol's port or ICMP type, TCP's SYN.</summary>
    private static void L4(ref Utf8JsonReader reader, ReadOnlySpan<byte> line, FlowFields f)
    {
        f.ResetL4();
        if (!IsObject(ref reader))
        {
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = Name(ref reader);
            reader.Read();
            var p = name.Length switch
            {
                3 when name.SequenceEqual("TCP"u8) => 0,
                3 when name.SequenceEqual("UDP"u8) => 1,
                4 when name.SequenceEqual("SCTP"u8) => 2,
                6 when name.SequenceEqual("ICMPv4"u8) => 3,
                6 when name.SequenceEqual("ICMPv6"u8) => 4,
                _ => -1,
            };
            if (p < 0 || reader.TokenType != JsonTokenType.StartObject)
            {
                // A protocol that is not an object is not that protocol (Obj() returned null).
                if (p >= 0)
                {
                    f.ClearL4(p);
                }

                reader.Skip();
                continue;
            }

            var field = p >= 3 ? "type"u8 : "destination_port"u8;
            int? port = null;
            string? error = null;
            bool? syn = null, ack = null, hasFlags = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var inner = Name(ref reader);
                reader.Read();
                if (inner.SequenceEqual(field))
                {
                    (port, error) = Int(ref reader, line, "l4." + FlowFields.Protocols[p] + "." + (p >= 3 ? "type" : "destination_port"));
                }
                else if (p == 0 && inner.SequenceEqual("flags"u8))
                {
                    hasFlags = reader.TokenType == JsonTokenType.StartObject;
                    syn = ack = null;
                    if (hasFlags == true)
                    {
                        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                        {
                            var flag = Name(ref reader);
                            reader.Read();
                            if (flag.SequenceEqual("SYN"u8))
                            {
                                syn = Bool(ref reader);
                            }
                            else if (flag.SequenceEqual("ACK"u8))
                            {
                                ack = Bool(ref reader);
                            }
                            else
                            {
                                reader.Skip();
                            }
                        }
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
                else
                {
                    reader.Skip();
                }
            }

            f.SetL4(p, port, error);
            if (p == 0)
            {
                f.Syn = hasFlags == true ? syn == true && ack != true : null;
            }
        }
    }

    private static void Ip(ref Utf8JsonReader reader, int offset, FlowFields f)
    {
        f.IpSource = f.IpDestination = RawValue.None;
        if (!IsObject(ref reader))
        {
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = Name(ref reader);
            reader.Read();
            if (name.SequenceEqual("source"u8))
            {
                f.IpSource = String(ref reader, offset);
            }
            else if (name.SequenceEqual("destination"u8))
            {
                f.IpDestination = String(ref reader, offset);
            }
            else
            {
                reader.Skip();
            }
        }
    }

    private static void EventType(ref Utf8JsonReader reader, ReadOnlySpan<byte> line, FlowFields f)
    {
        f.EventType = null;
        f.SetError(FlowFields.ErrorEventType, null);
        if (!IsObject(ref reader))
        {
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = Name(ref reader);
            reader.Read();
            if (name.SequenceEqual("type"u8))
            {
                var (value, error) = Int(ref reader, line, "event_type.type");
                f.EventType = value;
                f.SetError(FlowFields.ErrorEventType, error);
            }
            else
            {
                reader.Skip();
            }
        }
    }

    /// <summary>A side (<c>source</c>/<c>destination</c>) kept raw; only its identity is checked here.</summary>
    private static RawValue Side(ref Utf8JsonReader reader, ReadOnlySpan<byte> line, int offset, FlowFields f, int slot, string path)
    {
        f.SetError(slot, null);
        if (!IsObject(ref reader))
        {
            return RawValue.None;
        }

        var start = (int)reader.TokenStartIndex;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = Name(ref reader);
            reader.Read();
            if (name.SequenceEqual("identity"u8))
            {
                f.SetError(slot, Long(ref reader, line, path).Error);
            }
            else
            {
                reader.Skip();
            }
        }

        return new RawValue(offset + start, (int)reader.BytesConsumed - start);
    }

    /// <summary>An array kept raw (the reader ends on its last token); other kinds are absent.</summary>
    private static RawValue RawArray(ref Utf8JsonReader reader, int offset)
    {
        var start = (int)reader.TokenStartIndex;
        var array = reader.TokenType == JsonTokenType.StartArray;
        reader.Skip();
        return array ? new RawValue(offset + start, (int)reader.BytesConsumed - start) : RawValue.None;
    }

    /// <summary>Whether the reader is on an object; any other value is skipped (it counts as absent).</summary>
    private static bool IsObject(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            return true;
        }

        reader.Skip();
        return false;
    }

    private static RawValue String(ref Utf8JsonReader reader, int offset)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return RawValue.None;
        }

        return new RawValue(offset + (int)reader.TokenStartIndex + 1, reader.ValueSpan.Length, reader.ValueIsEscaped);
    }

    private static bool? Bool(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.True:
                return true;
            case JsonTokenType.False:
                return false;
            default:
                reader.Skip();
                return null;
        }
    }

    private static (int? Value, string? Error) Int(ref Utf8JsonReader reader, ReadOnlySpan<byte> line, string path)
    {
        var (n, error) = Long(ref reader, line, path);
        if (error is not null || n is null)
        {
            return (null, error);
        }

        return n is >= int.MinValue and <= int.MaxValue
            ? ((int)n, null)
            : (null, $"{path} is {n.Value.ToString(CultureInfo.InvariantCulture)}, out of range");
    }

    // Protobuf JSON writes 64-bit integers as strings; accept both.
    internal static (long? Value, string? Error) Long(ref Utf8JsonReader reader, ReadOnlySpan<byte> line, string path)
    {
        var start = (int)reader.TokenStartIndex;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return (null, null);
            case JsonTokenType.Number when reader.TryGetInt64(out var n):
                return (n, null);
            case JsonTokenType.String when long.TryParse(FlowText.Decode(reader.ValueSpan, reader.ValueIsEscaped), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s):
                return (s, null);
        }

        // The value as written (what GetRawText gave), then the reader is past it.
        reader.Skip();
        var text = Encoding.UTF8.GetString(line[start..(int)reader.BytesConsumed]);
        return (null, $"{path} is {text}, not an integer");
    }

    /// <summary>A property name (unescaped when written with escapes, which is rare).</summary>
    private static ReadOnlySpan<byte> Name(ref Utf8JsonReader reader) =>
        reader.ValueIsEscaped ? Encoding.UTF8.GetBytes(reader.GetString()!) : reader.ValueSpan;
}
