using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Cilium.Sdk.Hubble.Flows;

/// <summary>
/// Decodes the raw values <see cref="FlowLineParser"/> found into the strings and records of the public model. Only
/// called for what a cache has not seen yet (the replay) or for the flows a caller asked for (the reader).
/// </summary>
internal static class FlowText
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 64 };

    /// <summary>A string value: UTF-8 decoded (invalid bytes become U+FFFD, as the text reader always did) and unescaped.</summary>
    public static string Decode(ReadOnlySpan<byte> raw, bool escaped)
    {
        if (!escaped)
        {
            return Encoding.UTF8.GetString(raw);
        }

        var text = new StringBuilder(raw.Length);
        var run = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] != (byte)'\\')
            {
                continue;
            }

            text.Append(Encoding.UTF8.GetString(raw[run..i]));
            var c = raw[++i];
            switch (c)
            {
                case (byte)'u':
                    text.Append((char)int.Parse(Encoding.ASCII.GetString(raw.Slice(i + 1, 4)), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 4;
                    break;
                case (byte)'b': text.Append('\b'); break;
                case (byte)'f': text.Append('\f'); break;
                case (byte)'n': text.Append('\n'); break;
                case (byte)'r': text.Append('\r'); break;
                case (byte)'t': text.Append('\t'); break;
                default: text.Append((char)c); break; // \" \\ \/
            }

            run = i + 1;
        }

        return text.Append(Encoding.UTF8.GetString(raw[run..])).ToString();
    }

    /// <summary>The value of a <see cref="RawValue"/> string, or null when absent.</summary>
    public static string? String(ReadOnlySpan<byte> buffer, RawValue value) =>
        value.Present ? Decode(value.Of(buffer), value.Escaped) : null;

    /// <summary>One side of a flow from its raw <c>source</c>/<c>destination</c> object (absent: nothing but the address).</summary>
    public static HubbleEndpoint Side(ReadOnlySpan<byte> raw, bool present, string? address)
    {
        if (!present)
        {
            return new HubbleEndpoint(null, null, null, [], [], address);
        }

        var reader = new Utf8JsonReader(raw, Options);
        reader.Read();
        long? identity = null;
        string? ns = null, pod = null;
        IReadOnlyList<string> labels = [];
        List<string>? workloads = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = Name(ref reader);
            reader.Read();
            switch (name)
            {
                case "identity":
                    identity = FlowLineParser.Long(ref reader, raw, "identity").Value;
                    break;
                case "namespace":
                    ns = StringValue(ref reader);
                    break;
                case "pod_name":
                    pod = StringValue(ref reader);
                    break;
                case "labels":
                    labels = Strings(ref reader);
                    break;
                case "workloads":
                    workloads = null;
                    if (reader.TokenType == JsonTokenType.StartArray)
                    {
                        workloads = [];
                        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                        {
                            if (reader.TokenType != JsonTokenType.StartObject)
                            {
                                reader.Skip();
                            }
                            else if (ObjectStrings(ref reader, "name") is [{ } workload])
                            {
                                workloads.Add(workload);
                            }
                        }
                    }
                    else
                    {
                        reader.Skip();
                    }

                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return new HubbleEndpoint(identity, ns, pod, labels, workloads is null ? [] : workloads, address);
    }

    /// <summary>The string items of a raw array (other items are ignored), or none when absent.</summary>
    public static IReadOnlyList<string> Strings(ReadOnlySpan<byte> raw, bool present)
    {
        if (!present)
        {
            return [];
        }

        var reader = new Utf8JsonReader(raw, Options);
        reader.Read();
        return Strings(ref reader);
    }

    /// <summary>What a raw <c>l7</c> object says: the HTTP request's method, URL and headers, the DNS query.</summary>
    public static L7Request L7(ReadOnlySpan<byte> raw, bool present)
    {
        if (!present)
        {
            return L7Request.None;
        }

        var reader = new Utf8JsonReader(raw, Options);
        reader.Read();
        string? type = null, method = null, url = null, query = null;
        Dictionary<string, string>? headers = null;
        var hasHttp = false;
        var hasDns = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = Name(ref reader);
            reader.Read();
            if (name == "type")
            {
                type = StringValue(ref reader);
            }
            else if (name == "http" && reader.TokenType == JsonTokenType.StartObject)
            {
                hasHttp = true;
                (method, url, headers) = (null, null, null);
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var field = Name(ref reader);
                    reader.Read();
                    switch (field)
                    {
                        case "method":
                            method = StringValue(ref reader);
                            break;
                        case "url":
                            url = StringValue(ref reader);
                            break;
                        case "headers" when reader.TokenType == JsonTokenType.StartArray:
                            headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                            {
                                if (reader.TokenType != JsonTokenType.StartObject)
                                {
                                    reader.Skip();
                                }
                                else if (ObjectStrings(ref reader, "key", "value") is [{ } key, var value])
                                {
                                    headers[key] = value ?? string.Empty;
                                }
                            }

                            break;
                        case "headers":
                            headers = null;
                            reader.Skip();
                            break;
                        default:
                            reader.Skip();
                            break;
                    }
                }
            }
            else if (name == "dns" && reader.TokenType == JsonTokenType.StartObject)
            {
                hasDns = true;
                query = ObjectStringsInPlace(ref reader, "query")[0];
            }
            else
            {
                // A later non-object "http"/"dns" hides an earlier one (the last property wins).
                if (name == "http")
                {
                    hasHttp = false;
                    (method, url, headers) = (null, null, null);
                }
                else if (name == "dns")
                {
                    hasDns = false;
                    query = null;
                }

                reader.Skip();
            }
        }

        return new L7Request(type, hasHttp ? method : null, hasHttp ? url : null, hasHttp ? headers : null, hasDns ? query : null);
    }

    /// <summary><c>egress_denied_by</c>/<c>ingress_denied_by</c> entries as "kind ns/name".</summary>
    public static void DeniedBy(ReadOnlySpan<byte> raw, bool present, List<string> into)
    {
        if (!present)
        {
            return;
        }

        var reader = new Utf8JsonReader(raw, Options);
        reader.Read();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            var values = ObjectStringsInPlace(ref reader, "kind", "namespace", "name");
            into.Add($"{values[0] ?? "policy"} {(values[1] is { } ns ? ns + "/" : string.Empty)}{values[2]}");
        }
    }

    private static IReadOnlyList<string> Strings(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return [];
        }

        List<string>? items = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                (items ??= []).Add(Decode(reader.ValueSpan, reader.ValueIsEscaped));
            }
            else
            {
                reader.Skip();
            }
        }

        return items is null ? [] : items.ToArray();
    }

    /// <summary>The string values of <paramref name="names"/> in the object the reader is on (null when absent or not a
    /// string; the last duplicate wins), or null when the first is absent; the reader ends on the object's end.</summary>
    private static string?[]? ObjectStrings(ref Utf8JsonReader reader, params string[] names)
    {
        var values = ObjectStringsInPlace(ref reader, names);
        return values[0] is null ? null : values;
    }

    private static string?[] ObjectStringsInPlace(ref Utf8JsonReader reader, params string[] names)
    {
        var values = new string?[names.Length];
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = Name(ref reader);
            reader.Read();
            var i = Array.IndexOf(names, name);
            if (i >= 0)
            {
                values[i] = StringValue(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }

        return values;
    }

    private static string? StringValue(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return Decode(reader.ValueSpan, reader.ValueIsEscaped);
        }

        reader.Skip();
        return null;
    }

    private static string Name(ref Utf8JsonReader reader) => Decode(reader.ValueSpan, reader.ValueIsEscaped);
}

/// <summary>The L7 part of a flow: its type (REQUEST, RESPONSE) and the HTTP request or DNS query it carries.</summary>
internal sealed record L7Request(string? Type, string? HttpMethod, string? HttpUrl, IReadOnlyDictionary<string, string>? HttpHeaders, string? DnsQuery)
{
    public static readonly L7Request None = new(null, null, null, null, null);
}
