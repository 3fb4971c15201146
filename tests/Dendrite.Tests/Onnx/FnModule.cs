using Dendrite.NN;

namespace Dendrite.Tests.Onnx;

/// <summary>A module computing a given function of its input, with the tensors it reads registered as parameters or buffers.</summary>
internal sealed class FnModule : Module
{
    private readonly Func<Tensor, Tensor> _f;

    public FnModule(Func<Tensor, Tensor> f, params (string Name, Tensor Tensor)[] parameters)
    {
        _f = f;
        foreach (var (name, t) in parameters)
        {
            if (t.DType.IsFloatingPoint())
                RegisterParameter(name, t);
            else
                RegisterBuffer(name, t);
        }
    }

    public override Tensor Forward(Tensor input) => _f(input);
}
