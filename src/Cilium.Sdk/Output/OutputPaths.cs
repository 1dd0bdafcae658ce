using System;
using System.Collections.Generic;

namespace Cilium.Sdk.Output;

/// <summary>The rules for a path inside an output tree, shared by the tree and the writer.</summary>
internal static class OutputPaths
{
    /// <summary>The writer's own folder at the output root; no generated file may live there.</summary>
    public const string StateFolder = ".cilium-sdk";

    /// <summary>The suffix every secret file must have, so SOPS encrypts it and Flux decrypts it.</summary>
    public const string SecretSuffix = ".sops.yaml";

    /// <summary>A relative path (<c>./a/../b</c>) resolved from <paramref name="folder"/> (relative to the output root,
    /// empty for the root), or null when it climbs above the root.</summary>
    public static string? Combine(string folder, string relative)
    {
        var segments = folder.Length == 0 ? new List<string>() : [.. folder.Split('/')];
        foreach (string segment in relative.Split('/'))
        {
            if (segment is "" or ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (segments.Count == 0)
                {
                    return null;
                }

                segments.RemoveAt(segments.Count - 1);
            }
            else
            {
                segments.Add(segment);
            }
        }

        return string.Join('/', segments);
    }

    /// <summary>Returns null when <paramref name="path"/> is a valid relative output path, else the reason and fix.</summary>
    public static string? Problem(string path)
    {
        if (path.Length == 0)
        {
            return "the path is empty. Fix: give a relative path such as kubernetes/apps/kustomization.yaml";
        }

        if (path.Contains('\\', StringComparison.Ordinal))
        {
            return "the path contains a backslash. Fix: separate folders with '/'";
        }

        if (path[0] == '/' || (path.Length >= 2 && path[1] == ':' && char.IsAsciiLetter(path[0])))
        {
            return "the path is absolute. Fix: give it relative to the output directory";
        }

        foreach (char c in path)
        {
            if (char.IsControl(c))
            {
                return "the path contains a control character. Fix: remove it";
            }
        }

        // Segment by segment over the text: this runs for every file of every render (thousands), so no Split.
        var rest = path.AsSpan();
        var slashAt = rest.IndexOf('/');
        var first = slashAt < 0 ? rest : rest[..slashAt];
        while (true)
        {
            var slash = rest.IndexOf('/');
            var segment = slash < 0 ? rest : rest[..slash];
            if (segment.Length == 0)
            {
                return "the path has an empty segment ('//' or a leading or trailing '/'). Fix: remove the extra '/'";
            }

            if (segment is "." or "..")
            {
                return $"the path has a '{segment}' segment. Fix: write the normalized path without '.' or '..'";
            }

            if (slash < 0)
            {
                break;
            }

            rest = rest[(slash + 1)..];
        }

        if (first.Equals(StateFolder, StringComparison.OrdinalIgnoreCase))
        {
            return $"the folder {StateFolder}/ is reserved for the writer's ownership manifest. Fix: choose another folder";
        }

        return null;
    }
}
