namespace Dendrite.Autograd;

/// <summary>Entry points for controlling autograd, like <c>torch.no_grad()</c> and <c>torch.enable_grad()</c>.</summary>
public static class Autograd
{
    /// <summary>Disables recording in a <c>using</c> scope: <c>using (Autograd.NoGrad()) { ... }</c>.</summary>
    public static GradModeScope NoGrad() => new(false);

    /// <summary>Enables recording in a <c>using</c> scope (inside a <see cref="NoGrad"/> block).</summary>
    public static GradModeScope EnableGrad() => new(true);

    /// <summary>Whether operations are currently recorded.</summary>
    public static bool IsGradEnabled => GradMode.IsEnabled;

    /// <summary>
    /// Gradients of <paramref name="output"/> with respect to <paramref name="inputs"/>, without touching
    /// their <see cref="Tensor.Grad"/> fields (like <c>torch.autograd.grad</c>).
    /// </summary>
    public static Tensor?[] Grad(Tensor output, IReadOnlyList<Tensor> inputs, Tensor? gradOutput = null, bool retainGraph = false)
        => Engine.Run(output, gradOutput, retainGraph, inputs);
}
