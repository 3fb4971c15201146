using System.CommandLine;
using System.Text.Json.Nodes;
using Dendrite.Cli.Lab.Common;
using Dendrite.Cli.Runs;
using Dendrite.Cli.Training;

namespace Dendrite.Cli.Commands;

/// <summary><c>dendrite eval</c>: evaluates a checkpoint on a data set's test split.</summary>
public static class EvalCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Build(CliConsole console)
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "A checkpoint written by `dendrite train`: best.safetensors (weights) or last.safetensors (training checkpoint)", Required = true };
        var dataset = new Option<string?>("--dataset") { Description = "Data set to evaluate on (default: the one it was trained on)" };
        var config = new Option<string?>("--config") { Description = "The run's config.json (default: the one beside the checkpoint)" };
        var limit = CliOptions.Int("--test-limit", "Evaluate on the first N test samples only");
        var device = new Option<string?>("--device") { Description = "Where to evaluate: auto (CUDA when available, else the CPU), cpu, cuda, cuda:N or ilgpu-cpu" };
        var cmd = new Command("eval", "Evaluate a checkpoint: test loss and accuracy") { checkpoint, dataset, config, limit, device };
        cmd.SetAction(parse => CliApp.Guard(console, parse, ui =>
        {
            string ckpt = parse.GetValue(checkpoint)!;
            if (!File.Exists(ckpt)) throw new UsageException($"--checkpoint: {ckpt} does not exist");
            string? given = parse.GetValue(config);
            string cfgPath = given ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(ckpt))!, RunFolder.ConfigFile);
            if (!File.Exists(cfgPath))
                throw new UsageException(given is not null ? $"--config: {cfgPath} does not exist"
                    : $"{cfgPath} does not exist: pass the run's config.json with --config (eval needs the settings the checkpoint was trained with)");
            var cfg = TrainConfig.FromSettings(Json.ReadObject(cfgPath)["settings"], cfgPath);
            // The model is the one the checkpoint holds, whatever data set it is evaluated on.
            // The device the run trained on is the default; eval runs wherever --device says (auto: CUDA when available).
            cfg = cfg with
            {
                Model = cfg.ModelOrDefault, Dataset = parse.GetValue(dataset) ?? cfg.Dataset, TestLimit = parse.GetValue(limit) ?? cfg.TestLimit,
                Device = parse.GetValue(device) ?? "auto",
            };
            cfg.Validate(key => key switch
            {
                "dataset" when parse.GetResult(dataset) is not null => "--dataset",
                "testLimit" when parse.GetResult(limit) is not null => "--test-limit",
                "device" => "--device",
                "model" when parse.GetResult(dataset) is not null => $"--dataset {cfg.Dataset}: the checkpoint's model (\"model\" in {cfgPath})",
                _ => $"\"{key}\" in {cfgPath}",
            });
            TrainJob.RequireData(cfg, key => parse.GetResult(dataset) is not null ? "--dataset" : $"\"{key}\" in {cfgPath}");
            var data = TrainJob.LoadData(cfg);
            var setup = TrainJob.Build(cfg, data, (ulong)cfg.Seed + 2);
            Checkpoints.Load(ckpt, setup.Trainer.Model);
            var result = setup.Trainer.Evaluate(setup.Test);
            var eval = (Loss: result.Loss, Accuracy: result.Metrics["accuracy"]);
            if (ui.Mode == Ui.OutputMode.Json)
                ui.Json(new JsonObject
                {
                    ["checkpoint"] = Path.GetFullPath(ckpt), ["dataset"] = cfg.Dataset, ["device"] = DeviceChoice.Resolve(cfg.Device).ToString(), ["samples"] = data.Test.Count,
                    ["testLoss"] = eval.Loss, ["testAcc"] = eval.Accuracy,
                }.ToJsonString(Json.Options));
            ui.Summary(new Ui.TableData($"eval {Path.GetFileName(ckpt)} on {cfg.Dataset}", "metric", "value")
                .Add("device", DeviceChoice.Resolve(cfg.Device).ToString())
                .Add("samples", data.Test.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Add("test loss", eval.Loss.ToString("F4", System.Globalization.CultureInfo.InvariantCulture))
                .Add("test accuracy", eval.Accuracy.ToString("F4", System.Globalization.CultureInfo.InvariantCulture)));
            return 0;
        }));
        return cmd;
    }
}
