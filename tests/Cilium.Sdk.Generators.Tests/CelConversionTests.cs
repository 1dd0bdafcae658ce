using System.Reflection;
using System.Text.Json;
using Cilium.Sdk.Generators.Tests.Infrastructure;
using CrdKit.Validation;

namespace Cilium.Sdk.Generators.Tests;

/// <summary>
/// Issue 18, item 3: CEL's int()/double()/string() conversions, timestamp() and the Kubernetes quantity library.
/// Each rule holds for a good value and fails for a bad one; a value the conversion cannot take (a CEL error) leaves
/// the rule undecided here, never a false violation.
/// </summary>
public sealed class CelConversionTests
{
    private static readonly Lazy<GeneratorOutcome> Outcome = new(() => GeneratorHarness.Run(GeneratorHarness.Crd("timers.yaml", CrdText.Single("Timer",
        "{type: object, properties: {"
        + "count: {type: string, x-kubernetes-validations: [{rule: \"int(self) > 0\", message: count must be positive}]}, "
        + "ratio: {type: string, x-kubernetes-validations: [{rule: \"double(self) <= 1.0\", message: ratio at most 1}]}, "
        + "port: {type: integer, x-kubernetes-validations: [{rule: \"string(self).size() <= 4\", message: port has at most 4 digits}]}, "
        + "start: {type: string}, end: {type: string}, "
        + "memory: {type: string, x-kubernetes-validations: [{rule: \"isQuantity(self) && quantity(self).isLessThan(quantity('2Gi'))\", message: memory below 2Gi}]}, "
        + "cpu: {type: string, x-kubernetes-validations: [{rule: \"quantity(self).compareTo(quantity('500m')) >= 0 && quantity(self) <= quantity('4')\", message: cpu between 500m and 4}]}, "
        + "replicas: {type: string, x-kubernetes-validations: [{rule: \"quantity(self).isInteger() && quantity(self).asInteger() < 10\", message: whole replicas below 10}]}}, "
        + "x-kubernetes-validations: [{rule: \"!has(self.start) || !has(self.end) || timestamp(self.end) - timestamp(self.start) >= duration('1h')\", message: at least an hour}, "
        + "{rule: \"!has(self.start) || timestamp(self.start) > timestamp('2020-01-01T00:00:00Z')\", message: starts after 2020}]}"))));

    public static TheoryData<string, string?> Cases() => new()
    {
        { """{"count":"3"}""", null },
        { """{"count":"-3"}""", "count must be positive" },
        { """{"count":"3.5"}""", null }, // int("3.5") is a CEL error: undecided, not a violation
        { """{"ratio":"0.25"}""", null },
        { """{"ratio":"1.5"}""", "ratio at most 1" },
        { """{"ratio":"0x1p-2"}""", null }, // Go reads hex floats; not decided here
        { """{"port":8080}""", null },
        { """{"port":65535}""", "port has at most 4 digits" },
        { """{"memory":"1Gi"}""", null },
        { """{"memory":"1.5Gi"}""", null },
        { """{"memory":"2048Mi"}""", "memory below 2Gi" },
        { """{"memory":"3e9"}""", "memory below 2Gi" },
        { """{"memory":"lots"}""", "memory below 2Gi" }, // isQuantity is false: the rule is false
        { """{"cpu":"500m"}""", null },
        { """{"cpu":"0.5"}""", null },
        { """{"cpu":"499m"}""", "cpu between 500m and 4" },
        { """{"cpu":"4001m"}""", "cpu between 500m and 4" },
        { """{"replicas":"3"}""", null },
        { """{"replicas":"2500m"}""", "whole replicas below 10" },
        { """{"replicas":"1e1"}""", "whole replicas below 10" },
        { """{"start":"2024-05-01T10:00:00Z","end":"2024-05-01T11:30:00+01:00"}""", "at least an hour" },
        { """{"start":"2024-05-01T10:00:00Z","end":"2024-05-01T11:00:00.5Z"}""", null },
        { """{"start":"2019-12-31T23:59:59Z"}""", "starts after 2020" },
        { """{"start":"2024-05-01 10:00:00"}""", null }, // not RFC 3339: a CEL error, undecided
    };

    [Fact]
    public void The_rules_are_translated_and_compile()
    {
        Assert.Empty(Outcome.Value.GeneratorDiagnostics);
        Assert.Empty(Outcome.Value.CompileProblems);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_rule_holds_or_fails_as_cel_decides(string spec, string? message)
    {
        var errors = Validate(spec);
        if (message is null)
        {
            Assert.Empty(errors);
        }
        else
        {
            Assert.Equal(message, Assert.Single(errors).Message);
        }
    }

    [Theory]
    [InlineData("1", "1000000000")]
    [InlineData("+1.5Gi", "1610612736000000000")]
    [InlineData("-1k", "-1000000000000")]
    [InlineData("1n", "1")]
    [InlineData("0.1n", "1")] // rounded up to a nano
    [InlineData("1e3", "1000000000000")]
    [InlineData("1E-3", "1000000")]
    [InlineData(".5", "500000000")]
    [InlineData("5.", "5000000000")]
    [InlineData("0", "0")]
    [InlineData("+", "0")] // resource.ParseQuantity reads a bare sign as zero
    [InlineData("1e100", "10000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000")] // the fast path keeps it exact
    [InlineData("12345678901234567890", "9223372036854775807000000000")] // over 18 digits: the slow path caps it at 2^63-1
    [InlineData("1Ei", "1152921504606846976000000000")]
    public void Quantities_parse_as_resource_ParseQuantity_does(string text, string nanos)
    {
        Assert.True(CelFunctions.IsQuantity(text), text);
        Assert.Equal(System.Numerics.BigInteger.Parse(nanos, System.Globalization.CultureInfo.InvariantCulture), CelFunctions.Quantity(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("1KiB")]
    [InlineData("1 Gi")]
    [InlineData("1ki")]
    [InlineData("1e")]
    [InlineData("1e+")]
    [InlineData("1.2.3")]
    [InlineData("Gi")]
    public void Text_that_is_not_a_quantity_is_refused(string text)
    {
        // "Gi" alone: the suffix is valid and the number empty, which ParseQuantity reads as 0Gi; the others are refused.
        Assert.Equal(text == "Gi", CelFunctions.IsQuantity(text));
    }

    private static IReadOnlyList<ValidationError> Validate(string spec)
    {
        var assembly = Loaded.Value;
        var json = """{"apiVersion":"example.io/v1","kind":"Timer","metadata":{"name":"t"},"spec":""" + spec + "}";
        var type = assembly.GetType("Consumer.Crds.V1.Timer", throwOnError: true)!;
        var context = (System.Text.Json.Serialization.JsonSerializerContext)assembly.GetType("Consumer.Crds.CrdsJsonContext", throwOnError: true)!.GetProperty("Default")!.GetValue(null)!;
        var timer = JsonSerializer.Deserialize(json, type, context.Options)!;
        return (IReadOnlyList<ValidationError>)type.GetMethod("Validate", [typeof(string)])!.Invoke(timer, [null])!;
    }

    private static readonly Lazy<Assembly> Loaded = new(() => Outcome.Value.Load());
}
