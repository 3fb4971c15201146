using Dendrite.Data;

namespace Dendrite.Training;

public sealed partial class Trainer
{
    /// <summary>
    /// Evaluates in eval mode without gradients: the loss averaged over samples (each batch's mean loss weighted by
    /// its size) and every metric over the whole loader. The model's training mode is restored afterwards. In
    /// distributed training every rank must call it (each typically on its shard of the data): the loss, the sample
    /// count and the metrics' totals are summed over the ranks, so every rank gets the result for all the data.
    /// </summary>
    public EvaluationResult Evaluate(DataLoader loader)
    {
        ArgumentNullException.ThrowIfNull(loader);
        bool wasTraining = Model.IsTraining;
        Model.Eval();
        foreach (var m in _metrics)
            m.Reset();
        double lossSum = 0;
        int samples = 0;
        try
        {
            using var _ = Autograd.Autograd.NoGrad();
            foreach (var batch in loader)
            {
                var (x, y) = OnDevice(batch);
                var output = Model.Forward(x);
                lossSum += _loss(output, y).Item() * batch.Size;
                samples += batch.Size;
                foreach (var m in _metrics)
                    m.Update(output, y);
            }
        }
        finally
        {
            Model.Train(wasTraining);
        }
        var unreducible = new bool[_metrics.Count];
        if (Group is { } group)
        {
            Span<double> totals = [lossSum, samples];
            group.AllReduceSum(totals);
            (lossSum, samples) = (totals[0], (int)totals[1]);
            unreducible = ReduceMetrics(group);
        }
        var metrics = _metrics.Select((m, i) => (m.Name, Value: unreducible[i] ? double.NaN : m.Compute())).ToDictionary(m => m.Name, m => m.Value);
        return new EvaluationResult(samples == 0 ? double.NaN : lossSum / samples, metrics, samples);
    }

    /// <summary>The model's output for <paramref name="input"/> in eval mode without gradients (in chunks of <paramref name="batchSize"/> rows when given).</summary>
    public Tensor Predict(Tensor input, int? batchSize = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        bool wasTraining = Model.IsTraining;
        Model.Eval();
        try
        {
            using var _ = Autograd.Autograd.NoGrad();
            input = OnDevice(input);
            if (batchSize is not { } b || input.Rank == 0 || input.Size(0) <= b)
                return Model.Forward(input);
            if (b < 1)
                throw new ArgumentOutOfRangeException(nameof(batchSize), $"Trainer.Predict: batchSize must be positive, got {b}.");
            var parts = new List<Tensor>();
            for (int i = 0; i < input.Size(0); i += b)
                parts.Add(Model.Forward(input.Narrow(0, i, Math.Min(b, input.Size(0) - i))));
            return Tensor.Cat(parts, 0);
        }
        finally
        {
            Model.Train(wasTraining);
        }
    }

    /// <summary>The model's outputs for every batch of <paramref name="loader"/>, concatenated in loader order.</summary>
    public Tensor Predict(DataLoader loader)
    {
        ArgumentNullException.ThrowIfNull(loader);
        var parts = loader.Select(b => Predict(b.X)).ToList();
        if (parts.Count == 0)
            throw new ArgumentException("Trainer.Predict: the loader yielded no batches.");
        return Tensor.Cat(parts, 0);
    }
}
