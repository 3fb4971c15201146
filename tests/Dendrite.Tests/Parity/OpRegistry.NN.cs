// The nn ops of ops.jsonl, mapped onto Dendrite.NN.F (see the contract at the top of OpRegistry.cs).
using System.Text.Json;
using Dendrite.NN;

namespace Dendrite.Tests.Parity;

public static partial class OpRegistry
{
    static partial void RegisterNNOps(Dictionary<string, OpFn> table)
    {
        var t = table;
        t["conv2d"] = (x, a, c) => F.Conv2d(x[0], x[1], x.Length > 2 ? x[2] : null,
            Attr.Pair(a, "stride", 1), Attr.Pair(a, "padding", 0), Attr.Pair(a, "dilation", 1), Attr.Int(a, "groups", 1));
        t["max_pool2d"] = (x, a, c) =>
        {
            var k = Attr.Pair(a, "kernel_size");
            return F.MaxPool2d(x[0], k, Attr.Has(a, "stride") ? Attr.Pair(a, "stride") : k, Attr.Pair(a, "padding", 0),
                Attr.Pair(a, "dilation", 1));
        };
        t["avg_pool2d"] = (x, a, c) =>
        {
            var k = Attr.Pair(a, "kernel_size");
            return F.AvgPool2d(x[0], k, Attr.Has(a, "stride") ? Attr.Pair(a, "stride") : k, Attr.Pair(a, "padding", 0));
        };
        t["batch_norm"] = (x, a, c) =>
        {
            // inputs: x, weight, bias, running_mean, running_var (the running stats are updated in place)
            var y = F.BatchNorm(x[0], x[3], x[4], x[1], x[2], Attr.Bool(a, "training"),
                Attr.Double(a, "momentum", 0.1), Attr.Double(a, "eps", 1e-5));
            c.State["running_mean"] = x[3];
            c.State["running_var"] = x[4];
            return y;
        };
        t["layer_norm"] = (x, a, c) => F.LayerNorm(x[0], Attr.Ints(a, "normalized_shape"), x.Length > 1 ? x[1] : null,
            x.Length > 2 ? x[2] : null, Attr.Double(a, "eps", 1e-5));
        t["mse_loss"] = (x, a, c) => F.MseLoss(x[0], x[1], Reduce(a));
        t["l1_loss"] = (x, a, c) => F.L1Loss(x[0], x[1], Reduce(a));
        t["huber_loss"] = (x, a, c) => F.HuberLoss(x[0], x[1], Attr.Double(a, "delta", 1.0), Reduce(a));
        t["binary_cross_entropy"] = (x, a, c) => F.BinaryCrossEntropy(x[0], x[1], reduction: Reduce(a));
        t["binary_cross_entropy_with_logits"] = (x, a, c) => F.BinaryCrossEntropyWithLogits(x[0], x[1], reduction: Reduce(a));
        t["cross_entropy"] = (x, a, c) => F.CrossEntropy(x[0], x[1], labelSmoothing: Attr.Double(a, "label_smoothing", 0.0),
            ignoreIndex: Attr.Int(a, "ignore_index", -100), reduction: Reduce(a));
        t["nll_loss"] = (x, a, c) => F.NllLoss(x[0], x[1], ignoreIndex: Attr.Int(a, "ignore_index", -100), reduction: Reduce(a));
    }

    private static Reduction Reduce(JsonElement attrs) => Attr.String(attrs, "reduction", "mean") switch
    {
        "none" => Reduction.None,
        "sum" => Reduction.Sum,
        "mean" => Reduction.Mean,
        var r => throw new ArgumentException($"unknown reduction '{r}'"),
    };
}
