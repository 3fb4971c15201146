using System.Text.Json.Nodes;

namespace Dendrite.Optim;

/// <summary>
/// An optimizer's or scheduler's saved state, in two parts that serialize directly to safetensors + JSON:
/// <list type="bullet">
/// <item><see cref="Tensors"/>: named tensors, <c>state.{i}.{buffer}</c> for the buffer (PyTorch's name, e.g.
/// <c>exp_avg</c>, <c>momentum_buffer</c>) of the i-th parameter, counting parameters across groups in order.</item>
/// <item><see cref="Meta"/>: JSON scalars, <c>{"param_groups": [{"lr": 0.1, ..., "params": [0, 1]}],
/// "state": {"0": {"step": 3}}}</c> with PyTorch's hyper-parameter names.</item>
/// </list>
/// </summary>
public sealed class OptimizerStateDict
{
    /// <summary>Creates a state dict from its parts.</summary>
    public OptimizerStateDict(JsonObject meta, IReadOnlyDictionary<string, Tensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(meta);
        ArgumentNullException.ThrowIfNull(tensors);
        Meta = meta;
        Tensors = tensors;
    }

    /// <summary>Hyper-parameters and scalar state (step counts), JSON-serializable.</summary>
    public JsonObject Meta { get; }

    /// <summary>Tensor state by name.</summary>
    public IReadOnlyDictionary<string, Tensor> Tensors { get; }
}
