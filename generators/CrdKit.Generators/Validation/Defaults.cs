using System;
using System.Globalization;
using System.Linq;
using CrdKit.Generators.Emitting;
using CrdKit.Generators.Model;

namespace CrdKit.Generators.Validation;

/// <summary>Schema defaults as C# literals: checks read an absent field with a default as the API server sees it, defaulted.</summary>
internal static class Defaults
{
    /// <summary>The C# literal for a scalar default, or null when the default is not a scalar of the property's type.</summary>
    public static string? Literal(string json, TypeRef type, Func<string, EnumPlan?> enums)
    {
        switch (type.Kind)
        {
            case RefKind.Int32:
            case RefKind.Int64:
                return long.TryParse(json, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? l.ToString(CultureInfo.InvariantCulture) : null;
            case RefKind.Double:
                return double.TryParse(json, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d.ToString("R", CultureInfo.InvariantCulture) + "d" : null;
            case RefKind.Boolean:
                return json is "true" or "false" ? json : null;
            case RefKind.String when json.Length >= 2 && json[0] == '"' && json.IndexOf('\\') < 0:
                return SourceWriter.Literal(json.Substring(1, json.Length - 2));
            case RefKind.Enum when json.Length >= 2 && json[0] == '"' && json.IndexOf('\\') < 0:
                var wire = json.Substring(1, json.Length - 2);
                var member = enums(type.FullName)?.Members.FirstOrDefault(m => m.WireValue == wire);
                return member is null ? null : $"{type.FullName}.{member.Name}";
            default:
                return null;
        }
    }
}
