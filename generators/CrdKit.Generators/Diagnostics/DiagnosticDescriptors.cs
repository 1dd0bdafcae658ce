using Microsoft.CodeAnalysis;

namespace CrdKit.Generators.Diagnostics;

/// <summary>Every diagnostic the generator reports. IDs are stable and tracked in AnalyzerReleases.*.md.</summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "CrdKit.Generators";

    public static readonly DiagnosticDescriptor Internal = new(
        "CRDGEN000", "Generator reported an unknown diagnostic", "The generator raised diagnostic '{0}', which it does not define ({1}); please report this", Category, DiagnosticSeverity.Warning, true);

    public static readonly DiagnosticDescriptor InvalidYaml = new(
        "CRDGEN001", "CRD file is not valid YAML", "{0}: {1}", Category, DiagnosticSeverity.Error, true);

    public static readonly DiagnosticDescriptor NotACrd = new(
        "CRDGEN002", "Document is not a CustomResourceDefinition", "Document {0} is a '{1}', not an apiextensions.k8s.io/v1 CustomResourceDefinition; it was skipped (remove it, or drop KubernetesCrd=\"true\" from this file)", Category, DiagnosticSeverity.Warning, true);

    public static readonly DiagnosticDescriptor MissingField = new(
        "CRDGEN003", "CRD field missing or invalid", "CustomResourceDefinition '{0}': {1}", Category, DiagnosticSeverity.Error, true);

    public static readonly DiagnosticDescriptor UnmappedConstruct = new(
        "CRDGEN004", "Schema construct not mapped", "{0}: {1}", Category, DiagnosticSeverity.Warning, true);

    public static readonly DiagnosticDescriptor BadReference = new(
        "CRDGEN005", "Schema reference cannot be resolved", "{0}: {1}", Category, DiagnosticSeverity.Error, true);

    public static readonly DiagnosticDescriptor NameClash = new(
        "CRDGEN006", "Generated type names clash", "{0}", Category, DiagnosticSeverity.Error, true);

    public static readonly DiagnosticDescriptor RuleNotTranslated = new(
        "CRDGEN007", "Validation rule not checked offline", "{0}: CEL rule '{1}' is not checked by Validate(): {2}", Category, DiagnosticSeverity.Info, true);

    public static readonly DiagnosticDescriptor RuleNotSupported = new(
        "CRDGEN010", "CEL rule not translated", "{0}: CEL rule '{1}' is outside the translated CEL subset ({2}); Validate() keeps it as a comment and does not check it (set KubernetesCrdUntranslatedRules=\"Warning\" on the file to make this a warning)", Category, DiagnosticSeverity.Info, true);

    public static readonly DiagnosticDescriptor UnknownType = new(
        "CRDGEN012", "Unknown schema type", "{0}: 'type: {1}' is not an OpenAPI type (object, array, string, integer, number, boolean); the field was mapped to JsonNode and is not checked", Category, DiagnosticSeverity.Warning, true);

    public static readonly DiagnosticDescriptor ConstraintNotChecked = new(
        "CRDGEN013", "Schema constraint not checked offline", "{0}: {1}; Validate() does not check it (set KubernetesCrdUntranslatedRules=\"Warning\" on the file to make this a warning)", Category, DiagnosticSeverity.Info, true);

    public static readonly DiagnosticDescriptor TooLarge = new(
        "CRDGEN008", "CRD file exceeds the generator's limits", "{0}", Category, DiagnosticSeverity.Error, true);

    public static readonly DiagnosticDescriptor InvalidName = new(
        "CRDGEN009", "Invalid C# name override", "{0}: '{1}' is not a valid C# identifier; use letters, digits and '_' and start with a letter", Category, DiagnosticSeverity.Error, true);

    public static readonly DiagnosticDescriptor InvalidNamespace = new(
        "CRDGEN011", "Invalid namespace for generated code", "KubernetesCrdNamespace '{0}' is not a valid C# namespace (dotted identifiers: letters, digits and '_', not starting with a digit, no keywords); the code is generated into '{1}' instead: write that, or another valid namespace", Category, DiagnosticSeverity.Error, true);

    public static DiagnosticDescriptor? Find(string id) => id switch
    {
        "CRDGEN000" => Internal,
        "CRDGEN001" => InvalidYaml,
        "CRDGEN002" => NotACrd,
        "CRDGEN003" => MissingField,
        "CRDGEN004" => UnmappedConstruct,
        "CRDGEN005" => BadReference,
        "CRDGEN006" => NameClash,
        "CRDGEN007" => RuleNotTranslated,
        "CRDGEN008" => TooLarge,
        "CRDGEN009" => InvalidName,
        "CRDGEN010" => RuleNotSupported,
        "CRDGEN011" => InvalidNamespace,
        "CRDGEN012" => UnknownType,
        "CRDGEN013" => ConstraintNotChecked,
        _ => null,
    };
}
