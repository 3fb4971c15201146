namespace Dendrite.Autograd;

/// <summary>Entry points for controlling autograd, like <c>torch.no_grad()</c> and <c>torch.enable_grad()</c>.</summary>
public static class Autograd
{
    /// <summary>Disables recording in a <c>using</c> scope: <c>using (Autograd.NoGrad()) { ... }</c>.</summary>
    public static GradModeScope NoGrad() => new(false);

    /// <summary>
    /// Runs <paramref name="body"/> with recording disabled and returns its result: PyTorch's <c>@torch.no_grad()</c>
    /// decorator, as in <c>Func&lt;Tensor, Tensor&gt; predict = x =&gt; Autograd.NoGrad(() =&gt; net.Call(x));</c>.
    /// </summary>
    public static T NoGrad<T>(Func<T> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        using var _ = NoGrad();
        return body();
    }

    /// <summary>Runs <paramref name="body"/> with recording disabled (the decorator form for a method without a result).</summary>
    public static void NoGrad(Action body)
    {
        ArgumentNullException.ThrowIfNull(body);
        using var _ = NoGrad();
        body();
    }

    /// <summary>Enables recording in a <c>using</c> scope (inside a <see cref="NoGrad()"/> block).</summary>
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
