using System.Globalization;
using Dendrite.Cli.Lab.Common;
using Dendrite.Cli.Reports;
using Dendrite.NN;
using Dendrite.Optim;

namespace Dendrite.Cli.Lab.Experiments;

/// <summary>
/// 10. d2l 3.2–3.3: recover w = [2, −3.4], b = 4.2 from 1000 noisy samples, once from scratch (hand-written
/// gradients and minibatch SGD) and once concisely (autograd, <see cref="Linear"/>, <see cref="SGD"/>).
/// </summary>
public sealed class LinearRegressionExperiment : IExperiment
{
    /// <inheritdoc />
    public string Name => "linear-regression";

    /// <inheritdoc />
    public string Title => "Linear regression from scratch and concise";

    /// <inheritdoc />
    public string Description => "d2l: y = Xw + b + noise with w = [2, −3.4], b = 4.2; hand-written gradients vs autograd + Linear.";

    /// <inheritdoc />
    public bool NeedsFashionMnist => false;

    private sealed record Settings(double[] TrueW, double TrueB, int Samples, double Noise, int BatchSize, double Lr, int Epochs);

    /// <inheritdoc />
    public void Run(ExperimentContext ctx)
    {
        var cfg = ctx.UseConfig(new Settings(TrueW: [2, -3.4], TrueB: 4.2, Samples: 1000, Noise: 0.01, BatchSize: 10, Lr: 0.03, Epochs: 3));
        var rng = ctx.Rng(0);
        // X ~ N(0, 1) [n, 2]; y = X·w + b + ε, ε ~ N(0, noise²)  -> [n, 1]
        var x = Tensor.RandN([cfg.Samples, 2], rng);
        var trueW = Tensor.FromArray(cfg.TrueW.Select(v => (float)v).ToArray(), 2, 1);
        var y = x.MatMul(trueW).Add(cfg.TrueB).Add(Tensor.RandN([cfg.Samples, 1], rng).Mul(cfg.Noise));
        var data = new LabeledData(x, y);

        // From scratch: the MSE gradient written by hand, ∂/∂w ½·mean((Xw + b − y)²) = Xᵀ(Xw + b − y)/B.
        var w = Tensor.RandN([2, 1], ctx.Rng(1)).Mul(0.01);
        var b = Tensor.Zeros(1);
        for (int epoch = 1; epoch <= cfg.Epochs; epoch++)
        {
            var shuffled = data.Shuffle(ctx.Rng(10 + epoch));
            for (int start = 0; start < cfg.Samples; start += cfg.BatchSize)
            {
                var mb = shuffled.Slice(start, Math.Min(cfg.BatchSize, cfg.Samples - start));
                var residual = mb.X.MatMul(w).Add(b).Sub(mb.Y);                   // [B, 1]
                var gradW = mb.X.T.MatMul(residual).Div(mb.Count);                 // [2, 1]
                var gradB = residual.Sum(0).Div(mb.Count);                         // [1]
                w = w.Sub(gradW.Mul(cfg.Lr));
                b = b.Sub(gradB.Mul(cfg.Lr));
            }
            double loss = x.MatMul(w).Add(b).Sub(y).Square().Mean().Item() / 2;
            ctx.History.Log("scratch", epoch, ("train_loss", loss));
            ctx.Log($"  scratch epoch {epoch}: loss {loss:F6}");
        }
        var (scratchW, scratchB) = (w.ToArray<float>(), b.Item());

        // Concise: autograd computes the same gradients; Linear holds w and b; SGD applies the update.
        var net = new Linear(2, 1, generator: ctx.Rng(2));
        Init.Normal_(net.Weight, 0, 0.01, ctx.Rng(2));
        Init.Zeros_(net.Bias!);
        var opt = new SGD(net.Parameters(), lr: cfg.Lr);
        for (int epoch = 1; epoch <= cfg.Epochs; epoch++)
        {
            var shuffled = data.Shuffle(ctx.Rng(10 + epoch));
            for (int start = 0; start < cfg.Samples; start += cfg.BatchSize)
            {
                var mb = shuffled.Slice(start, Math.Min(cfg.BatchSize, cfg.Samples - start));
                var loss = F.MseLoss(net.Forward(mb.X), mb.Y).Div(2);
                opt.ZeroGrad();
                loss.Backward();
                opt.Step();
            }
            double full;
            using (Grad.NoGrad()) full = F.MseLoss(net.Forward(x), y).Item() / 2;
            ctx.History.Log("concise", epoch, ("train_loss", full));
            ctx.Log($"  concise epoch {epoch}: loss {full:F6}");
        }
        var (conciseW, conciseB) = (net.Weight.ToArray<float>(), net.Bias!.Item());

        var rows = new List<string[]>();
        foreach (var (name, ww, bb) in new[] { ("from scratch", scratchW, scratchB), ("concise", conciseW, conciseB) })
        {
            double errW = Math.Max(Math.Abs(ww[0] - cfg.TrueW[0]), Math.Abs(ww[1] - cfg.TrueW[1])), errB = Math.Abs(bb - cfg.TrueB);
            string key = name == "concise" ? "concise" : "scratch";
            ctx.Metric($"{key}_w1", ww[0]);
            ctx.Metric($"{key}_w2", ww[1]);
            ctx.Metric($"{key}_b", bb);
            ctx.Metric($"{key}_max_w_error", errW);
            ctx.Metric($"{key}_b_error", errB);
            ctx.Expect($"{name}: w and b recovered within 0.01", errW < 0.01 && errB < 0.01, $"|Δw| {errW:G3}, |Δb| {errB:G3}");
            rows.Add([name, $"[{ww[0]:F4}, {ww[1]:F4}]", bb.ToString("F4", CultureInfo.InvariantCulture),
                $"[{LabFormat.Signed(ww[0] - cfg.TrueW[0])}, {LabFormat.Signed(ww[1] - cfg.TrueW[1])}]", LabFormat.Signed(bb - cfg.TrueB)]);
        }
        ctx.Report.Text($"{cfg.Samples} samples, minibatch {cfg.BatchSize}, lr {cfg.Lr}, {cfg.Epochs} epochs, loss ½·MSE.")
            .Add(new TableBlock("Recovered parameters (true w = [2, -3.4], b = 4.2)", ["model", "w", "b", "w error", "b error"], [.. rows]));
    }
}
