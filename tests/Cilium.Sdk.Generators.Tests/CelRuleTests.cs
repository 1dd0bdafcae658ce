using System.Reflection;
using System.Text.Json;
using Cilium.Sdk.Generators.Tests.Infrastructure;
using Cilium.Sdk.Validation;
using CrdKit.Validation;
using Microsoft.CodeAnalysis;

namespace Cilium.Sdk.Generators.Tests;

/// <summary>
/// One test per CEL form the translator supports (x-kubernetes-validations to C# in Validate()), run on a compiled
/// Gadget CRD: each rule holds for a valid object and fails, at the field that carries it, for a violating one.
/// Transition rules and rules outside the subset are surfaced as diagnostics, never dropped.
/// </summary>
public sealed class CelRuleTests
{
    private const string Crd = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: gadgets.example.io}
        spec:
          group: example.io
          names: {kind: Gadget, listKind: GadgetList, plural: gadgets, singular: gadget}
          scope: Namespaced
          versions:
            - name: v1
              served: true
              storage: true
              schema:
                openAPIV3Schema:
                  type: object
                  properties:
                    apiVersion: {type: string}
                    kind: {type: string}
                    metadata: {type: object}
                    spec:
                      type: object
                      required: [type]
                      properties:
                        keepAlive: {type: integer, format: int32, default: 30}
                        hold: {type: integer, format: int32, default: 90}
                        type: {type: string, enum: [Service, PodCIDR]}
                        service: {type: object, properties: {name: {type: string}}}
                        selector: {type: object, properties: {name: {type: string}}}
                        egressIP:
                          type: string
                          x-kubernetes-validations:
                            - {rule: "self == '' || isIP(self)", message: egressIP must be a valid IP address}
                        cidrs: {type: array, items: {type: string}}
                        pool: {type: array, items: {type: object, properties: {cidr: {type: string}}}}
                        name:
                          type: string
                          x-kubernetes-validations:
                            - {rule: "size(self) <= 5 && self.startsWith('a')"}
                        count:
                          type: integer
                          x-kubernetes-validations:
                            - {rule: "self % 2 == 0 ? self > 1 : self < 100", message: even counts above one, odd below 100}
                        ports:
                          type: array
                          items: {type: integer}
                          x-kubernetes-validations:
                            - {rule: "size(self) <= 3 && (size(self) == 0 || self.exists(x, x == 80))", message: at most 3 ports and one is 80}
                        labels:
                          type: object
                          additionalProperties: {type: string}
                          x-kubernetes-validations:
                            - {rule: "'app' in self", message: labels need app}
                        mode:
                          type: string
                          x-kubernetes-validations:
                            - {rule: self == oldSelf, message: mode is immutable}
                        weird:
                          type: string
                          x-kubernetes-validations:
                            - {rule: "url(self).getScheme() == 'https'", message: weird must be https}
                        net:
                          type: string
                          x-kubernetes-validations:
                            - {rule: "!isCIDR(self) || cidr(self).prefixLength() >= 16", message: prefix too short}
                        gateway:
                          type: string
                          x-kubernetes-validations:
                            - {rule: "ip(self).family() == 4", message: gateway must be IPv4}
                      x-kubernetes-validations:
                        - {rule: self.keepAlive <= self.hold, message: keepAlive must not exceed hold}
                        - {rule: "self.type != 'Service' || has(self.service)"}
                        - {rule: "self.type == 'PodCIDR' ? !has(self.selector) : true", message: PodCIDR takes no selector}
                        - {rule: "!has(self.pool) || self.pool.all(p, p.cidr in self.cidrs)", message: each pool entry must use a listed CIDR}
                        - {rule: "!has(self.service) || !has(self.service.name) || self.service.name.endsWith('-svc')", message: service names end in -svc}
        """;

    private static readonly Lazy<GeneratorOutcome> Outcome = new(() => GeneratorHarness.Run(GeneratorHarness.Crd("gadgets.yaml", Crd)));

    private static string Source => Outcome.Value.Source("example.io.Gadget.g.cs");

    [Fact]
    public void Generated_checks_compile_without_warnings()
    {
        Assert.Empty(Outcome.Value.CompileProblems);
    }

    [Fact]
    public void A_valid_object_passes_every_translated_rule()
    {
        Assert.Empty(Validate("""{"type":"Service","service":{"name":"web-svc"},"egressIP":"10.0.0.1","cidrs":["10.0.0.0/24"],"pool":[{"cidr":"10.0.0.0/24"}],"name":"abc","count":4,"ports":[80],"labels":{"app":"x"},"mode":"m","net":"10.0.0.0/16","gateway":"10.0.0.1"}"""));
    }

    [Fact]
    public void Comparison_of_two_fields_uses_schema_defaults_for_unset_fields()
    {
        Assert.Contains("(this.KeepAlive ?? 30) <= (this.Hold ?? 90)", Source);
        Assert.Empty(Validate("""{"type":"PodCIDR"}"""));
        var error = Assert.Single(Validate("""{"type":"PodCIDR","keepAlive":100}"""));
        Assert.Equal(("spec", "keepAlive must not exceed hold"), (error.Path, error.Message));
        Assert.Single(Validate("""{"type":"PodCIDR","hold":10}"""));
    }

    [Fact]
    public void Enum_compared_with_a_string_and_has_make_a_type_versus_field_rule_with_a_generated_message()
    {
        Assert.Matches(@"this\.Type == global::Consumer\.Crds\.\w+\.Service\b", Source);
        var error = Assert.Single(Validate("""{"type":"Service"}"""));
        Assert.Equal("spec", error.Path);
        Assert.Equal("violates the rule 'self.type != 'Service' || has(self.service)'", error.Message);
        Assert.Contains("self.type != 'Service'", error.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Ternary_and_negated_has()
    {
        Assert.Equal("PodCIDR takes no selector", Assert.Single(Validate("""{"type":"PodCIDR","selector":{}}""")).Message);
        Assert.Empty(Validate("""{"type":"Service","service":{},"selector":{}}"""));
    }

    [Fact]
    public void Is_ip_on_a_string_field_reports_the_field_and_its_value()
    {
        var error = Assert.Single(Validate("""{"type":"PodCIDR","egressIP":"10.1"}"""));
        Assert.Equal(("spec.egressIP", "10.1", "egressIP must be a valid IP address"), (error.Path, error.Value, error.Message));
        Assert.Empty(Validate("""{"type":"PodCIDR","egressIP":""}"""));
        Assert.Empty(Validate("""{"type":"PodCIDR","egressIP":"fd00::1"}"""));
    }

    [Fact]
    public void All_macro_with_in_over_a_list()
    {
        Assert.Contains("global::System.Linq.Enumerable.All(", Source);
        var error = Assert.Single(Validate("""{"type":"PodCIDR","cidrs":["10.0.0.0/24"],"pool":[{"cidr":"10.0.0.0/24"},{"cidr":"10.9.0.0/24"}]}"""));
        Assert.Equal("each pool entry must use a listed CIDR", error.Message);

        // An unset field the rule reads leaves the rule undecided, never a false violation.
        Assert.Empty(Validate("""{"type":"PodCIDR","pool":[{"cidr":"10.9.0.0/24"}]}"""));
    }

    [Fact]
    public void Size_and_string_functions()
    {
        Assert.Equal("spec.name", Assert.Single(Validate("""{"type":"PodCIDR","name":"abcdef"}""")).Path);
        Assert.Equal("spec.name", Assert.Single(Validate("""{"type":"PodCIDR","name":"bcd"}""")).Path);
        Assert.Single(Validate("""{"type":"Service","service":{"name":"web"}}"""));
    }

    [Fact]
    public void Arithmetic_and_ternary_over_an_integer_field()
    {
        Assert.Equal("spec.count", Assert.Single(Validate("""{"type":"PodCIDR","count":0}""")).Path);
        Assert.Single(Validate("""{"type":"PodCIDR","count":101}"""));
        Assert.Empty(Validate("""{"type":"PodCIDR","count":99}"""));
    }

    [Fact]
    public void Exists_macro_over_a_list_of_integers_and_in_over_a_map()
    {
        Assert.Equal("spec.ports", Assert.Single(Validate("""{"type":"PodCIDR","ports":[81]}""")).Path);
        Assert.Single(Validate("""{"type":"PodCIDR","ports":[80,1,2,3]}"""));
        Assert.Equal(("spec.labels", "labels need app"), Assert.Single(Validate("""{"type":"PodCIDR","labels":{"x":"y"}}""")) is var e ? (e.Path, e.Message) : default);
    }

    [Fact]
    public void Network_helpers_cidr_prefix_length_and_ip_family()
    {
        Assert.Equal("spec.net", Assert.Single(Validate("""{"type":"PodCIDR","net":"10.0.0.0/8"}""")).Path);
        Assert.Empty(Validate("""{"type":"PodCIDR","net":"not-a-cidr"}"""));
        Assert.Equal("gateway must be IPv4", Assert.Single(Validate("""{"type":"PodCIDR","gateway":"fd00::1"}""")).Message);

        // ip() of a non-address is a CEL error upstream; offline the rule is undecided (the format check reports it).
        Assert.Empty(Validate("""{"type":"PodCIDR","gateway":"nope"}"""));
    }

    [Fact]
    public void Transition_rule_is_an_info_diagnostic_and_a_doc_remark_and_is_not_checked()
    {
        var info = Assert.Single(Outcome.Value.GeneratorDiagnostics, d => d.Id == "CRDGEN007");
        Assert.Equal(DiagnosticSeverity.Info, info.Severity);
        Assert.Equal("gadgets.yaml", info.Location.GetLineSpan().Path);
        Assert.Equal(LineOf("rule: self == oldSelf"), info.Location.GetLineSpan().StartLinePosition.Line);
        Assert.Contains("Not checked offline: <c>self == oldSelf</c> on <c>mode</c>", Source, StringComparison.Ordinal);
        Assert.Contains("// CEL (transition rule, not checkable offline): self == oldSelf", Source, StringComparison.Ordinal);
        Assert.Empty(Validate("""{"type":"PodCIDR","mode":"changed"}"""));
    }

    [Fact]
    public void Rule_outside_the_subset_is_reported_once_as_info_at_its_line_and_kept_as_a_comment()
    {
        // Info: a consumer building with warnings as errors still builds; the rule is simply not checked offline.
        var warning = Assert.Single(Outcome.Value.GeneratorDiagnostics, d => d.Id == "CRDGEN010");
        Assert.Equal(DiagnosticSeverity.Info, warning.Severity);
        Assert.Equal(LineOf("rule: \"url(self).getScheme() == 'https'\""), warning.Location.GetLineSpan().StartLinePosition.Line);
        var message = warning.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("url(self).getScheme() == 'https'", message, StringComparison.Ordinal);
        Assert.Contains("function 'url'", message, StringComparison.Ordinal);
        Assert.Contains("// CEL (not translated, CRDGEN010: function 'url' with 1 argument(s) is not supported): url(self).getScheme() == 'https'", Source, StringComparison.Ordinal);
        Assert.Equal(2, Outcome.Value.GeneratorDiagnostics.Length);
    }

    [Theory]
    [InlineData("self.a ==", "unexpected end of rule")]
    [InlineData("self.a.map(x, x)", "map() needs a list or a map")]
    [InlineData("self.nope == 1", "'nope' is not a field")]
    [InlineData("self.a == 1", "'==' compares scalars of one type only")]
    [InlineData("'''x'''", "the rule needs a boolean")]
    public void Malformed_or_unsupported_rules_never_throw_and_say_why(string rule, string reason)
    {
        var crd = CrdText.Single("Odd", "{type: object, properties: {a: {type: string}}, x-kubernetes-validations: [{rule: \"" + rule.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"}]}");
        var outcome = GeneratorHarness.Run(GeneratorHarness.Crd("odd.yaml", crd));
        Assert.All(outcome.Result.Results, r => Assert.Null(r.Exception));
        var warning = Assert.Single(outcome.GeneratorDiagnostics);
        Assert.Equal("CRDGEN010", warning.Id);
        Assert.Contains(reason, warning.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.DoesNotContain(outcome.CompileProblems, d => d.Severity == DiagnosticSeverity.Error);
    }

    [Fact]
    public void The_sdk_schemas_translate_every_rule()
    {
        var files = Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "src", "Cilium.Sdk", "Schemas"), "*.yaml", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(f => GeneratorHarness.FromFile(f))
            .ToArray();
        var outcome = GeneratorHarness.Run(files);
        Assert.DoesNotContain(outcome.GeneratorDiagnostics, d => d.Severity >= DiagnosticSeverity.Warning || d.Id == "CRDGEN007");
        Assert.DoesNotContain("// CEL (not translated", outcome.AllSource, StringComparison.Ordinal);
        Assert.True(outcome.AllSource.Split("context.Rule(").Length - 1 >= 10, "expected every SDK rule to become a check");
    }

    private static int LineOf(string marker) =>
        Crd.Split('\n').Select((line, index) => (line, index)).Single(x => x.line.Contains(marker, StringComparison.Ordinal)).index;

    private static IReadOnlyList<ValidationError> Validate(string spec)
    {
        var assembly = Assembly;
        var json = "{\"apiVersion\":\"example.io/v1\",\"kind\":\"Gadget\",\"metadata\":{\"name\":\"g\"},\"spec\":" + spec + "}";
        var type = assembly.GetType("Consumer.Crds.V1.Gadget", throwOnError: true)!;
        var context = (System.Text.Json.Serialization.JsonSerializerContext)assembly.GetType("Consumer.Crds.CrdsJsonContext", throwOnError: true)!.GetProperty("Default")!.GetValue(null)!;
        var gadget = JsonSerializer.Deserialize(json, type, context.Options)!;
        return (IReadOnlyList<ValidationError>)type.GetMethod("Validate", new[] { typeof(string) })!.Invoke(gadget, new object?[] { null })!;
    }

    private static Assembly Assembly => LoadedAssembly.Value;

    private static readonly Lazy<Assembly> LoadedAssembly = new(() => Outcome.Value.Load());
}
