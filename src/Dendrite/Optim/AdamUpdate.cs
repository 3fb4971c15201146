using Dendrite.Backends;

namespace Dendrite.Optim;

/// <summary>The Adam/AdamW step shared by both optimizers: state on the parameter's device, one fused backend update.</summary>
internal static class AdamUpdate
{
    public const int ExpAvg = 0, ExpAvgSq = 1, MaxExpAvgSq = 2;

    public static readonly string[] StateNames = ["exp_avg", "exp_avg_sq", "max_exp_avg_sq"];

    public static ParamGroup Validate(string name, double lr, (double Beta1, double Beta2) betas, double eps, double weightDecay, bool amsgrad)
    {
        if (!(lr >= 0)) throw new ArgumentException($"{name}: invalid learning rate {lr}.");
        if (!(eps >= 0)) throw new ArgumentException($"{name}: invalid eps {eps}.");
        if (!(betas.Beta1 >= 0 && betas.Beta1 < 1)) throw new ArgumentException($"{name}: invalid beta parameter at index 0: {betas.Beta1}.");
        if (!(betas.Beta2 >= 0 && betas.Beta2 < 1)) throw new ArgumentException($"{name}: invalid beta parameter at index 1: {betas.Beta2}.");
        if (!(weightDecay >= 0)) throw new ArgumentException($"{name}: invalid weightDecay {weightDecay}.");
        return new ParamGroup([], lr: lr, betas: betas, eps: eps, weightDecay: weightDecay, amsgrad: amsgrad);
    }

    public static void Run(Tensor p, Tensor g, Tensor?[] buffers, ref long step, ParamGroup group, bool decoupled)
    {
        var m = buffers[ExpAvg] ??= Tensor.ZerosLike(p);
        var v = buffers[ExpAvgSq] ??= Tensor.ZerosLike(p);
        var vmax = group.Amsgrad ? buffers[MaxExpAvgSq] ??= Tensor.ZerosLike(p) : null;
        step++;
        var (beta1, beta2) = group.Betas;
        double lr = group.Lr, wd = group.WeightDecay;
        double bc1 = 1 - Math.Pow(beta1, step), bc2 = 1 - Math.Pow(beta2, step);
        var h = new AdamHyper(
            Decay: decoupled ? 1 - lr * wd : 1,
            L2: decoupled ? 0 : wd,
            Beta1: beta1, Beta2: beta2,
            NegStepSize: -(lr / bc1),
            Bc2Sqrt: Math.Sqrt(bc2),
            Eps: group.Eps);
        p.Backend.AdamStep(p.Raw, g.Raw, m.Raw, v.Raw, vmax?.Raw, h);
        p.BumpVersion();
    }
}
