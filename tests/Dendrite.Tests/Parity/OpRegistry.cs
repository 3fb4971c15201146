// The registry that maps an op name in ops.jsonl (PyTorch's functional name) to a Dendrite call.
//
// Contract for the partial files (OpRegistry.NN.cs registers the nn ops):
// - Implement `static partial void RegisterNNOps(Dictionary<string, OpFn> table)` in `partial class OpRegistry`
//   and add one entry per op name: conv2d, max_pool2d, avg_pool2d, batch_norm, layer_norm, mse_loss, l1_loss,
//   binary_cross_entropy, binary_cross_entropy_with_logits, cross_entropy, nll_loss.
// - An OpFn receives the case's inputs in order (floating tensors already in the dtype under test, Float32 or
//   Float64, with RequiresGrad set as the case says; "dtype":"int64" tensors such as class targets arrive as Int64),
//   the case's `attrs` object verbatim (read it with the Attr helpers: an attr may be an int, a list or null), and an
//   OpContext. It returns the op's output tensor, computed with autograd so the harness can call Backward on it.
// - Ops that update state report it through ctx.State: for batch_norm, put the running_mean and running_var
//   tensors after the call under the keys "running_mean" and "running_var". Every key of a case's "state_after"
//   must be present in ctx.State, and is compared with the same tolerance as the output.
// - An op name present in ops.jsonl but absent from the table makes its cases fail ("not registered").
using System.Text.Json;

namespace Dendrite.Tests.Parity;

/// <summary>Computes one op for a parity case.</summary>
public delegate Tensor OpFn(Tensor[] inputs, JsonElement attrs, OpContext ctx);

/// <summary>Per-case context: the dtype under test and any state the op reports for checking.</summary>
public sealed class OpContext(DType dtype)
{
    /// <summary>The floating dtype the case runs in.</summary>
    public DType DType { get; } = dtype;

    /// <summary>State after the op (e.g. "running_mean"), compared with the case's "state_after".</summary>
    public Dictionary<string, Tensor> State { get; } = [];
}

/// <summary>The op name → Dendrite call table used by <see cref="OpsParityTests"/>.</summary>
public static partial class OpRegistry
{
    private static readonly Dictionary<string, OpFn> Table = [];

    static OpRegistry()
    {
        RegisterCoreOps(Table);
        RegisterNNOps(Table);
    }

    /// <summary>All registered ops.</summary>
    public static IReadOnlyDictionary<string, OpFn> Ops => Table;

    static partial void RegisterNNOps(Dictionary<string, OpFn> table);

    private static void RegisterCoreOps(Dictionary<string, OpFn> t)
    {
        t["neg"] = (x, a, c) => x[0].Neg();
        t["exp"] = (x, a, c) => x[0].Exp();
        t["log"] = (x, a, c) => x[0].Log();
        t["sqrt"] = (x, a, c) => x[0].Sqrt();
        t["abs"] = (x, a, c) => x[0].Abs();
        t["relu"] = (x, a, c) => x[0].Relu();
        t["sigmoid"] = (x, a, c) => x[0].Sigmoid();
        t["tanh"] = (x, a, c) => x[0].Tanh();
        t["gelu"] = (x, a, c) => x[0].Gelu();
        t["softplus"] = (x, a, c) => x[0].Softplus();
        t["square"] = (x, a, c) => x[0].Square();
        t["leaky_relu"] = (x, a, c) => x[0].LeakyRelu(Attr.Double(a, "negative_slope"));
        t["elu"] = (x, a, c) => x[0].Elu(Attr.Double(a, "alpha"));
        t["pow"] = (x, a, c) => x[0].Pow(Attr.Double(a, "exponent"));
        t["clamp"] = (x, a, c) => x[0].Clamp(Attr.OptionalDouble(a, "min"), Attr.OptionalDouble(a, "max"));

        t["add"] = (x, a, c) => x[0].Add(x[1]);
        t["sub"] = (x, a, c) => x[0].Sub(x[1]);
        t["mul"] = (x, a, c) => x[0].Mul(x[1]);
        t["div"] = (x, a, c) => x[0].Div(x[1]);
        t["maximum"] = (x, a, c) => x[0].Maximum(x[1]);
        t["minimum"] = (x, a, c) => x[0].Minimum(x[1]);

        t["matmul"] = (x, a, c) => x[0].MatMul(x[1]);
        t["linear"] = (x, a, c) => x[0].Linear(x[1], x.Length > 2 ? x[2] : null);

        t["sum"] = (x, a, c) => Attr.OptionalInts(a, "dim") is { } d ? x[0].Sum(d, Attr.Bool(a, "keepdim", false)) : AllReduce(x[0].Sum(), x[0], a);
        t["mean"] = (x, a, c) => Attr.OptionalInts(a, "dim") is { } d ? x[0].Mean(d, Attr.Bool(a, "keepdim", false)) : AllReduce(x[0].Mean(), x[0], a);
        t["max_dim"] = (x, a, c) => x[0].Max(Attr.Int(a, "dim"), Attr.Bool(a, "keepdim", false)).Values;
        t["min_dim"] = (x, a, c) => x[0].Min(Attr.Int(a, "dim"), Attr.Bool(a, "keepdim", false)).Values;
        t["var"] = (x, a, c) => x[0].Var(Attr.OptionalInts(a, "dim"), Attr.Bool(a, "unbiased", true), Attr.Bool(a, "keepdim", false));
        t["std"] = (x, a, c) => x[0].Std(Attr.OptionalInts(a, "dim"), Attr.Bool(a, "unbiased", true), Attr.Bool(a, "keepdim", false));
        t["logsumexp"] = (x, a, c) => x[0].LogSumExp(Attr.Int(a, "dim"), Attr.Bool(a, "keepdim", false));
        t["softmax"] = (x, a, c) => x[0].Softmax(Attr.Int(a, "dim"));
        t["log_softmax"] = (x, a, c) => x[0].LogSoftmax(Attr.Int(a, "dim"));

        t["reshape"] = (x, a, c) => x[0].Reshape(Attr.Ints(a, "shape"));
        t["transpose"] = (x, a, c) => x[0].Transpose(Attr.Int(a, "dim0"), Attr.Int(a, "dim1"));
        t["permute"] = (x, a, c) => x[0].Permute(Attr.Ints(a, "dims"));
        t["narrow"] = (x, a, c) => x[0].Narrow(Attr.Int(a, "dim"), Attr.Int(a, "start"), Attr.Int(a, "length"));
        t["cat"] = (x, a, c) => Tensor.Cat(x, Attr.Int(a, "dim", 0));
        t["stack"] = (x, a, c) => Tensor.Stack(x, Attr.Int(a, "dim", 0));
    }

    // sum/mean with dim null reduce everything; keepdim then gives an all-ones shape.
    private static Tensor AllReduce(Tensor y, Tensor x, JsonElement attrs)
    {
        if (!Attr.Bool(attrs, "keepdim", false))
            return y;
        var ones = new int[x.Rank];
        Array.Fill(ones, 1);
        return y.Reshape(ones);
    }
}

/// <summary>Readers for case attrs (PyTorch's argument names; numbers may be ints, lists or null).</summary>
public static class Attr
{
    /// <summary>True when the attr exists and is not null.</summary>
    public static bool Has(JsonElement attrs, string name)
        => attrs.ValueKind == JsonValueKind.Object && attrs.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;

    private static JsonElement Get(JsonElement attrs, string name)
    {
        if (attrs.ValueKind != JsonValueKind.Object || !attrs.TryGetProperty(name, out var v))
            throw new KeyNotFoundException($"attr '{name}' is missing from {attrs.GetRawText()}");
        return v;
    }

    /// <summary>An integer attr (or <paramref name="fallback"/> when absent/null, if given).</summary>
    public static int Int(JsonElement attrs, string name, int? fallback = null)
    {
        if (!Has(attrs, name) && fallback is int f)
            return f;
        var v = Get(attrs, name);
        return v.ValueKind == JsonValueKind.Array ? v[0].GetInt32() : v.GetInt32();
    }

    /// <summary>A number attr.</summary>
    public static double Double(JsonElement attrs, string name, double? fallback = null)
    {
        if (!Has(attrs, name) && fallback is double f)
            return f;
        return Get(attrs, name).GetDouble();
    }

    /// <summary>A number attr that may be null or absent.</summary>
    public static double? OptionalDouble(JsonElement attrs, string name) => Has(attrs, name) ? Get(attrs, name).GetDouble() : null;

    /// <summary>A boolean attr.</summary>
    public static bool Bool(JsonElement attrs, string name, bool? fallback = null)
    {
        if (!Has(attrs, name) && fallback is bool f)
            return f;
        return Get(attrs, name).GetBoolean();
    }

    /// <summary>A string attr.</summary>
    public static string String(JsonElement attrs, string name, string? fallback = null)
    {
        if (!Has(attrs, name) && fallback is not null)
            return fallback;
        return Get(attrs, name).GetString()!;
    }

    /// <summary>An int or a list of ints, as an array.</summary>
    public static int[] Ints(JsonElement attrs, string name)
    {
        var v = Get(attrs, name);
        if (v.ValueKind != JsonValueKind.Array)
            return [v.GetInt32()];
        var result = new int[v.GetArrayLength()];
        for (int i = 0; i < result.Length; i++)
            result[i] = v[i].GetInt32();
        return result;
    }

    /// <summary>An int, a list of ints, or null (meaning all dims).</summary>
    public static int[]? OptionalInts(JsonElement attrs, string name) => Has(attrs, name) ? Ints(attrs, name) : null;

    /// <summary>An int or an [h, w] pair (conv and pool attrs), as (h, w).</summary>
    public static (int H, int W) Pair(JsonElement attrs, string name, int? fallback = null)
    {
        if (!Has(attrs, name) && fallback is int f)
            return (f, f);
        var v = Ints(attrs, name);
        return v.Length == 1 ? (v[0], v[0]) : (v[0], v[1]);
    }
}
