using System.Text.Json.Nodes;
using Dendrite.NN;
using Dendrite.Optim;

namespace Dendrite.Bench.Workloads;

/// <summary>
/// W5 fashion-cnn (shared/peers/pytorch/w5_fashion_cnn.py): a LeNet-style CNN on [N, 1, 28, 28] with
/// cross-entropy, Adam lr 1e-3, batch 256, 5 epochs.
/// </summary>
public static class W5FashionCnn
{
    /// <summary>The twin's workload name.</summary>
    public const string Name = "w5_fashion_cnn";

    private const int InitSeed = 30, ShuffleSeed = 31, Batch = 256, Epochs = 5;
    private const double Lr = 1e-3;

    /// <summary>
    /// Conv(1,6,5,pad 2), ReLU, MaxPool(2), Conv(6,16,5), ReLU, MaxPool(2), Flatten, Linear(400,120), ReLU,
    /// Linear(120,84), ReLU, Linear(84,10); default init from Rng(30) in module order.
    /// </summary>
    public static Sequential Model()
    {
        var init = new Generator(InitSeed);
        return new Sequential(
            new Conv2d(1, 6, 5, padding: 2, generator: init), new ReLU(), new MaxPool2d(2), // [N,6,28,28] -> [N,6,14,14]
            new Conv2d(6, 16, 5, generator: init), new ReLU(), new MaxPool2d(2),              // [N,16,10,10] -> [N,16,5,5]
            new Flatten(),                                                                    // [N,400]
            new Linear(400, 120, generator: init), new ReLU(),
            new Linear(120, 84, generator: init), new ReLU(),
            new Linear(84, 10, generator: init));
    }

    /// <summary>Runs the job at <paramref name="threads"/> threads; returns the twin's result fields.</summary>
    public static JsonObject Run(int threads, WorkloadOptions options)
    {
        Threads.Count = threads;
        var info = new JsonObject { ["workload"] = Name, ["threads"] = threads };
        var (train, test) = ClassifierTraining.LoadFashion(flatten: false);
        info["rss_after_load_mib"] = ProcessMemory.PeakRssMib();

        var model = Model();
        var opt = new Adam(model.Parameters(), lr: Lr, betas: (0.9, 0.999), eps: 1e-8);
        var result = ClassifierTraining.Train(model, opt, train, test, Batch, options.Epochs ?? Epochs, new Generator(ShuffleSeed), options);
        return ClassifierTraining.Merge(info, result);
    }
}
