using System;
using System.Collections.Generic;
using System.Text;

namespace CrdKit.Generators;

/// <summary>Turns wire names (camelCase, kebab-case, dotted, numeric) into C# identifiers.</summary>
internal static class Identifiers
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const",
        "continue", "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit",
        "extern", "false", "finally", "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int",
        "interface", "internal", "is", "lock", "long", "namespace", "new", "null", "object", "operator", "out",
        "override", "params", "private", "protected", "public", "readonly", "ref", "return", "sbyte", "sealed",
        "short", "sizeof", "stackalloc", "static", "string", "struct", "switch", "this", "throw", "true", "try",
        "typeof", "uint", "ulong", "unchecked", "unsafe", "ushort", "using", "virtual", "void", "volatile", "while",
    };

    public static bool IsValid(string name)
    {
        if (name.Length == 0 || !(char.IsLetter(name[0]) || name[0] == '_'))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return !Keywords.Contains(name);
    }

    /// <summary>
    /// PascalCase for a wire name: separators ('-', '.', '_', '/', ' ') start a new word, the first letter is
    /// upper-cased, everything else is kept ("toPorts" -> "ToPorts", "kube-proxy" -> "KubeProxy",
    /// "TCP" -> "TCP", "8080" -> "_8080"). An empty result becomes "Empty".
    /// </summary>
    public static string Pascal(string wireName)
    {
        var builder = new StringBuilder(wireName.Length + 1);
        var upperNext = true;
        foreach (var c in wireName)
        {
            if (char.IsLetterOrDigit(c))
            {
                builder.Append(upperNext ? char.ToUpperInvariant(c) : c);
                upperNext = false;
            }
            else
            {
                upperNext = true;
            }
        }

        if (builder.Length == 0)
        {
            return "Empty";
        }

        if (char.IsDigit(builder[0]))
        {
            builder.Insert(0, '_');
        }

        return builder.ToString();
    }

    /// <summary>Escapes a C# keyword with '@' (used for parameter and local names).</summary>
    public static string Escape(string name) => Keywords.Contains(name) ? "@" + name : name;
}
