using System;
using System.Linq;
using System.Text.Json.Nodes;

namespace Cilium.Sdk.Conformance.Tests;

/// <summary>
/// Converts a CRD's structural OpenAPI v3 schema into JSON Schema (draft 2020-12) for a JSON-Schema validator.
/// Mapped: <c>x-kubernetes-int-or-string</c> (integer or string), <c>x-kubernetes-preserve-unknown-fields</c> and
/// <c>x-kubernetes-embedded-resource</c> (any further fields allowed), <c>nullable</c> (null allowed), OpenAPI 3.0's
/// boolean <c>exclusiveMinimum</c>/<c>exclusiveMaximum</c>, <c>x-kubernetes-list-type: set</c> (uniqueItems); an object
/// with properties and no additionalProperties rejects other fields (strict field validation, kubectl's default).
/// Ignored, because JSON Schema cannot say them or the validator does not check them: CEL rules
/// (<c>x-kubernetes-validations</c>), <c>x-kubernetes-list-type: map</c> key uniqueness, <c>x-kubernetes-map-type</c>,
/// <c>format</c> (Kubernetes formats such as cidr and int32 are not JSON Schema formats; Validate() checks them), and
/// defaulting. Those are covered by the SDK's own Validate() tests.
/// </summary>
internal static class StructuralSchemaToJsonSchema
{
    public static JsonObject Convert(JsonObject schema)
    {
        var result = ConvertNode(schema);
        result["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        return result;
    }

    private static JsonObject ConvertNode(JsonObject schema)
    {
        var result = new JsonObject();
        var intOrString = schema["x-kubernetes-int-or-string"]?.GetValue<bool>() == true;
        var preserve = schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true
            || schema["x-kubernetes-embedded-resource"]?.GetValue<bool>() == true;
        var nullable = schema["nullable"]?.GetValue<bool>() == true;
        var exclusiveMinimum = schema["exclusiveMinimum"]?.GetValue<bool>() == true;
        var exclusiveMaximum = schema["exclusiveMaximum"]?.GetValue<bool>() == true;
        foreach (var (key, value) in schema)
        {
            switch (key)
            {
                case "properties":
                    var properties = new JsonObject();
                    foreach (var (name, property) in value!.AsObject())
                    {
                        properties[name] = ConvertNode(property!.AsObject());
                    }

                    result[key] = properties;
                    break;
                case "items" or "not":
                    result[key] = ConvertNode(value!.AsObject());
                    break;
                case "additionalProperties":
                    result[key] = value is JsonObject additional ? ConvertNode(additional) : value!.DeepClone();
                    break;
                case "allOf" or "anyOf" or "oneOf":
                    result[key] = new JsonArray(value!.AsArray().Select(v => (JsonNode?)ConvertNode(v!.AsObject())).ToArray());
                    break;
                case "minimum":
                    result[exclusiveMinimum ? "exclusiveMinimum" : "minimum"] = value!.DeepClone();
                    break;
                case "maximum":
                    result[exclusiveMaximum ? "exclusiveMaximum" : "maximum"] = value!.DeepClone();
                    break;
                case "x-kubernetes-list-type":
                    if (value!.GetValue<string>() == "set")
                    {
                        result["uniqueItems"] = true;
                    }

                    break;
                case "enum":
                    var values = value!.AsArray().Select(v => v?.DeepClone()).ToList();
                    if (nullable)
                    {
                        values.Add(null);
                    }

                    result[key] = new JsonArray(values.ToArray());
                    break;
                case "pattern":
                    // RE2's one-letter Unicode classes (\PC) need braces in .NET's engine (\P{C}).
                    result[key] = System.Text.RegularExpressions.Regex.Replace(value!.GetValue<string>(), @"\\([pP])([A-Za-z])", @"\$1{$2}");
                    break;
                case "type" or "format" or "nullable" or "description" or "default" or "example" or "exclusiveMinimum" or "exclusiveMaximum":
                    break;
                default:
                    if (!key.StartsWith("x-kubernetes-", StringComparison.Ordinal))
                    {
                        result[key] = value?.DeepClone();
                    }

                    break;
            }
        }

        var types = new JsonArray();
        if (intOrString)
        {
            types.Add("integer");
            types.Add("string");
        }
        else if (schema["type"]?.GetValue<string>() is { } type)
        {
            types.Add(type);
        }

        if (types.Count > 0)
        {
            if (nullable)
            {
                types.Add("null");
            }

            result["type"] = types.Count == 1 ? types[0]!.DeepClone() : types;
        }

        if (schema["type"]?.GetValue<string>() == "object" && schema["properties"] is JsonObject && schema["additionalProperties"] is null && !preserve)
        {
            result["additionalProperties"] = false;
        }

        return result;
    }
}
