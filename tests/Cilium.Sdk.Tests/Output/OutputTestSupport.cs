using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using Cilium.Sdk.Output;

namespace Cilium.Sdk.Tests.Output;

/// <summary>A fresh folder under the system temp directory, deleted on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cilium-sdk-output-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string this[string relative] => System.IO.Path.Combine(Path, relative.Replace('/', System.IO.Path.DirectorySeparatorChar));

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            foreach (var dir in Directory.EnumerateDirectories(Path, "*", SearchOption.AllDirectories).Append(Path))
            {
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }
            }

            Directory.Delete(Path, recursive: true);
        }
    }
}

/// <summary>Helpers to build trees and read what is on disk.</summary>
internal static class Disk
{
    public static OutputTree Tree(params (string Path, string Content)[] files) =>
        files.Aggregate(OutputTree.Empty, (tree, f) => tree.Add(f.Path, f.Content, f.Path.EndsWith(".sops.yaml", StringComparison.Ordinal)));

    /// <summary>Every file under the root except the writer's own state folder: path to content.</summary>
    public static SortedDictionary<string, string> Visible(string root)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            var relative = System.IO.Path.GetRelativePath(root, file).Replace(System.IO.Path.DirectorySeparatorChar, '/');
            if (!relative.StartsWith(".cilium-sdk/", StringComparison.Ordinal))
            {
                files[relative] = File.ReadAllText(file);
            }
        }

        return files;
    }

    /// <summary>Every file under the root, the state folder included, with its bytes and timestamp.</summary>
    public static SortedDictionary<string, string> Snapshot(string root)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!Directory.Exists(root))
        {
            return files;
        }

        foreach (var entry in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories))
        {
            var relative = System.IO.Path.GetRelativePath(root, entry);
            files[relative] = File.Exists(entry)
                ? Convert.ToHexString(File.ReadAllBytes(entry)) + "@" + File.GetLastWriteTimeUtc(entry).Ticks
                : "dir";
        }

        return files;
    }

    public static SortedDictionary<string, string> Expected(OutputTree tree, IReadOnlyDictionary<string, string>? userFiles = null)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in tree.Files)
        {
            files[file.Path] = file.Content;
        }

        foreach (var user in userFiles ?? new Dictionary<string, string>())
        {
            files[user.Key] = user.Value;
        }

        return files;
    }

    public static string Sha256(string content) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(content))).ToLowerInvariant();

    public static void WriteUserFile(TempDirectory dir, string relative, string content)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(dir[relative])!);
        File.WriteAllText(dir[relative], content);
    }
}
