using System.Text.Json.Nodes;
using Dendrite.Cli.Lab.Common;
using Dendrite.Data.Datasets;

namespace Dendrite.Tests.Cli;

// `dendrite train --dataset cifar10` end to end on generated files in the CIFAR-10 binary layout (3×32×32 images).
public sealed class TrainCifarTests
{
    // Five training batches and a test batch whose classes differ in colour, so that a small model learns something.
    private static string WriteCifar(string root, int perBatch, int test)
    {
        string folder = Path.Combine(root, Cifar10.FolderName);
        Directory.CreateDirectory(folder);
        var rnd = new Random(5);
        void Write(string name, int n)
        {
            var labels = new byte[n];
            var pixels = new byte[n * 3072];
            for (int i = 0; i < n; i++)
            {
                labels[i] = (byte)(i % 10);
                for (int ch = 0; ch < 3; ch++)
                    for (int j = 0; j < 1024; j++)
                        pixels[i * 3072 + ch * 1024 + j] = (byte)Math.Clamp((ch == labels[i] % 3 ? 25 * labels[i] : 40) + rnd.Next(-20, 21), 0, 255);
            }
            Cifar10.WriteBatchFile(Path.Combine(folder, name), labels, pixels);
        }
        foreach (var name in Cifar10.TrainFiles) Write(name, perBatch);
        Write(Cifar10.TestFile, test);
        return root;
    }

    [Fact]
    public void ACnnSpecTrainsOnCifarImagesAndEvaluates()
    {
        using var cli = new CliHarness();
        var env = new Dictionary<string, string> { ["DENDRITE_DATA"] = WriteCifar(Path.Combine(cli.Root, "data"), perBatch: 40, test: 30) };
        const string model = "cnn:c8k3p1-pool2-c16k3s2-fc32";
        var (code, output, err) = CliProcess.Run(env, "train", "--dataset", "cifar10", "--model", model, "--epochs", "3", "--batch", "32",
            "--out", Path.Combine(cli.Root, "runs"), "--json", "--quiet");
        Assert.True(code == 0, err + output);
        var result = JsonNode.Parse(output)!;
        var metrics = result["metrics"]!;
        // 3×32×32 → c8k3p1 8×32×32 → pool2 8×16×16 → c16k3s2 16×7×7 → 784 → fc32 → 10.
        Assert.Equal(CnnSpec.Parse(model).ParameterCount(3, 32, 32, 10), metrics["parameters"]!.GetValue<long>());
        Assert.Equal(8 * 3 * 9 + 8 + 16 * 8 * 9 + 16 + 784 * 32 + 32 + 32 * 10 + 10, metrics["parameters"]!.GetValue<long>());
        Assert.Equal(3, metrics["epochs_completed"]!.GetValue<int>());
        Assert.InRange(metrics["test_acc"]!.GetValue<double>(), 0, 1);
        string dir = result["runDir"]!.GetValue<string>();
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "config.json")))!["settings"]!;
        Assert.Equal("cifar10", config["dataset"]!.GetValue<string>());
        string html = File.ReadAllText(Path.Combine(dir, "report.html"));
        Assert.Contains("airplane", html); // the confusion matrix names CIFAR-10's classes

        (code, output, err) = CliProcess.Run(env, "eval", "--checkpoint", Path.Combine(dir, "best.safetensors"), "--json");
        Assert.True(code == 0, err);
        var eval = JsonNode.Parse(output)!;
        Assert.Equal(30, eval["samples"]!.GetValue<int>());
        Assert.Equal(metrics["test_acc"]!.GetValue<double>(), eval["testAcc"]!.GetValue<double>(), 9);

        // Exported to ONNX, the CNN takes 3×32×32 images and computes what the checkpoint's model computes.
        string best = Path.Combine(dir, "best.safetensors");
        (code, output, err) = cli.Run("export", "--checkpoint", best, "--json");
        Assert.True(code == 0, err);
        Assert.Equal(["batch", "3", "32", "32"], JsonNode.Parse(output)!["input"]!["dims"]!.AsArray().Select(d => d!.GetValue<string>()));
        var recipe = new ModelRecipe(model, new ModelFactory.Options(), 3072, 10, [3, 32, 32]);
        var net = recipe.Build(new Generator(0));
        Checkpoints.Load(best, net);
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(Path.Combine(dir, "best.onnx"));
        var x = Tensor.Rand(recipe.InputShape(5), new Generator(3));
        Assert.Equal([5, 3, 32, 32], x.Shape);
        Onnx.OnnxRoundTrip.AssertClose(Onnx.OnnxRoundTrip.Forward(net, x), Onnx.OnnxRoundTrip.Run(session, x), "batch 5");
    }

    [Fact]
    public void ARecipeRecordsTheImageShapeAndTheDropoutForm()
    {
        var recipe = new ModelRecipe("cnn:c8k3-pool2-fc16-drop", new ModelFactory.Options("tanh", 0.3, InvertedDropout: false), 3072, 10, [3, 32, 32]);
        var metadata = recipe.ToMetadata();
        Assert.Equal("3x32x32", metadata["image"]);
        Assert.Equal("original", metadata["dropoutForm"]);
        var back = ModelRecipe.FromMetadata(metadata, "x.safetensors")!;
        Assert.Equal([3, 32, 32], back.ImageShape!);
        Assert.False(back.Options.InvertedDropout);
        Assert.Equal([2, 3, 32, 32], back.InputShape(2));
        var dropout = Assert.Single(back.Build(new Generator(1)).Modules().OfType<Dendrite.NN.Dropout>());
        Assert.False(dropout.Inverted);
        // Checkpoints written before these keys existed hold 1×28×28 images and inverted dropout.
        var old = metadata.Where(kv => kv.Key is not ("image" or "dropoutForm")).ToDictionary(kv => kv.Key, kv => kv.Value);
        old["inputs"] = "784";
        old["model"] = "lenet";
        var lenet = ModelRecipe.FromMetadata(old, "old.safetensors")!;
        Assert.Equal([1, 28, 28], lenet.ImageShape!);
        Assert.True(lenet.Options.InvertedDropout);
        var bad = new Dictionary<string, string>(metadata) { ["image"] = "3x32" };
        Assert.Contains("\"image\" is '3x32', but must be CxHxW", Assert.Throws<InvalidDataException>(() => ModelRecipe.FromMetadata(bad, "b.safetensors")).Message);
    }

    [Fact]
    public void TheDefaultMlpFlattensCifarImages()
    {
        using var cli = new CliHarness();
        var env = new Dictionary<string, string> { ["DENDRITE_DATA"] = WriteCifar(Path.Combine(cli.Root, "data"), perBatch: 10, test: 10) };
        var (code, output, err) = CliProcess.Run(env, "train", "--dataset", "cifar10", "--epochs", "1", "--out", Path.Combine(cli.Root, "runs"), "--json", "--quiet");
        Assert.True(code == 0, err + output);
        var result = JsonNode.Parse(output)!;
        Assert.Equal(3072 * 256 + 256 + 256 * 10 + 10, result["metrics"]!["parameters"]!.GetValue<long>());
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(result["runDir"]!.GetValue<string>(), "config.json")))!["settings"]!;
        Assert.Equal("mlp:3072-256-10", config["modelOrDefault"]!.GetValue<string>());
    }

    [Fact]
    public void MissingCifarIsAUsageErrorThatSaysWhereToPutIt()
    {
        using var cli = new CliHarness();
        string data = Path.Combine(cli.Root, "empty");
        Directory.CreateDirectory(data);
        string runs = Path.Combine(cli.Root, "runs");
        var (code, output, err) = CliProcess.Run(new Dictionary<string, string> { ["DENDRITE_DATA"] = data }, "train", "--dataset", "cifar10", "--out", runs);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.StartsWith($"error: --dataset is 'cifar10', but CIFAR-10 is not in {Path.Combine(data, Cifar10.FolderName)}", err);
        Assert.Contains("cifar-10-binary.tar.gz", err);
        Assert.Contains("set DENDRITE_DATA to the folder above it", err);
        Assert.False(Directory.Exists(runs));
    }

    [Fact]
    public void DropoutNeedsAPlaceInACnnSpec()
    {
        using var cli = new CliHarness();
        var (code, stdout, err) = cli.Run("train", "--dataset", "fashion-mnist", "--model", "cnn:c8k3-pool2-fc16", "--dropout", "0.3", "--out", cli.Root);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains("--dropout is 0.3, but must be 0 for cnn:c8k3-pool2-fc16 (a CNN spec places dropout where it says drop", err);
        (code, _, err) = cli.Run("train", "--dataset", "fashion-mnist", "--model", "cnn:c8k3-pool2-c8k15", "--out", cli.Root);
        Assert.Equal(2, code);
        Assert.Contains("--model is 'cnn:c8k3-pool2-c8k15': layer 'c8k15' needs an input of at least 15×15, but gets 13×13", err);
        Assert.Empty(Directory.GetFileSystemEntries(cli.Root));
    }
}
