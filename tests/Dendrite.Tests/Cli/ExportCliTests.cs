using System.Text.Json.Nodes;
using Dendrite.Cli.Lab.Common;
using Dendrite.NN;
using Dendrite.Tests.Data;
using Dendrite.Tests.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace Dendrite.Tests.Cli;

/// <summary><c>dendrite export</c>: checkpoints of train runs and of the lab become ONNX models that compute what the checkpoint's model computes.</summary>
public sealed class ExportCliTests
{
    // The model of a checkpoint, rebuilt and loaded, against ONNX Runtime on the exported file, for two batch sizes.
    private static void AssertComputesTheCheckpointsModel(string onnx, ModelRecipe recipe, string checkpoint)
    {
        var model = recipe.Build(new Generator(0));
        Checkpoints.Load(checkpoint, model);
        using var session = new InferenceSession(onnx);
        var g = new Generator(3);
        foreach (int batch in new[] { 1, 9 })
        {
            var x = Tensor.Rand(recipe.InputShape(batch), g);
            OnnxRoundTrip.AssertClose(OnnxRoundTrip.Forward(model, x), OnnxRoundTrip.Run(session, x), $"batch {batch}");
        }
    }

    [Fact]
    public void ExportsATrainRunsBestCheckpointAndTheReportSaysHow()
    {
        using var cli = new CliHarness();
        var (code, output, _) = cli.Run("train", "--dataset", "moons", "--epochs", "3", "--batchnorm", "--dropout", "0.2", "--out", cli.Root, "--json");
        Assert.Equal(0, code);
        string run = JsonNode.Parse(output)!["runDir"]!.GetValue<string>();
        string best = Path.Combine(run, "best.safetensors");
        Assert.Contains($"dendrite export --checkpoint {best} -o {Path.Combine(run, "best.onnx")}", File.ReadAllText(Path.Combine(run, "report.html")));

        var (exportCode, exportOut, exportErr) = cli.Run("export", "--checkpoint", best, "--json");
        Assert.True(exportCode == 0, exportErr);
        var result = JsonNode.Parse(exportOut)!;
        string onnx = Path.Combine(run, "best.onnx");
        Assert.Equal(onnx, result["onnx"]!.GetValue<string>());
        Assert.Equal("mlp:2-16-16-2", result["model"]!.GetValue<string>());
        Assert.Equal(["batch", "2"], result["input"]!["dims"]!.AsArray().Select(d => d!.GetValue<string>()));
        Assert.Equal(2, result["nodes"]!.AsArray().Count(n => n!.GetValue<string>() == "BatchNormalization"));
        var recipe = new ModelRecipe("mlp:2-16-16-2", new ModelFactory.Options(Dropout: 0.2, BatchNorm: true), 2, 2);
        AssertComputesTheCheckpointsModel(onnx, recipe, best);

        // The training checkpoint holds the same kind of model; a fixed batch and another opset.
        string fixedPath = Path.Combine(cli.Root, "out", "last.onnx");
        var (lastCode, lastOut, _) = cli.Run("export", "--checkpoint", Path.Combine(run, "last.safetensors"), "-o", fixedPath, "--fixed-batch", "4", "--opset", "21");
        Assert.Equal(0, lastCode);
        Assert.Contains("input: float [4, 2]", lastOut);
        using var session = new InferenceSession(fixedPath);
        Assert.Equal([4, 2], session.InputMetadata["input"].Dimensions);
    }

    [Fact]
    public void ExportsALabCheckpointFromTheModelItRecords()
    {
        using var cli = new CliHarness();
        var recipe = new ModelRecipe("lenet", new ModelFactory.Options("tanh"));
        var model = recipe.Build(new Generator(4));
        string checkpoint = Path.Combine(cli.Root, "final.safetensors");
        Checkpoints.Save(checkpoint, model, recipe.ToMetadata());
        File.WriteAllText(Path.Combine(cli.Root, "config.json"), """{ "experiment": "cnn", "settings": { "Model": "lenet" } }""");
        string onnx = Path.Combine(cli.Root, "lenet.onnx");
        var (code, output, err) = cli.Run("export", "--checkpoint", checkpoint, "-o", onnx);
        Assert.True(code == 0, err);
        Assert.Contains("input: float [batch, 1, 28, 28]", output);
        AssertComputesTheCheckpointsModel(onnx, recipe, checkpoint);
    }

    [FashionMnistFact]
    public void ExportsTheLabsSoftmaxRegression()
    {
        using var cli = new CliHarness();
        var (code, output, _) = cli.Run("lab", "run", "softmax-regression", "--quick", "--out", cli.Root, "--json");
        Assert.Equal(0, code);
        string run = JsonNode.Parse(output)!["experiments"]![0]!["runDir"]!.GetValue<string>();
        string checkpoint = Path.Combine(run, "concise.safetensors");
        string command = $"dendrite export --checkpoint {checkpoint} -o {Path.Combine(run, "concise.onnx")}";
        Assert.Contains(command, File.ReadAllText(Path.Combine(run, "report.html")));
        var (exportCode, _, err) = cli.Run(command.Split(' ').Skip(1).ToArray());
        Assert.True(exportCode == 0, err);
        AssertComputesTheCheckpointsModel(Path.Combine(run, "concise.onnx"), new ModelRecipe("softmax", new ModelFactory.Options()), checkpoint);
    }

    public static TheoryData<string[], string> BadArguments() => new()
    {
        { ["--checkpoint", "/nonexistent/best.safetensors"], "--checkpoint: /nonexistent/best.safetensors does not exist" },
        { ["--opset", "13"], "--opset is 13, but must be 17 to 21" },
        { ["--opset", "x"], "--opset expects a whole number, got 'x'" },
        { ["--fixed-batch", "0"], "--fixed-batch is 0, but must be at least 1" },
        { ["--device", "gpu"], "--device is 'gpu': not a device" },
        { ["-o", "{root}"], "--output: {root} is a folder; name the .onnx file to write" },
        { ["-o", "{ckpt}"], "--output: {ckpt} is the checkpoint itself" },
        { ["--config", "/nonexistent/config.json"], "--config: /nonexistent/config.json does not exist" },
    };

    [Theory]
    [MemberData(nameof(BadArguments))]
    public void BadArgumentsAreOneErrorLine(string[] args, string message)
    {
        using var cli = new CliHarness();
        string ckpt = Path.Combine(cli.Root, "best.safetensors");
        var recipe = new ModelRecipe("softmax", new ModelFactory.Options());
        Checkpoints.Save(ckpt, recipe.Build(new Generator(1)), new Dictionary<string, string>());
        File.WriteAllText(Path.Combine(cli.Root, "config.json"), """{ "experiment": "train", "settings": { "dataset": "fashion-mnist", "model": "softmax" } }""");
        var given = args.Select(a => a.Replace("{root}", cli.Root).Replace("{ckpt}", ckpt));
        string[] full = args.Contains("--checkpoint") ? ["export", .. given] : ["export", "--checkpoint", ckpt, .. given];
        var (code, output, err) = cli.Run(full);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("error: " + message.Replace("{root}", cli.Root).Replace("{ckpt}", ckpt), err);
        Assert.Empty(Directory.GetFiles(cli.Root, "*.onnx"));
    }

    [Fact]
    public void ACheckpointThatRecordsNoModelOrDoesNotFitItIsAnError()
    {
        using var cli = new CliHarness();
        string ckpt = Path.Combine(cli.Root, "best-dev.safetensors");
        Checkpoints.Save(ckpt, new Sequential(new Linear(2, 5), new Sigmoid(), new Linear(5, 1)), new Dictionary<string, string>());
        File.WriteAllText(Path.Combine(cli.Root, "config.json"), """{ "experiment": "moons-mlp", "settings": {} }""");
        var (code, _, err) = cli.Run("export", "--checkpoint", ckpt);
        Assert.Equal(2, code);
        Assert.Contains($"error: {ckpt} does not record which model it holds, and {Path.Combine(cli.Root, "config.json")} belongs to the lab experiment 'moons-mlp'", err);

        // A train config for another model than the checkpoint's.
        string cfg = Path.Combine(cli.Root, "train.json");
        File.WriteAllText(cfg, """{ "experiment": "train", "settings": { "dataset": "moons", "model": "mlp:2-8-2" } }""");
        (code, _, err) = cli.Run("export", "--checkpoint", ckpt, "--config", cfg);
        Assert.Equal(2, code);
        Assert.Contains($"error: checkpoint {ckpt} does not fit the model", err);
        Assert.Empty(Directory.GetFiles(cli.Root, "*.onnx"));
    }
}
