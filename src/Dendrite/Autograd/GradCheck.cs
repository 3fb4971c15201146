using System.Globalization;

namespace Dendrite.Autograd;

/// <summary>The failure report of <see cref="GradCheck"/>.</summary>
public sealed class GradCheckException(string message) : Exception(message);

/// <summary>
/// Compares autograd's gradients with central finite differences in float64 (like <c>torch.autograd.gradcheck</c>):
/// the full Jacobian of every output element with respect to every input element.
/// </summary>
public static class GradCheck
{
    /// <summary>
    /// Checks <paramref name="f"/> at <paramref name="inputs"/> (Float64 leaves; those with RequiresGrad are checked).
    /// Returns true, or throws <see cref="GradCheckException"/> naming the input, element and both values.
    /// </summary>
    public static bool Check(Func<Tensor[], Tensor> f, Tensor[] inputs, double eps = 1e-6, double atol = 1e-5, double rtol = 1e-3)
    {
        ArgumentNullException.ThrowIfNull(f);
        foreach (var x in inputs)
            if (x.RequiresGrad && x.DType != DType.Float64)
                throw new ArgumentException($"GradCheck: inputs that require grad must be Float64 for accurate finite differences, got {x.DType}.");

        var y = f(inputs);
        int ny = y.Numel;
        var checkedInputs = inputs.Where(x => x.RequiresGrad).ToArray();
        if (checkedInputs.Length == 0)
            throw new ArgumentException("GradCheck: no input requires grad.");

        // analytic[k][i, j] = d y_j / d x_k[i]
        var analytic = checkedInputs.Select(x => new double[x.Numel, ny]).ToArray();
        for (int j = 0; j < ny; j++)
        {
            var seed = Tensor.ZerosLike(y);
            seed.SetFlat(j, 1);
            var grads = Autograd.Grad(y, checkedInputs, seed, retainGraph: true);
            for (int k = 0; k < checkedInputs.Length; k++)
            {
                var g = grads[k];
                if (g is null)
                    continue;
                for (int i = 0; i < checkedInputs[k].Numel; i++)
                    analytic[k][i, j] = g.GetFlat(i);
            }
        }

        using var noGrad = Autograd.NoGrad();
        for (int k = 0; k < checkedInputs.Length; k++)
        {
            var x = checkedInputs[k];
            int index = Array.IndexOf(inputs, x);
            for (int i = 0; i < x.Numel; i++)
            {
                double orig = x.GetFlat(i);
                x.SetFlat(i, orig + eps);
                var yp = f(inputs).Detach().CopyDense();
                x.SetFlat(i, orig - eps);
                var ym = f(inputs).Detach().CopyDense();
                x.SetFlat(i, orig);
                for (int j = 0; j < ny; j++)
                {
                    double numeric = (yp.GetFlat(j) - ym.GetFlat(j)) / (2 * eps);
                    double a = analytic[k][i, j];
                    if (!(Math.Abs(a - numeric) <= atol + rtol * Math.Abs(numeric)))
                        throw new GradCheckException(string.Create(CultureInfo.InvariantCulture,
                            $"GradCheck: Jacobian mismatch for input {index} (shape {ShapeUtil.Format(x.ShapeArray)}) at element {i}, output element {j}: analytical {a:R}, numerical {numeric:R}."));
                }
            }
        }
        return true;
    }
}
