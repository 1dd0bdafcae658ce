using System;
using System.Collections.Generic;
using System.Text;

namespace CrdKit.Generators;

/// <summary>
/// The namespace generated code goes into. A project's <c>RootNamespace</c> is the project name unless set (the SDK
/// only replaces spaces, so a project <c>cil-cnp</c> has <c>cil-cnp</c>), so it is made a valid namespace the way
/// <c>dotnet new</c> names a project's namespace: characters that cannot be in an identifier become <c>_</c>, a
/// segment that would start with a digit gets a leading <c>_</c>; also a keyword segment gets one, and empty
/// segments are dropped.
/// </summary>
internal static class Namespaces
{
    /// <summary>The namespace when the project gives none.</summary>
    public const string Fallback = "Generated";

    /// <summary>Whether <paramref name="name"/> can be written as is after <c>namespace</c> (dotted identifiers,
    /// no keyword, no <c>@</c>, no <c>global::</c>).</summary>
    public static bool IsValid(string name)
    {
        if (name.Length == 0)
        {
            return false;
        }

        foreach (var segment in name.Split('.'))
        {
            if (!Identifiers.IsValid(segment))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A valid namespace made from <paramref name="name"/> (see the class remarks); <see cref="Fallback"/>
    /// when nothing of it is left.</summary>
    public static string Safe(string? name)
    {
        var segments = new List<string>();
        foreach (var raw in (name ?? string.Empty).Trim().Split('.'))
        {
            var segment = raw.Trim();
            if (segment.Length == 0)
            {
                continue;
            }

            var builder = new StringBuilder(segment.Length + 1);
            for (var i = 0; i < segment.Length; i++)
            {
                var c = segment[i];
                if (char.IsHighSurrogate(c) && i + 1 < segment.Length && char.IsLowSurrogate(segment[i + 1]))
                {
                    i++; // one replacement for the pair, as for any character outside an identifier
                    builder.Append('_');
                }
                else
                {
                    builder.Append(char.IsLetterOrDigit(c) || c == '_' ? c : '_');
                }
            }

            if (char.IsDigit(builder[0]) || !Identifiers.IsValid(builder.ToString()))
            {
                builder.Insert(0, '_');
            }

            segments.Add(builder.ToString());
        }

        return segments.Count == 0 ? Fallback : string.Join(".", segments);
    }
}
