using System.Globalization;
using System.Text.Json.Nodes;
using Dendrite.NN;
using Dendrite.Training.Metrics;

namespace Dendrite.Training;

public sealed partial class Trainer
{
    private readonly HashSet<string> _unreducibleWarned = new(StringComparer.Ordinal);

    /// <summary>
    /// The model whose state checkpoints hold: <see cref="Model"/> itself, or the module a distributed wrapper
    /// (<see cref="IDistributedModel"/>) trains, so that checkpoints load into the plain model on any number of processes.
    /// </summary>
    public Module UnwrappedModel => Model is IDistributedModel d ? d.Module : Model;

    /// <summary>
    /// Whether this process reports progress, logs warnings and writes the checkpoints of <see cref="Fit"/>: always,
    /// except in distributed training (<see cref="IDistributedModel"/>), where only rank 0 does.
    /// </summary>
    public bool IsMainProcess => Model is not IDistributedModel d || d.Group.Rank == 0;

    // The group of a distributed model of more than one process, else null (one process needs no agreement).
    private IProcessGroup? Group => Model is IDistributedModel { Group: { Size: > 1 } g } ? g : null;

    private IProgress<TrainingProgress>? Reporter => IsMainProcess ? Progress : null;

    // Every rank must make the same number of steps per epoch, or the ones with fewer would leave the others waiting
    // in an all-reduce forever: compare before the first one.
    private static void CheckSameStepCount(IProcessGroup group, int steps)
    {
        var all = new long[group.Size];
        ReadOnlySpan<long> mine = [steps];
        group.AllGather(mine, all);
        for (int r = 0; r < all.Length; r++)
            if (all[r] != steps)
                throw new InvalidOperationException(
                    $"Trainer.Fit: the train loader has {steps} batches on rank {group.Rank} but {all[r]} on rank {r}; in distributed training every rank " +
                    "must make the same number of steps (give each a DistributedSampler of the same dataset and the same batch size).");
    }

    // This step's loss averaged over the ranks, and whether any rank was asked to stop: one all-reduce, so that every
    // rank sees the same loss (the same non-finite check) and stops at the same step.
    private static (double Loss, bool Cancel) AgreeOnStep(IProcessGroup group, double loss, bool cancel)
    {
        Span<double> values = [loss, cancel ? 1 : 0];
        group.AllReduceSum(values);
        return (values[0] / group.Size, values[1] > 0);
    }

    /// <summary>
    /// Sums every metric's totals over the ranks, so that each rank's metrics then describe the data of all of them.
    /// A metric that cannot save its totals (not <see cref="IStatefulMetric"/>) is marked in the result: its value is
    /// unknown in distributed training. Every number in a saved state is a total that adds up over the ranks.
    /// </summary>
    private bool[] ReduceMetrics(IProcessGroup group)
    {
        var unreducible = new bool[_metrics.Count];
        var states = new JsonNode?[_metrics.Count];
        var values = new List<double>();
        for (int i = 0; i < _metrics.Count; i++)
        {
            if (_metrics[i] is IStatefulMetric m)
            {
                states[i] = m.SaveState();
                CollectNumbers(states[i], values);
            }
            else
                unreducible[i] = true;
        }
        var lengths = new long[group.Size];
        ReadOnlySpan<long> count = [values.Count];
        group.AllGather(count, lengths);
        if (lengths.Any(n => n != values.Count))
            throw new InvalidOperationException($"Trainer: the metrics' totals have {string.Join(", ", lengths)} numbers on ranks 0 .. {group.Size - 1}; " +
                                                "every rank must use the same metrics, configured the same way.");
        var sums = values.ToArray();
        group.AllReduceSum(sums);
        int k = 0;
        for (int i = 0; i < _metrics.Count; i++)
            if (states[i] is { } state)
                ((IStatefulMetric)_metrics[i]).LoadState(ReplaceNumbers(state, sums, ref k)!);
        for (int i = 0; i < _metrics.Count; i++)
            if (unreducible[i] && _unreducibleWarned.Add(_metrics[i].Name))
                Warn($"Trainer: {_metrics[i].Name} is recorded as NaN in distributed training: {_metrics[i].GetType().Name} cannot save its totals, " +
                     "so they cannot be summed over the ranks (implement IStatefulMetric).");
        return unreducible;
    }

    private static void CollectNumbers(JsonNode? node, List<double> values)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (_, child) in o)
                    CollectNumbers(child, values);
                break;
            case JsonArray a:
                foreach (var child in a)
                    CollectNumbers(child, values);
                break;
            case JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.Number:
                values.Add(double.Parse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture));
                break;
        }
    }

    // The same tree with its numbers replaced, in order, by sums[k..]; integers stay integers.
    private static JsonNode? ReplaceNumbers(JsonNode? node, double[] sums, ref int k)
    {
        switch (node)
        {
            case JsonObject o:
            {
                var copy = new JsonObject();
                foreach (var (key, child) in o)
                    copy[key] = ReplaceNumbers(child, sums, ref k);
                return copy;
            }
            case JsonArray a:
            {
                var copy = new JsonArray();
                foreach (var child in a)
                    copy.Add(ReplaceNumbers(child, sums, ref k));
                return copy;
            }
            case JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.Number:
            {
                double sum = sums[k++];
                bool integral = v.TryGetValue(out long _) || v.TryGetValue(out int _);
                return integral ? JsonValue.Create((long)Math.Round(sum)) : JsonValue.Create(sum);
            }
            default:
                return node?.DeepClone();
        }
    }
}
