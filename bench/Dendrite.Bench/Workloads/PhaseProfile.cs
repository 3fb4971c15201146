using System.Diagnostics;
using System.Globalization;
using System.Text;
using Dendrite.Data.Datasets;
using Dendrite.NN;
using Dendrite.Optim;

namespace Dendrite.Bench.Workloads;

/// <summary>
/// Where the time of a W1 epoch or a W2-W5 step goes: a stopwatch per phase (gather, zero_grad, forward of each
/// layer, loss, backward of each layer, optimizer step, item) over many iterations, printed as a table of
/// µs per iteration. Backward per layer is timed with gradient hooks on each layer's output (the hook fires when
/// that output's gradient is ready, i.e. when the layer's own backward starts).
/// Usage: <c>phases w1|w2|w3|w4|w5 [--threads 1] [--steps N]</c>. Numbers come with the (small) cost of the hooks.
/// </summary>
public static class PhaseProfile
{
    /// <summary>Runs the profile named by the first argument.</summary>
    public static int Run(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine("usage: phases w1|w2|w3|w4|w5 [--threads 1] [--steps N]");
            return 2;
        }
        Threads.Count = Args.Int(args, "--threads") ?? 1;
        int? steps = Args.Int(args, "--steps");
        switch (args[0])
        {
            case "w1":
                ProfileW1(steps ?? 3000);
                return 0;
            case "w2":
            {
                var (xtr, ytr, _, _) = W2FitSquare.Data();
                var model = W2FitSquare.Model();
                var perm = Tensor.FromArray(new Generator(5).Permutation(xtr.Size(0)));
                ProfileSteps("w2", model, new SGD(model.Parameters(), lr: 0.05, momentum: 0.9), new MSELoss(), steps ?? 2000, 100,
                    i => { var idx = perm.Narrow(0, i % 100 * 100, 100); return (xtr.IndexSelect(0, idx), ytr.IndexSelect(0, idx)); });
                return 0;
            }
            case "w3" or "w4" or "w5":
            {
                var (train, _) = ClassifierTraining.LoadFashion(flatten: args[0] != "w5");
                Sequential model = args[0] switch
                {
                    "w3" => new Sequential(W3FashionSoftmax.Model()),
                    "w4" => W4FashionMlp.Model(),
                    _ => W5FashionCnn.Model(),
                };
                Optimizer opt = args[0] == "w5" ? new Adam(model.Parameters(), lr: 1e-3) : new SGD(model.Parameters(), lr: 0.1);
                int[] perm = new Generator(11).Permutation(train.Count);
                int steps0 = steps ?? (args[0] == "w5" ? 60 : 235);
                ProfileSteps(args[0], model, opt, new CrossEntropyLoss(), steps0, 256,
                    i => { var xy = train.GetBatch(perm.AsSpan(i % 234 * 256, 256)); return (xy[0], xy[1]); });
                return 0;
            }
            default:
                Console.Error.WriteLine($"phases: unknown workload '{args[0]}'.");
                return 2;
        }
    }

    private static void ProfileW1(int epochs)
    {
        var (x, y) = W1Moons.Data();
        Tensor xtr = x.Narrow(0, 0, 640), ytr = y.Narrow(0, 0, 640), xdev = x.Narrow(0, 640, 160), ydev = y.Narrow(0, 640, 160);
        var model = W1Moons.Model();
        var lossFn = new BCELoss();
        var opt = new SGD(model.Parameters(), lr: 0.2);
        var t = new PhaseTimer();
        for (int e = 0; e < epochs; e++)
        {
            if (e == epochs / 10)
                t.Reset(); // skip JIT warm-up
            t.Start();
            model.Train();
            t.Lap("train()");
            opt.ZeroGrad();
            t.Lap("zero_grad");
            var output = model.Call(xtr);
            t.Lap("forward (4 modules)");
            var loss = lossFn.Call(output, ytr);
            t.Lap("BCE loss");
            loss.Backward();
            t.Lap("backward");
            opt.Step();
            t.Lap("SGD step");
            loss.Item();
            t.Lap("loss.Item()");
            model.Eval();
            t.Lap("eval()");
            using (Autograd.Autograd.NoGrad())
            {
                var dev = model.Call(xdev);
                t.Lap("dev forward (no_grad)");
                lossFn.Call(dev, ydev).Item();
                t.Lap("dev BCE + Item()");
                dev.Gt(0.5).To(DType.Float32).Eq(ydev).To(DType.Float32).Mean().Item();
                t.Lap("dev accuracy (5 ops + Item())");
            }
            t.EndIteration();
        }
        t.Print($"w1 phases, threads={Threads.Count}, µs per epoch (epochs {epochs / 10}..{epochs})");
    }

    private static void ProfileSteps(string name, Sequential model, Optimizer opt, Loss lossFn, int steps, int batch,
        Func<int, (Tensor X, Tensor Y)> gather)
    {
        var t = new PhaseTimer();
        var layers = model.ToArray();
        var layerNames = layers.Select((m, i) => $"{i}:{m.GetType().Name}").ToArray();
        var gradReady = new long[layers.Length];
        int warm = Math.Max(1, steps / 10);
        for (int s = 0; s < steps + warm; s++)
        {
            if (s == warm)
                t.Reset();
            t.Start();
            var (xb, yb) = gather(s);
            t.Lap("gather batch");
            opt.ZeroGrad();
            t.Lap("zero_grad");
            var h = xb;
            for (int i = 0; i < layers.Length; i++)
            {
                // Runs of layers that Sequential fuses (Conv2d, ReLU, MaxPool2d) are timed as the one op they become.
                var (fused, covered) = LayerFusion.TryForward(layers, i, h);
                int first = i;
                if (fused is not null)
                {
                    h = fused;
                    i += covered - 1;
                }
                else
                    h = layers[i].Call(h);
                if (h.RequiresGrad)
                {
                    int at = i;
                    h.RegisterHook(g => { gradReady[at] = Stopwatch.GetTimestamp(); return null; });
                }
                layerNames[i] = first == i ? layerNames[i] : $"{first}-{i}:" + string.Join("+", layers[first..(i + 1)].Select(m => m.GetType().Name));
                t.Lap("fwd " + layerNames[i]);
            }
            var loss = lossFn.Call(h, yb);
            t.Lap("fwd loss");
            Array.Clear(gradReady);
            long b0 = Stopwatch.GetTimestamp();
            loss.Backward();
            long b1 = Stopwatch.GetTimestamp();
            // Layer i's backward runs from when its output's gradient is ready until layer i-1's is (or the end).
            t.Add("bwd loss", gradReady[^1] - b0);
            for (int i = layers.Length - 1; i >= 0; i--)
            {
                if (gradReady[i] == 0)
                    continue;
                int below = i - 1;
                while (below >= 0 && gradReady[below] == 0)
                    below--;   // layers inside a fused run have no hook of their own
                long end = below >= 0 ? gradReady[below] : b1;
                t.Add("bwd " + layerNames[i], end - gradReady[i]);
            }
            t.Restart();
            opt.Step();
            t.Lap("optimizer step");
            loss.Item();
            t.Lap("loss.Item()");
            t.EndIteration();
        }
        t.Print($"{name} phases, threads={Threads.Count}, batch {batch}, µs per step (steps {warm}..{steps + warm})");
    }

    /// <summary>Accumulates named phase durations in insertion order.</summary>
    private sealed class PhaseTimer
    {
        private readonly List<string> _order = [];
        private readonly Dictionary<string, long> _ticks = [];
        private long _last, _iterations, _start, _total;

        public void Start()
        {
            _last = Stopwatch.GetTimestamp();
            _start = _last;
        }

        public void Restart() => _last = Stopwatch.GetTimestamp();

        public void Lap(string phase)
        {
            long now = Stopwatch.GetTimestamp();
            Add(phase, now - _last);
            _last = now;
        }

        public void Add(string phase, long ticks)
        {
            if (!_ticks.ContainsKey(phase))
            {
                _order.Add(phase);
                _ticks[phase] = 0;
            }
            _ticks[phase] += ticks;
        }

        public void EndIteration()
        {
            _iterations++;
            _total += Stopwatch.GetTimestamp() - _start;
        }

        public void Reset()
        {
            foreach (var k in _order)
                _ticks[k] = 0;
            _iterations = 0;
            _total = 0;
        }

        public void Print(string title)
        {
            double us(long ticks) => 1e6 * ticks / Stopwatch.Frequency / Math.Max(1, _iterations);
            var sb = new StringBuilder();
            sb.AppendLine(CultureInfo.InvariantCulture, $"{title}");
            sb.AppendLine("| phase | µs | % |");
            sb.AppendLine("|---|---|---|");
            foreach (var k in _order)
                sb.AppendLine(CultureInfo.InvariantCulture, $"| {k} | {us(_ticks[k]):F1} | {100.0 * _ticks[k] / Math.Max(1, _total):F1} |");
            sb.AppendLine(CultureInfo.InvariantCulture, $"| total | {us(_total):F1} | 100 |");
            Console.WriteLine(sb.ToString());
        }
    }
}
