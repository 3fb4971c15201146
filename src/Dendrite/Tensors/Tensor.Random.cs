using Dendrite.Autograd;

namespace Dendrite;

public sealed partial class Tensor
{
    /// <summary>
    /// Fills this floating tensor in place with samples of U(<paramref name="a"/>, <paramref name="b"/>) (like
    /// <c>x.uniform_(a, b)</c>), drawn in row-major order from <paramref name="generator"/> (default
    /// <see cref="Generator.Default"/>), and returns it. Like every in-place update it is refused on a tensor
    /// autograd needs: use it on <see cref="Data"/>, inside <c>Autograd.NoGrad()</c>, or on a plain tensor.
    /// </summary>
    public Tensor Uniform_(double a = 0, double b = 1, Generator? generator = null)
    {
        if (!(a <= b))
            throw new ArgumentException($"Uniform_: the lower bound {a} must not exceed the upper bound {b}.");
        CheckInPlace("Uniform_");
        var g = generator ?? Generator.Default;
        FillRandom("Uniform_", t => g.FillUniform(t, a, b));
        return this;
    }

    /// <summary>
    /// Fills this floating tensor in place with samples of N(<paramref name="mean"/>, <paramref name="std"/>²) (like
    /// <c>x.normal_(mean, std)</c>), drawn in row-major order from <paramref name="generator"/> (default
    /// <see cref="Generator.Default"/>), and returns it. Refused on a tensor autograd needs, as <see cref="Uniform_"/>.
    /// </summary>
    public Tensor Normal_(double mean = 0, double std = 1, Generator? generator = null)
    {
        if (!(std >= 0))
            throw new ArgumentException($"Normal_: std must be non-negative, got {std}.");
        CheckInPlace("Normal_");
        var g = generator ?? Generator.Default;
        FillRandom("Normal_", t => g.FillNormal(t, mean, std));
        return this;
    }

    /// <summary>
    /// Samples of N(<paramref name="mean"/>, <paramref name="std"/>²) of shape <paramref name="size"/> (like
    /// <c>torch.normal(mean, std, size)</c>), drawn from <paramref name="generator"/> (default
    /// <see cref="Generator.Default"/>) on <paramref name="device"/> (default: the CPU).
    /// </summary>
    public static Tensor Normal(double mean, double std, int[] size, Generator? generator = null, DType dtype = DType.Float32, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(size);
        if (!(std >= 0))
            throw new ArgumentException($"Normal: std must be non-negative, got {std}.");
        if (!dtype.IsFloatingPoint())
            throw new ArgumentException($"Normal: expected a floating-point dtype, got {dtype}.");
        var t = Allocate((int[])size.Clone(), dtype, false, BackendOf(device));
        (generator ?? Generator.Default).FillNormal(t, mean, std);
        return t;
    }

    /// <summary>
    /// Runs a dense fill (<paramref name="fillDense"/>) over this floating tensor without recording: in place when it
    /// is contiguous, else through a dense temporary copied in (row-major draw order either way).
    /// </summary>
    internal void FillRandom(string op, Action<Tensor> fillDense)
    {
        if (!DType.IsFloatingPoint())
            throw new ArgumentException($"{op}: expected a floating-point tensor, got {DType}.");
        using var _ = Autograd.Autograd.NoGrad();
        if (IsContiguous)
        {
            fillDense(this);
            BumpVersion();
            return;
        }
        var tmp = Allocate([.. ShapeArray], DType, false, Backend);
        fillDense(tmp);
        CopyFromUnchecked(tmp);
    }
}
