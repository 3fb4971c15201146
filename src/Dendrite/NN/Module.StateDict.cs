using System.Text;

namespace Dendrite.NN;

public abstract partial class Module
{
    /// <summary>
    /// The module's state: every parameter and persistent buffer under its dotted name, in registration order
    /// (PyTorch's <c>state_dict()</c>). The tensors are detached views sharing storage with the module; clone them
    /// for a snapshot that later training does not change.
    /// </summary>
    public OrderedDictionary<string, Tensor> StateDict()
    {
        var dict = new OrderedDictionary<string, Tensor>();
        foreach (var (prefix, m) in NamedModules())
        {
            foreach (var (name, t) in m.OwnParameters)
                if (t is not null)
                    dict.TryAdd(Join(prefix, name), t.Detach());
            foreach (var (name, t) in m.OwnBuffers)
                if (t is not null && m.IsPersistentBuffer(name))
                    dict.TryAdd(Join(prefix, name), t.Detach());
        }
        return dict;
    }

    /// <summary>
    /// Copies the tensors of <paramref name="stateDict"/> into this module's parameters and buffers (converting
    /// dtype where needed). Shapes must match. With <paramref name="strict"/>, the keys must match exactly. On any
    /// error nothing is changed and a <see cref="StateDictMismatchException"/> lists every missing, unexpected and
    /// mis-shaped key. Returns the missing and unexpected keys (empty when strict).
    /// </summary>
    public StateDictLoadResult LoadStateDict(IReadOnlyDictionary<string, Tensor> stateDict, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        var own = StateDict();
        var missing = own.Keys.Where(k => !stateDict.ContainsKey(k)).ToList();
        var unexpected = stateDict.Keys.Where(k => !own.ContainsKey(k)).ToList();
        var misShaped = new List<string>();
        foreach (var (key, target) in own)
        {
            if (!stateDict.TryGetValue(key, out var src))
                continue;
            if (!target.Shape.SequenceEqual(src.Shape))
                misShaped.Add($"{key}: expected {ShapeUtil.Format(target.ShapeArray)}, got {ShapeUtil.Format(src.ShapeArray)}");
        }
        if (misShaped.Count > 0 || (strict && (missing.Count > 0 || unexpected.Count > 0)))
            throw new StateDictMismatchException(GetType().Name, strict ? missing : [], strict ? unexpected : [], misShaped);
        using (Autograd.Autograd.NoGrad())
            foreach (var (key, target) in own)
                if (stateDict.TryGetValue(key, out var src))
                    target.CopyFrom(src);
        return new StateDictLoadResult(missing, unexpected);
    }

    private static string Join(string prefix, string name) => prefix.Length == 0 ? name : prefix + "." + name;

    /// <summary>The layer's settings as shown inside its parentheses by <see cref="ToString"/> (PyTorch's <c>extra_repr</c>).</summary>
    protected virtual string ExtraRepr() => "";

    /// <summary>Prints the module tree like PyTorch: <c>Sequential(\n  (0): Linear(in_features=2, out_features=5, bias=True)\n)</c>.</summary>
    public override string ToString()
    {
        string extra = ExtraRepr();
        var lines = new List<string>();
        if (extra.Length > 0)
            lines.AddRange(extra.Split('\n'));
        int extraCount = lines.Count;
        foreach (var (name, child) in OwnModules)
            if (child is not null)
                lines.Add("(" + name + "): " + child.ToString().Replace("\n", "\n  ", StringComparison.Ordinal));
        var sb = new StringBuilder(GetType().Name).Append('(');
        if (lines.Count == 1 && extraCount == 1)
            sb.Append(lines[0]);
        else if (lines.Count > 0)
            sb.Append("\n  ").AppendJoin("\n  ", lines).Append('\n');
        return sb.Append(')').ToString();
    }
}

/// <summary>The keys <see cref="Module.LoadStateDict"/> did not match when loading non-strictly.</summary>
/// <param name="MissingKeys">Keys of the module that the state dict lacked (left unchanged).</param>
/// <param name="UnexpectedKeys">Keys of the state dict that the module does not have (ignored).</param>
public sealed record StateDictLoadResult(IReadOnlyList<string> MissingKeys, IReadOnlyList<string> UnexpectedKeys);

/// <summary>Raised by <see cref="Module.LoadStateDict"/> when keys are missing, unexpected or of the wrong shape.</summary>
public sealed class StateDictMismatchException : Exception
{
    /// <summary>Creates the exception; the message lists every problem.</summary>
    public StateDictMismatchException(string moduleName, IReadOnlyList<string> missingKeys, IReadOnlyList<string> unexpectedKeys, IReadOnlyList<string> shapeMismatches)
        : base(BuildMessage(moduleName, missingKeys, unexpectedKeys, shapeMismatches))
    {
        MissingKeys = missingKeys;
        UnexpectedKeys = unexpectedKeys;
        ShapeMismatches = shapeMismatches;
    }

    /// <summary>Keys the module has but the state dict lacks.</summary>
    public IReadOnlyList<string> MissingKeys { get; }

    /// <summary>Keys in the state dict that the module does not have.</summary>
    public IReadOnlyList<string> UnexpectedKeys { get; }

    /// <summary>One line per key whose shape differs: <c>fc1.weight: expected [5, 2], got [4, 2]</c>.</summary>
    public IReadOnlyList<string> ShapeMismatches { get; }

    private static string BuildMessage(string moduleName, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<string> shapes)
    {
        var sb = new StringBuilder($"LoadStateDict: error(s) loading the state dict into {moduleName}:");
        if (missing.Count > 0)
            sb.Append("\n  missing keys: ").AppendJoin(", ", missing.Take(MaxListed).Select(k => "\"" + k + "\"")).Append(More(missing.Count));
        if (unexpected.Count > 0)
            sb.Append("\n  unexpected keys: ").AppendJoin(", ", unexpected.Take(MaxListed).Select(k => "\"" + k + "\"")).Append(More(unexpected.Count));
        foreach (var s in shapes.Take(MaxListed))
            sb.Append("\n  size mismatch for ").Append(s);
        if (shapes.Count > MaxListed)
            sb.Append("\n  size mismatch for ").Append(shapes.Count - MaxListed).Append(" more keys");
        return sb.ToString();
    }

    // The message names the first keys of each kind (the properties hold them all), so that a checkpoint of another
    // model does not print thousands of names.
    private const int MaxListed = 20;

    private static string More(int count) => count > MaxListed ? $" and {count - MaxListed} more" : "";
}
