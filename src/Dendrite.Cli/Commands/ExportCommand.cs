using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Dendrite.Cli.Lab.Common;
using Dendrite.Cli.Runs;
using Dendrite.Cli.Training;
using Dendrite.IO;
using Dendrite.Onnx;

namespace Dendrite.Cli.Commands;

/// <summary>
/// <c>dendrite export</c>: rebuilds the model a checkpoint holds (from the run's config.json for <c>dendrite train</c>,
/// from the checkpoint's own metadata for the lab's checkpoints), loads the weights, and writes it as an ONNX file
/// with a symbolic batch dimension (<see cref="Onnx.Onnx.Export"/>).
/// </summary>
public static class ExportCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Build(CliConsole console)
    {
        var checkpoint = new Option<string>("--checkpoint")
        {
            Description = "A checkpoint: best.safetensors or last.safetensors of `dendrite train`, or a lab run's final.safetensors or concise.safetensors",
            Required = true,
        };
        var output = new Option<string?>("--output", "-o") { Description = "The .onnx file to write (default: the checkpoint's path with .onnx)", HelpName = "FILE" };
        var config = new Option<string?>("--config") { Description = "The run's config.json, for a checkpoint of `dendrite train` (default: the one beside the checkpoint)" };
        var opset = CliOptions.Int("--opset", $"The ai.onnx operator set version, {Onnx.Onnx.MinOpset} to {Onnx.Onnx.MaxOpset}", Onnx.Onnx.MinOpset);
        var fixedBatch = CliOptions.Int("--fixed-batch", "Write a fixed batch size N instead of the symbolic batch dimension", "N");
        var device = CliOptions.Device("Where the model runs while it is traced: cpu (default), cuda, cuda:N or ilgpu-cpu (the file is the same)");
        var cmd = new Command("export", "Export a checkpoint's model to an ONNX file, to run it with ONNX Runtime") { checkpoint, output, config, opset, fixedBatch, device };
        cmd.SetAction(parse => CliApp.Guard(console, parse, ui =>
        {
            string ckpt = parse.GetValue(checkpoint)!;
            if (!File.Exists(ckpt)) throw new UsageException($"--checkpoint: {ckpt} does not exist");
            int version = parse.GetValue(opset);
            if (version < Onnx.Onnx.MinOpset || version > Onnx.Onnx.MaxOpset)
                throw new UsageException($"--opset is {version}, but must be {Onnx.Onnx.MinOpset} to {Onnx.Onnx.MaxOpset}");
            int? batch = parse.GetValue(fixedBatch);
            if (batch is < 1) throw new UsageException($"--fixed-batch is {batch}, but must be at least 1");
            string path = parse.GetValue(output) ?? Path.ChangeExtension(ckpt, ".onnx");
            if (string.Equals(Path.GetFullPath(path), Path.GetFullPath(ckpt), StringComparison.Ordinal))
                throw new UsageException($"--output: {path} is the checkpoint itself; name the .onnx file to write, e.g. {Path.ChangeExtension(ckpt, ".onnx")}");
            if (Directory.Exists(path))
                throw new UsageException($"--output: {path} is a folder; name the .onnx file to write, e.g. {Path.Combine(path, "model.onnx")}");
            var recipe = Recipe(ckpt, parse.GetValue(config));

            var model = recipe.Build(new Generator(0));
            Checkpoints.Load(ckpt, model);
            var dev = DeviceChoice.Resolve(parse.GetValue(device) ?? "cpu");
            model.To(dev);
            // The sample's values only steer the trace; its shape is the model's input with the batch size.
            var sample = Tensor.Rand(recipe.InputShape(batch ?? 1), new Generator(0));
            OnnxModelInfo info;
            try
            {
                info = Onnx.Onnx.Export(model, sample, path, version, dynamicBatch: batch is null);
            }
            catch (OnnxExportException e)
            {
                ui.Error(e.Message);
                return CliApp.InternalError;
            }
            if (ui.Mode == Ui.OutputMode.Json)
                ui.Json(new JsonObject
                {
                    ["checkpoint"] = Path.GetFullPath(ckpt), ["onnx"] = info.Path, ["model"] = recipe.Spec, ["opset"] = info.Opset,
                    ["input"] = Value(info.Input), ["output"] = Value(info.Output), ["nodes"] = new JsonArray(info.Nodes.Select(n => (JsonNode)n).ToArray()),
                    ["initializers"] = info.Initializers, ["bytes"] = info.Bytes,
                }.ToJsonString(Json.Options));
            ui.Summary(new Ui.TableData($"export {Path.GetFileName(ckpt)}", "field", "value")
                .Add("model", recipe.Spec)
                .Add("onnx", info.Path)
                .Add("opset", info.Opset.ToString(CultureInfo.InvariantCulture))
                .Add("input", info.Input.ToString())
                .Add("output", info.Output.ToString())
                .Add("nodes", string.Join(", ", info.Nodes.GroupBy(n => n).Select(g => g.Count() == 1 ? g.Key : $"{g.Key} ×{g.Count()}")))
                .Add("size", $"{info.Bytes / 1024.0:F1} KiB"));
            return 0;
        }));
        return cmd;
    }

    // The model a checkpoint holds: its own metadata (lab checkpoints), else the config.json of its `dendrite train` run.
    private static ModelRecipe Recipe(string ckpt, string? givenConfig)
    {
        if (givenConfig is null && ModelRecipe.FromMetadata(SafeTensors.ReadMetadata(ckpt), ckpt) is { } own)
            return own;
        string cfgPath = givenConfig ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(ckpt))!, RunFolder.ConfigFile);
        if (!File.Exists(cfgPath))
            throw new UsageException(givenConfig is not null ? $"--config: {cfgPath} does not exist"
                : $"{ckpt} does not record which model it holds, and {cfgPath} does not exist: pass the config.json of the `dendrite train` run that wrote it with --config");
        var json = Json.ReadObject(cfgPath);
        if (json["experiment"] is JsonValue v && v.TryGetValue<string>(out var experiment) && experiment != "train")
            throw new UsageException($"{ckpt} does not record which model it holds, and {cfgPath} belongs to the lab experiment '{experiment}', not to " +
                                     "`dendrite train`: export a train run's checkpoint, or a lab run's final.safetensors (mlp, cnn) or concise.safetensors (softmax-regression)");
        // The device the run trained on does not matter here.
        var cfg = TrainConfig.FromSettings(json["settings"], cfgPath) with { Device = "cpu" };
        cfg.Validate(key => $"\"{key}\" in {cfgPath}");
        return ModelRecipe.FromTrainConfig(cfg);
    }

    private static JsonObject Value(OnnxValueInfo v) => new()
    {
        ["name"] = v.Name, ["type"] = v.ElementType, ["dims"] = new JsonArray(v.Dims.Select(d => (JsonNode)d).ToArray()),
    };
}
