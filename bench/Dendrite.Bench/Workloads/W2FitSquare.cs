using System.Diagnostics;
using System.Text.Json.Nodes;
using Dendrite.Data.Datasets;
using Dendrite.NN;
using Dendrite.Optim;

namespace Dendrite.Bench.Workloads;

/// <summary>
/// W2 fit-square (shared/peers/pytorch/w2_fit_square.py): regress y = x² with a 1-100-100-1 ReLU MLP, SGD with
/// momentum, batches of 100 gathered by index. Timed: each epoch's loop, shuffling and gathering included.
/// </summary>
public static class W2FitSquare
{
    /// <summary>The twin's workload name.</summary>
    public const string Name = "w2_fit_square";

    private const int NTrain = 10_000, NTest = 1_000, DataSeed = 3, InitSeed = 4, ShuffleSeed = 5, Batch = 100, Epochs = 20;
    private const double Lr = 0.05, Momentum = 0.9;

    /// <summary>Train then test draws of x ~ U(-2, 2) from one Rng(3) stream, y = x², all [N, 1].</summary>
    public static (Tensor XTrain, Tensor YTrain, Tensor XTest, Tensor YTest) Data()
    {
        var data = new Generator(DataSeed);
        var (xtr, ytr) = FunctionData.Make(v => v * v, -2, 2, NTrain, data);
        var (xte, yte) = FunctionData.Make(v => v * v, -2, 2, NTest, data);
        return (xtr, ytr, xte, yte);
    }

    /// <summary>Linear(1,100), ReLU, Linear(100,100), ReLU, Linear(100,1), default init from Rng(4) in module order.</summary>
    public static Sequential Model()
    {
        var init = new Generator(InitSeed);
        return new Sequential(
            new Linear(1, 100, generator: init), new ReLU(),
            new Linear(100, 100, generator: init), new ReLU(),
            new Linear(100, 1, generator: init));
    }

    /// <summary>Runs the job at <paramref name="threads"/> threads; returns the twin's result fields.</summary>
    public static JsonObject Run(int threads, WorkloadOptions options)
    {
        Threads.Count = threads;
        int epochs = options.Epochs ?? Epochs;
        var (xtr, ytr, xte, yte) = Data();
        var model = Model();
        var lossFn = new MSELoss();
        var opt = new SGD(model.Parameters(), lr: Lr, momentum: Momentum);
        var shuffle = new Generator(ShuffleSeed);

        var epochSeconds = new List<double>();
        var epochLoss = new List<double>();
        int totalSteps = 0;
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            long t0 = Stopwatch.GetTimestamp();
            var perm = Tensor.FromArray(shuffle.Permutation(NTrain));
            double total = 0;
            int steps = 0;
            for (int i = 0; i < NTrain && steps < (options.StepsPerEpoch ?? int.MaxValue); i += Batch, steps++)
            {
                var idx = perm.Narrow(0, i, Math.Min(Batch, NTrain - i));
                opt.ZeroGrad();
                var loss = lossFn.Call(model.Call(xtr.IndexSelect(0, idx)), ytr.IndexSelect(0, idx));
                loss.Backward();
                opt.Step();
                total += loss.Item();
            }
            epochSeconds.Add(Stopwatch.GetElapsedTime(t0).TotalSeconds);
            epochLoss.Add(total / steps);
            totalSteps += steps;
        }

        double testMse;
        using (Autograd.Autograd.NoGrad())
            testMse = lossFn.Call(model.Call(xte), yte).Item();

        double trainSeconds = epochSeconds.Sum();
        return new JsonObject
        {
            ["workload"] = Name,
            ["threads"] = threads,
            ["train_seconds"] = Math.Round(trainSeconds, 4),
            ["ms_per_step"] = Math.Round(1e3 * trainSeconds / totalSteps, 4),
            ["s_per_epoch"] = Math.Round(trainSeconds / epochs, 4),
            ["train_loss_per_epoch"] = new JsonArray(epochLoss.Select(l => (JsonNode)Stats.Sig(l, 5)).ToArray()),
            ["final_train_loss"] = Stats.Sig(epochLoss[^1]),
            ["test_mse"] = Stats.Sig(testMse),
        };
    }
}
