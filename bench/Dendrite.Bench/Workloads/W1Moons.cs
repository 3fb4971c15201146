using System.Diagnostics;
using System.Text.Json.Nodes;
using Dendrite.Data.Datasets;
using Dendrite.NN;
using Dendrite.Optim;

namespace Dendrite.Bench.Workloads;

/// <summary>
/// W1 moons-mlp (shared/peers/pytorch/w1_moons.py): a 2-5-1 sigmoid MLP, full-batch SGD for 3000 epochs with a
/// dev evaluation every epoch. Dominated by per-op overhead. Timed: the whole epoch loop, dev evaluations included.
/// </summary>
public static class W1Moons
{
    /// <summary>The twin's workload name.</summary>
    public const string Name = "w1_moons";

    private const int InitSeed = 2, NTrain = 640, NDev = 160, Epochs = 3000;
    private const double Lr = 0.2;

    /// <summary>The two-moons data of the README: x [1000, 2], y [1000, 1], shuffled and noised from Rng(1).</summary>
    public static (Tensor X, Tensor Y) Data()
    {
        var (x, y) = Moons.Peers();
        return (x, y.Reshape(-1, 1));
    }

    /// <summary>Linear(2,5), Sigmoid, Linear(5,1), Sigmoid; weights N(0,1) from Rng(2) (layer 1 then layer 2), biases 0.</summary>
    public static Sequential Model()
    {
        var model = new Sequential(new Linear(2, 5), new Sigmoid(), new Linear(5, 1), new Sigmoid());
        var rng = new Generator(InitSeed);
        foreach (var layer in new[] { (Linear)model[0], (Linear)model[2] })
        {
            Init.Normal_(layer.Weight, 0, 1, rng);
            Init.Zeros_(layer.Bias!);
        }
        return model;
    }

    /// <summary>Runs the job at <paramref name="threads"/> threads; returns the twin's result fields.</summary>
    public static JsonObject Run(int threads, WorkloadOptions options)
    {
        Threads.Count = threads;
        int epochs = options.Epochs ?? Epochs;

        var (x, y) = Data();
        Tensor xtr = x.Narrow(0, 0, NTrain), ytr = y.Narrow(0, 0, NTrain);
        Tensor xdev = x.Narrow(0, NTrain, NDev), ydev = y.Narrow(0, NTrain, NDev);
        Tensor xte = x.Narrow(0, NTrain + NDev, x.Size(0) - NTrain - NDev), yte = y.Narrow(0, NTrain + NDev, x.Size(0) - NTrain - NDev);

        var model = Model();
        var lossFn = new BCELoss();
        var opt = new SGD(model.Parameters(), lr: Lr);
        var trainLosses = new List<double>(epochs);
        var devLosses = new List<double>(epochs);
        var devAccs = new List<double>(epochs);

        long t0 = Stopwatch.GetTimestamp();
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            model.Train();
            opt.ZeroGrad();
            var loss = lossFn.Call(model.Call(xtr), ytr);
            loss.Backward();
            opt.Step();
            trainLosses.Add(loss.Item());
            model.Eval();
            using (Autograd.Autograd.NoGrad())
            {
                var output = model.Call(xdev);
                devLosses.Add(lossFn.Call(output, ydev).Item());
                devAccs.Add(Accuracy(output, ydev));
            }
        }
        double trainSeconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;

        double testLoss, testAcc;
        using (Autograd.Autograd.NoGrad())
        {
            var output = model.Call(xte);
            testLoss = lossFn.Call(output, yte).Item();
            testAcc = Accuracy(output, yte);
        }

        return new JsonObject
        {
            ["workload"] = Name,
            ["threads"] = threads,
            ["train_seconds"] = Math.Round(trainSeconds, 4),
            ["us_per_epoch"] = Math.Round(1e6 * trainSeconds / epochs, 1),
            ["s_per_epoch"] = Stats.Sig(trainSeconds / epochs),
            ["final_train_loss"] = Stats.Sig(trainLosses[^1]),
            ["final_dev_loss"] = Stats.Sig(devLosses[^1]),
            ["final_dev_acc"] = Math.Round(devAccs[^1], 4),
            ["test_loss"] = Stats.Sig(testLoss),
            ["test_acc"] = Math.Round(testAcc, 4),
        };
    }

    // ((p > 0.5).float() == y).float().mean()
    private static double Accuracy(Tensor p, Tensor y) =>
        p.Gt(0.5).To(DType.Float32).Eq(y).To(DType.Float32).Mean().Item();
}
