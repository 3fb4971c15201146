using System.Globalization;
using Dendrite.Cli.Reports;
using Dendrite.NN;

namespace Dendrite.Cli.Lab.Experiments;

// The numerics part of the softmax lesson: exp overflows in float32, a naive softmax turns that into NaN and a naive
// cross-entropy into log(0) = −inf, while the fused log-sum-exp versions stay finite.
public sealed partial class SoftmaxRegressionExperiment
{
    private static void Overflow(ExperimentContext ctx)
    {
        // float32 exp overflows above ln(3.4e38) ≈ 88.72.
        var logits = Tensor.FromArray(new float[] { 10, 50, 88, 89, 100 }, 1, 5);
        var naive = Softmax(logits).ToArray<float>();
        var stable = logits.Softmax(1).ToArray<float>();
        var exps = logits.Exp().ToArray<float>();
        var rows = new List<string[]>();
        for (int i = 0; i < 5; i++)
            rows.Add([logits.ToArray<float>()[i].ToString(CultureInfo.InvariantCulture), exps[i].ToString("G4", CultureInfo.InvariantCulture),
                naive[i].ToString("G4", CultureInfo.InvariantCulture), stable[i].ToString("G4", CultureInfo.InvariantCulture)]);
        bool naiveBroken = naive.Any(float.IsNaN), stableOk = stable.All(float.IsFinite) && Math.Abs(stable.Sum() - 1) < 1e-5;
        ctx.Metric("naive_softmax_has_nan", naiveBroken ? 1 : 0);
        ctx.Expect("naive softmax overflows to NaN in float32, log-sum-exp does not", naiveBroken && stableOk,
            $"naive [{string.Join(", ", naive)}], stable sums to {stable.Sum():F6}");
        double edge1 = Tensor.Scalar(88.7).Exp().Item(), edge2 = Tensor.Scalar(88.8).Exp().Item();
        ctx.Expect("float32 exp overflows between 88.7 and 88.8", double.IsFinite(edge1) && double.IsPositiveInfinity(edge2), $"exp(88.7) = {edge1:G4}, exp(88.8) = {edge2}");
        ctx.Report.Heading("Naive softmax overflows")
            .Text("exp(x) in float32 overflows to ∞ above x ≈ 88.72, and ∞/∞ is NaN. Subtracting the row maximum first " +
                  "(softmax(x) = exp(x − max x) / Σ exp(x − max x), the log-sum-exp trick) gives the same values without overflow; " +
                  "F.CrossEntropy works on log-probabilities computed that way.")
            .Add(new TableBlock("Logits [10, 50, 88, 89, 100]", ["x", "exp(x) float32", "naive softmax", "stable softmax"], [.. rows]));
    }

    // The course's cross-entropy −log ŷ_y on a naive softmax against F.CrossEntropy, which computes
    // logsumexp(x) − x_y without ever forming ŷ, on rows where ŷ_y underflows to 0 or exp overflows.
    private static void StableCrossEntropy(ExperimentContext ctx)
    {
        var cases = new (float[] Logits, long Label, string Why)[]
        {
            ([-50, 60], 0, "ŷ_y = e⁻¹¹⁰ underflows to 0"),
            ([10, 50, 88, 89, 100], 0, "exp(100) = ∞, so ŷ_y = e¹⁰/∞ = 0"),
            ([10, 50, 88, 89, 100], 4, "ŷ_y = ∞/∞ = NaN"),
        };
        var rows = new List<string[]>();
        bool naiveBroken = true, fusedExact = true;
        for (int c = 0; c < cases.Length; c++)
        {
            var (logits, label, why) = cases[c];
            var y = Tensor.FromArray(new[] { label }, 1);
            var x = Tensor.FromArray(logits, 1, logits.Length);
            x.RequiresGrad = true;
            var probability = Softmax(x);
            var naive = CrossEntropy(probability, y).Mean();
            naive.Backward();
            float naiveLoss = naive.Item<float>(), naiveLogP = probability[0, (int)label].Log().Item<float>();
            bool naiveGradFinite = x.Grad!.ToArray<float>().All(float.IsFinite);
            x.Grad = null;
            var fused = F.CrossEntropy(x, y);
            fused.Backward();
            float fusedLoss = fused.Item<float>();
            bool fusedGradFinite = x.Grad!.ToArray<float>().All(float.IsFinite);
            // The exact value in double: log Σ exp(x_k − max) + max − x_y.
            double max = logits.Max(), exact = Math.Log(logits.Sum(v => Math.Exp(v - max))) + max - logits[label];
            naiveBroken &= !float.IsFinite(naiveLoss) && !naiveGradFinite;
            fusedExact &= fusedGradFinite && Math.Abs(fusedLoss - exact) <= 1e-6 * Math.Max(1, Math.Abs(exact));
            ctx.Metric($"naive_ce_case{c + 1}", naiveLoss);
            ctx.Metric($"fused_ce_case{c + 1}", fusedLoss);
            rows.Add(["[" + string.Join(", ", logits.Select(v => v.ToString(CultureInfo.InvariantCulture))) + "]", label.ToString(CultureInfo.InvariantCulture), why,
                Show(naiveLogP), Show(naiveLoss), naiveGradFinite ? "finite" : "NaN/∞", Show(fusedLoss), exact.ToString("G8", CultureInfo.InvariantCulture),
                fusedGradFinite ? "finite" : "NaN/∞"]);
        }
        double exp50 = Tensor.Scalar(50f).Exp().Item();
        ctx.Metric("exp50_float32", exp50);
        ctx.Expect("naive cross-entropy is ∞/NaN with NaN gradients where the fused log-sum-exp version is finite and exact", naiveBroken && fusedExact,
            string.Join("; ", rows.Select(r => $"{r[0]} y={r[1]}: naive {r[4]}, fused {r[6]} (exact {r[7]})")));
        ctx.Report.Heading("Naive cross-entropy takes log(0)")
            .Text($"exp(50) = {exp50:G4} is still finite in float32, but a cross-entropy written as −log ŷ_y on a softmax fails twice over: " +
                  "when ŷ_y underflows to 0 the loss is −log 0 = ∞ (log ŷ_y = −∞), and when exp overflows above 88.72 the softmax itself is " +
                  "NaN; either way backward() fills the gradients with NaN and one such sample ruins the batch. F.CrossEntropy never forms ŷ: " +
                  "it computes logsumexp(x) − x_y = max x + log Σ exp(x − max x) − x_y, which stays finite and exact.")
            .Add(new TableBlock("Naive −log softmax(x)_y vs fused F.CrossEntropy (float32)", ["logits x", "y", "what happens", "naive log ŷ_y",
                "naive loss", "naive gradient", "fused loss", "exact (float64)", "fused gradient"], [.. rows]));
    }

    private static string Show(float v) => float.IsNaN(v) ? "NaN" : float.IsPositiveInfinity(v) ? "∞" : float.IsNegativeInfinity(v) ? "−∞" : v.ToString("G6", CultureInfo.InvariantCulture);
}
