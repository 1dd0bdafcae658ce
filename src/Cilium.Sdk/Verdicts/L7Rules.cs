using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Cilium.Sdk.Resources;

namespace Cilium.Sdk.Verdicts;

/// <summary>The L7 part of one <c>toPorts</c> entry: HTTP and DNS rules the proxy enforces, or a note on what it
/// cannot check (Kafka, generic L7, listeners, server names).</summary>
internal sealed class CompiledL7
{
    private readonly List<HttpMatcher> http = [];
    private readonly List<Regex?> dns = [];

    /// <summary>What the proxy filters that a flow cannot carry (Kafka requests, generic L7, a listener, TLS SNI), or null.</summary>
    public string? Other { get; private set; }

    public int HttpCount => http.Count;

    public int DnsCount => dns.Count;

    public static CompiledL7? From(PortRule rule)
    {
        var l7 = new CompiledL7();
        var any = false;
        if (rule.Rules is { } r)
        {
            foreach (var h in r.Http ?? [])
            {
                if (h is not null)
                {
                    any = true;
                    l7.http.Add(HttpMatcher.From(h));
                }
            }

            foreach (var d in r.Dns ?? [])
            {
                if (d is not null)
                {
                    any = true;
                    l7.dns.Add(DnsNames.Pattern(d.MatchName, d.MatchPattern));
                }
            }

            if (r.Kafka is { Count: > 0 })
            {
                any = true;
                l7.Other = "Kafka rules then filter each request";
            }
            else if (r.L7proto is not null || r.L7 is { Count: > 0 })
            {
                any = true;
                l7.Other = $"the '{r.L7proto}' L7 parser then filters each request";
            }
        }

        if (rule.Listener is { } listener)
        {
            any = true;
            l7.Other ??= $"the Envoy listener '{listener.Name}' then handles the connection";
        }
        else if (rule.ServerNames is { Count: > 0 } && l7.http.Count == 0)
        {
            any = true;
            l7.Other ??= $"TLS server names ({string.Join(", ", rule.ServerNames)}) are then checked";
        }

        return any ? l7 : null;
    }

    /// <summary>Whether the union <paramref name="set"/> of L7 rules (the ones on the port the flow's key selects)
    /// lets the flow's request through; without a request, the connection passes at L4 and <paramref name="note"/> says
    /// what the proxy filters.</summary>
    public static Tri Evaluate(IReadOnlyList<CompiledL7> set, Flow flow, out string? why, out string? note)
    {
        why = null;
        note = null;
        if (flow.Http is null && flow.DnsQuery is null)
        {
            var httpRules = set.Sum(l => l.http.Count);
            var dnsRules = set.Sum(l => l.dns.Count);
            var parts = new List<string>();
            if (httpRules > 0)
            {
                parts.Add($"{httpRules} HTTP rule(s) then filter each request (give the flow an HTTP request to check it)");
            }

            if (dnsRules > 0)
            {
                parts.Add($"{dnsRules} DNS rule(s) then filter each query (give the flow a DNS query to check it)");
            }

            parts.AddRange(set.Select(l => l.Other).Where(o => o is not null).Distinct()!);
            note = "the connection is redirected to the proxy; " + string.Join("; ", parts);
            return Tri.Yes;
        }

        var result = Tri.No;
        foreach (var l7 in set)
        {
            var m = l7.Matches(flow, out var w);
            if (m == Tri.Yes)
            {
                note = flow.Http is not null ? "HTTP " + flow.Http + " matches an HTTP rule" : "DNS query " + flow.DnsQuery + " matches a DNS rule";
                return Tri.Yes;
            }

            if (m == Tri.Unknown)
            {
                result = Tri.Unknown;
                why ??= w;
            }
        }

        return result;
    }

    private Tri Matches(Flow flow, out string? why)
    {
        why = null;
        if (Other is not null && http.Count == 0 && dns.Count == 0)
        {
            why = Other + ", which the engine does not model";
            return Tri.Unknown;
        }

        if (flow.Http is not null)
        {
            var result = Tri.No;
            foreach (var h in http)
            {
                var m = h.Matches(flow.Http, out var w);
                if (m == Tri.Yes)
                {
                    return Tri.Yes;
                }

                if (m == Tri.Unknown)
                {
                    result = Tri.Unknown;
                    why ??= w;
                }
            }

            return result;
        }

        return dns.Any(d => d?.IsMatch(flow.DnsQuery!) == true) ? Tri.Yes : Tri.No;
    }

    /// <summary>One HTTP rule: method, path and host as whole-value regular expressions, required headers, header matches.</summary>
    private sealed class HttpMatcher
    {
        private Regex? method;
        private Regex? path;
        private Regex? host;
        private IList<string> headers = [];
        private IList<HeaderMatch> headerMatches = [];
        private string? bad;

        public static HttpMatcher From(HttpRule rule)
        {
            var m = new HttpMatcher { headers = rule.Headers ?? [], headerMatches = rule.HeaderMatches ?? [] };
            m.method = m.Full(rule.Method);
            m.path = m.Full(rule.Path);
            m.host = m.Full(rule.Host);
            return m;
        }

        public Tri Matches(HttpRequest request, out string? why)
        {
            why = null;
            if (bad is not null)
            {
                why = bad;
                return Tri.Unknown;
            }

            if ((method is not null && !method.IsMatch(request.Method)) || (path is not null && !path.IsMatch(request.Path)))
            {
                return Tri.No;
            }

            var result = Tri.Yes;
            if (host is not null)
            {
                if (request.Host is null)
                {
                    why = "the rule matches on the HTTP host, which the flow does not carry";
                    result = Tri.Unknown;
                }
                else if (!host.IsMatch(request.Host))
                {
                    return Tri.No;
                }
            }

            foreach (var h in headers)
            {
                var colon = h.IndexOf(':', StringComparison.Ordinal);
                var name = colon < 0 ? h.Trim() : h[..colon].Trim();
                var value = colon < 0 ? null : h[(colon + 1)..].Trim();
                var m = Header(request, name, value, ref why);
                if (m == Tri.No)
                {
                    return Tri.No;
                }

                if (m == Tri.Unknown)
                {
                    result = Tri.Unknown;
                }
            }

            foreach (var hm in headerMatches)
            {
                if (hm is null)
                {
                    continue;
                }

                Tri m;
                if (hm.Secret is not null)
                {
                    why ??= $"the header match on '{hm.Name}' compares with a secret, which the engine cannot read";
                    m = Tri.Unknown;
                }
                else
                {
                    m = Header(request, hm.Name, hm.Value, ref why);
                }

                // With a mismatch action the proxy logs or rewrites the header and lets the request through.
                if (hm.Mismatch is not null && m != Tri.Yes)
                {
                    m = Tri.Yes;
                }

                if (m == Tri.No)
                {
                    return Tri.No;
                }

                if (m == Tri.Unknown)
                {
                    result = Tri.Unknown;
                }
            }

            return result;
        }

        private static Tri Header(HttpRequest request, string name, string? value, ref string? why)
        {
            if (request.Headers is null)
            {
                why ??= "the rule requires headers and the flow's headers are not known";
                return Tri.Unknown;
            }

            var found = request.Headers.FirstOrDefault(kv => string.Equals(kv.Key, name, StringComparison.OrdinalIgnoreCase));
            if (found.Key is null)
            {
                return Tri.No;
            }

            return string.IsNullOrEmpty(value) || string.Equals(found.Value, value, StringComparison.Ordinal) ? Tri.Yes : Tri.No;
        }

        private Regex? Full(string? pattern)
        {
            if (pattern is null)
            {
                return null;
            }

            try
            {
                return new Regex("^(?:" + pattern + ")$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
            }
            catch (ArgumentException)
            {
                bad ??= $"the HTTP pattern '{pattern}' is not a regular expression .NET's RE2-like engine accepts";
                return null;
            }
            catch (NotSupportedException)
            {
                bad ??= $"the HTTP pattern '{pattern}' uses constructs RE2 does not have";
                return null;
            }
        }
    }
}
