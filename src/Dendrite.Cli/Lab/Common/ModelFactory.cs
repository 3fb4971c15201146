using System.Globalization;
using Dendrite.NN;

namespace Dendrite.Cli.Lab.Common;

/// <summary>
/// Builds the models that the lab and <c>dendrite train</c> name by a short spec: <c>softmax</c> (784-10 linear),
/// <c>mlp:784-256-10</c> (any layer sizes, one width per layer; a two-class problem may end in a single logit, as in
/// <c>mlp:2-5-3-1</c>), <c>lenet</c> (LeNet-5 style CNN), <c>cnn</c> (a wider two-block CNN) and any CNN written as a
/// <see cref="CnnSpec"/> (<c>cnn:c16k5p2-pool2-c32k3-pool2-fc128</c>).
/// </summary>
public static class ModelFactory
{
    /// <summary>Model options that apply to MLPs.</summary>
    /// <param name="Activation">relu, sigmoid, tanh, leaky-relu or gelu.</param>
    /// <param name="Dropout">Dropout probability after each hidden activation (0: none).</param>
    /// <param name="BatchNorm">Batch normalisation before each hidden activation.</param>
    /// <param name="Init">"default" (PyTorch's layer defaults) or "he" (Kaiming normal weights for ReLU, zero biases).</param>
    /// <param name="InvertedDropout">Inverted dropout (PyTorch's) or the original form that scales by 1 − p at inference.</param>
    public sealed record Options(string Activation = "relu", double Dropout = 0, bool BatchNorm = false, string Init = "default", bool InvertedDropout = true);

    /// <summary>The activation names <see cref="Activation"/> knows.</summary>
    public static IReadOnlyList<string> Activations { get; } = ["relu", "sigmoid", "tanh", "leaky-relu", "gelu"];

    /// <summary>The initialisations <see cref="ApplyInit"/> knows.</summary>
    public static IReadOnlyList<string> Inits { get; } = ["default", "he"];

    /// <summary>
    /// What is wrong with a model spec for data of <paramref name="inputs"/> features and <paramref name="classes"/>
    /// classes (<paramref name="imageShape"/>: the [channels, height, width] of images a CNN can take, or null when the
    /// samples are not images), or null when it can be built.
    /// </summary>
    public static string? Problem(string spec, int inputs, int classes, int[]? imageShape)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (CnnSpec.IsCnn(spec))
        {
            if (imageShape is not [int c, int h, int w])
                return $"{spec} takes images, but this data set has {inputs} features: use an MLP such as mlp:{inputs}-16-16-{classes}";
            var cnn = CnnSpec.TryParse(spec, out var problem);
            return cnn is null ? problem : cnn.Shapes(c, h, w, out problem) is null ? problem : null;
        }
        switch (Kind(spec))
        {
            case "softmax" when spec.Equals("softmax", StringComparison.OrdinalIgnoreCase):
                return null;
            case "mlp":
                var parts = spec.Split(':', 2);
                if (parts.Length < 2)
                    return null; // mlp alone: [inputs, 256, classes]
                var sizes = parts[1].Split('-');
                if (sizes.Length < 2 || sizes.Any(t => !int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1))
                    return $"expected mlp:<inputs>-<hidden>...-<classes> with positive whole sizes, e.g. mlp:{inputs}-256-{classes}";
                if (int.Parse(sizes[0], CultureInfo.InvariantCulture) != inputs)
                    return $"an MLP's first size must be the {inputs} input features of the data, e.g. mlp:{inputs}-{string.Join("-", sizes.Skip(1))}";
                int outputs = int.Parse(sizes[^1], CultureInfo.InvariantCulture);
                if (outputs != classes && !(outputs == 1 && classes == 2))
                    return $"an MLP's last size must be the {classes} classes of the data{(classes == 2 ? " (or 1: a single logit)" : "")}, " +
                           $"e.g. mlp:{string.Join("-", sizes.SkipLast(1))}-{classes}";
                return null;
            default:
                return $"unknown model: use softmax, mlp:{inputs}-256-{classes} (any hidden sizes), lenet, cnn or a CNN spec such as {CnnSpec.Example} " +
                       $"(layers {CnnSpec.Syntax})";
        }
    }

    /// <summary>Whether a model has a place for dropout: an MLP (after each hidden layer) or a CNN whose spec says <c>drop</c>.</summary>
    public static bool TakesDropout(string spec) =>
        Kind(spec) == "mlp" || (CnnSpec.IsCnn(spec) && CnnSpec.TryParse(spec, out _) is { HasDropout: true });

    /// <summary>
    /// Whether a model ends in a single output, the logit of class 1 of a two-class problem (<c>mlp:2-5-3-1</c>), to be
    /// trained with binary cross-entropy on logits rather than cross-entropy over class scores.
    /// </summary>
    public static bool SingleLogit(string spec) =>
        Kind(spec) == "mlp" && spec.Split(':', 2) is [_, var sizes] && sizes.Split('-')[^1] == "1";

    /// <summary>Whether a model takes images [N, C, H, W] (CNNs) rather than flat vectors [N, C·H·W].</summary>
    public static bool TakesImages(string spec) => CnnSpec.IsCnn(spec);

    /// <summary>
    /// Builds the model a spec names; unknown specs are an error listing the valid forms. A CNN is built for images of
    /// <paramref name="imageShape"/> [channels, height, width] (default 1×28×28).
    /// </summary>
    public static Module Build(string spec, Options options, Generator rng, int inputs = 784, int classes = 10, int[]? imageShape = null)
    {
        var model = BuildDefault(spec, options, rng, inputs, classes, imageShape ?? [1, 28, 28]);
        ApplyInit(model, options.Init, rng);
        return model;
    }

    /// <summary>Re-initialises Linear and Conv2d weights: "he" draws Kaiming-normal weights (ReLU gain) and zero biases.</summary>
    public static void ApplyInit(Module model, string init, Generator rng)
    {
        switch (init.ToLowerInvariant())
        {
            case "default":
                return;
            case "he":
                foreach (var m in model.Modules())
                {
                    var (w, b) = m switch { Linear l => (l.Weight, l.Bias), Conv2d c => (c.Weight, c.Bias), _ => (null, null) };
                    if (w is null) continue;
                    NN.Init.KaimingNormal_(w, nonlinearity: Nonlinearity.ReLU, generator: rng);
                    if (b is not null) NN.Init.Zeros_(b);
                }
                return;
            default:
                throw new ArgumentException($"init '{init}' is unknown: use default or he");
        }
    }

    private static Module BuildDefault(string spec, Options options, Generator rng, int inputs, int classes, int[] imageShape)
    {
        if (CnnSpec.IsCnn(spec))
            return CnnSpec.Parse(spec).Build(imageShape[0], imageShape[1], imageShape[2], classes, options.Activation, options.Dropout, rng, options.InvertedDropout);
        return Kind(spec) switch
        {
            "softmax" => new Sequential(new Linear(inputs, classes, generator: rng)),
            "mlp" => MlpLayers(Sizes(spec, inputs, classes), options, rng),
            _ => throw new ArgumentException($"model '{spec}' is unknown: use softmax, mlp:784-256-10 (any sizes), lenet, cnn or a CNN spec such as {CnnSpec.Example}"),
        };
    }

    /// <summary>An MLP with the given layer sizes: Linear [BatchNorm] activation [Dropout] per hidden layer.</summary>
    public static Sequential Mlp(int[] sizes, Options options, Generator rng)
    {
        var model = MlpLayers(sizes, options, rng);
        ApplyInit(model, options.Init, rng);
        return model;
    }

    private static Sequential MlpLayers(int[] sizes, Options options, Generator rng)
    {
        var model = new Sequential();
        for (int i = 0; i + 1 < sizes.Length; i++)
        {
            model.Add(new Linear(sizes[i], sizes[i + 1], generator: rng));
            if (i + 2 == sizes.Length) break;
            if (options.BatchNorm) model.Add(new BatchNorm1d(sizes[i + 1]));
            model.Add(Activation(options.Activation));
            if (options.Dropout > 0) model.Add(new Dropout(options.Dropout, rng, options.InvertedDropout));
        }
        return model;
    }

    /// <summary>The activation module a name stands for.</summary>
    public static Module Activation(string name) => name.ToLowerInvariant() switch
    {
        "relu" => new ReLU(),
        "sigmoid" => new Sigmoid(),
        "tanh" => new Tanh(),
        "leaky-relu" or "leakyrelu" => new LeakyReLU(),
        "gelu" => new GELU(),
        _ => throw new ArgumentException($"activation '{name}' is unknown: use relu, sigmoid, tanh, leaky-relu or gelu"),
    };

    private static string Kind(string spec) => spec.Split(':')[0].ToLowerInvariant();

    private static int[] Sizes(string spec, int inputs, int classes)
    {
        var parts = spec.Split(':', 2);
        if (parts.Length < 2) return [inputs, 256, classes];
        try
        {
            var sizes = parts[1].Split('-').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            if (sizes.Length < 2 || sizes.Any(s => s <= 0)) throw new FormatException();
            if (sizes[0] != inputs || (sizes[^1] != classes && !(sizes[^1] == 1 && classes == 2)))
                throw new ArgumentException($"model '{spec}': the first size must be the {inputs} input features and the last the {classes} classes");
            return sizes;
        }
        catch (FormatException)
        {
            throw new ArgumentException($"model '{spec}': expected mlp:<in>-<hidden>...-<out> with positive sizes, e.g. mlp:784-256-10");
        }
    }
}
