using System.Text.Json;
using Dendrite.Optim;

namespace Dendrite.Tests.Optim;

/// <summary>
/// Optimizer trajectories against PyTorch 1.13: grad = a·p + b, 10 steps, float64. The shared optim.jsonl covers
/// SGD, Adagrad, RMSprop, Adam and AdamW; Parity/Data/optim_extra.jsonl (made by make_optim_extra.py, which also checks
/// each trajectory against the documented update rule) covers Adadelta, Adamax and NAdam.
/// </summary>
public sealed class OptimParityTests
{
    private const double Rel = 1e-10;

    [Theory]
    [InlineData("sgd")]
    [InlineData("adagrad")]
    [InlineData("rmsprop")]
    [InlineData("adam")]
    [InlineData("adamw")]
    public void TrajectoriesMatchPyTorch(string optimizer)
    {
        var cases = ReferenceFiles.Cases("optim.jsonl").Where(c => c.GetProperty("optimizer").GetString() == optimizer).ToList();
        Assert.NotEmpty(cases);
        var failures = new List<string>();
        foreach (var c in cases)
            failures.AddRange(Run(c));
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
    }

    [Theory]
    [InlineData("adadelta")]
    [InlineData("adamax")]
    [InlineData("nadam")]
    public void LocalTrajectoriesMatchPyTorch(string optimizer)
    {
        var cases = Parity.LocalReference.Cases("optim_extra.jsonl").Where(c => c.GetProperty("optimizer").GetString() == optimizer).ToList();
        Assert.NotEmpty(cases);
        var failures = new List<string>();
        foreach (var c in cases)
            failures.AddRange(Run(c));
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
    }

    [Fact]
    public void EveryOptimizerInTheLocalFileIsCovered()
    {
        var names = Parity.LocalReference.Cases("optim_extra.jsonl").Select(c => c.GetProperty("optimizer").GetString()).Distinct();
        Assert.All(names, n => Assert.Contains(n, new[] { "adadelta", "adamax", "nadam" }));
    }

    [Fact]
    public void EveryOptimizerInTheFileIsCovered()
    {
        var names = ReferenceFiles.Cases("optim.jsonl").Select(c => c.GetProperty("optimizer").GetString()).Distinct();
        Assert.All(names, n => Assert.Contains(n, new[] { "sgd", "adagrad", "rmsprop", "adam", "adamw" }));
    }

    private static IEnumerable<string> Run(JsonElement c)
    {
        string id = c.GetProperty("id").GetString()!;
        var a = ReferenceFiles.ReadTensor(c.GetProperty("a"));
        var b = ReferenceFiles.ReadTensor(c.GetProperty("b"));
        var p = ReferenceFiles.ReadTensor(c.GetProperty("params0"));
        p.RequiresGrad = true;
        var opt = Create(c.GetProperty("optimizer").GetString()!, c.GetProperty("hparams"), p);
        var expected = c.GetProperty("params").EnumerateArray().ToList();
        Assert.Equal(c.GetProperty("steps").GetInt32(), expected.Count);
        for (int k = 0; k < expected.Count; k++)
        {
            opt.ZeroGrad();
            (a * p.Square() * 0.5 + b * p).Sum().Backward();
            opt.Step();
            var got = p.ToArray<double>();
            var want = ReferenceFiles.Doubles(expected[k]);
            for (int i = 0; i < want.Length; i++)
                if (!ReferenceFiles.Close(got[i], want[i], Rel))
                {
                    yield return $"{id} step {k + 1} element {i}: got {got[i]:R}, PyTorch {want[i]:R}";
                    yield break;
                }
        }
    }

    internal static Optimizer Create(string name, JsonElement h, Tensor p)
    {
        double D(string k) => h.GetProperty(k).GetDouble();
        bool B(string k) => h.GetProperty(k).GetBoolean();
        (double, double) Betas() => (h.GetProperty("betas")[0].GetDouble(), h.GetProperty("betas")[1].GetDouble());
        return name switch
        {
            "sgd" => new SGD([p], lr: D("lr"), momentum: D("momentum"), dampening: D("dampening"), nesterov: B("nesterov"), weightDecay: D("weight_decay")),
            "adagrad" => new Adagrad([p], lr: D("lr"), lrDecay: D("lr_decay"), weightDecay: D("weight_decay"), initialAccumulatorValue: D("initial_accumulator_value"), eps: D("eps")),
            "rmsprop" => new RMSprop([p], lr: D("lr"), alpha: D("alpha"), eps: D("eps"), weightDecay: D("weight_decay"), momentum: D("momentum"), centered: B("centered")),
            "adam" => new Adam([p], lr: D("lr"), betas: Betas(), eps: D("eps"), weightDecay: D("weight_decay"), amsgrad: B("amsgrad")),
            "adamw" => new AdamW([p], lr: D("lr"), betas: Betas(), eps: D("eps"), weightDecay: D("weight_decay"), amsgrad: B("amsgrad")),
            "adadelta" => new Adadelta([p], lr: D("lr"), rho: D("rho"), eps: D("eps"), weightDecay: D("weight_decay")),
            "adamax" => new Adamax([p], lr: D("lr"), betas: Betas(), eps: D("eps"), weightDecay: D("weight_decay")),
            "nadam" => new NAdam([p], lr: D("lr"), betas: Betas(), eps: D("eps"), weightDecay: D("weight_decay"), momentumDecay: D("momentum_decay")),
            _ => throw new ArgumentException($"unknown optimizer {name}"),
        };
    }
}
