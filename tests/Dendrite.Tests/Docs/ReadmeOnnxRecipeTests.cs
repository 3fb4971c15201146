using System.Text.RegularExpressions;
using Dendrite.Data;
using Dendrite.Data.Datasets;
using Dendrite.NN;
using Dendrite.Onnx;
using Dendrite.Optim;
using Dendrite.Tests.Data;
using Dendrite.Training;
using Dendrite.Training.Metrics;
using Microsoft.ML.OnnxRuntime;

namespace Dendrite.Tests.Docs;

/// <summary>
/// The README's "Deploying with ONNX" recipe: the two code blocks between the markers below are the README's (checked),
/// they run (train the Fashion-MNIST MLP, export it, classify test images with ONNX Runtime), and they print what the
/// README shows.
/// </summary>
public sealed class ReadmeOnnxRecipeTests
{
    private static void TrainAndExport()
    {
        // --- README ONNX export begins ---
        Tensor.ManualSeed(0);
        var train = new FashionMnist(train: true, flatten: true);          // 60000 images as [784] float32 in [0, 1]
        var model = new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, 10));
        var trainer = new Trainer(model, new Adam(model.Parameters(), lr: 1e-3), new CrossEntropyLoss(), [new Accuracy()]) { Log = null };
        trainer.Fit(new DataLoader(train, batchSize: 256, shuffle: true), null, epochs: 5);
        var info = model.ExportOnnx(Tensor.Zeros(1, 784), "fashion-mlp.onnx"); // the sample fixes the input's shape; its batch may vary
        Console.WriteLine($"{info.Input} -> {info.Output}");
        // --- README ONNX export ends ---
    }

    private static void ClassifyWithOnnxRuntime()
    {
        // --- README ONNX Runtime begins ---
        string[] classes = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];
        var test = new FashionMnist(train: false, flatten: true);
        var batch = test.GetBatch([0, 1, 2]);                              // three test images [3, 784] and their labels [3]
        float[] pixels = batch[0].ToArray<float>();
        long[] labels = batch[1].ToArray<long>();

        using var session = new InferenceSession("fashion-mlp.onnx");
        using var runOptions = new RunOptions();
        using var input = OrtValue.CreateTensorValueFromMemory(pixels, [3, 784]);
        using var outputs = session.Run(runOptions, ["input"], [input], ["output"]);
        ReadOnlySpan<float> logits = outputs[0].GetTensorDataAsSpan<float>(); // [3, 10], row by row
        for (int i = 0; i < 3; i++)
        {
            var row = logits.Slice(i * 10, 10);
            int best = 0;
            for (int k = 1; k < 10; k++)
                if (row[k] > row[best]) best = k;
            Console.WriteLine($"image {i}: {classes[best]} (label {classes[labels[i]]})");
        }
        // --- README ONNX Runtime ends ---
    }

    [FashionMnistFact]
    public void TheRecipeIsTheReadmesCodeAndPrintsWhatItShows()
    {
        string readme = ReadmeExampleTests.Readme().Replace("\r\n", "\n");
        int section = readme.IndexOf("\n## Deploying with ONNX", StringComparison.Ordinal);
        Assert.True(section >= 0, "the README has a \"Deploying with ONNX\" section");
        var blocks = Regex.Matches(readme[section..], "```csharp\n(.*?)```", RegexOptions.Singleline);
        var source = File.ReadAllText(SourcePath()).Replace("\r\n", "\n").Split('\n');
        Assert.Equal(Shown(blocks[0]), Region(source, "README ONNX export"));
        Assert.Equal(Shown(blocks[1]), Region(source, "README ONNX Runtime"));

        var printed = new StringWriter();
        var console = Console.Out;
        Console.SetOut(printed);
        try
        {
            TrainAndExport();
            ClassifyWithOnnxRuntime();
        }
        finally
        {
            Console.SetOut(console);
            File.Delete("fashion-mlp.onnx");
        }
        var lines = printed.ToString().Split('\n').Select(l => l.TrimEnd('\r'))
            .Where(l => l.StartsWith("input:", StringComparison.Ordinal) || l.StartsWith("image ", StringComparison.Ordinal)).ToList();
        var output = Regex.Match(readme[section..], "prints\n\n```text\n(.*?)```", RegexOptions.Singleline);
        Assert.True(output.Success, "the README shows the recipe's output after it");
        string shown = output.Groups[1].Value.Trim(), actual = string.Join("\n", lines);
        Assert.True(shown == actual, $"the README shows\n{shown}\nbut the recipe printed\n{actual}");
    }

    private static string Shown(Match block) =>
        string.Join("\n", block.Groups[1].Value.Split('\n').Where(l => !Regex.IsMatch(l, @"^using [A-Za-z.]+;$"))).Trim();

    private static string Region(string[] source, string marker)
    {
        int begin = Array.FindIndex(source, l => l.Contains($"--- {marker} begins ---")), end = Array.FindIndex(source, l => l.Contains($"--- {marker} ends ---"));
        var lines = source[(begin + 1)..end];
        int indent = lines.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        return string.Join("\n", lines.Select(l => l.Length >= indent ? l[indent..] : l.Trim())).Trim();
    }

    private static string SourcePath([System.Runtime.CompilerServices.CallerFilePath] string here = "") => here;
}
