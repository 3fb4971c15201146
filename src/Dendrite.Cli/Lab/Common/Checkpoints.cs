using Dendrite.IO;
using Dendrite.NN;
using Dendrite.Training;

namespace Dendrite.Cli.Lab.Common;

/// <summary>Model checkpoints in a run folder, as safetensors files.</summary>
public static class Checkpoints
{
    /// <summary>Writes <c>&lt;name&gt;.safetensors</c> with the model's state and returns its path.</summary>
    public static string Save(string path, Module model, IReadOnlyDictionary<string, string> metadata)
    {
        var state = model.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Contiguous());
        SafeTensors.Save(path, state, metadata);
        return path;
    }

    /// <summary>
    /// Writes a checkpoint of an experiment's model into its run folder. With the model's <paramref name="recipe"/>
    /// the checkpoint records which model it holds, so <c>dendrite export</c> can rebuild it, and the run's report
    /// shows the export command.
    /// </summary>
    public static string Save(ExperimentContext ctx, string name, Module model, ModelRecipe? recipe = null)
    {
        var metadata = new Dictionary<string, string>
        {
            ["experiment"] = ctx.Experiment.Name, ["configHash"] = ctx.ConfigHash, ["seed"] = ctx.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in recipe?.ToMetadata() ?? new Dictionary<string, string>())
            metadata[key] = value;
        string file = $"{name}.safetensors";
        Save(ctx.Run.WritePath(file), model, metadata);
        if (recipe is not null)
            ctx.ExportableCheckpoints.Add(file);
        return ctx.Run.WritePath(file);
    }

    /// <summary>
    /// Loads a checkpoint into a model of the same architecture: a file of model weights, or the model part
    /// (<c>model.*</c>) of a training checkpoint written by <see cref="Trainer"/>. The weights are checked against the
    /// model (names, shapes, types) before any is copied; a mismatch is an error naming the file and a few of the keys.
    /// </summary>
    public static void Load(string path, Module model)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"checkpoint {path} does not exist", path);
        var file = SafeTensors.Read(path);
        var weights = file.Metadata.TryGetValue("format", out var format) && format == Trainer.CheckpointFormat
            ? file.Tensors.Where(kv => kv.Key.StartsWith("model.", StringComparison.Ordinal)).ToDictionary(kv => kv.Key["model.".Length..], kv => kv.Value, StringComparer.Ordinal)
            : new Dictionary<string, Tensor>(file.Tensors, StringComparer.Ordinal);
        var own = model.StateDict();
        var missing = own.Keys.Where(k => !weights.ContainsKey(k)).ToList();
        var unexpected = weights.Keys.Where(k => !own.ContainsKey(k)).ToList();
        var misShaped = own.Where(kv => weights.TryGetValue(kv.Key, out var w) && (!w.Shape.SequenceEqual(kv.Value.Shape) || w.DType != kv.Value.DType))
            .Select(kv => $"{kv.Key} {Describe(weights[kv.Key])} (the model's is {Describe(kv.Value)})").ToList();
        var problems = new[] { List("it lacks", missing), List("it has extra", unexpected), List("it has", misShaped) }.Where(p => p.Length > 0).ToList();
        if (problems.Count > 0)
            throw new InvalidDataException($"checkpoint {path} does not fit the model: {string.Join("; ", problems)}. Was it written for another model or data set?");
        model.LoadStateDict(weights);
    }

    private static string Describe(Tensor t) => $"{t.DType} [{string.Join(", ", t.Shape.Take(8))}{(t.Rank > 8 ? ", …" : "")}]";

    // At most five names, each cut short: a hostile file may hold half a million of them.
    private static string List(string what, List<string> keys) => keys.Count == 0 ? ""
        : $"{what} {string.Join(", ", keys.Take(5).Select(k => k.Length <= 80 ? k : k[..80] + "…"))}{(keys.Count > 5 ? $" and {keys.Count - 5} more" : "")}";
}
