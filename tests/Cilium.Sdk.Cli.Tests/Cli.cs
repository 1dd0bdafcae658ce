using System.Diagnostics;

namespace Cilium.Sdk.Cli.Tests;

/// <summary>
/// The one harness of these tests: runs cilium-sdk in-process with captured output (<see cref="Run"/>), runs the other
/// tools a user's repository meets (git, kubectl) as processes (<see cref="Exec"/>, <see cref="Git"/>), and finds the
/// template cases in ../shared (<see cref="Case"/>, <see cref="Cases"/>). Template repositories are built on it by
/// <see cref="TemplateRepository"/>.
/// </summary>
internal static class Cli
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var code = CliApp.Run(args, stdout, stderr, colour: false);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs <paramref name="file"/> (found on PATH) to its end: exit code, stdout, stderr.</summary>
    public static (int Code, string Out, string Err) Exec(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error.Result);
    }

    /// <summary>Runs git in <paramref name="directory"/> as a test user (no signing); its stdout, or a failure naming the command.</summary>
    public static string Git(string directory, params string[] args)
    {
        var (code, output, error) = Exec("git", ["-C", directory, "-c", "user.name=test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false", .. args]);
        Assert.True(code == 0, $"git {string.Join(' ', args)} failed: {error}");
        return output;
    }

    /// <summary>The path of a file of a template case (../shared/corpus/template/cases/NAME/FILE).</summary>
    public static string Case(string name, string file = "cluster.yaml")
    {
        var path = Path.Combine(CasesFolder(), name, file);
        return File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: these tests need ../shared beside the repository (CI provides it).");
    }

    /// <summary>Every template case, sorted: the rows of a theory that must hold on each.</summary>
    public static TheoryData<string> Cases() =>
        new(Directory.GetDirectories(CasesFolder()).Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    private static string CasesFolder()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cilium.Sdk.sln")))
            {
                var cases = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "corpus", "template", "cases"));
                return Directory.Exists(cases) ? cases : throw new InvalidOperationException($"{cases} is missing: these tests need ../shared beside the repository (CI provides it).");
            }
        }

        throw new InvalidOperationException("Cilium.Sdk.sln not found");
    }
}
