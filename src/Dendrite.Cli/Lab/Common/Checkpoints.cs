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

    /// <summary>Writes a checkpoint of an experiment's model into its run folder.</summary>
    public static string Save(ExperimentContext ctx, string name, Module model) =>
        Save(ctx.Run.File($"{name}.safetensors"), model, new Dictionary<string, string>
        {
            ["experiment"] = ctx.Experiment.Name, ["configHash"] = ctx.ConfigHash, ["seed"] = ctx.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

    /// <summary>
    /// Loads a checkpoint into a model of the same architecture: a file of model weights, or the model part
    /// (<c>model.*</c>) of a training checkpoint written by <see cref="Trainer"/>.
    /// </summary>
    public static void Load(string path, Module model)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"checkpoint {path} does not exist", path);
        var file = SafeTensors.Read(path);
        if (file.Metadata.TryGetValue("format", out var format) && format == Trainer.CheckpointFormat)
            model.LoadStateDict(file.Tensors.Where(kv => kv.Key.StartsWith("model.", StringComparison.Ordinal))
                .ToDictionary(kv => kv.Key["model.".Length..], kv => kv.Value, StringComparer.Ordinal));
        else
            model.LoadStateDict(new Dictionary<string, Tensor>(file.Tensors));
    }
}
