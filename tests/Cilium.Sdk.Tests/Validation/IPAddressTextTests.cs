using System.Net;
using Cilium.Sdk.Validation;
using CrdKit.Validation;

namespace Cilium.Sdk.Tests.Validation;

/// <summary>The one address parser against the behaviour Go's net/netip documents for ParseAddr and ParsePrefix
/// (zones aside, which the SDK refuses everywhere).</summary>
public sealed class IPAddressTextTests
{
    [Theory]
    [InlineData("0.0.0.0", "0.0.0.0")]
    [InlineData("192.168.140.255", "192.168.140.255")]
    [InlineData("255.255.255.255", "255.255.255.255")]
    [InlineData("::", "::")]
    [InlineData("::1", "::1")]
    [InlineData("fd7a:115c:a1e0:ab12:4843:cd96:626b:430b", "fd7a:115c:a1e0:ab12:4843:cd96:626b:430b")]
    [InlineData("fd7a:115c::626b:430b", "fd7a:115c::626b:430b")]
    [InlineData("fd7a:115c:a1e0:ab12:4843:cd96::", "fd7a:115c:a1e0:ab12:4843:cd96::")]
    [InlineData("fd7a:115c:a1e0:ab12:4843:cd96:626b::", "fd7a:115c:a1e0:ab12:4843:cd96:626b:0")]
    [InlineData("fd7a:115c:a1e0::4843:cd96:626b:430b", "fd7a:115c:a1e0:0:4843:cd96:626b:430b")]
    [InlineData("::ffff:192.168.140.255", "::ffff:192.168.140.255")]
    [InlineData("1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304")]
    [InlineData("FD9E:1A04:F01D::1", "fd9e:1a04:f01d::1")]
    [InlineData("fe80::01", "fe80::1")] // leading zeros in a hex group are fine
    public void Accepts_what_Go_accepts(string text, string canonical)
    {
        Assert.True(IPAddressText.TryParse(text, out var address));
        Assert.Equal(IPAddress.Parse(canonical), address);
    }

    [Theory]
    [InlineData("")]
    [InlineData("bad")]
    [InlineData("1234")] // a single number
    [InlineData("1.2.3.4%eth0")]
    [InlineData(".1.2.3")]
    [InlineData("1.2.3.")]
    [InlineData("1..2.3")]
    [InlineData("1.2.3.4.5")]
    [InlineData("0300.0250.0214.0377")] // octal
    [InlineData("0xc0.0xa8.0x8c.0xff")] // hex
    [InlineData("192.168.12345")] // class B form
    [InlineData("127.0.1")]
    [InlineData("192.1234567")] // class A form
    [InlineData("127.1")]
    [InlineData("192.168.300.1")]
    [InlineData("192.168.0.1.5.6")]
    [InlineData("010.000.015.001")] // leading zeros
    [InlineData("000001.00000002.00000003.000000004")]
    [InlineData("1.2.3.04")]
    [InlineData(" 1.2.3.4")]
    [InlineData("1.2.3.4 ")]
    [InlineData("1.2.3.4\n")]
    [InlineData("+1.2.3.4")]
    [InlineData("\u0661.\u0662.\u0663.\u0664")] // Arabic-Indic digits are digits to char.IsDigit, not to Go
    [InlineData("::ffff:1.2.03.4")]
    [InlineData("1:2:3:4:5:6:7")]
    [InlineData("1:2:3:4:5:6:7:8:9")]
    [InlineData("1:2:3:4::5:6:7:8")] // "::" must stand for at least one group
    [InlineData("fe801::1")]
    [InlineData("fe80:tail:scal:e::")]
    [InlineData("fe80::1%")]
    [InlineData("fe80::1%eth0")] // Go accepts zones; Kubernetes' isIP and the SDK do not
    [InlineData("ffff:ffff:ffff:ffff:ffff:ffff:ffff:192.168.140.255")]
    [InlineData("ffff::ffff:ffff:ffff:ffff:ffff:ffff:192.168.140.255")]
    [InlineData("1:2:1.2.3.4")] // a dotted tail only replaces the last two groups
    [InlineData("::ffff:192.168.140.bad")]
    [InlineData("fe80::1::1")]
    [InlineData("fe80:1?:1")]
    [InlineData("fe80:")]
    [InlineData(":1::")]
    [InlineData("[::1]")]
    public void Refuses_what_Go_refuses(string text)
    {
        Assert.False(IPAddressText.TryParse(text, out var address), $"read as {address}");
    }

    [Theory]
    [InlineData("192.168.1.10", 0xC0A8010Au)]
    [InlineData("0.0.0.0", 0u)]
    [InlineData("255.255.255.255", uint.MaxValue)]
    public void IPv4_is_read_as_a_big_endian_number(string text, uint expected)
    {
        Assert.True(IPAddressText.TryParseIPv4(text, out var value));
        Assert.Equal(expected, value);
        Assert.False(IPAddressText.TryParseIPv4("::ffff:" + text, out _));
    }

    [Theory]
    [InlineData("1.2.3.4/24", "1.2.3.4", 24)]
    [InlineData("10.0.0.0/0", "10.0.0.0", 0)]
    [InlineData("10.0.0.0/32", "10.0.0.0", 32)]
    [InlineData("::/0", "::", 0)]
    [InlineData("fd7a:115c:a1e0:ab12:4843:cd96:626b:430b/118", "fd7a:115c:a1e0:ab12:4843:cd96:626b:430b", 118)]
    [InlineData("::ffff:192.168.140.255/8", "::ffff:192.168.140.255", 8)]
    [InlineData("2001:db8::/128", "2001:db8::", 128)]
    public void Prefixes_keep_the_address_as_written(string text, string address, int length)
    {
        Assert.True(IPAddressText.TryParsePrefix(text, out var parsed, out var prefix));
        Assert.Equal(IPAddress.Parse(address), parsed);
        Assert.Equal(length, prefix);
    }

    [Theory]
    [InlineData("1.2.3.4")]
    [InlineData("1.2.3.4/")]
    [InlineData("/24")]
    [InlineData("1.2.3.4/33")]
    [InlineData("1.2.3.4/-1")]
    [InlineData("1.2.3.4/+1")]
    [InlineData("1.2.3.4/01")]
    [InlineData("1.1.1.0/032")]
    [InlineData("1.2.3.4/ 24")]
    [InlineData("1.2.3.4/24 ")]
    [InlineData("1.2.3.4/24/24")]
    [InlineData("01.2.3.4/24")]
    [InlineData("2001:db8::/129")]
    [InlineData("fe80::1%eth0/64")]
    public void Refuses_prefixes_Go_refuses(string text)
    {
        Assert.False(IPAddressText.TryParsePrefix(text, out _, out _));
        Assert.False(IPAddressText.TryParseNetwork(text, out _));
    }

    [Theory]
    [InlineData("10.0.0.0/8", true)]
    [InlineData("10.0.0.1/8", false)]
    [InlineData("10.128.0.0/9", true)]
    [InlineData("10.128.0.0/8", false)]
    [InlineData("0.0.0.0/0", true)]
    [InlineData("fd00::/8", true)]
    [InlineData("fd00::1/64", false)]
    public void A_network_has_no_bits_after_its_prefix(string text, bool valid)
    {
        Assert.True(IPAddressText.TryParsePrefix(text, out _, out _));
        Assert.Equal(valid, IPAddressText.TryParseNetwork(text, out var network));
        if (valid)
        {
            Assert.Equal(IPNetwork.Parse(text), network);
        }
    }
}
