using Dendrite.NN;
using Dendrite.Optim;

namespace Dendrite.Tests.Optim;

/// <summary>Each optimizer trains a small MLP on a seeded non-linear problem (XOR quadrants) to high accuracy.</summary>
public sealed class TrainingTests
{
    private static (Tensor X, Tensor Y) XorData(int n, Generator g)
    {
        var x = new float[n * 2];
        var y = new long[n];
        for (int i = 0; i < n; i++)
        {
            double a, b;
            do
            {
                a = g.Uniform(-1, 1);
                b = g.Uniform(-1, 1);
            }
            while (Math.Abs(a) < 0.1 || Math.Abs(b) < 0.1); // a margin around the axes
            x[2 * i] = (float)a;
            x[2 * i + 1] = (float)b;
            y[i] = a * b > 0 ? 1 : 0;
        }
        return (Tensor.FromArray(x, n, 2), Tensor.FromArray(y));
    }

    public static TheoryData<string> Optimizers => ["sgd", "adagrad", "rmsprop", "adam", "adamw", "adadelta", "adamax", "nadam"];

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void MlpReachesHighTrainingAccuracy(string name)
    {
        var g = new Generator(2024);
        var (x, y) = XorData(200, g);
        var model = new Sequential(new Linear(2, 16, generator: g), new Tanh(), new Linear(16, 2, generator: g));
        Optimizer opt = name switch
        {
            "sgd" => new SGD(model.Parameters(), lr: 0.2, momentum: 0.9),
            "adagrad" => new Adagrad(model.Parameters(), lr: 0.2),
            "rmsprop" => new RMSprop(model.Parameters(), lr: 0.01),
            "adam" => new Adam(model.Parameters(), lr: 0.03),
            "adadelta" => new Adadelta(model.Parameters(), lr: 5),
            "adamax" => new Adamax(model.Parameters(), lr: 0.05),
            "nadam" => new NAdam(model.Parameters(), lr: 0.03),
            _ => new AdamW(model.Parameters(), lr: 0.03, weightDecay: 0.01),
        };
        var lossFn = new CrossEntropyLoss();
        double first = 0, last = 0;
        for (int step = 0; step < 300; step++)
        {
            opt.ZeroGrad();
            var loss = lossFn.Call(model.Call(x), y);
            loss.Backward();
            opt.Step();
            last = loss.Item();
            if (step == 0)
                first = last;
        }
        double accuracy;
        using (Autograd.Autograd.NoGrad())
        {
            var logits = model.Eval().Forward(x).ToArray<float>();
            var labels = y.ToArray<long>();
            accuracy = Enumerable.Range(0, labels.Length).Count(i => (logits[2 * i + 1] > logits[2 * i] ? 1 : 0) == labels[i]) / (double)labels.Length;
        }
        Assert.True(last < first / 4, $"{name}: loss went from {first} to {last}");
        Assert.True(accuracy >= 0.95, $"{name}: training accuracy {accuracy:P1}");
    }
}
