using System;
using System.Collections.Generic;
using System.Linq;

namespace Cilium.Sdk.Policies;

/// <summary>
/// An L7 HTTP rule: a request is allowed when it matches every field that is set. <see cref="Method"/> and
/// <see cref="Path"/> are RE2 regular expressions matched against the whole value (as Envoy does).
/// HTTP rules need TCP ports; the agent refuses them on UDP, ANY, port ranges and port 0.
/// </summary>
public sealed record HttpMatch
{
    private HttpMatch(string? method, string? path, string? host, IReadOnlyList<string> headers)
    {
        Method = method;
        Path = path;
        Host = host;
        Headers = headers;
    }

    /// <summary>The method regex ("GET", "GET|HEAD"), or null for any.</summary>
    public string? Method { get; }

    /// <summary>The path regex ("/api/v1/.*"), or null for any.</summary>
    public string? Path { get; }

    /// <summary>The host (authority) regex, or null for any.</summary>
    public string? Host { get; }

    /// <summary>Headers that must be present, each "Name" or "Name: value".</summary>
    public IReadOnlyList<string> Headers { get; }

    /// <summary>Any request (an HTTP rule that only turns on L7 visibility).</summary>
    public static HttpMatch AnyRequest { get; } = new(null, null, null, []);

    /// <summary>Requests with this method and path.</summary>
    /// <param name="method">The method regex, such as "GET".</param>
    /// <param name="path">The path regex, or null for any path.</param>
    /// <returns>The rule.</returns>
    public static HttpMatch Request(string method, string? path = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        return new HttpMatch(method, path, null, []);
    }

    /// <summary>GET requests on <paramref name="path"/>.</summary>
    /// <param name="path">The path regex.</param>
    /// <returns>The rule.</returns>
    public static HttpMatch Get(string path) => Request("GET", path);

    /// <summary>POST requests on <paramref name="path"/>.</summary>
    /// <param name="path">The path regex.</param>
    /// <returns>The rule.</returns>
    public static HttpMatch Post(string path) => Request("POST", path);

    /// <summary>The same rule, restricted to a host.</summary>
    /// <param name="host">The host regex.</param>
    /// <returns>A new rule.</returns>
    public HttpMatch WithHost(string host)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        return new HttpMatch(Method, Path, host, Headers);
    }

    /// <summary>The same rule, also requiring a header (present, or with a value).</summary>
    /// <param name="name">The header name.</param>
    /// <param name="value">The exact value, or null for "present".</param>
    /// <returns>A new rule.</returns>
    public HttpMatch WithHeader(string name, string? value = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new HttpMatch(Method, Path, Host, [.. Headers, value is null ? name : name + ": " + value]);
    }

    /// <inheritdoc />
    public bool Equals(HttpMatch? other) =>
        other is not null && Method == other.Method && Path == other.Path && Host == other.Host && Headers.SequenceEqual(other.Headers, StringComparer.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Method, Path, Host, string.Join("\n", Headers));

    internal Resources.HttpRule ToGenerated() => new()
    {
        Method = Method,
        Path = Path,
        Host = Host,
        Headers = Headers.Count == 0 ? null : Headers.ToList(),
    };
}

/// <summary>An L7 DNS rule: which names a pod may look up through Cilium's DNS proxy (egress to DNS servers on 53 only).</summary>
public sealed record DnsMatch
{
    private DnsMatch(string? name, string? pattern)
    {
        Name = name;
        Pattern = pattern;
    }

    /// <summary>Every name (<c>matchPattern: "*"</c>): the proxy sees all lookups, so FQDN peers learn their IPs.</summary>
    public static DnsMatch AnyName { get; } = new(null, "*");

    /// <summary>The exact name, or null.</summary>
    public string? Name { get; }

    /// <summary>The pattern, or null.</summary>
    public string? Pattern { get; }

    /// <summary>One exact name.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The rule.</returns>
    public static DnsMatch MatchName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new DnsMatch(name, null);
    }

    /// <summary>A pattern with <c>*</c> wildcards.</summary>
    /// <param name="pattern">The pattern.</param>
    /// <returns>The rule.</returns>
    public static DnsMatch MatchPattern(string pattern)
    {
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        return new DnsMatch(null, pattern);
    }

    internal Resources.FqdnSelector ToGenerated() => new() { MatchName = Name, MatchPattern = Pattern };
}

/// <summary>An ICMP message type a rule allows or denies (<c>icmps[].fields[]</c>).</summary>
public sealed record IcmpType
{
    private IcmpType(Resources.IcmpFamily family, int type)
    {
        Family = family;
        Type = type;
    }

    /// <summary>The address family.</summary>
    public Resources.IcmpFamily Family { get; }

    /// <summary>The ICMP type number (0-255).</summary>
    public int Type { get; }

    /// <summary>ICMPv4 echo request (ping), type 8.</summary>
    public static IcmpType EchoRequestV4 { get; } = new(Resources.IcmpFamily.IPv4, 8);

    /// <summary>ICMPv6 echo request (ping), type 128.</summary>
    public static IcmpType EchoRequestV6 { get; } = new(Resources.IcmpFamily.IPv6, 128);

    /// <summary>An ICMPv4 type by number.</summary>
    /// <param name="type">0-255.</param>
    /// <returns>The type.</returns>
    public static IcmpType V4(int type) => new(Resources.IcmpFamily.IPv4, Check(type));

    /// <summary>An ICMPv6 type by number.</summary>
    /// <param name="type">0-255.</param>
    /// <returns>The type.</returns>
    public static IcmpType V6(int type) => new(Resources.IcmpFamily.IPv6, Check(type));

    internal Resources.IcmpField ToGenerated() => new()
    {
        Family = Family == Resources.IcmpFamily.IPv4 ? Resources.IcmpFamily.IPv4 : Resources.IcmpFamily.IPv6,
        Type = Type,
    };

    private static int Check(int type) =>
        type is < 0 or > 255 ? throw new ArgumentOutOfRangeException(nameof(type), type, "an ICMP type is 0-255") : type;
}

