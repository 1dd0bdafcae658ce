using System;
using System.Globalization;
using Cilium.Sdk.Resources;

namespace Cilium.Sdk.Policies;

/// <summary>The L4 protocols a policy port can name.</summary>
public enum Protocol
{
    /// <summary>TCP.</summary>
    Tcp,

    /// <summary>UDP.</summary>
    Udp,

    /// <summary>SCTP (needs <c>sctp.enabled</c> in the agent).</summary>
    Sctp,

    /// <summary>Any of TCP, UDP and SCTP.</summary>
    Any,
}

/// <summary>
/// A destination port (or range, or named container port) with its protocol: one entry of a rule's
/// <c>toPorts[].ports</c>. Create with the named factories, such as <c>Port.Tcp(443)</c>.
/// </summary>
public sealed record Port
{
    private Port(string value, int? endPort, Protocol protocol)
    {
        Value = value;
        EndPort = endPort;
        Protocol = protocol;
    }

    /// <summary>The port number as text ("443"), or a named container port ("http").</summary>
    public string Value { get; }

    /// <summary>The last port of a range, or null for a single port.</summary>
    public int? EndPort { get; }

    /// <summary>The protocol.</summary>
    public Protocol Protocol { get; }

    /// <summary>Whether <see cref="Value"/> is a container port name rather than a number.</summary>
    public bool IsNamed => !int.TryParse(Value, NumberStyles.None, CultureInfo.InvariantCulture, out _);

    /// <summary>The port number, or null for a named port.</summary>
    public int? Number => int.TryParse(Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>A TCP port.</summary>
    /// <param name="port">1-65535.</param>
    /// <returns>The port.</returns>
    public static Port Tcp(int port) => Numbered(port, Protocol.Tcp);

    /// <summary>A UDP port.</summary>
    /// <param name="port">1-65535.</param>
    /// <returns>The port.</returns>
    public static Port Udp(int port) => Numbered(port, Protocol.Udp);

    /// <summary>An SCTP port.</summary>
    /// <param name="port">1-65535.</param>
    /// <returns>The port.</returns>
    public static Port Sctp(int port) => Numbered(port, Protocol.Sctp);

    /// <summary>A port on any of TCP, UDP and SCTP.</summary>
    /// <param name="port">1-65535.</param>
    /// <returns>The port.</returns>
    public static Port Any(int port) => Numbered(port, Protocol.Any);

    /// <summary>A TCP port range, both ends included.</summary>
    /// <param name="first">The first port.</param>
    /// <param name="last">The last port (greater than <paramref name="first"/>).</param>
    /// <returns>The range.</returns>
    public static Port TcpRange(int first, int last) => Range(first, last, Protocol.Tcp);

    /// <summary>A UDP port range, both ends included.</summary>
    /// <param name="first">The first port.</param>
    /// <param name="last">The last port (greater than <paramref name="first"/>).</param>
    /// <returns>The range.</returns>
    public static Port UdpRange(int first, int last) => Range(first, last, Protocol.Udp);

    /// <summary>A port range on a protocol, both ends included.</summary>
    /// <param name="first">The first port.</param>
    /// <param name="last">The last port (greater than <paramref name="first"/>).</param>
    /// <param name="protocol">The protocol.</param>
    /// <returns>The range.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A port is outside 1-65535 or the range is empty.</exception>
    public static Port Range(int first, int last, Protocol protocol)
    {
        CheckNumber(first, nameof(first));
        CheckNumber(last, nameof(last));
        if (last <= first)
        {
            throw new ArgumentOutOfRangeException(nameof(last), last, $"a port range must end after it starts ({first}); use a single port for one port");
        }

        return new Port(first.ToString(CultureInfo.InvariantCulture), last, protocol);
    }

    /// <summary>A named container port (as in the pod spec's <c>ports[].name</c>), on <paramref name="protocol"/>.</summary>
    /// <param name="name">The port name, 1-15 lower-case letters, digits and '-' (an IANA service name).</param>
    /// <param name="protocol">The protocol; TCP unless given.</param>
    /// <returns>The port.</returns>
    /// <exception cref="ArgumentException">The name is not an IANA service name.</exception>
    public static Port Named(string name, Protocol protocol = Protocol.Tcp)
    {
        ArgumentNullException.ThrowIfNull(name);
        var valid = name.Length is > 0 and <= 15
            && name[0] != '-' && name[^1] != '-'
            && name.IndexOf("--", StringComparison.Ordinal) < 0
            && HasLetter(name)
            && IsLowerAlnumDash(name);
        if (!valid)
        {
            throw new ArgumentException($"'{name}' is not a port name: use 1-15 lower-case letters, digits and single '-', with at least one letter (as in the pod's ports[].name)", nameof(name));
        }

        return new Port(name, null, protocol);
    }

    /// <summary>"443/TCP", "8000-8100/TCP" or "http/TCP".</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        EndPort is { } end
            ? string.Create(CultureInfo.InvariantCulture, $"{Value}-{end}/{ProtocolWire}")
            : $"{Value}/{ProtocolWire}";

    internal string ProtocolWire => Protocol switch
    {
        Protocol.Tcp => "TCP",
        Protocol.Udp => "UDP",
        Protocol.Sctp => "SCTP",
        _ => "ANY",
    };

    internal PortProtocol ToGenerated() => new()
    {
        Port = Value,
        EndPort = EndPort,
        Protocol = Protocol switch
        {
            Protocol.Tcp => PolicyProtocol.TCP,
            Protocol.Udp => PolicyProtocol.UDP,
            Protocol.Sctp => PolicyProtocol.SCTP,
            _ => PolicyProtocol.ANY,
        },
    };

    private static Port Numbered(int port, Protocol protocol)
    {
        CheckNumber(port, nameof(port));
        return new Port(port.ToString(CultureInfo.InvariantCulture), null, protocol);
    }

    private static void CheckNumber(int port, string name)
    {
        if (port is < 1 or > 65535)
        {
            throw new ArgumentOutOfRangeException(name, port, "a port is 1-65535 (0 would mean every port: leave the port out instead)");
        }
    }

    private static bool HasLetter(string s)
    {
        foreach (var c in s)
        {
            if (c is >= 'a' and <= 'z')
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsLowerAlnumDash(string s)
    {
        foreach (var c in s)
        {
            if (!(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
