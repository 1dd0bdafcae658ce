using Cilium.Sdk.Validation;
using CrdKit.Validation;

namespace Cilium.Sdk.Tests.Validation;

/// <summary>The pieces of <see cref="ValidationContext"/> that generated code leans on.</summary>
public sealed class ValidationContextTests
{
    [Theory]
    [InlineData("1.19", "1.20", -1)]
    [InlineData("1.20", "1.19", 1)]
    [InlineData("1.9", "1.10", -1)]
    [InlineData("1.20", "1.20.0", 0)]
    [InlineData("1.20.1", "1.20", 1)]
    [InlineData("2", "1.99", 1)]
    [InlineData("1.x", "1.0", 0)]
    [InlineData("", "0", 0)]
    public void Versions_compare_part_by_part_as_numbers(string a, string b, int sign)
    {
        Assert.Equal(sign, System.Math.Sign(ValidationContext.CompareVersions(a, b)));
        Assert.Equal(-sign, System.Math.Sign(ValidationContext.CompareVersions(b, a)));
    }

    [Fact]
    public void OneOf_and_AnyOf_report_only_a_violation_and_name_the_alternatives()
    {
        var context = new ValidationContext();
        context.OneOf("spec", "cidr\ncidrGroupRef", [true, false]);
        context.AnyOf("spec", "ingress\negress", [false, true]);
        Assert.True(context.IsValid);
        Assert.Empty(context.Errors);

        context.OneOf("spec", "cidr\ncidrGroupRef", [true, true]);
        context.AnyOf("spec", "ingress\negress", [false, false]);
        Assert.Equal(2, context.Errors.Count);
        Assert.Equal("'cidr', 'cidrGroupRef'", context.Errors[0].Value);
        Assert.Contains("needs exactly one of 'cidr', 'cidrGroupRef', found 2", context.Errors[0].Message, System.StringComparison.Ordinal);
        Assert.Contains("needs at least one of 'ingress', 'egress'", context.Errors[1].Message, System.StringComparison.Ordinal);
    }
}
