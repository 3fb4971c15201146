using System.Text.Json.Nodes;

namespace Dendrite.Training.Metrics;

/// <summary>
/// Counts of (true class, predicted class) pairs. <see cref="Compute"/> gives the accuracy (trace / total);
/// <see cref="Matrix"/> gives the counts, rows = true class, columns = predicted class.
/// </summary>
public sealed class ConfusionMatrix : IStatefulMetric
{
    private readonly long[,] _counts;
    private readonly double _threshold;
    private readonly bool _fromLogits;

    /// <summary>A matrix for <paramref name="numClasses"/> classes (2 for binary outputs).</summary>
    public ConfusionMatrix(int numClasses, double threshold = 0.5, bool fromLogits = false)
    {
        if (numClasses < 2)
            throw new ArgumentOutOfRangeException(nameof(numClasses), $"ConfusionMatrix: need at least 2 classes, got {numClasses}.");
        NumClasses = numClasses;
        _counts = new long[numClasses, numClasses];
        _threshold = threshold;
        _fromLogits = fromLogits;
    }

    /// <summary>Number of classes.</summary>
    public int NumClasses { get; }

    /// <inheritdoc/>
    public string Name => "confusion_matrix";

    /// <inheritdoc/>
    public bool HigherIsBetter => true;

    /// <summary>A copy of the counts [true class, predicted class].</summary>
    public long[,] Matrix => (long[,])_counts.Clone();

    /// <summary>Number of samples of true class <paramref name="actual"/> predicted as <paramref name="predicted"/>.</summary>
    public long this[int actual, int predicted] => _counts[actual, predicted];

    /// <summary>Total samples seen.</summary>
    public long Total
    {
        get
        {
            long s = 0;
            foreach (long c in _counts)
                s += c;
            return s;
        }
    }

    /// <inheritdoc/>
    public void Update(Tensor prediction, Tensor target)
    {
        var (p, a, classes) = ClassPredictions.Get(prediction, target, _threshold, _fromLogits, "ConfusionMatrix");
        if (classes != NumClasses)
            throw new ArgumentException($"ConfusionMatrix: built for {NumClasses} classes but the predictions have {classes}.");
        for (int i = 0; i < p.Length; i++)
            _counts[a[i], p[i]]++;
    }

    /// <summary>Accuracy: the diagonal over the total (NaN when empty).</summary>
    public double Compute()
    {
        long total = Total, diag = 0;
        for (int i = 0; i < NumClasses; i++)
            diag += _counts[i, i];
        return total == 0 ? double.NaN : (double)diag / total;
    }

    /// <inheritdoc/>
    public void Reset() => Array.Clear(_counts);

    /// <inheritdoc/>
    public JsonNode SaveState()
    {
        var rows = new JsonArray();
        for (int i = 0; i < NumClasses; i++)
            rows.Add(new JsonArray([.. Enumerable.Range(0, NumClasses).Select(j => (JsonNode)_counts[i, j])]));
        return new JsonObject { ["counts"] = rows };
    }

    /// <inheritdoc/>
    public void LoadState(JsonNode state)
    {
        var o = MetricState.Object(state, "ConfusionMatrix");
        if (o["counts"] is not JsonArray rows || rows.Count != NumClasses || rows.Any(r => r is not JsonArray { Count: var n } || n != NumClasses))
            throw new InvalidDataException($"ConfusionMatrix: the saved state's 'counts' must be a {NumClasses}x{NumClasses} array of counts.");
        var counts = new long[NumClasses, NumClasses];
        for (int i = 0; i < NumClasses; i++)
            for (int j = 0; j < NumClasses; j++)
                counts[i, j] = MetricState.Count(rows[i]![j], $"counts[{i}][{j}]", "ConfusionMatrix");
        Array.Copy(counts, _counts, counts.Length);
    }

    /// <summary>Precision, recall and F1 of class <paramref name="c"/> (0 where undefined), and whether it occurs at all.</summary>
    internal (double Precision, double Recall, double F1, bool Present) ClassScores(int c)
    {
        long tp = _counts[c, c], predicted = 0, actual = 0;
        for (int i = 0; i < NumClasses; i++)
        {
            predicted += _counts[i, c];
            actual += _counts[c, i];
        }
        double p = predicted == 0 ? 0 : (double)tp / predicted;
        double r = actual == 0 ? 0 : (double)tp / actual;
        double f = p + r == 0 ? 0 : 2 * p * r / (p + r);
        return (p, r, f, predicted + actual > 0);
    }

    /// <summary>A text table of the counts with optional class names.</summary>
    public string Format(IReadOnlyList<string>? classNames = null)
    {
        var sb = new System.Text.StringBuilder();
        string Label(int i) => classNames is not null && i < classNames.Count ? classNames[i] : i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        int w = Math.Max(6, Enumerable.Range(0, NumClasses).Max(i => Label(i).Length) + 1);
        sb.Append("true\\pred".PadRight(w));
        for (int j = 0; j < NumClasses; j++)
            sb.Append(Label(j).PadLeft(w));
        sb.AppendLine();
        for (int i = 0; i < NumClasses; i++)
        {
            sb.Append(Label(i).PadRight(w));
            for (int j = 0; j < NumClasses; j++)
                sb.Append(_counts[i, j].ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(w));
            sb.AppendLine();
        }
        return sb.ToString();
    }
}
