using Dendrite.IO;
using Dendrite.NN;

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

    /// <summary>Loads a checkpoint into a model of the same architecture.</summary>
    public static void Load(string path, Module model)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"checkpoint {path} does not exist", path);
        model.LoadStateDict(SafeTensors.Load(path));
    }
}
