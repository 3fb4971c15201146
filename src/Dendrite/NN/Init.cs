namespace Dendrite.NN;

/// <summary>Which fan Kaiming initialization scales by (PyTorch's <c>mode</c>).</summary>
public enum FanMode
{
    /// <summary>Preserves the variance of activations in the forward pass.</summary>
    FanIn,
    /// <summary>Preserves the variance of gradients in the backward pass.</summary>
    FanOut,
}

/// <summary>The nonlinearity an initializer's gain is computed for (PyTorch's <c>nonlinearity</c> names).</summary>
public enum Nonlinearity
{
    /// <summary>Identity / linear layer: gain 1.</summary>
    Linear,
    /// <summary>Convolution without activation: gain 1.</summary>
    Conv2d,
    /// <summary>Sigmoid: gain 1.</summary>
    Sigmoid,
    /// <summary>Tanh: gain 5/3.</summary>
    Tanh,
    /// <summary>ReLU: gain √2.</summary>
    ReLU,
    /// <summary>Leaky ReLU: gain √(2 / (1 + slope²)).</summary>
    LeakyReLU,
    /// <summary>SELU: gain 3/4.</summary>
    SELU,
}

/// <summary>
/// Weight initializers (like <c>torch.nn.init</c>). Each fills its tensor in place without recording gradients,
/// draws from <c>generator</c> (default <see cref="Generator.Default"/>) in row-major order, and returns the tensor.
/// </summary>
public static class Init
{
    /// <summary>Fills with 0.</summary>
    public static Tensor Zeros_(Tensor tensor) => Constant_(tensor, 0);

    /// <summary>Fills with 1.</summary>
    public static Tensor Ones_(Tensor tensor) => Constant_(tensor, 1);

    /// <summary>Fills with <paramref name="value"/>.</summary>
    public static Tensor Constant_(Tensor tensor, double value)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using var _ = Autograd.Autograd.NoGrad();
        return tensor.Fill(value);
    }

    /// <summary>Fills with samples of U(<paramref name="a"/>, <paramref name="b"/>).</summary>
    public static Tensor Uniform_(Tensor tensor, double a = 0, double b = 1, Generator? generator = null)
    {
        if (!(a <= b))
            throw new ArgumentException($"Init.Uniform_: the lower bound {a} must not exceed the upper bound {b}.");
        var g = generator ?? Generator.Default;
        return Write(tensor, "Uniform_", t =>
        {
            g.FillUniform(t, a, b);
        });
    }

    /// <summary>Fills with samples of N(<paramref name="mean"/>, <paramref name="std"/>²).</summary>
    public static Tensor Normal_(Tensor tensor, double mean = 0, double std = 1, Generator? generator = null)
    {
        if (!(std >= 0))
            throw new ArgumentException($"Init.Normal_: std must be non-negative, got {std}.");
        var g = generator ?? Generator.Default;
        return Write(tensor, "Normal_", t =>
        {
            g.FillNormal(t, mean, std);
        });
    }

    /// <summary>Glorot uniform: U(±gain·√(6 / (fan_in + fan_out))).</summary>
    public static Tensor XavierUniform_(Tensor tensor, double gain = 1, Generator? generator = null)
    {
        var (fanIn, fanOut) = CalculateFanInAndFanOut(tensor);
        double std = gain * Math.Sqrt(2.0 / (fanIn + fanOut));
        double bound = Math.Sqrt(3.0) * std;
        return Uniform_(tensor, -bound, bound, generator);
    }

    /// <summary>Glorot normal: N(0, gain²·2 / (fan_in + fan_out)).</summary>
    public static Tensor XavierNormal_(Tensor tensor, double gain = 1, Generator? generator = null)
    {
        var (fanIn, fanOut) = CalculateFanInAndFanOut(tensor);
        double std = gain * Math.Sqrt(2.0 / (fanIn + fanOut));
        return Normal_(tensor, 0, std, generator);
    }

    /// <summary>He uniform: U(±√3·gain/√fan) with gain from <paramref name="nonlinearity"/> and <paramref name="a"/> (the leaky slope).</summary>
    public static Tensor KaimingUniform_(Tensor tensor, double a = 0, FanMode mode = FanMode.FanIn, Nonlinearity nonlinearity = Nonlinearity.LeakyReLU, Generator? generator = null)
    {
        double std = CalculateGain(nonlinearity, a) / Math.Sqrt(CorrectFan(tensor, mode, "KaimingUniform_"));
        double bound = Math.Sqrt(3.0) * std;
        return Uniform_(tensor, -bound, bound, generator);
    }

    /// <summary>He normal: N(0, gain²/fan) with gain from <paramref name="nonlinearity"/> and <paramref name="a"/> (the leaky slope).</summary>
    public static Tensor KaimingNormal_(Tensor tensor, double a = 0, FanMode mode = FanMode.FanIn, Nonlinearity nonlinearity = Nonlinearity.LeakyReLU, Generator? generator = null)
    {
        double std = CalculateGain(nonlinearity, a) / Math.Sqrt(CorrectFan(tensor, mode, "KaimingNormal_"));
        return Normal_(tensor, 0, std, generator);
    }

    /// <summary>
    /// A (semi-)orthogonal matrix times <paramref name="gain"/>: the Q of the QR decomposition of a standard normal
    /// [rows, numel/rows] matrix, with signs chosen so that R has a positive diagonal (as PyTorch does).
    /// </summary>
    public static Tensor Orthogonal_(Tensor tensor, double gain = 1, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Rank < 2)
            throw new ArgumentException($"Init.Orthogonal_: only tensors with 2 or more dimensions are supported, got shape {ShapeUtil.Format(tensor.ShapeArray)}.");
        int rows = tensor.ShapeArray[0];
        int cols = rows == 0 ? 0 : tensor.Numel / rows;
        var g = generator ?? Generator.Default;
        var a = new double[rows * cols];
        g.FillNormal(a);
        // Work on the tall orientation m ≥ n: columns of A [m, n] are orthonormalized.
        bool wide = rows < cols;
        int m = wide ? cols : rows, n = wide ? rows : cols;
        var q = new double[m * n]; // column-major: q[j*m + i]
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                if (wide)
                    q[i * m + j] = a[i * cols + j]; // Aᵀ: column i of Aᵀ is row i of A
                else
                    q[j * m + i] = a[i * cols + j];
        GramSchmidt(q, m, n);
        var result = new double[rows * cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                result[i * cols + j] = gain * (wide ? q[i * m + j] : q[j * m + i]);
        var src = Tensor.Wrap(result, rows, cols).Reshape([.. tensor.ShapeArray]);
        using var _ = Autograd.Autograd.NoGrad();
        return tensor.CopyFrom(src);
    }

    // Modified Gram–Schmidt with one re-orthogonalization pass, in float64. R's diagonal (the norms) is positive by
    // construction, which is exactly PyTorch's sign correction of Householder QR.
    private static void GramSchmidt(double[] q, int m, int n)
    {
        for (int j = 0; j < n; j++)
        {
            var cj = q.AsSpan(j * m, m);
            for (int pass = 0; pass < 2; pass++)
                for (int k = 0; k < j; k++)
                {
                    var ck = q.AsSpan(k * m, m);
                    double dot = System.Numerics.Tensors.TensorPrimitives.Dot<double>(ck, cj);
                    for (int i = 0; i < m; i++)
                        cj[i] -= dot * ck[i];
                }
            double norm = System.Numerics.Tensors.TensorPrimitives.Norm<double>(cj);
            if (norm == 0)
                throw new InvalidOperationException("Init.Orthogonal_: the random matrix is rank-deficient; draw again.");
            for (int i = 0; i < m; i++)
                cj[i] /= norm;
        }
    }

    /// <summary>
    /// The recommended gain for a nonlinearity (PyTorch's <c>calculate_gain</c>); <paramref name="param"/> is the
    /// negative slope for <see cref="Nonlinearity.LeakyReLU"/> (PyTorch uses 0.01 when none is given).
    /// </summary>
    public static double CalculateGain(Nonlinearity nonlinearity, double? param = null) => nonlinearity switch
    {
        Nonlinearity.Linear or Nonlinearity.Conv2d or Nonlinearity.Sigmoid => 1.0,
        Nonlinearity.Tanh => 5.0 / 3,
        Nonlinearity.ReLU => Math.Sqrt(2.0),
        Nonlinearity.LeakyReLU => Math.Sqrt(2.0 / (1 + Math.Pow(param ?? 0.01, 2))),
        Nonlinearity.SELU => 3.0 / 4,
        _ => throw new ArgumentOutOfRangeException(nameof(nonlinearity), nonlinearity, "Init.CalculateGain: unknown nonlinearity."),
    };

    /// <summary>
    /// (fan_in, fan_out) of a weight: [out, in, k...] gives fan_in = in·Πk and fan_out = out·Πk.
    /// </summary>
    public static (int FanIn, int FanOut) CalculateFanInAndFanOut(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Rank < 2)
            throw new ArgumentException($"Init: fan in and fan out cannot be computed for a tensor with fewer than 2 dimensions (shape {ShapeUtil.Format(tensor.ShapeArray)}).");
        int receptive = 1;
        for (int d = 2; d < tensor.Rank; d++)
            receptive *= tensor.ShapeArray[d];
        return (tensor.ShapeArray[1] * receptive, tensor.ShapeArray[0] * receptive);
    }

    private static int CorrectFan(Tensor tensor, FanMode mode, string op)
    {
        var (fanIn, fanOut) = CalculateFanInAndFanOut(tensor);
        int fan = mode == FanMode.FanIn ? fanIn : fanOut;
        if (fan == 0)
            throw new ArgumentException($"Init.{op}: cannot initialize a tensor of shape {ShapeUtil.Format(tensor.ShapeArray)} with a zero fan.");
        return fan;
    }

    // Fills a dense tensor of the target's dtype, then writes it in (directly when the target is contiguous).
    private static Tensor Write(Tensor tensor, string op, Action<Tensor> fillDense)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        tensor.FillRandom($"Init.{op}", fillDense);
        return tensor;
    }
}
