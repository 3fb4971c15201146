using System.Text.Json.Nodes;
using Dendrite.NN;
using Dendrite.Optim;

namespace Dendrite.Bench.Workloads;

/// <summary>
/// W4 fashion-mlp (shared/peers/pytorch/w4_fashion_mlp.py): 784-256-10 ReLU MLP with cross-entropy, plain SGD
/// lr 0.1, batch 256, 10 epochs. GEMM-bound; also the peak-memory workload.
/// </summary>
public static class W4FashionMlp
{
    /// <summary>The twin's workload name.</summary>
    public const string Name = "w4_fashion_mlp";

    private const int InitSeed = 20, ShuffleSeed = 21, Batch = 256, Epochs = 10;
    private const double Lr = 0.1;

    /// <summary>Linear(784, 256), ReLU, Linear(256, 10), default init from Rng(20) in module order.</summary>
    public static Sequential Model()
    {
        var init = new Generator(InitSeed);
        return new Sequential(new Linear(784, 256, generator: init), new ReLU(), new Linear(256, 10, generator: init));
    }

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
