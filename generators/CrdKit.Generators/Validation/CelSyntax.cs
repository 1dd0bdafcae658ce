using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace CrdKit.Generators.Validation;

// A parser for the CEL subset CRD rules use: literals, identifiers, field access, calls and
// receiver calls (macros included), indexing, unary ! and -, * / %, + -, comparisons, in, && || and ?:.
// The tree lives only inside one translation call; it never enters the incremental pipeline.

/// <summary>A CEL expression node.</summary>
internal abstract record CelExpr;

/// <summary>A literal: <see cref="Value"/> is a long, double, string, bool or null.</summary>
internal sealed record CelLiteral(object? Value) : CelExpr;

/// <summary>An identifier (<c>self</c>, <c>oldSelf</c>, a macro variable).</summary>
internal sealed record CelIdent(string Name) : CelExpr;

/// <summary><c>target.field</c>.</summary>
internal sealed record CelSelect(CelExpr Target, string Field) : CelExpr;

/// <summary><c>fn(args)</c> or <c>target.fn(args)</c>.</summary>
internal sealed record CelCall(CelExpr? Target, string Function, IReadOnlyList<CelExpr> Args) : CelExpr;

/// <summary><c>target[index]</c>.</summary>
internal sealed record CelIndex(CelExpr Target, CelExpr Index) : CelExpr;

/// <summary>A unary operator (<c>!</c>, <c>-</c>).</summary>
internal sealed record CelUnary(string Op, CelExpr Operand) : CelExpr;

/// <summary>A binary operator.</summary>
internal sealed record CelBinary(string Op, CelExpr Left, CelExpr Right) : CelExpr;

/// <summary><c>c ? a : b</c>.</summary>
internal sealed record CelConditional(CelExpr Condition, CelExpr Then, CelExpr Else) : CelExpr;

/// <summary>A list literal.</summary>
internal sealed record CelList(IReadOnlyList<CelExpr> Items) : CelExpr;

/// <summary>A map literal (<c>{"a": 1, "b": 2}</c>).</summary>
internal sealed record CelMap(IReadOnlyList<KeyValuePair<CelExpr, CelExpr>> Entries) : CelExpr;

/// <summary>A rule the parser or translator cannot handle; the message says why.</summary>
internal sealed class CelUnsupportedException : Exception
{
    public CelUnsupportedException(string message)
        : base(message)
    {
    }
}

/// <summary>Recursive-descent parser over a token list.</summary>
internal sealed class CelParser
{
    private const int MaxDepth = 64;
    private readonly List<string> tokens;
    private readonly List<char> kinds;
    private int position;
    private int depth;

    private CelParser(List<string> tokens, List<char> kinds)
    {
        this.tokens = tokens;
        this.kinds = kinds;
    }

    /// <summary>Parses <paramref name="text"/>; throws <see cref="CelUnsupportedException"/> on anything outside the subset.</summary>
    public static CelExpr Parse(string text)
    {
        var (tokens, kinds) = Tokenize(text);
        var parser = new CelParser(tokens, kinds);
        var expr = parser.Conditional();
        if (parser.position != tokens.Count)
        {
            throw new CelUnsupportedException($"unexpected '{tokens[parser.position]}'");
        }

        return expr;
    }

    private CelExpr Conditional()
    {
        if (++depth > MaxDepth)
        {
            throw new CelUnsupportedException("expression nested too deeply");
        }

        var condition = Or();
        if (Accept("?"))
        {
            var then = Conditional();
            Expect(":");
            var otherwise = Conditional();
            condition = new CelConditional(condition, then, otherwise);
        }

        depth--;
        return condition;
    }

    private CelExpr Or()
    {
        var left = And();
        while (Accept("||"))
        {
            left = new CelBinary("||", left, And());
        }

        return left;
    }

    private CelExpr And()
    {
        var left = Relation();
        while (Accept("&&"))
        {
            left = new CelBinary("&&", left, Relation());
        }

        return left;
    }

    private CelExpr Relation()
    {
        var left = Additive();
        foreach (var op in new[] { "==", "!=", "<=", ">=", "<", ">", "in" })
        {
            if (Accept(op))
            {
                return new CelBinary(op, left, Additive());
            }
        }

        return left;
    }

    private CelExpr Additive()
    {
        var left = Multiplicative();
        while (true)
        {
            if (Accept("+"))
            {
                left = new CelBinary("+", left, Multiplicative());
            }
            else if (Accept("-"))
            {
                left = new CelBinary("-", left, Multiplicative());
            }
            else
            {
                return left;
            }
        }
    }

    private CelExpr Multiplicative()
    {
        var left = Unary();
        while (true)
        {
            var op = Peek();
            if (op is "*" or "/" or "%" && kinds[position] == 'o')
            {
                position++;
                left = new CelBinary(op, left, Unary());
            }
            else
            {
                return left;
            }
        }
    }

    private CelExpr Unary()
    {
        if (Accept("!"))
        {
            return new CelUnary("!", Unary());
        }

        if (Accept("-"))
        {
            return new CelUnary("-", Unary());
        }

        return Member();
    }

    private CelExpr Member()
    {
        var expr = Primary();
        while (true)
        {
            if (Accept("."))
            {
                var name = Identifier();
                expr = Accept("(") ? new CelCall(expr, name, Arguments()) : new CelSelect(expr, name);
            }
            else if (Accept("["))
            {
                var index = Conditional();
                Expect("]");
                expr = new CelIndex(expr, index);
            }
            else
            {
                return expr;
            }
        }
    }

    private CelExpr Primary()
    {
        if (position >= tokens.Count)
        {
            throw new CelUnsupportedException("unexpected end of rule");
        }

        var token = tokens[position];
        var kind = kinds[position];
        position++;
        switch (kind)
        {
            case 's':
                return new CelLiteral(token);
            case 'i':
                return new CelLiteral(long.Parse(token, NumberStyles.Integer, CultureInfo.InvariantCulture));
            case 'u':
                return new CelLiteral(long.Parse(token, NumberStyles.Integer, CultureInfo.InvariantCulture));
            case 'd':
                return new CelLiteral(double.Parse(token, NumberStyles.Float, CultureInfo.InvariantCulture));
            case 'w':
                switch (token)
                {
                    case "true":
                        return new CelLiteral(true);
                    case "false":
                        return new CelLiteral(false);
                    case "null":
                        return new CelLiteral(null);
                }

                return Accept("(") ? new CelCall(null, token, Arguments()) : new CelIdent(token);
        }

        if (token == "(")
        {
            var inner = Conditional();
            Expect(")");
            return inner;
        }

        if (token == "{")
        {
            var entries = new List<KeyValuePair<CelExpr, CelExpr>>();
            if (!Accept("}"))
            {
                do
                {
                    var key = Conditional();
                    Expect(":");
                    entries.Add(new KeyValuePair<CelExpr, CelExpr>(key, Conditional()));
                }
                while (Accept(","));
                Expect("}");
            }

            return new CelMap(entries);
        }

        if (token == "[")
        {
            var items = new List<CelExpr>();
            if (!Accept("]"))
            {
                do
                {
                    items.Add(Conditional());
                }
                while (Accept(","));
                Expect("]");
            }

            return new CelList(items);
        }

        throw new CelUnsupportedException($"unexpected '{token}'");
    }

    private List<CelExpr> Arguments()
    {
        var args = new List<CelExpr>();
        if (Accept(")"))
        {
            return args;
        }

        do
        {
            args.Add(Conditional());
        }
        while (Accept(","));
        Expect(")");
        return args;
    }

    private string Identifier()
    {
        if (position < tokens.Count && kinds[position] == 'w')
        {
            return tokens[position++];
        }

        throw new CelUnsupportedException("expected a field name after '.'");
    }

    private string? Peek() => position < tokens.Count ? tokens[position] : null;

    private bool Accept(string token)
    {
        // 'in' is a word token; operators are 'o' tokens; a string literal never matches an operator.
        if (position < tokens.Count && tokens[position] == token && kinds[position] is 'o' or 'w')
        {
            if (kinds[position] == 'w' && token != "in")
            {
                return false;
            }

            position++;
            return true;
        }

        return false;
    }

    private void Expect(string token)
    {
        if (!Accept(token))
        {
            throw new CelUnsupportedException($"expected '{token}'");
        }
    }

    private static (List<string> Tokens, List<char> Kinds) Tokenize(string text)
    {
        var tokens = new List<string>();
        var kinds = new List<char>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            // Raw strings (r'...', R"...", r"""...""") keep backslashes as written.
            var raw = (c is 'r' or 'R') && i + 1 < text.Length && text[i + 1] is '\'' or '"';
            if (raw)
            {
                i++;
                c = text[i];
            }
            else if (char.IsLetter(c) || c == '_')
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                tokens.Add(text.Substring(start, i - start));
                kinds.Add('w');
                continue;
            }

            if (char.IsDigit(c))
            {
                var start = i;
                var isDouble = false;
                while (i < text.Length && (char.IsDigit(text[i]) || text[i] == '.' || text[i] == 'e' || text[i] == 'E'))
                {
                    isDouble |= text[i] is '.' or 'e' or 'E';
                    i++;
                }

                tokens.Add(text.Substring(start, i - start));
                var unsigned = i < text.Length && (text[i] == 'u' || text[i] == 'U');
                if (unsigned)
                {
                    i++;
                }

                kinds.Add(isDouble ? 'd' : unsigned ? 'u' : 'i');
                continue;
            }

            if (c is '\'' or '"')
            {
                var triple = i + 2 < text.Length && text[i + 1] == c && text[i + 2] == c;
                var quote = triple ? new string(c, 3) : c.ToString();
                var sb = new StringBuilder();
                i += quote.Length;
                while (true)
                {
                    if (i >= text.Length)
                    {
                        throw new CelUnsupportedException("unterminated string literal");
                    }

                    if (string.CompareOrdinal(text, i, quote, 0, quote.Length) == 0)
                    {
                        i += quote.Length;
                        break;
                    }

                    var ch = text[i++];
                    if (!triple && ch is '\n' or '\r')
                    {
                        throw new CelUnsupportedException("a line break inside a single-quoted string");
                    }

                    if (ch == '\\' && !raw)
                    {
                        i = Escape(text, i, sb);
                        continue;
                    }

                    sb.Append(ch);
                }

                tokens.Add(sb.ToString());
                kinds.Add('s');
                continue;
            }

            var two = i + 1 < text.Length ? text.Substring(i, 2) : string.Empty;
            if (two is "==" or "!=" or "<=" or ">=" or "&&" or "||")
            {
                tokens.Add(two);
                kinds.Add('o');
                i += 2;
                continue;
            }

            if ("!<>+-*/%?:.,()[]{}".IndexOf(c) >= 0)
            {
                tokens.Add(c.ToString());
                kinds.Add('o');
                i++;
                continue;
            }

            throw new CelUnsupportedException($"unexpected character '{c}'");
        }

        return (tokens, kinds);
    }

    /// <summary>Reads one escape after a backslash at <paramref name="i"/> (CEL's escapes); returns the next index.</summary>
    private static int Escape(string text, int i, StringBuilder sb)
    {
        if (i >= text.Length)
        {
            throw new CelUnsupportedException("unterminated escape");
        }

        var e = text[i++];
        switch (e)
        {
            case 'n': sb.Append('\n'); return i;
            case 't': sb.Append('\t'); return i;
            case 'r': sb.Append('\r'); return i;
            case 'a': sb.Append('\a'); return i;
            case 'b': sb.Append('\b'); return i;
            case 'f': sb.Append('\f'); return i;
            case 'v': sb.Append('\v'); return i;
            case '\\': case '\'': case '"': case '`': case '?': sb.Append(e); return i;
            case 'x' or 'X' or 'u' or 'U':
                var digits = e is 'x' or 'X' ? 2 : e == 'u' ? 4 : 8;
                if (i + digits > text.Length || !int.TryParse(text.Substring(i, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code) || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
                {
                    throw new CelUnsupportedException($"escape '\\{e}' needs {digits} hex digits");
                }

                sb.Append(char.ConvertFromUtf32(code));
                return i + digits;
            default:
                if (e is >= '0' and <= '3' && i + 1 < text.Length && text[i] is >= '0' and <= '7' && text[i + 1] is >= '0' and <= '7')
                {
                    sb.Append((char)Convert.ToInt32(text.Substring(i - 1, 3), 8));
                    return i + 2;
                }

                throw new CelUnsupportedException($"escape '\\{e}' is not a CEL escape");
        }
    }
}
