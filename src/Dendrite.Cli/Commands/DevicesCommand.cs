using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Dendrite.Cli.Runs;
using Dendrite.Cli.Ui;

namespace Dendrite.Cli.Commands;

/// <summary><c>dendrite devices</c>: the devices this machine offers, or exactly why CUDA is unavailable.</summary>
public static class DevicesCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Build(CliConsole console)
    {
        var cmd = new Command("devices", "List the devices (CPU, CUDA GPUs, ilgpu-cpu): name, compute capability, memory, driver; or why CUDA is unavailable");
        cmd.SetAction(parse => CliApp.Guard(console, parse, ui => Run(ui)));
        return cmd;
    }

    private static int Run(IConsoleUi ui)
    {
        var devices = Device.List();
        string? why = Device.CudaUnavailableReason;
        if (ui.Mode == OutputMode.Json)
        {
            ui.Json(new JsonObject
            {
                ["cudaAvailable"] = Device.CudaIsAvailable,
                ["cudaUnavailableReason"] = why,
                ["auto"] = Training.DeviceChoice.Resolve("auto").ToString(),
                ["devices"] = new JsonArray(devices.Select(d => (JsonNode)new JsonObject
                {
                    ["device"] = d.Device.ToString(), ["name"] = d.Name, ["computeCapability"] = d.ComputeCapability,
                    ["memoryBytes"] = d.MemoryBytes, ["driver"] = d.Driver, ["note"] = d.Note,
                }).ToArray()),
            }.ToJsonString(Json.Options));
            return 0;
        }
        var table = new TableData($"devices (--device auto picks {Training.DeviceChoice.Resolve("auto")})", "device", "name", "compute", "memory", "driver", "note");
        foreach (var d in devices)
            table.Add(d.Device.ToString(), d.Name, d.ComputeCapability ?? "", d.MemoryBytes > 0 ? Gib(d.MemoryBytes) : "", d.Driver ?? "", d.Note ?? "");
        ui.Summary(table);
        if (why is not null)
            ui.Line($"CUDA is not available: {why}", Tone.Warning);
        return 0;
    }

    private static string Gib(long bytes) => (bytes / (1024.0 * 1024 * 1024)).ToString("F1", CultureInfo.InvariantCulture) + " GiB";
}
