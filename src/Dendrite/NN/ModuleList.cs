using System.Collections;
using System.Globalization;

namespace Dendrite.NN;

/// <summary>
/// Holds sub-modules in a list so that their parameters are registered (like <c>torch.nn.ModuleList</c>); it has
/// no <see cref="Module.Forward(Tensor)"/> of its own. Items are named <c>0</c>, <c>1</c>, ...
/// </summary>
public sealed class ModuleList : Module, IReadOnlyList<Module>
{
    private readonly List<Module> _items = [];

    /// <summary>Creates a list holding <paramref name="modules"/>.</summary>
    public ModuleList(params IEnumerable<Module> modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        foreach (var m in modules)
            Add(m);
    }

    /// <summary>Number of modules.</summary>
    public int Count => _items.Count;

    /// <summary>The module at <paramref name="index"/> (negative counts from the end).</summary>
    public Module this[int index]
    {
        get
        {
            int i = index < 0 ? index + _items.Count : index;
            if (i < 0 || i >= _items.Count)
                throw new ArgumentOutOfRangeException(nameof(index), $"ModuleList: index {index} is out of range for {_items.Count} modules.");
            return _items[i];
        }
    }

    /// <summary>Appends a module.</summary>
    public ModuleList Add(Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        RegisterModule(_items.Count.ToString(CultureInfo.InvariantCulture), module);
        _items.Add(module);
        return this;
    }

    /// <summary>Appends several modules.</summary>
    public ModuleList AddRange(IEnumerable<Module> modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        foreach (var m in modules)
            Add(m);
        return this;
    }

    /// <inheritdoc/>
    public IEnumerator<Module> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
