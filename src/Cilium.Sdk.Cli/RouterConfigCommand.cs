using System;
using System.CommandLine;
using System.IO;

namespace Cilium.Sdk.Cli;

/// <summary>
/// <c>router-config</c>: the gateway router's whole FRR config, BGP password included, to stdout or to a file the user
/// names (created with mode 0600). The repository keeps a config with a password only inside a SOPS secret file; this
/// is the text to paste into the router without decrypting it.
/// </summary>
internal static class RouterConfigCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr, Reporter reporter)
    {
        var input = new CliApp.InputOptions();
        var output = new Option<FileInfo>("--output", "-o") { Description = "Write the config to this file (mode 0600) instead of stdout. Keep it out of the repository." };
        var command = new Command("router-config", "Print the gateway router's FRR config with the BGP password (for pasting into the router; it is never written into the repository in clear).");
        foreach (var option in input.All)
        {
            command.Options.Add(option);
        }

        command.Options.Add(output);
        command.SetAction(parse =>
        {
            var cluster = CliApp.Build(parse, input, stderr, reporter, out _, out var code);
            if (cluster is null)
            {
                return code;
            }

            if (cluster.RouterConfig() is not { } config)
            {
                reporter.Error(
                    "BGP is not configured, so there is no router config",
                    "set cilium_bgp_router_addr, cilium_bgp_router_asn and cilium_bgp_node_asn in cluster.yaml");
                return ExitCodes.Problems;
            }

            if (parse.GetValue(output) is not { } file)
            {
                stdout.Write(config);
                return ExitCodes.Success;
            }

            try
            {
                var create = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
                if (!OperatingSystem.IsWindows())
                {
                    create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                using (var stream = new FileStream(file.FullName, create))
                using (var writer = new StreamWriter(stream))
                {
                    writer.Write(config);
                }

                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(file.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                reporter.Error($"cannot write {file.FullName}: {e.Message}", "choose a writable path with --output, or omit it to print the config");
                return ExitCodes.WriteFailed;
            }

            stdout.WriteLine($"wrote the router config (with the BGP password) to {file.FullName}, readable only by you");
            return ExitCodes.Success;
        });
        return command;
    }
}
