namespace Cilium.Sdk.Output;

/// <summary>One file of an <see cref="OutputTree"/>.</summary>
/// <param name="Path">The path relative to the output root: <c>/</c>-separated, no empty, <c>.</c> or <c>..</c>
/// segment, no backslash, not absolute (checked by <see cref="OutputTree.Add"/>).</param>
/// <param name="Content">The text, written as UTF-8 without a byte-order mark, byte for byte.</param>
/// <param name="IsSecret">True for a SOPS secret (<c>*.sops.yaml</c>): written with mode 0600 on Unix and never
/// shown in a drift diff.</param>
public sealed record OutputFile(string Path, string Content, bool IsSecret = false)
{
    /// <summary>The path and whether the file is secret; never the content (it may hold a secret).</summary>
    /// <returns>For example <c>kubernetes/apps/ks.yaml (42 chars)</c>.</returns>
    public override string ToString() =>
        IsSecret ? $"{Path} (secret)" : $"{Path} ({Content.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)} chars)";
}
