using System.Globalization;
using Dendrite.Cli.Training;
using Dendrite.NN;

namespace Dendrite.Cli.Lab.Common;

/// <summary>
/// Which model a checkpoint holds, as <see cref="ModelFactory"/> builds it: the spec (<c>lenet</c>,
/// <c>mlp:784-256-10</c>, ...), the options, and the data's input features and classes. Lab checkpoints carry it in
/// their metadata; a <c>dendrite train</c> run's comes from its config.json. <c>dendrite export</c> rebuilds the model
/// from it before loading the weights.
/// </summary>
/// <param name="Spec">The model spec.</param>
/// <param name="Options">Activation, dropout, batch norm and initialization.</param>
/// <param name="Inputs">Input features of a flat model (784 for Fashion-MNIST, 3072 for CIFAR-10, 2 for moons).</param>
/// <param name="Classes">Number of classes.</param>
/// <param name="Image">
/// The [channels, height, width] of the images a CNN takes (null: 1×28×28 when <paramref name="Inputs"/> is 784, else
/// none, as checkpoints written before CNNs took other images record it).
/// </param>
public sealed record ModelRecipe(string Spec, ModelFactory.Options Options, int Inputs = 784, int Classes = 10, int[]? Image = null)
{
    // Checkpoint metadata keys.
    private const string ModelKey = "model", ActivationKey = "activation", DropoutKey = "dropout", BatchNormKey = "batchnorm",
        InitKey = "init", InputsKey = "inputs", ClassesKey = "classes", ImageKey = "image", DropoutFormKey = "dropoutForm";

    /// <summary>Whether the model takes images [N, C, H, W] rather than flat vectors [N, inputs].</summary>
    public bool Images => ModelFactory.TakesImages(Spec);

    /// <summary>The [channels, height, width] of the data's images, or null when the data are not images.</summary>
    public int[]? ImageShape => Image ?? (Inputs == 784 ? [1, 28, 28] : null);

    /// <summary>The shape of a batch of <paramref name="batch"/> inputs.</summary>
    public int[] InputShape(int batch) => Images && ImageShape is { } image ? [batch, .. image] : [batch, Inputs];

    /// <summary>Builds the (untrained) model.</summary>
    public Module Build(Generator rng) => ModelFactory.Build(Spec, Options, rng, Inputs, Classes, ImageShape);

    /// <summary>The recipe as checkpoint metadata entries.</summary>
    public IReadOnlyDictionary<string, string> ToMetadata() => new Dictionary<string, string>
    {
        [ModelKey] = Spec,
        [ActivationKey] = Options.Activation,
        [DropoutKey] = Options.Dropout.ToString("R", CultureInfo.InvariantCulture),
        [BatchNormKey] = Options.BatchNorm ? "true" : "false",
        [InitKey] = Options.Init,
        [InputsKey] = Inputs.ToString(CultureInfo.InvariantCulture),
        [ClassesKey] = Classes.ToString(CultureInfo.InvariantCulture),
        [ImageKey] = ImageShape is { } image ? string.Join("x", image) : "none",
        [DropoutFormKey] = Options.InvertedDropout ? "inverted" : "original",
    };

    /// <summary>
    /// The recipe a checkpoint's metadata records, or null when it records none; a recipe that cannot be read or
    /// names no model <see cref="ModelFactory"/> can build is an error naming <paramref name="path"/> and the key.
    /// </summary>
    public static ModelRecipe? FromMetadata(IReadOnlyDictionary<string, string> metadata, string path)
    {
        if (!metadata.TryGetValue(ModelKey, out var spec))
            return null;
        string Get(string key) => metadata.TryGetValue(key, out var v) ? v
            : throw new InvalidDataException($"checkpoint {path} names its model '{spec}' but lacks the metadata key \"{key}\"");
        int Count(string key) => int.TryParse(Get(key), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0 ? n
            : throw new InvalidDataException($"checkpoint {path}: metadata \"{key}\" is '{Get(key)}', but must be a positive whole number");
        double dropout = double.TryParse(Get(DropoutKey), NumberStyles.Float, CultureInfo.InvariantCulture, out double p) && p >= 0 && p < 1 ? p
            : throw new InvalidDataException($"checkpoint {path}: metadata \"{DropoutKey}\" is '{Get(DropoutKey)}', but must be a probability in [0, 1)");
        bool batchNorm = Get(BatchNormKey) switch
        {
            "true" => true,
            "false" => false,
            var v => throw new InvalidDataException($"checkpoint {path}: metadata \"{BatchNormKey}\" is '{v}', but must be true or false"),
        };
        // "image" and "dropoutForm" came later: a checkpoint without them holds 1×28×28 images (784 inputs) and inverted dropout.
        int[]? image = metadata.TryGetValue(ImageKey, out var imageText) ? ParseImage(imageText, path) : null;
        bool inverted = !metadata.TryGetValue(DropoutFormKey, out var form) || form switch
        {
            "inverted" => true,
            "original" => false,
            _ => throw new InvalidDataException($"checkpoint {path}: metadata \"{DropoutFormKey}\" is '{form}', but must be inverted or original"),
        };
        var options = new ModelFactory.Options(Get(ActivationKey), dropout, batchNorm, Get(InitKey), inverted);
        int inputs = Count(InputsKey);
        var recipe = new ModelRecipe(spec, options, inputs, Count(ClassesKey), image);
        return recipe.Problem() is { } problem ? throw new InvalidDataException($"checkpoint {path}: {problem}") : recipe;
    }

    // "1x28x28" → [1, 28, 28]; "none" → null.
    private static int[]? ParseImage(string text, string path)
    {
        if (text == "none") return null;
        var parts = text.Split('x');
        var dims = parts.Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : 0).ToArray();
        return dims.Length == 3 && dims.All(d => d > 0) ? dims
            : throw new InvalidDataException($"checkpoint {path}: metadata \"{ImageKey}\" is '{text}', but must be CxHxW such as 1x28x28, or none");
    }

    /// <summary>The model a <c>dendrite train</c> configuration trains.</summary>
    public static ModelRecipe FromTrainConfig(TrainConfig cfg)
    {
        var data = DatasetInfo.Find(cfg.Dataset) ?? throw new ArgumentException($"data set '{cfg.Dataset}' is unknown: use {DatasetInfo.Names}");
        return new ModelRecipe(cfg.ModelOrDefault, new ModelFactory.Options(cfg.Act, cfg.Dropout, cfg.Batchnorm, cfg.Init), data.Features, data.Classes,
            data.ImageShape);
    }

    /// <summary>What is wrong with the recipe (an unknown model, activation or initialization), or null.</summary>
    public string? Problem()
    {
        if (ImageShape is { } image && image[0] * image[1] * image[2] != Inputs)
            return $"images of {string.Join("×", image)} do not have {Inputs} input features";
        if (ModelFactory.Problem(Spec, Inputs, Classes, ImageShape) is { } model)
            return $"model '{Spec}': {model}";
        if (!ModelFactory.Activations.Contains(Options.Activation.ToLowerInvariant()))
            return $"activation '{Options.Activation}' is unknown: use {string.Join(", ", ModelFactory.Activations)}";
        if (!ModelFactory.Inits.Contains(Options.Init.ToLowerInvariant()))
            return $"init '{Options.Init}' is unknown: use {string.Join(", ", ModelFactory.Inits)}";
        return null;
    }
}
