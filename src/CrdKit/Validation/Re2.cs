using System;
using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace CrdKit.Validation;

/// <summary>
/// RE2 patterns (what the API server runs for <c>pattern</c> and CEL <c>matches</c>) on .NET's non-backtracking engine,
/// which is linear time like RE2, with RE2's meaning where .NET's differs: <c>$</c> is the end of the text (not "before
/// a final line feed"), <c>\d</c>, <c>\w</c> and <c>\s</c> are ASCII, POSIX classes (<c>[[:alpha:]]</c>) and
/// <c>\pL</c> are spelled out, <c>(?P&lt;name&gt;</c> is <c>(?&lt;name&gt;</c>. A construct without an exact .NET
/// spelling (<c>\b</c>, whose .NET form is Unicode, <c>\C</c>, <c>\Q...\E</c>, lookaround, backreferences) makes the
/// pattern unsupported (null): the caller then does not check, rather than check with another meaning.
/// </summary>
internal static class Re2
{
    private static readonly ConcurrentDictionary<string, Regex?> Cache = new(StringComparer.Ordinal);

    /// <summary>The compiled pattern, or null when it has no exact .NET form.</summary>
    public static Regex? Compile(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        return Cache.GetOrAdd(pattern, static p =>
        {
            if (Translate(p) is not { } dotnet)
            {
                return null;
            }

            try
            {
                return new Regex(dotnet, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
            }
            catch (ArgumentException)
            {
                return null;
            }
        });
    }

    /// <summary>The .NET spelling of an RE2 pattern, or null.</summary>
    internal static string? Translate(string pattern)
    {
        var b = new StringBuilder(pattern.Length + 16);
        var inClass = false;
        var multiline = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\')
            {
                if (++i >= pattern.Length)
                {
                    return null;
                }

                var e = pattern[i];
                switch (e)
                {
                    case 'd': b.Append(inClass ? "0-9" : "[0-9]"); break;
                    case 'D': if (inClass) { return null; } b.Append("[^0-9]"); break;
                    case 'w': b.Append(inClass ? "0-9A-Za-z_" : "[0-9A-Za-z_]"); break;
                    case 'W': if (inClass) { return null; } b.Append("[^0-9A-Za-z_]"); break;
                    case 's': b.Append(inClass ? "\\t\\n\\f\\r " : "[\\t\\n\\f\\r ]"); break;
                    case 'S': if (inClass) { return null; } b.Append("[^\\t\\n\\f\\r ]"); break;
                    case 'b' or 'B': return null; // .NET's word boundary is Unicode, RE2's ASCII

                    case 'z': b.Append("\\z"); break;
                    case 'A': b.Append("\\A"); break;
                    case 'p' or 'P':
                        if (i + 1 < pattern.Length && pattern[i + 1] != '{')
                        {
                            b.Append('\\').Append(e).Append('{').Append(pattern[++i]).Append('}');
                        }
                        else
                        {
                            b.Append('\\').Append(e);
                        }

                        break;
                    case 'C' or 'Q' or 'E' or 'Z' or 'G' or 'k':
                        return null;
                    default:
                        if (char.IsDigit(e) && e != '0')
                        {
                            return null; // backreferences: not RE2
                        }

                        b.Append('\\').Append(e);
                        break;
                }

                continue;
            }

            if (inClass)
            {
                if (c == '[' && i + 1 < pattern.Length && pattern[i + 1] == ':')
                {
                    var end = pattern.IndexOf(":]", i + 2, StringComparison.Ordinal);
                    if (end < 0 || Posix(pattern.Substring(i + 2, end - i - 2)) is not { } posix)
                    {
                        return null;
                    }

                    b.Append(posix);
                    i = end + 1;
                    continue;
                }

                if (c == '[')
                {
                    b.Append("\\["); // a literal '[' in RE2; .NET would read class subtraction
                    continue;
                }

                if (c == ']')
                {
                    inClass = false;
                }

                b.Append(c);
                continue;
            }

            switch (c)
            {
                case '[':
                    inClass = true;
                    b.Append(c);
                    if (i + 1 < pattern.Length && pattern[i + 1] == '^')
                    {
                        b.Append('^');
                        i++;
                    }

                    if (i + 1 < pattern.Length && pattern[i + 1] == ']')
                    {
                        b.Append("\\]"); // ']' first in a class is literal
                        i++;
                    }

                    break;
                case '$':
                    // RE2's $ is the end of the text; under (?m) it is the end of a line, as .NET's multiline $ is.
                    b.Append(multiline ? "$" : "\\z");
                    break;
                case '(' when i + 1 < pattern.Length && pattern[i + 1] == '?':
                    if (i + 2 < pattern.Length && pattern[i + 2] == 'P' && i + 3 < pattern.Length && pattern[i + 3] == '<')
                    {
                        b.Append("(?<");
                        i += 3;
                        break;
                    }

                    if (i + 2 < pattern.Length && pattern[i + 2] is '=' or '!' or '<')
                    {
                        return null; // lookaround and .NET named groups are not RE2
                    }

                    // Flags (?i) (?m) (?s) (?U) and (?flags:...)
                    var close = pattern.IndexOfAny(new[] { ')', ':' }, i + 2);
                    if (close < 0)
                    {
                        return null;
                    }

                    var flags = pattern.Substring(i + 2, close - i - 2);
                    if (flags.IndexOf('U') >= 0)
                    {
                        return null;
                    }

                    if (flags.IndexOf('-') >= 0 && flags.IndexOf('m') >= 0)
                    {
                        return null;
                    }

                    multiline |= flags.IndexOf('m') >= 0;
                    b.Append("(?").Append(flags).Append(pattern[close]);
                    i = close;
                    break;
                default:
                    b.Append(c);
                    break;
            }
        }

        return inClass ? null : b.ToString();
    }

    private static string? Posix(string name) => name switch
    {
        "alnum" => "0-9A-Za-z",
        "alpha" => "A-Za-z",
        "ascii" => "\\x00-\\x7F",
        "blank" => "\\t ",
        "cntrl" => "\\x00-\\x1F\\x7F",
        "digit" => "0-9",
        "graph" => "!-~",
        "lower" => "a-z",
        "print" => " -~",
        "punct" => "!-/:-@\\[-`{-~",
        "space" => "\\t\\n\\v\\f\\r ",
        "upper" => "A-Z",
        "word" => "0-9A-Za-z_",
        "xdigit" => "0-9A-Fa-f",
        _ => null,
    };
}
