using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CrdKit.Generators.Parsing;

/// <summary>Turns a small YAML value (a schema default) into compact JSON text for docs and constants.</summary>
internal static class YamlJson
{
    private static readonly Regex Number = new(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant);

    public static string ToJson(YamlNode node)
    {
        var builder = new StringBuilder();
        Write(node, builder, 0);
        return builder.ToString();
    }

    private static void Write(YamlNode node, StringBuilder builder, int depth)
    {
        if (depth > 64)
        {
            builder.Append("null");
            return;
        }

        switch (node)
        {
            case YamlMappingNode mapping:
                builder.Append('{');
                var first = true;
                foreach (var entry in mapping.Children)
                {
                    if (!first)
                    {
                        builder.Append(',');
                    }

                    first = false;
                    WriteString(((entry.Key as YamlScalarNode)?.Value) ?? string.Empty, builder);
                    builder.Append(':');
                    Write(entry.Value, builder, depth + 1);
                }

                builder.Append('}');
                break;
            case YamlSequenceNode sequence:
                builder.Append('[');
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(',');
                    }

                    Write(sequence.Children[i], builder, depth + 1);
                }

                builder.Append(']');
                break;
            case YamlScalarNode scalar:
                var value = scalar.Value ?? string.Empty;
                if (scalar.Style is ScalarStyle.Plain)
                {
                    if (value is "true" or "false" or "null")
                    {
                        builder.Append(value);
                        break;
                    }

                    if (value is "" or "~")
                    {
                        builder.Append("null");
                        break;
                    }

                    if (Number.IsMatch(value))
                    {
                        builder.Append(value);
                        break;
                    }
                }

                WriteString(value, builder);
                break;
            default:
                builder.Append("null");
                break;
        }
    }

    private static void WriteString(string value, StringBuilder builder)
    {
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
                default:
                    if (c < ' ')
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        builder.Append('"');
    }
}
