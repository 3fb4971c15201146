using Dendrite.Tracing;

namespace Dendrite.NN;

/// <summary>
/// Stateless neural-network functions, the counterpart of <c>torch.nn.functional</c>: activations, linear and
/// convolution layers, pooling, normalization, dropout and losses. Every function is differentiable.
/// </summary>
public static partial class F
{
    /// <summary>max(x, 0) elementwise.</summary>
    public static Tensor Relu(Tensor x) => x.Relu();

    /// <summary>x where x &gt; 0, else <paramref name="negativeSlope"/>·x.</summary>
    public static Tensor LeakyRelu(Tensor x, double negativeSlope = 0.01) => x.LeakyRelu(negativeSlope);

    /// <summary>x where x &gt; 0, else <paramref name="alpha"/>·(eˣ − 1).</summary>
    public static Tensor Elu(Tensor x, double alpha = 1.0) => x.Elu(alpha);

    /// <summary>Gaussian error linear unit, exact erf form: x·Φ(x).</summary>
    public static Tensor Gelu(Tensor x) => x.Gelu();

    /// <summary>1 / (1 + e⁻ˣ) elementwise.</summary>
    public static Tensor Sigmoid(Tensor x) => x.Sigmoid();

    /// <summary>Hyperbolic tangent elementwise.</summary>
    public static Tensor Tanh(Tensor x) => x.Tanh();

    /// <summary>log(1 + eˣ) elementwise (beta 1, threshold 20, as PyTorch).</summary>
    public static Tensor Softplus(Tensor x) => x.Softplus();

    /// <summary>Softmax along <paramref name="dim"/>: exp(x) / Σ exp(x), computed stably.</summary>
    public static Tensor Softmax(Tensor x, int dim) => x.Softmax(dim);

    /// <summary>Log-softmax along <paramref name="dim"/>: x − logsumexp(x), computed stably.</summary>
    public static Tensor LogSoftmax(Tensor x, int dim) => x.LogSoftmax(dim);

    /// <summary>x·Wᵀ + b for x [..., in], weight [out, in] and optional bias [out].</summary>
    public static Tensor Linear(Tensor x, Tensor weight, Tensor? bias = null) => x.Linear(weight, bias);

    /// <summary>
    /// Dropout: while <paramref name="training"/>, zeroes each element with probability <paramref name="p"/> (drawn from
    /// <paramref name="generator"/>, default <see cref="Generator.Default"/>). The <paramref name="inverted"/> form (the
    /// default, PyTorch's) scales the kept elements by 1/(1 − p) and is the identity when not training; the original,
    /// non-inverted form keeps them as they are and multiplies every element by 1 − p when not training. Either way the
    /// expected training output equals the output when not training. The identity when p = 0; zeros in training when p = 1.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is outside [0, 1].</exception>
    public static Tensor Dropout(Tensor x, double p = 0.5, bool training = true, Generator? generator = null, bool inverted = true)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (!(p >= 0 && p <= 1))
            throw new ArgumentOutOfRangeException(nameof(p), p, $"Dropout: probability p must be in [0, 1], got {p}.");
        x.CheckFloating("Dropout");
        if (p == 0)
            return x;
        if (!training)
            return inverted ? x : x.Mul(1 - p);
        var mask = Tensor.AllocateLike(x, x.DType, p == 1);
        if (p < 1)
        {
            // The float32 scale is 1f / (float)(1 − p) (rounded once in float), exactly representable as a double.
            double scale = !inverted ? 1.0 : x.DType == DType.Float32 ? (double)(1f / (float)(1 - p)) : 1.0 / (1 - p);
            (generator ?? Generator.Default).FillDropoutMask(mask, p, scale);
        }
        var y = x.Mul(mask);
        if (OpTrace.IsActive)
            OpTrace.Record("Dropout", y, x).With("p", p).With("training", training);
        return y;
    }
}
