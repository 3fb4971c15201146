using System.Collections;
using System.Globalization;
using Dendrite.Tracing;

namespace Dendrite.NN;

/// <summary>
/// Applies its layers one after another (like <c>torch.nn.Sequential</c>). Layers given without names are named
/// <c>0</c>, <c>1</c>, ... so their parameters are <c>0.weight</c>, <c>2.bias</c>, ...
/// </summary>
public sealed class Sequential : Module, IEnumerable<Module>
{
    private readonly List<Module> _layers = [];

    /// <summary>An empty sequence; fill it with <see cref="Add(Module)"/>.</summary>
    public Sequential()
    {
    }

    /// <summary>A sequence of layers named 0, 1, 2, ...</summary>
    public Sequential(params Module[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        foreach (var layer in layers)
            Add(layer);
    }

    /// <summary>A sequence of named layers (PyTorch's <c>Sequential(OrderedDict(...))</c>).</summary>
    public Sequential(params (string Name, Module Module)[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        foreach (var (name, layer) in layers)
            Add(name, layer);
    }

    /// <summary>Number of layers.</summary>
    public int Count => _layers.Count;

    /// <summary>The layer at <paramref name="index"/> (negative counts from the end).</summary>
    public Module this[int index]
    {
        get
        {
            int i = index < 0 ? index + _layers.Count : index;
            if (i < 0 || i >= _layers.Count)
                throw new ArgumentOutOfRangeException(nameof(index), $"Sequential: index {index} is out of range for {_layers.Count} layers.");
            return _layers[i];
        }
    }

    /// <summary>The layer registered under <paramref name="name"/>.</summary>
    public Module this[string name] =>
        NamedChildren().FirstOrDefault(kv => kv.Name == name).Module
        ?? throw new KeyNotFoundException($"Sequential: no layer named '{name}'; layers are {string.Join(", ", NamedChildren().Select(kv => kv.Name))}.");

    /// <summary>Appends a layer named by its position.</summary>
    public Sequential Add(Module layer) => Add(_layers.Count.ToString(CultureInfo.InvariantCulture), layer);

    /// <summary>Appends a named layer.</summary>
    public Sequential Add(string name, Module layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (NamedChildren().Any(kv => kv.Name == name))
            throw new ArgumentException($"Sequential: a layer named '{name}' already exists.");
        RegisterModule(name, layer);
        _layers.Add(layer);
        return this;
    }

    /// <summary>Feeds the input through every layer in order.</summary>
    public override Tensor Forward(Tensor input)
    {
        if (OpTrace.IsActive)
            return ForwardTraced(input);
        var x = input;
        for (int i = 0; i < _layers.Count;)
        {
            // Some runs of layers (Conv2d, ReLU, MaxPool2d) go through one fused op with the same result.
            var (fused, covered) = LayerFusion.TryForward(_layers, i, x);
            if (fused is not null)
            {
                x = fused;
                i += covered;
                continue;
            }
            x = _layers[i].Forward(x);
            i++;
        }
        return x;
    }

    // The same computation while a trace records it: each layer's ops are attributed to the layer (a fused run to its
    // first layer).
    private Tensor ForwardTraced(Tensor input)
    {
        var x = input;
        for (int i = 0; i < _layers.Count;)
        {
            using (OpTrace.Enter(_layers[i]))
            {
                var (fused, covered) = LayerFusion.TryForward(_layers, i, x);
                if (fused is not null)
                {
                    x = fused;
                    i += covered;
                    continue;
                }
                x = _layers[i].Forward(x);
            }
            i++;
        }
        return x;
    }

    /// <inheritdoc/>
    public IEnumerator<Module> GetEnumerator() => _layers.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
