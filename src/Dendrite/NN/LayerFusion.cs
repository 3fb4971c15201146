using Dendrite.Ops;

namespace Dendrite.NN;

/// <summary>
/// Runs runs of layers of a <see cref="Sequential"/> as one fused op where the result is exactly that of the layers one
/// after another: <c>Conv2d → ReLU → MaxPool2d(2)</c> becomes one pass that never stores the convolution or ReLU
/// outputs (the intermediate tensors are not visible from outside a Sequential). This class matches the layers; whether
/// a fused kernel covers the input's dtype and shape is the decision of the input's backend
/// (<see cref="Conv2dReluMaxPoolOp.TryApply"/>), and where it is not the layers run one by one.
/// </summary>
internal static class LayerFusion
{
    /// <summary>
    /// When the layers from <paramref name="index"/> on form a fusable run for <paramref name="input"/>, returns the
    /// run's output and the number of layers it covers; otherwise (null, 0).
    /// </summary>
    public static (Tensor? Output, int Layers) TryForward(IReadOnlyList<Module> layers, int index, Tensor input)
    {
        if (index + 2 >= layers.Count || layers[index] is not Conv2d conv || layers[index + 1] is not ReLU
            || layers[index + 2] is not MaxPool2d pool)
            return (null, 0);
        if (conv.Groups != 1 || conv.Stride != (1, 1) || conv.Dilation != (1, 1))
            return (null, 0);
        if (pool.KernelSize != (2, 2) || pool.Stride != (2, 2) || pool.Padding != (0, 0) || pool.Dilation != (1, 1))
            return (null, 0);
        var output = Conv2dReluMaxPoolOp.TryApply(input, conv.Weight, conv.Bias, conv.Padding);
        return output is null ? (null, 0) : (output, 3);
    }
}
