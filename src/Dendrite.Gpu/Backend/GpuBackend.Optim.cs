using System.Numerics;
using Dendrite.Backends;
using Dendrite.Gpu.Kernels.Loss;
using Dendrite.Gpu.Kernels.Optim;
using Dendrite.Gpu.Kernels.Reductions;
using ILGPU;

namespace Dendrite.Gpu.Backend;

// The fused optimizer updates (one launch per parameter) and clip_grad_norm_'s two passes, all on the stream: the
// total norm never leaves the device.
internal sealed partial class GpuBackend
{
    public void SgdStep(StorageView p, StorageView g, StorageView? momentumBuffer, SgdHyper h)
    {
        lock (Gate)
        {
            if (p.DType == DType.Float32)
                SgdStep<float>(p, g, momentumBuffer, h);
            else
                SgdStep<double>(p, g, momentumBuffer, h);
        }
    }

    private void SgdStep<T>(StorageView p, StorageView g, StorageView? momentumBuffer, SgdHyper h) where T : unmanaged, IFloatingPointIeee754<T>
    {
        long n = p.Numel;
        if (n == 0)
            return;
        var a = new SgdArgs<T>
        {
            MinNormal = MinNormal<T>(),
            NegLr = T.CreateTruncating(-h.Lr),
            Momentum = T.CreateTruncating(h.Momentum),
            OneMinusDampening = T.CreateTruncating(1 - h.Dampening),
            WeightDecay = T.CreateTruncating(h.WeightDecay),
            HasWeightDecay = h.WeightDecay != 0 ? 1 : 0,
            HasMomentum = h.Momentum != 0 ? 1 : 0,
            Nesterov = h.Nesterov ? 1 : 0,
            First = h.First ? 1 : 0,
        };
        var pv = Dense<T>(p);
        Gpu.Kernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, long, SgdArgs<T>>(OptimizerKernels.Sgd)(
            Gpu.Stream, Gpu.GridStride(n), pv, Dense<T>(g), momentumBuffer is { } b ? Dense<T>(b) : pv, n, a);
    }

    public void AdamStep(StorageView p, StorageView g, StorageView expAvg, StorageView expAvgSq, StorageView? maxExpAvgSq, AdamHyper h)
    {
        lock (Gate)
        {
            if (p.DType == DType.Float32)
                AdamStep<float>(p, g, expAvg, expAvgSq, maxExpAvgSq, h);
            else
                AdamStep<double>(p, g, expAvg, expAvgSq, maxExpAvgSq, h);
        }
    }

    private void AdamStep<T>(StorageView p, StorageView g, StorageView expAvg, StorageView expAvgSq, StorageView? maxExpAvgSq, AdamHyper h)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long n = p.Numel;
        if (n == 0)
            return;
        var a = new AdamArgs<T>
        {
            MinNormal = MinNormal<T>(),
            Decay = T.CreateTruncating(h.Decay),
            L2 = T.CreateTruncating(h.L2),
            Beta1 = T.CreateTruncating(h.Beta1),
            OneMinusBeta1 = T.CreateTruncating(1 - h.Beta1),
            Beta2 = T.CreateTruncating(h.Beta2),
            OneMinusBeta2 = T.CreateTruncating(1 - h.Beta2),
            NegStepSize = T.CreateTruncating(h.NegStepSize),
            Bc2Sqrt = T.CreateTruncating(h.Bc2Sqrt),
            Eps = T.CreateTruncating(h.Eps),
            HasDecay = h.Decay != 1 ? 1 : 0,
            HasL2 = h.L2 != 0 ? 1 : 0,
            Amsgrad = maxExpAvgSq.HasValue ? 1 : 0,
        };
        var pv = Dense<T>(p);
        Gpu.Kernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, long, AdamArgs<T>>(OptimizerKernels.Adam)(
            Gpu.Stream, Gpu.GridStride(n), pv, Dense<T>(g), Dense<T>(expAvg), Dense<T>(expAvgSq),
            maxExpAvgSq is { } vmax ? Dense<T>(vmax) : pv, n, a);
    }

    public void RmspropStep(StorageView p, StorageView g, StorageView squareAvg, StorageView? momentumBuffer, StorageView? gradAvg, RmspropHyper h)
    {
        lock (Gate)
        {
            if (p.DType == DType.Float32)
                RmspropStep<float>(p, g, squareAvg, momentumBuffer, gradAvg, h);
            else
                RmspropStep<double>(p, g, squareAvg, momentumBuffer, gradAvg, h);
        }
    }

    private void RmspropStep<T>(StorageView p, StorageView g, StorageView squareAvg, StorageView? momentumBuffer, StorageView? gradAvg,
        RmspropHyper h) where T : unmanaged, IFloatingPointIeee754<T>
    {
        long n = p.Numel;
        if (n == 0)
            return;
        var a = new RmspropArgs<T>
        {
            MinNormal = MinNormal<T>(),
            NegLr = T.CreateTruncating(-h.Lr),
            Alpha = T.CreateTruncating(h.Alpha),
            OneMinusAlpha = T.CreateTruncating(1 - h.Alpha),
            Eps = T.CreateTruncating(h.Eps),
            WeightDecay = T.CreateTruncating(h.WeightDecay),
            Momentum = T.CreateTruncating(h.Momentum),
            HasWeightDecay = h.WeightDecay != 0 ? 1 : 0,
            Centered = gradAvg.HasValue ? 1 : 0,
            HasMomentum = momentumBuffer.HasValue ? 1 : 0,
        };
        var pv = Dense<T>(p);
        Gpu.Kernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, long, RmspropArgs<T>>(OptimizerKernels.Rmsprop)(
            Gpu.Stream, Gpu.GridStride(n), pv, Dense<T>(g), Dense<T>(squareAvg), momentumBuffer is { } b ? Dense<T>(b) : pv,
            gradAvg is { } m ? Dense<T>(m) : pv, n, a);
    }

    public void AdagradStep(StorageView p, StorageView g, StorageView sum, double clr, double weightDecay, double eps)
    {
        lock (Gate)
        {
            if (p.DType == DType.Float32)
                AdagradStep<float>(p, g, sum, clr, weightDecay, eps);
            else
                AdagradStep<double>(p, g, sum, clr, weightDecay, eps);
        }
    }

    private void AdagradStep<T>(StorageView p, StorageView g, StorageView sum, double clr, double weightDecay, double eps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long n = p.Numel;
        if (n == 0)
            return;
        var a = new AdagradArgs<T>
        {
            NegClr = T.CreateTruncating(-clr),
            WeightDecay = T.CreateTruncating(weightDecay),
            Eps = T.CreateTruncating(eps),
            HasWeightDecay = weightDecay != 0 ? 1 : 0,
        };
        Gpu.Kernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, long, AdagradArgs<T>>(OptimizerKernels.Adagrad)(
            Gpu.Stream, Gpu.GridStride(n), Dense<T>(p), Dense<T>(g), Dense<T>(sum), n, a);
    }

    public void AdadeltaStep(StorageView p, StorageView g, StorageView squareAvg, StorageView accDelta, AdadeltaHyper h)
    {
        lock (Gate)
        {
            if (p.DType == DType.Float32)
                AdadeltaStep<float>(p, g, squareAvg, accDelta, h);
            else
                AdadeltaStep<double>(p, g, squareAvg, accDelta, h);
        }
    }

    private void AdadeltaStep<T>(StorageView p, StorageView g, StorageView squareAvg, StorageView accDelta, AdadeltaHyper h)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long n = p.Numel;
        if (n == 0)
            return;
        var a = new AdadeltaArgs<T>
        {
            MinNormal = MinNormal<T>(),
            NegLr = T.CreateTruncating(-h.Lr),
            Rho = T.CreateTruncating(h.Rho),
            OneMinusRho = T.CreateTruncating(1 - h.Rho),
            Eps = T.CreateTruncating(h.Eps),
            WeightDecay = T.CreateTruncating(h.WeightDecay),
            HasWeightDecay = h.WeightDecay != 0 ? 1 : 0,
        };
        Gpu.Kernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, long, AdadeltaArgs<T>>(OptimizerKernels.Adadelta)(
            Gpu.Stream, Gpu.GridStride(n), Dense<T>(p), Dense<T>(g), Dense<T>(squareAvg), Dense<T>(accDelta), n, a);
    }

    public void AdamaxStep(StorageView p, StorageView g, StorageView expAvg, StorageView expInf, AdamaxHyper h)
    {
        lock (Gate)
        {
            if (p.DType == DType.Float32)
                AdamaxStep<float>(p, g, expAvg, expInf, h);
            else
                AdamaxStep<double>(p, g, expAvg, expInf, h);
        }
    }

    private void AdamaxStep<T>(StorageView p, StorageView g, StorageView expAvg, StorageView expInf, AdamaxHyper h)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long n = p.Numel;
        if (n == 0)
            return;
        var a = new AdamaxArgs<T>
        {
            MinNormal = MinNormal<T>(),
            NegClr = T.CreateTruncating(h.NegClr),
            Beta1 = T.CreateTruncating(h.Beta1),
            OneMinusBeta1 = T.CreateTruncating(1 - h.Beta1),
            Beta2 = T.CreateTruncating(h.Beta2),
            Eps = T.CreateTruncating(h.Eps),
            WeightDecay = T.CreateTruncating(h.WeightDecay),
            HasWeightDecay = h.WeightDecay != 0 ? 1 : 0,
        };
        Gpu.Kernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, long, AdamaxArgs<T>>(OptimizerKernels.Adamax)(
            Gpu.Stream, Gpu.GridStride(n), Dense<T>(p), Dense<T>(g), Dense<T>(expAvg), Dense<T>(expInf), n, a);
    }

    public void NAdamStep(StorageView p, StorageView g, StorageView expAvg, StorageView expAvgSq, NAdamHyper h)
    {
        lock (Gate)
        {
            if (p.DType == DType.Float32)
                NAdamStep<float>(p, g, expAvg, expAvgSq, h);
            else
                NAdamStep<double>(p, g, expAvg, expAvgSq, h);
        }
    }

    private void NAdamStep<T>(StorageView p, StorageView g, StorageView expAvg, StorageView expAvgSq, NAdamHyper h)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long n = p.Numel;
        if (n == 0)
            return;
        var a = new NAdamArgs<T>
        {
            MinNormal = MinNormal<T>(),
            Beta1 = T.CreateTruncating(h.Beta1),
            OneMinusBeta1 = T.CreateTruncating(1 - h.Beta1),
            Beta2 = T.CreateTruncating(h.Beta2),
            OneMinusBeta2 = T.CreateTruncating(1 - h.Beta2),
            Eps = T.CreateTruncating(h.Eps),
            WeightDecay = T.CreateTruncating(h.WeightDecay),
            Bc2 = T.CreateTruncating(h.Bc2),
            GradCoef = T.CreateTruncating(h.GradCoef),
            AvgCoef = T.CreateTruncating(h.AvgCoef),
            HasWeightDecay = h.WeightDecay != 0 ? 1 : 0,
        };
        Gpu.Kernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<T>, long, NAdamArgs<T>>(OptimizerKernels.NAdam)(
            Gpu.Stream, Gpu.GridStride(n), Dense<T>(p), Dense<T>(g), Dense<T>(expAvg), Dense<T>(expAvgSq), n, a);
    }

    public void TotalNorm(StorageView[] xs, double normType, StorageView total)
    {
        lock (Gate)
        {
            var a = new NormArgs
            {
                Mode = normType == 2 ? 0 : normType == 1 ? 1 : double.IsPositiveInfinity(normType) ? 2 : 3,
                P = normType,
                InvP = 1 / normType,
            };
            // Every tensor gets the same launch shape, so its partials fill a slice of `per` slots.
            long largest = xs.Length == 0 ? 0 : xs.Max(x => (long)x.Numel);
            var launch = TeamLaunch.Partials(Gpu, Math.Max(largest, 1), ForcedTeam);
            long per = launch.TeamCount;
            using var partials = Gpu.Allocate<double>(Math.Max(1, xs.Length * per));
            var pv = partials.View<double>();
            for (int i = 0; i < xs.Length; i++)
            {
                var slice = pv.SubView(i * per, per);
                if (xs[i].DType == DType.Float32)
                    NormPartials<float, F32Math>(launch, xs[i], slice, a);
                else
                    NormPartials<double, F64Math>(launch, xs[i], slice, a);
            }
            var tv = Dense<double>(total);
            var single = TeamLaunch.Single(Gpu, ForcedTeam);
            if (single.Kind == TeamKind.Thread)
            {
                Gpu.Kernel<ArrayView<double>, long, long, NormArgs, ArrayView<double>>(NormKernels.FinishThread)(
                    Gpu.Stream, single.Config, pv, xs.Length, per, a, tv);
                return;
            }
            using var contributions = Gpu.Allocate<double>(Math.Max(1, xs.Length));
            Gpu.Kernel<ArrayView<double>, long, long, NormArgs, ArrayView<double>, ArrayView<double>>(NormKernels.FinishGroup)(
                Gpu.Stream, single.Config, pv, xs.Length, per, a, contributions.View<double>(), tv);
        }
    }

    private void NormPartials<T, TR>(TeamLaunch launch, StorageView x, ArrayView<double> partials, NormArgs a)
        where T : unmanaged, IFloatingPointIeee754<T> where TR : struct, IFloatMath<T>
    {
        if (launch.Kind == TeamKind.Thread)
            Gpu.Kernel<ArrayView<T>, long, ArrayView<double>, NormArgs, ThreadTeam>(NormKernels.Partials<T, TR, ThreadTeam>)(
                Gpu.Stream, launch.Config, Dense<T>(x), x.Numel, partials, a, default);
        else
            Gpu.Kernel<ArrayView<T>, long, ArrayView<double>, NormArgs, GroupTeam>(NormKernels.Partials<T, TR, GroupTeam>)(
                Gpu.Stream, launch.Config, Dense<T>(x), x.Numel, partials, a, default);
    }

    public void ScaleToNorm(StorageView[] xs, StorageView total, double maxNorm)
    {
        lock (Gate)
        {
            var tv = Dense<double>(total);
            foreach (var x in xs)
            {
                long n = x.Numel;
                if (n == 0)
                    continue;
                if (x.DType == DType.Float32)
                    Gpu.Kernel<ArrayView<float>, long, ArrayView<double>, double>(NormKernels.Scale<float, F32Math>)(
                        Gpu.Stream, Gpu.GridStride(n), Dense<float>(x), n, tv, maxNorm);
                else
                    Gpu.Kernel<ArrayView<double>, long, ArrayView<double>, double>(NormKernels.Scale<double, F64Math>)(
                        Gpu.Stream, Gpu.GridStride(n), Dense<double>(x), n, tv, maxNorm);
            }
        }
    }

    /// <summary>The smallest positive normal value of <typeparamref name="T"/> (float or double).</summary>
    private static T MinNormal<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? T.CreateTruncating(1.17549435E-38f) : T.CreateTruncating(2.2250738585072014E-308);
}
