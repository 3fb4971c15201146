using Dendrite.Cli.Commands;
using Dendrite.Cli.Training;

namespace Dendrite.Tests.Fuzz;

// Thousands of mutated train configs: each is read and validated, or refused with a UsageException naming the file.
public sealed class ConfigFuzzTests
{
    private const int Cases = 4000;

    [Fact]
    public void ConfigFilesOnlyGiveUsageErrors()
    {
        string[] seeds =
        [
            """{ "dataset": "moons", "model": "mlp:2-16-2", "act": "tanh", "opt": "sgd", "lr": 0.05, "batch": 32, "epochs": 3, "weightDecay": 1e-4, "dropout": 0.1, "batchnorm": true, "scheduler": "step:2:0.5", "earlyStop": 2, "init": "he", "seed": 7, "trainLimit": 300, "testLimit": 100, "devFraction": 0.2 }""",
            """{ "dataset": "fashion-mnist", "model": "cnn", "opt": "adamw", "lr": 1e-3, "scheduler": "cosine:5", "dropout": 0.25 }""",
            """{ "dataset": "mnist", "model": "softmax", "scheduler": "plateau", "testLimit": null }""",
        ];
        foreach (var s in seeds)
            TrainConfig.Parse(s, "seed.json", derivedAllowed: false).Validate();
        var mutator = new Mutator(4);
        int rejected = 0;
        for (int i = 0; i < Cases; i++)
        {
            string text = mutator.MutateJson(seeds[i % seeds.Length]);
            string path = $"case{i}.json";
            try
            {
                TrainConfig.Parse(text, path, derivedAllowed: i % 2 == 0).Validate(key => $"\"{key}\" in {path}");
            }
            catch (UsageException e)
            {
                Assert.Contains(path, e.Message);
                Assert.True(e.Message.Length < 600, $"case {i}: a {e.Message.Length}-character message: {e.Message}");
                rejected++;
            }
            catch (Exception e)
            {
                Assert.Fail($"case {i} ({text}): {e.GetType().Name}: {e.Message}");
            }
        }
        Assert.InRange(rejected, Cases / 2, Cases);
    }
}
