namespace Dendrite.Cli.Lab.Common;

/// <summary>One trial of a random search: the sampled learning rate and weight decay and the validation score.</summary>
public sealed record Trial(int Round, int Index, double Lr, double WeightDecay, double Score);

/// <summary>
/// Random search over log-uniform learning rate and weight decay, in rounds: after each round the sampling ranges
/// shrink (in log space) to the span of the best trials so far, with a margin. The score (higher is better) must
/// come from a validation split, never the test set.
/// </summary>
public static class RandomSearch
{
    /// <summary>Search ranges as base-10 exponents.</summary>
    public sealed record Ranges(double LrLow, double LrHigh, double WdLow, double WdHigh)
    {
        /// <summary>lr ~ 10^U(−6, −2), weight decay ~ 10^U(−8, −4).</summary>
        public static Ranges Default { get; } = new(-6, -2, -8, -4);

        /// <inheritdoc />
        public override string ToString() => $"lr 1e{LrLow:F2}..1e{LrHigh:F2}, wd 1e{WdLow:F2}..1e{WdHigh:F2}";
    }

    /// <summary>Runs <paramref name="rounds"/> × <paramref name="perRound"/> trials and returns them all, in order.</summary>
    public static List<Trial> Run(int rounds, int perRound, Func<double, double, int, double> score, Generator rng, Ranges? start = null,
        double keepFraction = 0.2, Action<Trial, Ranges>? onTrial = null, Action<int, Ranges>? onRound = null)
    {
        if (rounds < 1 || perRound < 1) throw new ArgumentException($"RandomSearch: rounds ({rounds}) and trials per round ({perRound}) must be at least 1");
        var ranges = start ?? Ranges.Default;
        var trials = new List<Trial>();
        for (int round = 1; round <= rounds; round++)
        {
            onRound?.Invoke(round, ranges);
            for (int i = 0; i < perRound; i++)
            {
                double lr = Math.Pow(10, rng.Uniform(ranges.LrLow, ranges.LrHigh));
                double wd = Math.Pow(10, rng.Uniform(ranges.WdLow, ranges.WdHigh));
                var t = new Trial(round, trials.Count + 1, lr, wd, score(lr, wd, trials.Count));
                trials.Add(t);
                onTrial?.Invoke(t, ranges);
            }
            ranges = Narrow(trials, ranges, keepFraction);
        }
        return trials;
    }

    /// <summary>The log-space box around the best trials, widened by 10% of the current width on each side, inside the current box.</summary>
    public static Ranges Narrow(IReadOnlyList<Trial> trials, Ranges current, double keepFraction)
    {
        int keep = Math.Max(2, (int)Math.Ceiling(trials.Count * keepFraction));
        var best = trials.Where(t => double.IsFinite(t.Score)).OrderByDescending(t => t.Score).Take(keep).ToList();
        if (best.Count < 2) return current;
        (double lo, double hi) Box(IEnumerable<double> logs, double low, double high)
        {
            var l = logs.ToList();
            double pad = 0.1 * (high - low);
            return (Math.Max(low, l.Min() - pad), Math.Min(high, l.Max() + pad));
        }
        var (lrLo, lrHi) = Box(best.Select(t => Math.Log10(t.Lr)), current.LrLow, current.LrHigh);
        var (wdLo, wdHi) = Box(best.Select(t => Math.Log10(t.WeightDecay)), current.WdLow, current.WdHigh);
        return new Ranges(lrLo, lrHi, wdLo, wdHi);
    }
}
