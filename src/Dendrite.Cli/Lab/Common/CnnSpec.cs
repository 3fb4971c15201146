using System.Globalization;
using System.Text.RegularExpressions;
using Dendrite.NN;

namespace Dendrite.Cli.Lab.Common;

/// <summary>What one layer of a <see cref="CnnSpec"/> is.</summary>
public enum CnnLayerKind
{
    /// <summary>A convolution followed by the activation: <c>c16k5s1p2</c>.</summary>
    Conv,

    /// <summary>Max-pooling over size×size windows with stride size: <c>pool2</c> (<c>pool</c> alone is <c>pool2</c>).</summary>
    Pool,

    /// <summary>A fully connected hidden layer followed by the activation: <c>fc128</c>.</summary>
    Fc,

    /// <summary>Dropout with the configured probability: <c>drop</c>.</summary>
    Drop,
}

/// <summary>One layer of a <see cref="CnnSpec"/>: its kind, its numbers and the text it was written as.</summary>
/// <param name="Kind">The layer kind.</param>
/// <param name="Units">Kernels (output channels) of a convolution or units of a fully connected layer; 0 otherwise.</param>
/// <param name="Size">Kernel size of a convolution or window of a pooling layer; 0 otherwise.</param>
/// <param name="Stride">Stride of a convolution (1 by default) or a pooling layer (its size).</param>
/// <param name="Padding">Zero padding on every side of a convolution's input (0 by default).</param>
/// <param name="Text">The token, e.g. <c>c16k5s1p2</c>.</param>
public sealed record CnnLayer(CnnLayerKind Kind, int Units, int Size, int Stride, int Padding, string Text);

/// <summary>
/// A convolutional network written as a readable spec, <c>cnn:c16k5s1p2-pool2-c32k3-pool2-fc128</c>: layers joined by
/// <c>-</c>, each <c>c&lt;kernels&gt;k&lt;size&gt;[s&lt;stride&gt;][p&lt;padding&gt;]</c> (a convolution and the activation),
/// <c>pool[&lt;size&gt;]</c> (max-pooling), <c>fc&lt;units&gt;</c> (a hidden fully connected layer and the activation) or
/// <c>drop</c> (dropout). The flattening before the first <c>fc</c> and the last layer (one output per class) are added.
/// The named models are specs too: <c>lenet</c> and <c>cnn</c> (see <see cref="Named"/>).
/// </summary>
public sealed partial class CnnSpec
{
    /// <summary>The layer grammar, for messages and help.</summary>
    public const string Syntax = "c<kernels>k<size>[s<stride>][p<padding>], pool[<size>], fc<units> or drop, joined by '-'";

    /// <summary>An example spec.</summary>
    public const string Example = "cnn:c16k5p2-pool2-c32k3-pool2-fc128";

    /// <summary>The most kernels, units, kernel size, stride or padding a layer may ask for.</summary>
    public const int MaxNumber = 65536;

    /// <summary>The named CNNs and the specs they stand for.</summary>
    public static IReadOnlyDictionary<string, string> Named { get; } = new Dictionary<string, string>
    {
        // LeNet-5 with ReLU and max-pooling (d2l 7.6): [N,1,28,28] → 6×28×28 → 6×14×14 → 16×10×10 → 16×5×5 → 120 → 84 → classes.
        ["lenet"] = "c6k5p2-pool2-c16k5-pool2-fc120-fc84",
        // A wider two-block CNN: [N,1,28,28] → 32×14×14 → 64×7×7 → 128 → dropout → classes.
        ["cnn"] = "c32k3p1-pool2-c64k3p1-pool2-fc128-drop",
    };

    private CnnSpec(string text, IReadOnlyList<CnnLayer> layers)
    {
        Text = text;
        Layers = layers;
    }

    /// <summary>The layer text after <c>cnn:</c>, e.g. <c>c16k5p2-pool2-fc128</c>.</summary>
    public string Text { get; }

    /// <summary>The layers in order (without the flattening and the class layer, which are implied).</summary>
    public IReadOnlyList<CnnLayer> Layers { get; }

    /// <summary>Whether the spec places a dropout layer.</summary>
    public bool HasDropout => Layers.Any(l => l.Kind == CnnLayerKind.Drop);

    /// <summary>Whether a model spec is a CNN: <c>lenet</c>, <c>cnn</c> or <c>cnn:&lt;layers&gt;</c>.</summary>
    public static bool IsCnn(string spec) => Named.ContainsKey(spec.ToLowerInvariant()) || spec.StartsWith("cnn:", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Reads a model spec (<c>lenet</c>, <c>cnn</c> or <c>cnn:&lt;layers&gt;</c>); returns the spec, or null and what is wrong.
    /// </summary>
    public static CnnSpec? TryParse(string spec, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string text = Named.TryGetValue(spec.ToLowerInvariant(), out var named) ? named
            : spec.StartsWith("cnn:", StringComparison.OrdinalIgnoreCase) ? spec[4..] : "";
        problem = null;
        if (text.Trim().Length == 0)
        {
            problem = $"a CNN spec lists its layers after 'cnn:' ({Syntax}), e.g. {Example}";
            return null;
        }
        var layers = new List<CnnLayer>();
        string[] tokens = text.Split('-');
        for (int i = 0; i < tokens.Length; i++)
        {
            var layer = ParseLayer(tokens[i].ToLowerInvariant(), i + 1, out problem);
            if (layer is null) return null;
            if (layer.Kind is CnnLayerKind.Conv or CnnLayerKind.Pool && layers.Any(l => l.Kind == CnnLayerKind.Fc))
            {
                problem = $"layer {i + 1} '{tokens[i]}' comes after a fully connected layer: convolutions and pooling come first, then fc layers";
                return null;
            }
            layers.Add(layer);
        }
        if (layers.All(l => l.Kind != CnnLayerKind.Conv))
        {
            problem = $"a CNN needs at least one convolution such as c16k5 (for no convolution use an mlp), e.g. {Example}";
            return null;
        }
        return new CnnSpec(text, layers);
    }

    /// <summary>Reads a model spec, throwing an <see cref="ArgumentException"/> with the problem when it is not a valid CNN.</summary>
    public static CnnSpec Parse(string spec) =>
        TryParse(spec, out var problem) ?? throw new ArgumentException($"model '{spec}': {problem}");

    private static CnnLayer? ParseLayer(string token, int position, out string? problem)
    {
        problem = null;
        var conv = ConvPattern().Match(token);
        if (conv.Success)
        {
            int? units = Number(conv.Groups[1].Value), size = Number(conv.Groups[2].Value);
            int? stride = conv.Groups[3].Success ? Number(conv.Groups[3].Value) : 1, padding = conv.Groups[4].Success ? Number(conv.Groups[4].Value) : 0;
            if (units is null || size is null || stride is null || padding is null)
                problem = $"layer {position} '{token}': numbers may be at most {MaxNumber}";
            else if (units < 1) problem = $"layer {position} '{token}': a convolution needs at least 1 kernel";
            else if (size < 1) problem = $"layer {position} '{token}': the kernel size must be at least 1";
            else if (stride < 1) problem = $"layer {position} '{token}': the stride must be at least 1";
            else if (padding >= size) problem = $"layer {position} '{token}': the padding ({padding}) must be smaller than the kernel size ({size})";
            return problem is null ? new CnnLayer(CnnLayerKind.Conv, units!.Value, size!.Value, stride!.Value, padding!.Value, token) : null;
        }
        var pool = PoolPattern().Match(token);
        if (pool.Success)
        {
            int? size = pool.Groups[1].Success ? Number(pool.Groups[1].Value) : 2;
            if (size is null or < 1)
            {
                problem = $"layer {position} '{token}': the pooling size must be a whole number from 1 to {MaxNumber}";
                return null;
            }
            return new CnnLayer(CnnLayerKind.Pool, 0, size.Value, size.Value, 0, token);
        }
        var fc = FcPattern().Match(token);
        if (fc.Success)
        {
            int? units = Number(fc.Groups[1].Value);
            if (units is null or < 1)
            {
                problem = $"layer {position} '{token}': a fully connected layer needs from 1 to {MaxNumber} units";
                return null;
            }
            return new CnnLayer(CnnLayerKind.Fc, units.Value, 0, 0, 0, token);
        }
        if (token == "drop")
            return new CnnLayer(CnnLayerKind.Drop, 0, 0, 0, 0, token);
        problem = token.Length == 0
            ? $"layer {position} is empty (two '-' in a row, or one at an end): layers are {Syntax}"
            : $"layer {position} '{token}' is not a layer: use {Syntax}, e.g. {Example}";
        return null;
    }

    private static int? Number(string digits) =>
        int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n <= MaxNumber ? n : null;

    /// <summary>
    /// The shape after each layer for images of <paramref name="channels"/>×<paramref name="height"/>×<paramref name="width"/>
    /// (a convolution gives ⌊(H + 2p − k)/s⌋ + 1, a pooling ⌊(H − k)/k⌋ + 1), or null and what is wrong when a layer's
    /// window does not fit its input.
    /// </summary>
    public IReadOnlyList<(CnnLayer Layer, int Channels, int Height, int Width)>? Shapes(int channels, int height, int width, out string? problem)
    {
        var shapes = new List<(CnnLayer, int, int, int)>();
        var trace = new List<string> { $"{channels}×{height}×{width}" };
        problem = null;
        int c = channels, h = height, w = width;
        foreach (var layer in Layers)
        {
            if (layer.Kind is CnnLayerKind.Conv or CnnLayerKind.Pool)
            {
                int ph = h + 2 * layer.Padding, pw = w + 2 * layer.Padding;
                if (ph < layer.Size || pw < layer.Size)
                {
                    string input = layer.Padding > 0 ? $"{h}×{w} ({ph}×{pw} padded)" : $"{h}×{w}";
                    problem = $"layer '{layer.Text}' needs an input of at least {layer.Size}×{layer.Size}, but gets {input}: " +
                              $"{string.Join(" → ", trace)}; use fewer or smaller layers, padding or a smaller stride";
                    return null;
                }
                (h, w) = ((ph - layer.Size) / layer.Stride + 1, (pw - layer.Size) / layer.Stride + 1);
                if (layer.Kind == CnnLayerKind.Conv) c = layer.Units;
                trace.Add($"{layer.Text} {c}×{h}×{w}");
            }
            shapes.Add((layer, c, h, w));
        }
        return shapes;
    }

    /// <summary>The number of features entering the first fully connected layer (C·H·W of the last feature map).</summary>
    public int FlatFeatures(int channels, int height, int width)
    {
        var shapes = Shapes(channels, height, width, out var problem) ?? throw new ArgumentException($"cnn:{Text}: {problem}");
        var last = shapes.LastOrDefault(s => s.Layer.Kind is CnnLayerKind.Conv or CnnLayerKind.Pool);
        return last.Channels * last.Height * last.Width;
    }

    /// <summary>
    /// The number of parameters of the built network in closed form: k·k·C_in·C_out + C_out per convolution, and
    /// in·out + out per fully connected layer (the class layer included).
    /// </summary>
    public long ParameterCount(int channels, int height, int width, int classes)
    {
        long total = 0;
        int c = channels;
        long features = FlatFeatures(channels, height, width);
        foreach (var layer in Layers)
        {
            if (layer.Kind == CnnLayerKind.Conv)
            {
                total += (long)layer.Size * layer.Size * c * layer.Units + layer.Units;
                c = layer.Units;
            }
            else if (layer.Kind == CnnLayerKind.Fc)
            {
                total += features * layer.Units + layer.Units;
                features = layer.Units;
            }
        }
        return total + features * classes + classes;
    }

    /// <summary>
    /// Builds the network for images of <paramref name="channels"/>×<paramref name="height"/>×<paramref name="width"/>:
    /// each convolution and fc layer followed by <paramref name="activation"/>, dropout with probability
    /// <paramref name="dropout"/> where the spec says <c>drop</c> (inverted, or the original form when
    /// <paramref name="invertedDropout"/> is false), a flattening before the first fc layer, and a last Linear to
    /// <paramref name="classes"/> outputs; weights are drawn from <paramref name="rng"/>.
    /// </summary>
    public Sequential Build(int channels, int height, int width, int classes, string activation, double dropout, Generator rng, bool invertedDropout = true)
    {
        if (Shapes(channels, height, width, out var problem) is null) throw new ArgumentException($"cnn:{Text}: {problem}");
        var model = new Sequential();
        int c = channels;
        int features = FlatFeatures(channels, height, width);
        bool flat = false;
        foreach (var layer in Layers)
        {
            switch (layer.Kind)
            {
                case CnnLayerKind.Conv:
                    model.Add(new Conv2d(c, layer.Units, layer.Size, stride: layer.Stride, padding: layer.Padding, generator: rng)).Add(ModelFactory.Activation(activation));
                    c = layer.Units;
                    break;
                case CnnLayerKind.Pool:
                    model.Add(new MaxPool2d(layer.Size));
                    break;
                case CnnLayerKind.Fc:
                    if (!flat) model.Add(new Flatten());
                    flat = true;
                    model.Add(new Linear(features, layer.Units, generator: rng)).Add(ModelFactory.Activation(activation));
                    features = layer.Units;
                    break;
                default:
                    model.Add(new Dropout(dropout, rng, invertedDropout));
                    break;
            }
        }
        if (!flat) model.Add(new Flatten());
        return model.Add(new Linear(features, classes, generator: rng));
    }

    [GeneratedRegex(@"^c(\d+)k(\d+)(?:s(\d+))?(?:p(\d+))?$")]
    private static partial Regex ConvPattern();

    [GeneratedRegex(@"^pool(\d+)?$")]
    private static partial Regex PoolPattern();

    [GeneratedRegex(@"^fc(\d+)$")]
    private static partial Regex FcPattern();
}
