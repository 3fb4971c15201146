using System.Globalization;
using System.Text;
using Dendrite.Training;

namespace Dendrite.Cli.Ui;

/// <summary>
/// Draws a <see cref="Trainer"/>'s progress reports as one progress bar with a two-line status: epoch, batch and the
/// estimated time left; then the running loss and metrics, the last dev (and test) values and samples/s. Set it as <see cref="Trainer.Progress"/>; reports
/// arrive synchronously on the training thread.
/// </summary>
public sealed class TrainingProgressBar(IProgressScope scope, string name) : IProgress<TrainingProgress>
{
    private IProgressTask? _task;
    private double _start = double.NaN;
    private double _position;
    private string _status = "";
    private string _evaluation = "";

    /// <summary>The last status text shown beside the bar.</summary>
    public string Status => _status;

    /// <inheritdoc />
    public void Report(TrainingProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        double total = Math.Max(1.0, (double)value.Epochs * value.StepsPerEpoch);
        _task ??= scope.AddTask(name, total);
        _position = (double)(value.Epoch - 1) * value.StepsPerEpoch + value.Step;
        // A resumed run starts part-way: the rate (and so the ETA) counts only the steps of this process.
        if (double.IsNaN(_start)) _start = _position;
        if (value.Kind == ProgressKind.EpochEnd && value.Values is { } end) _evaluation = Evaluation(end);
        if (value.Kind == ProgressKind.EpochStart && _status.Length > 0) return;
        _status = Format(value, total);
        _task.Update(_position, _status);
    }

    /// <summary>Marks the bar finished, with why training stopped early when it did.</summary>
    public void Complete(History history)
    {
        ArgumentNullException.ThrowIfNull(history);
        string end = history.StopCause switch
        {
            StopCause.None => _status,
            StopCause.NonFiniteLoss => $"diverged (non-finite loss) at epoch {history.Epochs.Count + 1}",
            StopCause.Cancelled => "cancelled, " + _status,
            _ => "stopped early, " + _status,
        };
        if (_task is null) scope.AddTask(name, 1).Complete(end);
        else _task.Complete(end);
    }

    // Two lines: where training is and how long is left, then the numbers (a display may cut the second one short).
    private string Format(TrainingProgress p, double total)
    {
        var ci = CultureInfo.InvariantCulture;
        var head = new StringBuilder().Append(ci, $"epoch {p.Epoch}/{p.Epochs} batch {p.Step}/{p.StepsPerEpoch}");
        double done = _position - _start, seconds = p.Elapsed.TotalSeconds;
        if (done > 0 && seconds > 0)
            head.Append(" ETA ").Append(Duration((total - _position) * seconds / done));
        var sb = new StringBuilder();
        if (double.IsFinite(p.Loss)) sb.Append(ci, $"loss {p.Loss:F4}");
        if (p.Values is { } values && p.Kind == ProgressKind.Step)
            foreach (var (k, v) in values)
                if (k.StartsWith("train_", StringComparison.Ordinal) && k != "train_loss")
                    sb.Append(ci, $" {Short(k["train_".Length..])} {v:F3}");
        if (_evaluation.Length > 0) sb.Append(sb.Length > 0 ? " | " : "").Append(_evaluation);
        if (p.SamplesPerSecond > 0) sb.Append(ci, $"{(sb.Length > 0 ? " | " : "")}{p.SamplesPerSecond:N0} samples/s");
        return sb.Length > 0 ? head + "\n" + sb : head.ToString();
    }

    // "dev loss 0.4512 acc 0.841" from the epoch-end values, for each evaluated split.
    private static string Evaluation(IReadOnlyDictionary<string, double> values)
    {
        var parts = new List<string>();
        foreach (var split in values.Keys.Where(k => k.EndsWith("_loss", StringComparison.Ordinal) && k != "train_loss").Select(k => k[..^"_loss".Length]))
        {
            var sb = new StringBuilder(split);
            foreach (var (k, v) in values.Where(kv => kv.Key.StartsWith(split + "_", StringComparison.Ordinal)))
                sb.Append(CultureInfo.InvariantCulture, $" {Short(k[(split.Length + 1)..])} {v:F4}");
            parts.Add(sb.ToString());
        }
        return string.Join(", ", parts);
    }

    private static string Short(string metric) => metric == "accuracy" ? "acc" : metric;

    /// <summary>Seconds as m:ss, or h:mm:ss from an hour on.</summary>
    public static string Duration(double seconds)
    {
        if (!double.IsFinite(seconds) || seconds < 0) return "?";
        var t = TimeSpan.FromSeconds(Math.Round(seconds));
        return t.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{t.Minutes}:{t.Seconds:00}");
    }
}
