using Dendrite.NN;

namespace Dendrite.Tests.Onnx;

/// <summary>
/// One small model per mapped op (several forms where the op has them): the op under test applied to the input and
/// to registered parameters, with the sample shape and the kind of input it needs.
/// </summary>
internal sealed record OnnxOpCase(string Name, Func<Module> Model, int[] Shape, Func<int[], Generator, Tensor>? Input = null, bool DynamicBatch = true)
{
    public override string ToString() => Name;

    private static Tensor Param(int[] shape, ulong seed, double offset = 0) => Tensor.RandN(shape, new Generator(seed)).Add(offset);

    private static Tensor Positive(int[] shape, Generator g) => Tensor.Rand(shape, g).Add(0.1);

    private static Tensor Integers(int[] shape, Generator g) => Tensor.RandInt(-2, 3, shape, g).To(DType.Float32);

    private static OnnxOpCase Fn(string name, Func<Tensor, Tensor> f, int[] shape, Func<int[], Generator, Tensor>? input = null, params (string, Tensor)[] parameters) =>
        new(name, () => new FnModule(f, parameters), shape, input);

    private static OnnxOpCase Fn1(string name, Func<Tensor, Tensor, Tensor> f, int[] shape, int[] paramShape, Func<int[], Generator, Tensor>? input = null, double offset = 0)
    {
        return new(name, () =>
        {
            var w = Param(paramShape, 7, offset);
            return new FnModule(x => f(x, w), ("w", w));
        }, shape, input);
    }

    public static IReadOnlyList<OnnxOpCase> All { get; } =
    [
        // Elementwise
        Fn1("Add", (x, w) => x + w, [2, 5], [5]),
        Fn1("Add alpha, Sub, scalar", (x, w) => x.Add(w, 2.5).Sub(w) + 3 - (x - 1.5), [2, 3, 5], [3, 1]),
        Fn1("Mul", (x, w) => x * w * 0.5, [2, 5], [5]),
        Fn1("Div", (x, w) => x / w / 4 + 1 / w, [2, 5], [5], offset: 3),
        Fn1("Maximum, Minimum", (x, w) => x.Maximum(w) + x.Minimum(w), [2, 4, 5], [5]),
        Fn("Neg", x => -x, [2, 5]),
        Fn("Exp", x => x.Exp(), [2, 5]),
        Fn("Log", x => x.Log(), [2, 5], Positive),
        Fn("Sqrt", x => x.Sqrt(), [2, 5], Positive),
        Fn("Abs", x => x.Abs(), [2, 5]),
        Fn("Relu", x => x.Relu(), [2, 5]),
        Fn("Sigmoid", x => x.Sigmoid(), [2, 5]),
        Fn("Tanh", x => x.Tanh(), [2, 5]),
        Fn("Softplus", x => x.Softplus(), [2, 6], (s, g) => Tensor.RandN(s, g).Mul(15)),
        Fn("Square", x => x.Square(), [2, 5]),
        Fn("Pow", x => x.Pow(3) + x.Abs().Pow(0.5), [2, 5]),
        Fn("Clamp", x => x.Clamp(-0.5, 0.7) + x.Clamp(min: 0.1) + x.Clamp(max: -0.2), [2, 5]),
        Fn("LeakyRelu", x => x.LeakyRelu(0.2), [2, 5]),
        Fn("Elu", x => x.Elu(0.7), [2, 5]),
        Fn("Gelu", x => x.Gelu(), [2, 5]),
        Fn1("Eq", (x, w) => x.Eq(w.Mul(0).Add(1)).LogicalOr(x.Eq(-1)), [2, 5], [5], Integers),
        Fn1("Ne", (x, w) => x.Ne(w.Mul(0)), [2, 5], [5], Integers),
        Fn1("Gt, Lt", (x, w) => x.Gt(w).LogicalAnd(x.Lt(2)), [2, 5], [5], Integers),
        Fn1("Ge, Le", (x, w) => x.Ge(w).LogicalOr(x.Le(-1)), [2, 5], [5], Integers),
        Fn("LogicalNot", x => x.Gt(0).LogicalNot(), [2, 5]),
        Fn1("Where", (x, w) => Tensor.Where(x.Gt(0), x, w), [2, 5], [5]),
        Fn("MaskedFill", x => x.MaskedFill(x.Lt(0), -2.5), [2, 5]),

        // Reductions and softmax
        Fn("Sum", x => x.Sum(1) + x.Sum([1, 2], keepDim: true).Squeeze(2).Squeeze(1).Unsqueeze(1), [2, 3, 4]),
        Fn("Sum of Bool", x => x.Gt(0).Sum(1), [2, 6]),
        Fn("Mean", x => x.Mean(2, keepDim: true) + x.Mean(), [2, 3, 4]),
        Fn("Var", x => x.Var(1) + x.Var(1, unbiased: false), [2, 6]),
        Fn("LogSumExp", x => x.LogSumExp(1) + x.LogSumExp(-1, keepDim: true).Squeeze(2), [2, 4, 4]),
        Fn("MaxAll, MinAll", x => x.Max() - x.Min(), [2, 5]),
        Fn("MaxDim, MinDim", x => x.Max(1).Values + x.Min(1, keepDim: true).Values.Squeeze(1) + x.Max(1).Indices.To(DType.Float32), [2, 5]),
        Fn("ArgMax", x => x.ArgMax(1), [2, 5]),
        Fn("ArgMin keepDim", x => x.ArgMin(1, keepDim: true), [2, 5]),
        Fn("ArgMax flattened", x => Tensor.Stack([x.ArgMax(), x.ArgMin(keepDim: true).Squeeze()]), [2, 5]),
        Fn("Softmax", x => x.Softmax(1), [2, 5]),
        Fn("LogSoftmax", x => x.LogSoftmax(-1), [2, 3, 5]),

        // Shapes, indexing and conversions
        Fn("Reshape", x => x.Reshape(-1, 2, 10) * 2, [2, 20]),
        new("Flatten", () => new Flatten(), [2, 3, 4, 5]),
        Fn("Unsqueeze, Squeeze, View", x => x.Unsqueeze(1).Unsqueeze(3).Squeeze(3).View(-1, 15), [2, 3, 5]),
        Fn("Permute, Transpose, T", x => x.Permute(0, 2, 1).Transpose(1, 2) + x.Permute(2, 1, 0).T, [2, 3, 4]),
        Fn("Narrow", x => x.Narrow(1, 2, 3) + x[.., ^3..], [2, 6]),
        Fn("Narrow over the batch", x => x[1..] - x[..^1], [3, 4]),
        Fn("Select", x => x[.., 2] + x.Select(1, -1), [2, 5]),
        Fn("Select from the batch's end", x => x[^1] * 2, [3, 4]),
        Fn("Expand", x => x.Unsqueeze(1).Expand(-1, 3, 5) * 2, [2, 5]),
        Fn1("Expand a parameter", (x, w) => x * w.Unsqueeze(0).Unsqueeze(0).Expand(1, 4, 5), [2, 4, 5], [5]),
        Fn1("Cat, Stack", (x, w) => Tensor.Cat([x, x * 2, x * w, x.Gt(0)], 1).Sum(1) + Tensor.Stack([x, x.Gt(0).To(DType.Float32)], 2).Sum(2).Sum(1), [2, 5], [5]),
        Fn("Gather", x => x.Gather(1, x.ArgMax(1, keepDim: true)) + x.Gather(1, x.ArgMin(1, keepDim: true)), [2, 5]),
        Fn("IndexSelect", x => x.IndexSelect(1, Tensor.FromArray(new long[] { 3, 0, 3 }, 3)) + x.IndexSelect(1, Tensor.Scalar(1, DType.Int64)), [2, 5]),
        Fn("Convert", x => x.Gt(0).To(DType.Float32) + x.Mul(3).To(DType.Int64).To(DType.Float32) + x.To(DType.Float64).Exp().To(DType.Float32), [2, 5]),
        Fn("To Float64", x => x.To(DType.Float64).Square(), [2, 5]),
        Fn("Clone, Contiguous, Detach", x => x.Clone() + x.T.Contiguous().T + x.Detach(), [2, 5]),

        // Layers
        Fn1("MatMul", (x, w) => x.MatMul(w), [2, 5], [5, 3]),
        Fn1("MatMul batched", (x, w) => x.MatMul(w) + x.MatMul(w.Select(1, 0)).Unsqueeze(2), [2, 4, 5], [5, 3]),
        new("Linear", () => new Linear(5, 3, generator: new Generator(3)), [2, 5]),
        new("Linear 3-D", () => new Linear(5, 3, generator: new Generator(3)), [2, 4, 5]),
        new("Linear without bias", () => new Sequential(new Linear(5, 3, bias: false, generator: new Generator(3)), new Linear(3, 2, bias: false, generator: new Generator(4))), [2, 1, 5]),
        new("Conv2d", () => new Conv2d(4, 6, 3, stride: 2, padding: 1, dilation: 2, groups: 2, generator: new Generator(3)), [2, 4, 9, 9]),
        new("Conv2d without bias", () => new Conv2d(3, 5, (3, 2), stride: (1, 2), padding: (2, 0), bias: false, generator: new Generator(3)), [2, 3, 8, 8]),
        new("Conv2d ReLU MaxPool (fused)", () => new Sequential(new Conv2d(2, 4, 3, padding: 1, generator: new Generator(3)), new ReLU(), new MaxPool2d(2)), [2, 2, 8, 8]),
        new("MaxPool2d", () => new MaxPool2d(3, stride: 2, padding: 1), [2, 3, 9, 9]),
        new("MaxPool2d dilated", () => new MaxPool2d((2, 3), stride: (1, 2), dilation: (2, 1)), [2, 3, 9, 9]),
        new("AvgPool2d", () => new AvgPool2d(3, stride: 2, padding: 1), [2, 3, 9, 9]),
        new("AdaptiveAvgPool2d 1x1", () => new AdaptiveAvgPool2d(1), [2, 3, 7, 5]),
        new("AdaptiveAvgPool2d even", () => new AdaptiveAvgPool2d((2, 3)), [2, 3, 8, 9]),
        new("BatchNorm1d", () => Trained(new BatchNorm1d(5), [16, 5]), [2, 5]),
        new("BatchNorm1d 3-D", () => Trained(new BatchNorm1d(3), [16, 3, 4]), [2, 3, 4]),
        new("BatchNorm2d", () => Trained(new BatchNorm2d(3), [8, 3, 4, 4]), [2, 3, 4, 4]),
        new("BatchNorm2d without affine", () => Trained(new BatchNorm2d(3, affine: false), [8, 3, 4, 4]), [2, 3, 4, 4]),
        new("LayerNorm", () => Randomized(new LayerNorm(5)), [2, 5]),
        new("LayerNorm 2-D shape", () => Randomized(new LayerNorm([4, 5], eps: 1e-3)), [2, 3, 4, 5]),
        new("LayerNorm without affine", () => new LayerNorm(6, elementwiseAffine: false), [2, 6]),
    ];

    // A batch-norm layer whose running statistics (and affine parameters) are not the initial ones.
    internal static Module Trained(BatchNorm bn, int[] batchShape)
    {
        var g = new Generator(11);
        using (Autograd.Autograd.NoGrad())
        {
            for (int i = 0; i < 3; i++)
                bn.Call(Tensor.RandN(batchShape, g).Mul(2).Add(0.5));
            bn.Weight?.CopyFrom(Tensor.RandN([bn.NumFeatures], g));
            bn.Bias?.CopyFrom(Tensor.RandN([bn.NumFeatures], g));
        }
        return bn;
    }

    internal static Module Randomized(Module m)
    {
        var g = new Generator(12);
        using (Autograd.Autograd.NoGrad())
            foreach (var p in m.Parameters())
                p.CopyFrom(Tensor.RandN(p.ShapeArray, g));
        return m;
    }
}
