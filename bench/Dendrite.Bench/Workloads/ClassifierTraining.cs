using System.Diagnostics;
using System.Text.Json.Nodes;
using Dendrite.Data.Datasets;
using Dendrite.NN;
using Dendrite.Optim;

namespace Dendrite.Bench.Workloads;

/// <summary>
/// The shared Fashion-MNIST loop of W3-W5 (common.train_classifier in the twins). Each epoch draws
/// <c>perm = shuffle.Permutation(N)</c> from one continuing stream; batches are <c>perm[i:i+B]</c>, the last one
/// partial. A step is zero_grad, cross-entropy (mean) forward, backward, step, <c>loss.Item()</c>. Only the epoch
/// loops are timed; the test set is evaluated once at the end in eval mode without gradients, 1000 at a time.
/// Batches are gathered from the in-memory bytes with <see cref="ByteImageDataset.GetBatch"/> (one fused
/// gather-and-scale pass into the batch tensor).
/// </summary>
public static class ClassifierTraining
{
    /// <summary>Fashion-MNIST train and test splits, flattened to [784] or as [1, 28, 28].</summary>
    public static (FashionMnist Train, FashionMnist Test) LoadFashion(bool flatten) =>
        (new FashionMnist(train: true, flatten: flatten), new FashionMnist(train: false, flatten: flatten));

    /// <summary>Trains <paramref name="model"/> and evaluates it; returns the twin's result fields.</summary>
    public static JsonObject Train(Module model, Optimizer opt, FashionMnist train, FashionMnist test, int batch, int epochs,
        Generator shuffle, WorkloadOptions options, int evalBatch = 1000)
    {
        int n = train.Count;
        int maxSteps = options.StepsPerEpoch ?? int.MaxValue;
        var device = options.Device ?? Device.Cpu;
        model.To(device);   // parameters move in place: the optimizer built on them keeps working
        var lossFn = new CrossEntropyLoss();
        var epochSeconds = new List<double>();
        var epochLoss = new List<double>();
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            model.Train();
            long t0 = Stopwatch.GetTimestamp();
            int[] perm = shuffle.Permutation(n);
            double total = 0;
            int steps = 0;
            for (int i = 0; i < n && steps < maxSteps; i += batch, steps++)
            {
                var xy = train.GetBatch(perm.AsSpan(i, Math.Min(batch, n - i)));
                opt.ZeroGrad();
                var loss = lossFn.Call(model.Call(xy[0].To(device)), xy[1].To(device));
                loss.Backward();
                opt.Step();
                total += loss.Item();
            }
            epochSeconds.Add(Stopwatch.GetElapsedTime(t0).TotalSeconds);
            epochLoss.Add(total / steps);
        }

        double rssAfterTrain = ProcessMemory.PeakRssMib();
        var (testLoss, testAcc) = Evaluate(model, test, evalBatch, options.TestSamples ?? test.Count);
        double trainSeconds = epochSeconds.Sum();
        return new JsonObject
        {
            ["train_seconds"] = Math.Round(trainSeconds, 3),
            ["s_per_epoch"] = Math.Round(trainSeconds / epochs, 4),
            ["first_epoch_s"] = Math.Round(epochSeconds[0], 4),
            ["epoch_seconds"] = new JsonArray(epochSeconds.Select(s => (JsonNode)Math.Round(s, 4)).ToArray()),
            ["train_loss_per_epoch"] = new JsonArray(epochLoss.Select(l => (JsonNode)Stats.Sig(l, 5)).ToArray()),
            ["test_loss"] = Stats.Sig(testLoss),
            ["test_acc"] = Math.Round(testAcc, 4),
            ["rss_after_train_mib"] = rssAfterTrain,
        };
    }

    /// <summary>Mean cross-entropy and accuracy over the first <paramref name="count"/> test samples.</summary>
    public static (double Loss, double Accuracy) Evaluate(Module model, FashionMnist test, int evalBatch, int count)
    {
        model.Eval();
        var sumLoss = new CrossEntropyLoss(reduction: Reduction.Sum);
        double lossSum = 0, correct = 0;
        using (Autograd.Autograd.NoGrad())
        {
            for (int i = 0; i < count; i += evalBatch)
            {
                int[] idx = Enumerable.Range(i, Math.Min(evalBatch, count - i)).ToArray();
                var xy = test.GetBatch(idx);
                var (x, y) = (xy[0].To(model.Device), xy[1].To(model.Device));
                var output = model.Call(x);
                lossSum += sumLoss.Call(output, y).Item();
                correct += output.ArgMax(1).Eq(y).Sum().Item();
            }
        }
        return (lossSum / count, correct / count);
    }

    /// <summary>Adds the result of <see cref="Train"/> to <paramref name="info"/>.</summary>
    public static JsonObject Merge(JsonObject info, JsonObject result)
    {
        foreach (var (key, value) in result)
            info[key] = value?.DeepClone();
        return info;
    }
}
