using System.Diagnostics;
using System.Text;

namespace Cilium.Sdk.Package.Tests.Infrastructure;

/// <summary>What a child process did.</summary>
internal sealed record ProcessResult(string Command, int ExitCode, string StdOut, string StdErr, TimeSpan Elapsed)
{
    /// <summary>A failure message with the command, its exit code and the end of both streams.</summary>
    public string Describe() =>
        $"`{Command}` exited {ExitCode} after {Elapsed.TotalSeconds:F0} s\n--- stdout (end) ---\n{Tail(StdOut)}\n--- stderr (end) ---\n{Tail(StdErr)}";

    /// <summary>The standard output, one entry a line.</summary>
    public string[] StdOutLines => StdOut.ReplaceLineEndings("\n").Split('\n');

    private static string Tail(string text) => text.Length <= 6000 ? text : "..." + text[^6000..];
}

/// <summary>
/// Runs the .NET CLI (and installed tools) the way a user's shell would: no MSBuild state inherited from the
/// `dotnet test` that started this process, no build servers left running, no telemetry, a hard timeout.
/// </summary>
internal static class DotNet
{
    /// <summary>The dotnet host running these tests (the SDK CI installed), else `dotnet` on PATH.</summary>
    public static string Host { get; } = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>Runs <c>dotnet args</c> in <paramref name="workingDirectory"/>.</summary>
    public static Task<ProcessResult> Run(string workingDirectory, TimeSpan timeout, params string[] args) =>
        RunProcess(Host, workingDirectory, timeout, args);

    /// <summary>Runs <c>dotnet args</c> with extra environment variables.</summary>
    public static Task<ProcessResult> Run(string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunProcess(Host, workingDirectory, timeout, environment, args);

    /// <summary>Runs an executable (e.g. an installed tool) with the same clean environment.</summary>
    public static Task<ProcessResult> RunProcess(string fileName, string workingDirectory, TimeSpan timeout, params string[] args) =>
        RunProcess(fileName, workingDirectory, timeout, new Dictionary<string, string>(), args);

    private static async Task<ProcessResult> RunProcess(string fileName, string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string> extra, string[] args)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        CleanEnvironment(start.Environment);
        foreach (var (key, value) in extra)
        {
            start.Environment[key] = value;
        }

        var command = fileName == Host ? "dotnet " + string.Join(' ', args) : Path.GetFileName(fileName) + " " + string.Join(' ', args);
        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + command);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return new ProcessResult(command, -1, await stdout, await stderr + $"\n(killed: no exit within {timeout.TotalSeconds:F0} s)", stopwatch.Elapsed);
        }

        return new ProcessResult(command, process.ExitCode, await stdout, await stderr, stopwatch.Elapsed);
    }

    private static void CleanEnvironment(IDictionary<string, string?> environment)
    {
        // `dotnet test` hands its MSBuild and test-platform settings to children; a user's shell has none of them.
        foreach (var key in environment.Keys.ToList())
        {
            if (key.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) ||
                key.StartsWith("TESTINGPLATFORM", StringComparison.OrdinalIgnoreCase) ||
                key.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase) ||
                key.Equals("DOTNET_HOST_PATH", StringComparison.OrdinalIgnoreCase))
            {
                environment.Remove(key);
            }
        }

        environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        environment["DOTNET_NOLOGO"] = "1";
        environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        // No build or compiler servers outliving the test (the machine runs without them anyway).
        environment["MSBUILDDISABLENODEREUSE"] = "1";
        environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        environment["UseSharedCompilation"] = "false";
        environment["NO_COLOR"] = "1";
    }

    /// <summary>Writes a text file with "\n" line ends, creating its folder.</summary>
    public static void WriteFile(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content.ReplaceLineEndings("\n"), new UTF8Encoding(false));
    }
}
