using Dendrite.Autograd;

namespace Dendrite.Tests.Gradients;

/// <summary>
/// Every differentiable op checked against central finite differences (full Jacobians, float64), each on an input
/// domain where it is smooth: Log/Sqrt on positive inputs, ReLU/Abs/Clamp away from their kinks, Max on distinct
/// values. Views are exercised on non-contiguous inputs (transposes, narrowed slices). Index and mask tensors the
/// functions build follow the inputs' device, so the catalogue also runs on the GPU backend.
/// </summary>
public sealed class GradCheckTests
{
    private sealed record Entry(Func<Tensor[], Tensor> F, Func<Generator, Tensor[]> Inputs);

    private static readonly Dictionary<string, Entry> Catalogue = Build();

    public static IEnumerable<object[]> Names()
    {
        foreach (var name in Catalogue.Keys)
            yield return [name];
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void MatchesFiniteDifferences(string name)
    {
        var entry = Catalogue[name];
        var inputs = entry.Inputs(new Generator((ulong)name.Length * 7919 + 17));
        Assert.True(GradCheck.Check(entry.F, inputs));
    }

    /// <summary>The same catalogue with every input on the GPU backend (ilgpu-cpu, or DENDRITE_TEST_DEVICE's GPU).</summary>
    [Theory]
    [Trait("Category", "Gpu")]
    [MemberData(nameof(Names))]
    public void MatchesFiniteDifferencesOnIlgpuCpu(string name)
    {
        var entry = Catalogue[name];
        var inputs = entry.Inputs(new Generator((ulong)name.Length * 7919 + 17))
            .Select(t => { var d = t.Detach().To(Devices.TestDevice.Gpu); d.RequiresGrad = t.RequiresGrad; return d; }).ToArray();
        Assert.True(GradCheck.Check(entry.F, inputs));
    }

    [Fact]
    public void CatalogueCoversTheOpSet()
    {
        // A guard against the list silently shrinking: every family listed in the test's summary is present.
        string[] families = ["neg", "exp", "log", "sqrt", "abs", "relu", "leaky_relu", "elu", "gelu", "sigmoid", "tanh", "softplus",
            "square", "pow", "clamp", "add", "sub", "mul", "div", "maximum", "minimum", "sum", "mean", "var", "std", "max", "min",
            "logsumexp", "softmax", "log_softmax", "reshape", "transpose", "permute", "narrow", "select", "expand", "matmul", "linear",
            "cat", "stack", "gather", "index_select", "where", "masked_fill", "sort", "advanced_index", "meshgrid"];
        foreach (var f in families)
            Assert.Contains(Catalogue.Keys, k => k == f || k.StartsWith(f + "/", StringComparison.Ordinal));
    }

    private static Dictionary<string, Entry> Build()
    {
        var c = new Dictionary<string, Entry>();
        void Add(string name, Func<Tensor[], Tensor> f, Func<Generator, Tensor[]> inputs) => c.Add(name, new Entry(f, inputs));

        // ---- unary ----
        Add("neg", t => t[0].Neg(), g => [R(g, 3, 4)]);
        Add("exp", t => t[0].Exp(), g => [R(g, 3, 4)]);
        Add("log", t => t[0].Log(), g => [Pos(g, 3, 4)]);
        Add("sqrt", t => t[0].Sqrt(), g => [Pos(g, 3, 4)]);
        Add("abs", t => t[0].Abs(), g => [Away(g, [0.0], 3, 4)]);
        Add("relu", t => t[0].Relu(), g => [Away(g, [0.0], 3, 4)]);
        Add("leaky_relu", t => t[0].LeakyRelu(0.1), g => [Away(g, [0.0], 3, 4)]);
        Add("elu", t => t[0].Elu(1.5), g => [Away(g, [0.0], 3, 4)]);
        Add("gelu", t => t[0].Gelu(), g => [R(g, 3, 4)]);
        Add("sigmoid", t => t[0].Sigmoid(), g => [R(g, 3, 4)]);
        Add("tanh", t => t[0].Tanh(), g => [R(g, 3, 4)]);
        Add("softplus", t => t[0].Softplus(), g => [R(g, 3, 4)]);
        Add("square", t => t[0].Square(), g => [R(g, 3, 4)]);
        Add("pow/3", t => t[0].Pow(3), g => [R(g, 3, 4)]);
        Add("pow/-1.5", t => t[0].Pow(-1.5), g => [Pos(g, 3, 4)]);
        Add("pow/0.5", t => t[0].Pow(0.5), g => [Pos(g, 3, 4)]);
        Add("clamp", t => t[0].Clamp(-0.5, 0.5), g => [Away(g, [-0.5, 0.5], 3, 4)]);
        Add("clamp/min-only", t => t[0].Clamp(min: 0.2), g => [Away(g, [0.2], 3, 4)]);
        Add("exp/transposed", t => t[0].T.Exp(), g => [R(g, 3, 4)]);
        Add("tanh/narrowed", t => t[0].Narrow(1, 1, 2).Tanh(), g => [R(g, 3, 4)]);

        // ---- binary, with broadcasting ----
        Add("add", t => t[0].Add(t[1]), g => [R(g, 3, 4), R(g, 3, 4)]);
        Add("add/broadcast", t => t[0] + t[1], g => [R(g, 3, 1), R(g, 1, 4)]);
        Add("add/alpha", t => t[0].Add(t[1], -2.5), g => [R(g, 2, 3, 4), R(g, 4)]);
        Add("add/scalar", t => 2.0 + t[0], g => [R(g, 3)]);
        Add("sub/broadcast", t => t[0] - t[1], g => [R(g, 2, 3, 4), R(g, 3, 1)]);
        Add("sub/scalar-lhs", t => 1.5 - t[0], g => [R(g, 3)]);
        Add("mul/broadcast", t => t[0] * t[1], g => [R(g, 3, 1), R(g, 2, 1, 4)]);
        Add("mul/transposed", t => t[0].T * t[1], g => [R(g, 4, 3), R(g, 3, 4)]);
        Add("div/broadcast", t => t[0] / t[1], g => [R(g, 3, 4), Pos(g, 4)]);
        Add("div/scalar-lhs", t => 2.0 / t[0], g => [Pos(g, 5)]);
        Add("maximum/broadcast", t => t[0].Maximum(t[1]), g => [R(g, 3, 4), R(g, 4)]);
        Add("minimum/broadcast", t => t[0].Minimum(t[1]), g => [R(g, 3, 1), R(g, 3, 4)]);

        // ---- reductions ----
        Add("sum", t => t[0].Sum(), g => [R(g, 3, 4)]);
        Add("sum/dim", t => t[0].Sum(1), g => [R(g, 2, 3, 4)]);
        Add("sum/dims-keepdim", t => t[0].Sum([0, 2], keepDim: true), g => [R(g, 2, 3, 4)]);
        Add("sum/transposed", t => t[0].T.Sum(0), g => [R(g, 3, 4)]);
        Add("mean", t => t[0].Mean(), g => [R(g, 3, 4)]);
        Add("mean/dims", t => t[0].Mean([0, 2]), g => [R(g, 2, 3, 4)]);
        Add("var", t => t[0].Var(), g => [R(g, 3, 4)]);
        Add("var/dim-biased", t => t[0].Var(1, unbiased: false, keepDim: true), g => [R(g, 3, 4)]);
        Add("var/dims", t => t[0].Var([0, 2]), g => [R(g, 3, 2, 4)]);
        Add("var/transposed", t => t[0].T.Var(-1), g => [R(g, 4, 3)]);
        Add("std", t => t[0].Std(0), g => [R(g, 4, 3)]);
        Add("std/all", t => t[0].Std(), g => [R(g, 3, 4)]);
        Add("max", t => t[0].Max(), g => [Distinct(g, 3, 4)]);
        Add("min", t => t[0].Min(), g => [Distinct(g, 3, 4)]);
        Add("max/dim", t => t[0].Max(1).Values, g => [Distinct(g, 3, 4)]);
        Add("max/dim-keepdim", t => t[0].Max(0, keepDim: true).Values, g => [Distinct(g, 3, 2, 2)]);
        Add("min/dim", t => t[0].Min(-1).Values, g => [Distinct(g, 2, 3, 4)]);
        Add("max/transposed", t => t[0].T.Max(1).Values, g => [Distinct(g, 3, 4)]);
        Add("logsumexp", t => t[0].LogSumExp(-1), g => [R(g, 3, 4)]);
        Add("logsumexp/dim0-keepdim", t => t[0].LogSumExp(0, keepDim: true), g => [R(g, 3, 2, 2)]);
        Add("softmax", t => t[0].Softmax(-1), g => [R(g, 3, 4)]);
        Add("softmax/middle", t => t[0].Softmax(1), g => [R(g, 2, 3, 2)]);
        Add("softmax/transposed", t => t[0].T.Softmax(-1), g => [R(g, 4, 3)]);
        Add("log_softmax", t => t[0].LogSoftmax(-1), g => [R(g, 3, 4)]);
        Add("log_softmax/dim0", t => t[0].LogSoftmax(0), g => [R(g, 3, 2, 2)]);

        // ---- views ----
        Add("reshape", t => t[0].Reshape(4, -1) * t[1], g => [R(g, 2, 3, 2), R(g, 3)]);
        Add("reshape/of-transposed", t => t[0].T.Reshape(-1), g => [R(g, 3, 4)]);
        Add("transpose", t => t[0].Transpose(0, 2) * t[1], g => [R(g, 2, 3, 4), R(g, 2)]);
        Add("permute", t => t[0].Permute(2, 0, 1).Contiguous(), g => [R(g, 2, 3, 4)]);
        Add("narrow", t => t[0].Narrow(1, 1, 2), g => [R(g, 3, 4)]);
        Add("select", t => t[0].Select(0, 1) * t[0].Select(1, 2).Sum(), g => [R(g, 3, 3)]);
        Add("select/indexer", t => t[0][.., 1] + t[0][^1], g => [R(g, 3, 3)]);
        Add("expand", t => t[0].Expand(3, 4) * t[1], g => [R(g, 1, 4), R(g, 3, 4)]);
        Add("squeeze-unsqueeze", t => t[0].Unsqueeze(1).Squeeze() * 2.0, g => [R(g, 3, 4)]);
        Add("flatten", t => t[0].Flatten(1), g => [R(g, 2, 3, 2)]);
        Add("clone", t => t[0].Clone() * t[0], g => [R(g, 3)]);

        // ---- linear algebra ----
        Add("matmul/1d-1d", t => t[0].MatMul(t[1]), g => [R(g, 4), R(g, 4)]);
        Add("matmul/1d-2d", t => t[0].MatMul(t[1]), g => [R(g, 3), R(g, 3, 4)]);
        Add("matmul/2d-1d", t => t[0].MatMul(t[1]), g => [R(g, 3, 4), R(g, 4)]);
        Add("matmul/2d-2d", t => t[0].MatMul(t[1]), g => [R(g, 3, 4), R(g, 4, 2)]);
        Add("matmul/transposed", t => t[0].T.MatMul(t[1].T), g => [R(g, 4, 3), R(g, 2, 4)]);
        Add("matmul/batched", t => t[0].MatMul(t[1]), g => [R(g, 2, 3, 4), R(g, 2, 4, 2)]);
        Add("matmul/batch-broadcast", t => t[0].MatMul(t[1]), g => [R(g, 1, 3, 4), R(g, 2, 4, 2)]);
        Add("matmul/3d-2d", t => t[0].MatMul(t[1]), g => [R(g, 2, 3, 4), R(g, 4, 3)]);
        Add("linear", t => t[0].Linear(t[1], t[2]), g => [R(g, 4, 3), R(g, 5, 3), R(g, 5)]);
        Add("linear/no-bias", t => t[0].Linear(t[1]), g => [R(g, 4, 3), R(g, 2, 3)]);
        Add("linear/3d", t => t[0].Linear(t[1], t[2]), g => [R(g, 2, 3, 4), R(g, 2, 4), R(g, 2)]);
        Add("linear/transposed-input", t => t[0].T.Linear(t[1], t[2]), g => [R(g, 3, 4), R(g, 2, 3), R(g, 2)]);

        // ---- joining and indexing ----
        Add("cat/dim0", t => Tensor.Cat([t[0], t[1]]), g => [R(g, 2, 3), R(g, 1, 3)]);
        Add("cat/dim1-three", t => Tensor.Cat([t[0], t[1].T, t[2]], 1), g => [R(g, 2, 2), R(g, 3, 2), R(g, 2, 1)]);
        Add("stack", t => Tensor.Stack([t[0], t[1]], 1), g => [R(g, 2, 3), R(g, 2, 3)]);
        Add("gather", t => t[0].Gather(1, Tensor.FromArray(new long[] { 2, 0, 0, 1, 1, 1 }, 3, 2).To(t[0].Device)), g => [R(g, 3, 4)]);
        Add("gather/dim0-transposed", t => t[0].T.Gather(0, Tensor.FromArray(new long[] { 3, 0, 2, 1, 1, 3 }, 2, 3).To(t[0].Device)), g => [R(g, 3, 4)]);
        Add("index_select", t => t[0].IndexSelect(0, Tensor.FromArray(new long[] { 2, 0, 2 }).To(t[0].Device)), g => [R(g, 3, 4)]);
        Add("index_select/dim1", t => t[0].IndexSelect(1, Tensor.FromArray(new long[] { 1, 3, 1 }).To(t[0].Device)), g => [R(g, 2, 4, 2)]);
        Add("sort", t => t[0].Sort().Values * t[1], g => [Distinct(g, 3, 4), R(g, 4)]);
        Add("sort/dim0-descending", t => t[0].T.Sort(0, descending: true).Values, g => [Distinct(g, 3, 4)]);
        Add("advanced_index", t => t[0][new[] { 2, 0, 2 }, .., new[] { 1, 3, 1 }], g => [R(g, 3, 2, 4)]);
        Add("advanced_index/adjacent-broadcast", t => t[0][.., Tensor.FromArray(new long[] { 0, 2 }, 2, 1).To(t[0].Device), new[] { 1, 0, 1 }], g => [R(g, 2, 3, 2)]);
        Add("meshgrid", t => Tensor.Meshgrid([t[0], t[1]], "xy")[0] * Tensor.Meshgrid([t[0], t[1]], "xy")[1], g => [R(g, 3), R(g, 2)]);
        Add("where", t => Tensor.Where(t[0].Gt(0.0), t[0], t[1]), g => [Away(g, [0.0], 3, 4), R(g, 4)]);
        Add("where/scalar", t => Tensor.Where(Tensor.FromArray(new[] { true, false, true }).To(t[0].Device), t[0], 0.5), g => [R(g, 2, 3)]);
        Add("masked_fill", t => t[0].MaskedFill(Tensor.FromArray(new[] { false, true, false, true }).To(t[0].Device), -1.0) * t[0], g => [R(g, 3, 4)]);
        return c;
    }

    // ---- input domains (Float64 leaves that require grad) ----

    private static Tensor Leaf(Tensor t)
    {
        t.RequiresGrad = true;
        return t;
    }

    private static Tensor R(Generator g, params int[] shape) => Leaf(Tensor.RandN(shape, g, DType.Float64));

    /// <summary>Uniform in [0.5, 2].</summary>
    private static Tensor Pos(Generator g, params int[] shape)
    {
        var t = Tensor.Rand(shape, g, DType.Float64);
        using (Dendrite.Autograd.Autograd.NoGrad())
            t.MulInPlace(1.5).AddInPlace(0.5);
        return Leaf(t);
    }

    /// <summary>Normal samples redrawn until at least 0.1 away from every kink.</summary>
    private static Tensor Away(Generator g, double[] kinks, params int[] shape)
    {
        int n = 1;
        foreach (int s in shape)
            n *= s;
        var data = new double[n];
        for (int i = 0; i < n; i++)
        {
            double v;
            bool near;
            do
            {
                v = g.Normal();
                near = false;
                foreach (double k in kinks)
                    near |= Math.Abs(v - k) < 0.1;
            } while (near);
            data[i] = v;
        }
        return Leaf(Tensor.FromArray(data, shape));
    }

    /// <summary>A shuffled grid of values 0.3 apart, so the arg-max is unique and stable under perturbation.</summary>
    private static Tensor Distinct(Generator g, params int[] shape)
    {
        int n = 1;
        foreach (int s in shape)
            n *= s;
        var perm = g.Permutation(n);
        var data = new double[n];
        for (int i = 0; i < n; i++)
            data[i] = 0.3 * perm[i] - 1.0;
        return Leaf(Tensor.FromArray(data, shape));
    }
}
