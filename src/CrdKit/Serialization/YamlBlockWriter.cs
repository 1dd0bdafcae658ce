using System;
using System.Globalization;

namespace CrdKit.Serialization;

/// <summary>
/// Writes one YAML document in block style from calls that follow a JSON value's shape (mapping, key, scalar,
/// sequence, end), straight into a pooled character buffer: no event objects, no queue, no intermediate tree.
/// </summary>
/// <remarks>
/// <para>The output is byte-identical to what YamlDotNet's <c>Emitter</c> wrote for the events the SDK used to send it
/// (block collections, flow <c>{}</c>/<c>[]</c> for empty ones, 2-space indent, indented sequences, no line folding,
/// simple keys up to 1024 characters, <c>"\n"</c> line ends): the layout rules below are that emitter's
/// (<c>WriteIndent</c>, <c>WriteIndicator</c>, <c>IncreaseIndent</c> and its scalar writers), reduced to those events.
/// Which strings are quoted is <see cref="YamlScalars"/>'s decision, as before. Tests hold the two to the same bytes
/// on every rendered tree and on random JSON.</para>
/// <para>Reduced, not re-invented: scalars only ever sit in block context (flow is used for empty collections only),
/// <c>bestWidth</c> is unbounded (so no scalar is ever folded), no anchors, tags or comments are written.</para>
/// <para>One instance per thread (<see cref="Rent"/>); it keeps its buffers between documents.</para>
/// </remarks>
internal sealed class YamlBlockWriter
{
    private const int BestIndent = 2;
    private const int MaxSimpleKeyLength = 1024;

    // A buffer grown above this size (a huge document) is let go rather than kept by the thread.
    private const int MaxKeptBuffer = 1 << 20;

    [ThreadStatic]
    private static YamlBlockWriter? cached;

    private char[] buffer = new char[4096];
    private int length;

    // The emitter's state: current indentation (-1 before the root), column, whether the last thing written was
    // whitespace or indentation, and the indentation stack of open collections.
    private int indent;
    private int column;
    private bool isWhitespace;
    private bool isIndentation;
    private int[] indents = new int[32];
    private int depth;

    // Per open collection: is it a mapping, and (mappings) was the current key written in the explicit "? key" form.
    private Frame[] frames = new Frame[32];
    private int frameCount;

    private struct Frame
    {
        public bool IsMapping;
        public bool ComplexKey;
    }

    /// <summary>The text written so far (prefix included).</summary>
    internal ReadOnlySpan<char> Written => buffer.AsSpan(0, length);

    /// <summary>How many characters are written; the start of what comes next.</summary>
    internal int Position => length;

    /// <summary>Open collections (0 at the root).</summary>
    internal int Depth => frameCount;

    /// <summary>This thread's writer, reset, with <paramref name="prefix"/> written (e.g. <c>"---\n"</c>).</summary>
    internal static YamlBlockWriter Rent(string? prefix)
    {
        var writer = cached ?? new YamlBlockWriter();
        cached = null;
        writer.Reset(prefix);
        return writer;
    }

    /// <summary>Gives the writer back to this thread (nested use on one thread simply gets a second one).</summary>
    internal void Return()
    {
        if (buffer.Length > MaxKeptBuffer)
        {
            buffer = new char[4096];
        }

        cached = this;
    }

    private void Reset(string? prefix)
    {
        length = 0;
        depth = 0;
        frameCount = 0;
        indent = -1;
        column = 0;
        isWhitespace = true;
        isIndentation = true;
        if (prefix is not null)
        {
            Append(prefix.AsSpan());
        }
    }

    /// <summary>The document: what was written, its trailing line feeds replaced by exactly one (nothing before the
    /// prefix is trimmed).</summary>
    internal string ToDocument(int prefixLength)
    {
        var end = length;
        while (end > prefixLength && buffer[end - 1] == '\n')
        {
            end--;
        }

        Ensure(end + 1 - length);
        buffer[end] = '\n';
        return new string(buffer, 0, end + 1);
    }

    /// <summary>Starts a mapping as a value (of the root, a sequence item or a mapping key).</summary>
    /// <param name="isEmpty">Whether it has no entries: written <c>{}</c>.</param>
    internal void StartMapping(bool isEmpty) => StartCollection(isMapping: true, isEmpty);

    /// <summary>Starts a sequence as a value.</summary>
    /// <param name="isEmpty">Whether it has no items: written <c>[]</c>.</param>
    internal void StartSequence(bool isEmpty) => StartCollection(isMapping: false, isEmpty);

    // A block collection one indentation level in, or an empty one in flow style ("{}", "[]": block style has no way
    // to write them).
    private void StartCollection(bool isMapping, bool isEmpty)
    {
        BeginNode();
        if (isEmpty)
        {
            WriteIndicator(isMapping ? "{" : "[", needWhitespace: true, whitespace: true, indentation: false);
            WriteIndicator(isMapping ? "}" : "]", needWhitespace: false, whitespace: false, indentation: false);
            return;
        }

        IncreaseIndent(isFlow: false);
        Push(isMapping);
    }

    /// <summary>Ends the innermost non-empty mapping or sequence.</summary>
    internal void End()
    {
        frameCount--;
        indent = indents[--depth];
    }

    /// <summary>Writes a mapping key; the value follows.</summary>
    /// <param name="key">The key text.</param>
    /// <returns>Where the key's line content starts (after the line break and indentation before it).</returns>
    internal int Key(ReadOnlySpan<char> key)
    {
        WriteIndent();
        var start = length;
        var style = StringStyle(key, isKey: true);

        // A simple (implicit) key is one line of at most 1024 characters; others take the explicit "? key" form.
        if (key.Length <= MaxSimpleKeyLength && (style == Style.Plain || !HasBreak(key)))
        {
            Scalar(key, style, isSimpleKey: true);
            WriteIndicator(":", needWhitespace: false, whitespace: false, indentation: false);
            frames[frameCount - 1].ComplexKey = false;
        }
        else
        {
            WriteIndicator("?", needWhitespace: true, whitespace: false, indentation: true);
            Scalar(key, style, isSimpleKey: false);
            frames[frameCount - 1].ComplexKey = true;
        }

        return start;
    }

    /// <summary>Writes a string value, quoted by <see cref="YamlScalars"/>'s rules, multi-line text as a literal block.</summary>
    internal void String(ReadOnlySpan<char> text)
    {
        // The emitter writes an explicit "---" before a root that is an empty scalar.
        if (frameCount == 0 && text.IsEmpty)
        {
            WriteIndent();
            WriteIndicator("---", needWhitespace: true, whitespace: false, indentation: false);
        }

        BeginNode();
        Scalar(text, StringStyle(text, isKey: false), isSimpleKey: false);
    }

    /// <summary>Writes a plain scalar that needs no analysis: a JSON number's text, <c>true</c>, <c>false</c>, <c>null</c>.</summary>
    internal void Plain(ReadOnlySpan<char> text)
    {
        BeginNode();
        Scalar(text, Style.Plain, isSimpleKey: false);
    }

    /// <summary>Writes a plain scalar from ASCII bytes (a JSON number token).</summary>
    internal void PlainAscii(ReadOnlySpan<byte> ascii)
    {
        BeginNode();
        IncreaseIndent(isFlow: true);
        if (!isWhitespace)
        {
            Append(' ');
        }

        Ensure(ascii.Length);
        for (var i = 0; i < ascii.Length; i++)
        {
            buffer[length + i] = (char)ascii[i];
        }

        length += ascii.Length;
        column += ascii.Length;
        isWhitespace = false;
        isIndentation = false;
        indent = indents[--depth];
    }

    private enum Style
    {
        Plain,
        SingleQuoted,
        DoubleQuoted,
        Literal,
    }

    // The style the SDK asks for (YamlJsonBridge's rules since the start): multi-line text as a literal block unless a
    // block cannot hold it exactly or it is a key; otherwise quoted only when another reader would misread it.
    private static Style StringStyle(ReadOnlySpan<char> text, bool isKey)
    {
        if (YamlScalars.IsPlainName(text))
        {
            return Style.Plain;
        }

        if (text.IndexOfAny('\n', '\r') >= 0)
        {
            return !isKey && YamlScalars.CanBeLiteral(text) ? Style.Literal : Style.DoubleQuoted;
        }

        return YamlScalars.NeedsQuotes(text) ? Style.DoubleQuoted : Style.Plain;
    }

    // What the emitter does before every node: a sequence item's "- ", or the ": " of an explicit key's value.
    private void BeginNode()
    {
        if (frameCount == 0)
        {
            return;
        }

        ref var frame = ref frames[frameCount - 1];
        if (!frame.IsMapping)
        {
            WriteIndent();
            WriteIndicator("-", needWhitespace: true, whitespace: false, indentation: true);
        }
        else if (frame.ComplexKey)
        {
            WriteIndent();
            WriteIndicator(":", needWhitespace: true, whitespace: false, indentation: true);
            frame.ComplexKey = false;
        }
    }

    // The emitter's EmitScalar: a style check, then the scalar one indentation level in.
    private void Scalar(ReadOnlySpan<char> text, Style style, bool isSimpleKey)
    {
        // SelectScalarStyle in block context. The SDK asks for plain only where YamlScalars found nothing a reader
        // could misread; the emitter's own analysis agrees for every such string (it would otherwise fall back to
        // quotes), and an empty plain scalar is never asked for. Literal blocks are asked for only where
        // YamlScalars.CanBeLiteral holds, which implies the emitter's own block check.
        IncreaseIndent(isFlow: true);
        switch (style)
        {
            case Style.Plain:
                WritePlain(text);
                break;
            case Style.SingleQuoted:
                WriteSingleQuoted(text, allowBreaks: !isSimpleKey);
                break;
            case Style.DoubleQuoted:
                WriteDoubleQuoted(text);
                break;
            default:
                WriteLiteral(text);
                break;
        }

        indent = indents[--depth];
    }

    private void WritePlain(ReadOnlySpan<char> text)
    {
        if (!isWhitespace)
        {
            Append(' ');
        }

        Append(text);
        column += text.Length;
        isWhitespace = false;
        isIndentation = false;
    }

    // Kept for completeness of the port (the SDK never asks for it): single quotes double, breaks fold.
    private void WriteSingleQuoted(ReadOnlySpan<char> text, bool allowBreaks)
    {
        _ = allowBreaks;
        WriteIndicator("'", needWhitespace: true, whitespace: false, indentation: false);
        var previousBreak = false;
        foreach (var c in text)
        {
            if (IsBreak(c, out var breakCharacter))
            {
                if (!previousBreak && c == '\n')
                {
                    WriteBreak('\n');
                }

                WriteBreak(breakCharacter);
                isIndentation = true;
                previousBreak = true;
            }
            else
            {
                if (previousBreak)
                {
                    WriteIndent();
                }

                if (c == '\'')
                {
                    WriteChar(c);
                }

                WriteChar(c);
                isIndentation = false;
                previousBreak = false;
            }
        }

        WriteIndicator("'", needWhitespace: false, whitespace: false, indentation: false);
        isWhitespace = false;
        isIndentation = false;
    }

    // The emitter's WriteDoubleQuotedScalar with an unbounded width: YAML escapes for what is not printable, for
    // breaks, '"' and '\'; characters outside the basic plane as \UXXXXXXXX (no UTF-16 pairs).
    private void WriteDoubleQuoted(ReadOnlySpan<char> text)
    {
        WriteIndicator("\"", needWhitespace: true, whitespace: false, indentation: false);
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (IsPrintable(c) && c is not ('\r' or '\n' or '\u0085' or '\u2028' or '\u2029' or '"' or '\\'))
            {
                continue;
            }

            WriteRun(text[start..i]);
            start = i + 1;
            WriteChar('\\');
            switch (c)
            {
                case '\0': WriteChar('0'); break;
                case '\a': WriteChar('a'); break;
                case '\b': WriteChar('b'); break;
                case '\t': WriteChar('t'); break;
                case '\n': WriteChar('n'); break;
                case '\v': WriteChar('v'); break;
                case '\f': WriteChar('f'); break;
                case '\r': WriteChar('r'); break;
                case '\u001b': WriteChar('e'); break;
                case '"': WriteChar('"'); break;
                case '\\': WriteChar('\\'); break;
                case '\u0085': WriteChar('N'); break;
                case '\u00a0': WriteChar('_'); break;
                case '\u2028': WriteChar('L'); break;
                case '\u2029': WriteChar('P'); break;
                default:
                    if (c <= '\u00ff')
                    {
                        WriteChar('x');
                        WriteHex(c, 2);
                    }
                    else if (char.IsHighSurrogate(c))
                    {
                        if (i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                        {
                            WriteChar('U');
                            WriteHex(char.ConvertToUtf32(c, text[i + 1]), 8);
                            i++;
                            start = i + 1;
                        }
                        else
                        {
                            throw new ManifestException("the value cannot be written as YAML: While writing a quoted scalar, found an orphaned high surrogate.");
                        }
                    }
                    else
                    {
                        WriteChar('u');
                        WriteHex(c, 4);
                    }

                    break;
            }
        }

        WriteRun(text[start..]);
        WriteIndicator("\"", needWhitespace: false, whitespace: false, indentation: false);
        isWhitespace = false;
        isIndentation = false;
    }

    // The emitter's WriteLiteralScalar: "|" with "-" when the text does not end in a break (YamlScalars.CanBeLiteral
    // rules out leading blanks and a kept "|+" end), each line indented, empty lines left empty.
    private void WriteLiteral(ReadOnlySpan<char> text)
    {
        WriteIndicator("|", needWhitespace: true, whitespace: false, indentation: false);
        if (text.IsEmpty || !IsBreak(text[^1], out _))
        {
            WriteIndicator("-", needWhitespace: false, whitespace: false, indentation: false);
        }

        WriteBreak('\n');
        isIndentation = true;
        isWhitespace = true;
        var previousBreak = true;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                continue;
            }

            if (IsBreak(c, out var breakCharacter))
            {
                WriteBreak(breakCharacter);
                isIndentation = true;
                previousBreak = true;
                continue;
            }

            if (previousBreak)
            {
                WriteIndent();
            }

            // The rest of the line at once: nothing in it changes the state (no breaks until the next one).
            var end = i + 1;
            while (end < text.Length && !IsBreak(text[end], out _))
            {
                end++;
            }

            WriteRun(text[i..end]);
            i = end - 1;
            isIndentation = false;
            previousBreak = false;
        }
    }

    private static bool HasBreak(ReadOnlySpan<char> text) => text.IndexOfAny("\r\n\u0085\u2028\u2029") >= 0;

    private static bool IsBreak(char c, out char breakCharacter)
    {
        switch (c)
        {
            case '\r':
            case '\n':
            case '\u0085':
                breakCharacter = '\n';
                return true;
            case '\u2028':
            case '\u2029':
                breakCharacter = c;
                return true;
            default:
                breakCharacter = '\0';
                return false;
        }
    }

    // YamlDotNet's Emitter.IsPrintable.
    private static bool IsPrintable(char c) =>
        c is '\t' or '\n' or '\r' or (>= ' ' and <= '~') or '\u0085' or (>= '\u00a0' and <= '\ud7ff') or (>= '\ue000' and <= '\ufffd');

    private void IncreaseIndent(bool isFlow)
    {
        if (depth == indents.Length)
        {
            Array.Resize(ref indents, depth * 2);
        }

        indents[depth++] = indent;

        // Sequences are indented under their key (IndentSequences), so the emitter's indent-less case never applies.
        indent = indent < 0 ? (isFlow ? BestIndent : 0) : indent + BestIndent;
    }

    private void Push(bool isMapping)
    {
        if (frameCount == frames.Length)
        {
            Array.Resize(ref frames, frameCount * 2);
        }

        frames[frameCount++] = new Frame { IsMapping = isMapping };
    }

    private void WriteIndicator(string indicator, bool needWhitespace, bool whitespace, bool indentation)
    {
        if (needWhitespace && !isWhitespace)
        {
            WriteChar(' ');
        }

        Append(indicator.AsSpan());
        column += indicator.Length;
        isWhitespace = whitespace;
        isIndentation &= indentation;
    }

    private void WriteIndent()
    {
        var currentIndent = Math.Max(indent, 0);
        if (!isIndentation || column > currentIndent || (column == currentIndent && !isWhitespace))
        {
            WriteBreak('\n');
        }

        if (column < currentIndent)
        {
            var spaces = currentIndent - column;
            Ensure(spaces);
            buffer.AsSpan(length, spaces).Fill(' ');
            length += spaces;
            column = currentIndent;
        }

        isWhitespace = true;
        isIndentation = true;
    }

    private void WriteBreak(char breakCharacter)
    {
        Append(breakCharacter);
        column = 0;
    }

    private void WriteChar(char c)
    {
        Append(c);
        column++;
    }

    private void WriteRun(ReadOnlySpan<char> run)
    {
        Append(run);
        column += run.Length;
    }

    private void WriteHex(int value, int digits)
    {
        Ensure(digits);
        value.TryFormat(buffer.AsSpan(length, digits), out var written, digits == 2 ? "X2" : digits == 4 ? "X4" : "X8", CultureInfo.InvariantCulture);
        length += written;
        column += written;
    }

    private void Append(char c)
    {
        if (length == buffer.Length)
        {
            Grow(1);
        }

        buffer[length++] = c;
    }

    private void Append(ReadOnlySpan<char> text)
    {
        Ensure(text.Length);
        text.CopyTo(buffer.AsSpan(length));
        length += text.Length;
    }

    private void Ensure(int more)
    {
        if (length + more > buffer.Length)
        {
            Grow(more);
        }
    }

    private void Grow(int more) => Array.Resize(ref buffer, Math.Max(buffer.Length * 2, length + more));
}
