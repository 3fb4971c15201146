using System.Text.Json.Nodes;
using Dendrite.NN;
using Dendrite.Optim;

namespace Dendrite.Bench.Workloads;

/// <summary>
/// W3 fashion-softmax (shared/peers/pytorch/w3_fashion_softmax.py): softmax regression Linear(784, 10) with
/// cross-entropy, plain SGD lr 0.1, batch 256, 10 epochs.
/// </summary>
public static class W3FashionSoftmax
{
    /// <summary>The twin's workload name.</summary>
    public const string Name = "w3_fashion_softmax";

    private const int InitSeed = 10, ShuffleSeed = 11, Batch = 256, Epochs = 10;
    private const double Lr = 0.1;

    /// <summary>Linear(784, 10), default init from Rng(10).</summary>
    public static Linear Model() => new(784, 10, generator: new Generator(InitSeed));

    /// <summary>Runs the job at <paramref name="threads"/> threads; returns the twin's result fields.</summary>
    public static JsonObject Run(int threads, WorkloadOptions options)
    {
        Threads.Count = threads;
        var info = new JsonObject { ["workload"] = Name, ["threads"] = threads };
        var (train, test) = ClassifierTraining.LoadFashion(flatten: true);
        info["rss_after_load_mib"] = ProcessMemory.PeakRssMib();

        var model = Model();
        var opt = new SGD(model.Parameters(), lr: Lr);
        var result = ClassifierTraining.Train(model, opt, train, test, Batch, options.Epochs ?? Epochs, new Generator(ShuffleSeed), options);
        return ClassifierTraining.Merge(info, result);
    }
}
