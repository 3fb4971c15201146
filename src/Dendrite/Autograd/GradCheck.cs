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
    /// Checks <paramref name="f"/> at <paramref name="inputs"/> (Float64 leaves; those with RequiresGrad are checked),
    /// on the inputs' device: <paramref name="f"/> runs there, only the perturbed values and the results cross to the
    /// host. Returns true, or throws <see cref="GradCheckException"/> naming the input, element and both values.
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

        // analytic[k][i, j] = d y_j / d x_k[i]; each gradient is read back to the host once.
        var analytic = checkedInputs.Select(x => new double[x.Numel, ny]).ToArray();
        for (int j = 0; j < ny; j++)
        {
            var seed = Tensor.ZerosLike(y);
            SetElement(seed, j, 1);
            var grads = Autograd.Grad(y, checkedInputs, seed, retainGraph: true);
            for (int k = 0; k < checkedInputs.Length; k++)
            {
                if (grads[k] is not { } g)
                    continue;
                var values = g.ToArray<double>();
                for (int i = 0; i < values.Length; i++)
                    analytic[k][i, j] = values[i];
            }
        }

        // Perturbations are computed on the host and written into the input in place, on its device; f runs there.
        using var noGrad = Autograd.NoGrad();
        for (int k = 0; k < checkedInputs.Length; k++)
        {
            var x = checkedInputs[k];
            int index = Array.IndexOf(inputs, x);
            var original = x.ToArray<double>();
            for (int i = 0; i < original.Length; i++)
            {
                double orig = original[i];
                SetElement(x, i, orig + eps);
                var yp = f(inputs).ToArray<double>();
                SetElement(x, i, orig - eps);
                var ym = f(inputs).ToArray<double>();
                SetElement(x, i, orig);
                for (int j = 0; j < ny; j++)
                {
                    double numeric = (yp[j] - ym[j]) / (2 * eps);
                    double a = analytic[k][i, j];
                    if (!(Math.Abs(a - numeric) <= atol + rtol * Math.Abs(numeric)))
                        throw new GradCheckException(string.Create(CultureInfo.InvariantCulture,
                            $"GradCheck: Jacobian mismatch for input {index} (shape {ShapeUtil.Format(x.ShapeArray)}) at element {i}, output element {j}: analytical {a:R}, numerical {numeric:R}."));
                }
            }
        }
        return true;
    }

    // Sets the element at flat row-major position i of t (any layout, any device) through a one-element view.
    private static void SetElement(Tensor t, int i, double value)
    {
        int offset = t.Offset;
        for (int d = t.Rank - 1; d >= 0; d--)
        {
            int size = t.ShapeArray[d];
            offset += i % size * t.StrideArray[d];
            i /= size;
        }
        var element = new Backends.StorageView(t.Storage, [], [], offset, 1, true);
        t.Backend.Fill(element, value);
        t.BumpVersion();
    }
}
