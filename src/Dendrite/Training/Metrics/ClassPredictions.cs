namespace Dendrite.Training.Metrics;

/// <summary>Turns model outputs and targets into predicted and true class indices.</summary>
internal static class ClassPredictions
{
    /// <summary>
    /// Binary when the prediction is [N] or [N, 1]: class 1 when the probability (or sigmoid of the logit) exceeds
    /// <paramref name="threshold"/>. Multi-class when it is [N, C] with C &gt; 1: the arg-max (first on ties). Targets
    /// are class indices [N] / [N, 1], or one-hot / probability rows [N, C] (arg-max).
    /// </summary>
    public static (int[] Predicted, int[] Actual, int Classes) Get(Tensor prediction, Tensor target, double threshold, bool fromLogits, string metric)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        var p = prediction.Detach();
        var t = target.Detach();
        bool binary = p.Rank <= 1 || (p.Rank == 2 && p.Size(1) == 1);
        if (!binary && p.Rank != 2)
            throw new ArgumentException($"{metric}: predictions must be [N], [N, 1] or [N, C], got shape {ShapeUtil.Format(p.ShapeArray)}.");
        int n = p.Rank == 0 ? 1 : p.Size(0);
        int classes = binary ? 2 : p.Size(1);
        var predicted = new int[n];
        if (!p.Device.IsCpu)
            // On a device the decision is taken there and only the class indices are copied back.
            predicted = (binary ? (fromLogits ? p.Sigmoid() : p).Reshape(n).Gt(threshold).To(DType.Int64) : p.ArgMax(1)).ToArray<int>();
        else if (binary)
        {
            var pv = p.To(DType.Float64).ToArray<double>();
            for (int i = 0; i < n; i++)
            {
                double prob = fromLogits ? 1.0 / (1.0 + Math.Exp(-pv[i])) : pv[i];
                predicted[i] = prob > threshold ? 1 : 0;
            }
        }
        else
            ArgMaxRows(p.To(DType.Float64).ToArray<double>(), n, classes, predicted);

        int[] actual = new int[n];
        bool targetRows = t.Rank == 2 && t.Size(1) > 1;
        int tn = t.Rank == 0 ? 1 : t.Size(0);
        if (tn != n || (!targetRows && t.Numel != n) || (targetRows && t.Size(1) != classes))
            throw new ArgumentException($"{metric}: predictions {ShapeUtil.Format(p.ShapeArray)} and targets {ShapeUtil.Format(t.ShapeArray)} do not describe the same {n} samples.");
        var tv = t.To(DType.Float64).ToArray<double>();
        if (targetRows)
            ArgMaxRows(tv, n, classes, actual);
        else
            for (int i = 0; i < n; i++)
            {
                double v = tv[i];
                if (v != Math.Floor(v) || v < 0 || v >= classes)
                    throw new ArgumentException($"{metric}: target {v} of sample {i} is not a class index in 0..{classes - 1}.");
                actual[i] = (int)v;
            }
        return (predicted, actual, classes);
    }

    private static void ArgMaxRows(double[] v, int n, int c, int[] result)
    {
        for (int i = 0; i < n; i++)
        {
            int best = 0;
            double bv = v[i * c];
            for (int j = 1; j < c; j++)
                if (v[i * c + j] > bv || (double.IsNaN(v[i * c + j]) && !double.IsNaN(bv)))
                {
                    bv = v[i * c + j];
                    best = j;
                }
            result[i] = best;
        }
    }
}
