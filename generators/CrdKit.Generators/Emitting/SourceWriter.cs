using System;
using System.Text;

namespace CrdKit.Generators.Emitting;

/// <summary>A small indenting text writer: string building is what keeps the generator fast (no SyntaxFactory).</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder builder = new(16 * 1024);
    private int indent;

    public SourceWriter Line(string text = "")
    {
        if (text.Length > 0)
        {
            // One tab a level: a fifth of the generated text was indentation with four spaces.
            builder.Append('\t', indent);
            builder.Append(text);
        }

        builder.Append('\n');
        return this;
    }

    public SourceWriter Open(string text)
    {
        if (text.Length > 0)
        {
            Line(text);
        }

        Line("{");
        indent++;
        return this;
    }

    public SourceWriter Close(string suffix = "")
    {
        indent--;
        Line("}" + suffix);
        return this;
    }

    /// <summary>Writes an XML doc element; <paramref name="text"/> is XML already (escape schema text with <see cref="Escape"/>).</summary>
    public SourceWriter Doc(string element, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return this;
        }

        var lines = text!.Trim().Replace("\r\n", "\n").Split('\n');
        if (lines.Length == 1)
        {
            // One line of text, one line of comment: what the compiler reads is smaller, IntelliSense shows the same.
            Line($"/// <{element}>{lines[0].TrimEnd()}</{element.Split(' ')[0]}>");
            return this;
        }

        Line($"/// <{element}>");
        foreach (var line in lines)
        {
            Line("/// " + line.TrimEnd());
        }

        Line($"/// </{element.Split(' ')[0]}>");
        return this;
    }

    public static string Escape(string text) =>
        text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    /// <summary>A C# string literal (regular, escaped), safe for any content.</summary>
    public static string Literal(string? value)
    {
        if (value is null)
        {
            return "null";
        }

        var builder = new StringBuilder(value.Length + 2);
        builder.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\0': builder.Append("\\0"); break;
                default:
                    if (char.IsControl(c) || c == '\u2028' || c == '\u2029')
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        builder.Append('"');
        return builder.ToString();
    }

    public override string ToString() => builder.ToString();
}
