using System.Buffers;
using Dendrite.Ops;

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
    /// Inverted dropout: while <paramref name="training"/>, zeroes each element with probability <paramref name="p"/>
    /// (drawn from <paramref name="generator"/>, default <see cref="Generator.Default"/>) and scales the kept ones by
    /// 1/(1 − p), so the expected value is unchanged. The identity when not training or when p = 0; zeros when p = 1.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is outside [0, 1].</exception>
    public static Tensor Dropout(Tensor x, double p = 0.5, bool training = true, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (!(p >= 0 && p <= 1))
            throw new ArgumentOutOfRangeException(nameof(p), p, $"Dropout: probability p must be in [0, 1], got {p}.");
        x.CheckFloating("Dropout");
        if (!training || p == 0)
            return x;
        var mask = Tensor.AllocateLike(x, x.DType, p == 1);
        if (p < 1)
        {
            if (x.DType == DType.Float32)
                FillMask(mask.Span<float>(), p, 1f / (float)(1 - p), generator ?? Generator.Default);
            else
                FillMask(mask.Span<double>(), p, 1.0 / (1 - p), generator ?? Generator.Default);
        }
        return x.Mul(mask);
    }

    // mask[i] = scale where u ≥ p else 0, u = uniform [0, 1) from the top 53 bits of each raw draw (PyTorch keeps a unit
    // with probability 1 − p). Raw draws are taken in pooled blocks so the generator is locked once per block.
    private static void FillMask<T>(Span<T> mask, double p, T scale, Generator generator) where T : unmanaged, System.Numerics.INumberBase<T>
    {
        const int block = 4096;
        ulong[] raw = ArrayPool<ulong>.Shared.Rent(Math.Min(block, Math.Max(mask.Length, 1)));
        try
        {
            // u ≥ p  ⇔  (r >> 11) ≥ ceil(p·2⁵³): compare integers, no per-element floating conversion.
            ulong threshold = (ulong)Math.Ceiling(p * 9007199254740992.0);
            for (int start = 0; start < mask.Length; start += block)
            {
                int len = Math.Min(block, mask.Length - start);
                Span<ulong> r = raw.AsSpan(0, len);
                generator.NextUInt64(r);
                Span<T> m = mask.Slice(start, len);
                for (int i = 0; i < len; i++)
                    m[i] = (r[i] >> 11) >= threshold ? scale : T.Zero;
            }
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(raw);
        }
    }
}
