namespace Cilium.Sdk.Cli.Tests;

/// <summary>Runs the tool in-process with captured output, and finds the template cases in ../shared.</summary>
internal static class Cli
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var code = CliApp.Run(args, stdout, stderr, colour: false);
        return (code, stdout.ToString(), stderr.ToString());
    }

    public static string Case(string name, string file = "cluster.yaml")
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cilium.Sdk.sln")))
            {
                var path = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "corpus", "template", "cases", name, file));
                return File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: these tests need ../shared beside the repository (CI provides it).");
            }
        }

        throw new InvalidOperationException("Cilium.Sdk.sln not found");
    }
}
