using System.CommandLine;
using Dendrite.Cli.Training;

namespace Dendrite.Cli.Commands;

/// <summary>The options shared by <c>dendrite train</c> and <c>dendrite search</c>, mapped onto a <see cref="TrainConfig"/>.</summary>
public sealed class TrainOptions
{
    /// <summary>--dataset.</summary>
    public Option<string?> Dataset { get; } = new("--dataset") { Description = "fashion-mnist, mnist, cifar10 (from $DENDRITE_DATA/cifar-10-batches-bin), moons or circles" };

    /// <summary>--model.</summary>
    public Option<string?> Model { get; } = new("--model")
    {
        Description = "softmax, mlp:784-256-10 (any sizes; mlp:2-5-3-1 ends in one logit), lenet, cnn, or a CNN spec such as cnn:c16k5p2-pool2-c32k3-pool2-fc128 " +
                      "(c<kernels>k<size>[s<stride>][p<padding>], pool[<size>], fc<units>, drop)",
    };

    /// <summary>--act.</summary>
    public Option<string?> Act { get; } = new("--act") { Description = "Hidden activation: relu, sigmoid, tanh, leaky-relu, gelu" };

    /// <summary>--opt.</summary>
    public Option<string?> Opt { get; } = new("--opt") { Description = "sgd, momentum, nesterov, adam, adamw, rmsprop, adagrad, adadelta, adamax or nadam" };

    /// <summary>--lr.</summary>
    public Option<double?> Lr { get; } = CliOptions.Number("--lr", "Learning rate (default 1e-3)");

    /// <summary>--batch.</summary>
    public Option<int?> Batch { get; } = CliOptions.Int("--batch", "Minibatch size (default 256)");

    /// <summary>--epochs.</summary>
    public Option<int?> Epochs { get; } = CliOptions.Int("--epochs", "Training epochs (default 10)");

    /// <summary>--weight-decay.</summary>
    public Option<double?> WeightDecay { get; } = CliOptions.Number("--weight-decay", "L2 weight decay (decoupled for adamw)");

    /// <summary>--dropout.</summary>
    public Option<double?> Dropout { get; } = CliOptions.Number("--dropout", "Dropout probability after hidden layers (mlp and cnn)");

    /// <summary>--batchnorm.</summary>
    public Option<bool?> Batchnorm { get; } = CliOptions.Flag("--batchnorm", "BatchNorm after each hidden Linear of an MLP");

    /// <summary>--early-stop.</summary>
    public Option<int?> EarlyStop { get; } = CliOptions.Int("--early-stop", "Stop when the dev loss has not improved for PATIENCE epochs", "PATIENCE");

    /// <summary>--init.</summary>
    public Option<string?> Init { get; } = new("--init") { Description = "Weight initialisation: default or he" };

    /// <summary>--scheduler.</summary>
    public Option<string?> Scheduler { get; } = new("--scheduler") { Description = "step:EVERY:GAMMA (e.g. step:5:0.5), cosine:T or plateau" };

    /// <summary>--seed.</summary>
    public Option<int?> Seed { get; } = CliOptions.Int("--seed", "Random seed (default 42)");

    /// <summary>--train-limit.</summary>
    public Option<int?> TrainLimit { get; } = CliOptions.Int("--train-limit", "Use only the first N training samples (the dev split is carved from them)");

    /// <summary>--test-limit.</summary>
    public Option<int?> TestLimit { get; } = CliOptions.Int("--test-limit", "Use only the first N test samples");

    /// <summary>--device.</summary>
    public Option<string?> Device { get; } = new("--device") { Description = "Where to train: auto (CUDA when available, else the CPU), cpu, cuda, cuda:N or ilgpu-cpu" };

    /// <summary>--config.</summary>
    public Option<string?> Config { get; } = new("--config") { Description = "A JSON config file with the same keys (camelCase: weightDecay); options given here override it" };

    /// <summary>--out.</summary>
    public Option<string> Out { get; } = new("--out") { Description = "Folder that receives the run folder", DefaultValueFactory = _ => "runs" };

    /// <summary>The options that describe the run (all but <see cref="Epochs"/> and <see cref="Out"/>).</summary>
    public IEnumerable<Option> Settings => [Dataset, Model, Act, Opt, Lr, Batch, WeightDecay, Dropout, Batchnorm, EarlyStop, Init, Scheduler, Seed,
        TrainLimit, TestLimit, Device, Config];

    /// <summary>Adds every option to a command.</summary>
    public void AddTo(Command cmd)
    {
        foreach (var o in Settings.Append(Epochs).Append(Out))
            cmd.Options.Add(o);
    }

    /// <summary>
    /// The config file (if any) with the given options applied on top, validated: a bad value is a
    /// <see cref="UsageException"/> naming the option (or the config file and key) that gave it.
    /// </summary>
    public TrainConfig Resolve(ParseResult parse)
    {
        string? file = parse.GetValue(Config);
        var cfg = file is null ? new TrainConfig() : TrainConfig.Load(file);
        cfg = cfg with
        {
            Dataset = parse.GetValue(Dataset) ?? cfg.Dataset,
            Model = parse.GetValue(Model) ?? cfg.Model,
            Act = parse.GetValue(Act) ?? cfg.Act,
            Opt = parse.GetValue(Opt) ?? cfg.Opt,
            Lr = parse.GetValue(Lr) ?? cfg.Lr,
            Batch = parse.GetValue(Batch) ?? cfg.Batch,
            Epochs = parse.GetValue(Epochs) ?? cfg.Epochs,
            WeightDecay = parse.GetValue(WeightDecay) ?? cfg.WeightDecay,
            Dropout = parse.GetValue(Dropout) ?? cfg.Dropout,
            Batchnorm = parse.GetResult(Batchnorm) is null ? cfg.Batchnorm : parse.GetValue(Batchnorm) ?? true,
            EarlyStop = parse.GetValue(EarlyStop) ?? cfg.EarlyStop,
            Init = parse.GetValue(Init) ?? cfg.Init,
            Scheduler = parse.GetValue(Scheduler) ?? cfg.Scheduler,
            Seed = parse.GetValue(Seed) ?? cfg.Seed,
            TrainLimit = parse.GetValue(TrainLimit) ?? cfg.TrainLimit,
            TestLimit = parse.GetValue(TestLimit) ?? cfg.TestLimit,
            Device = parse.GetValue(Device) ?? cfg.Device,
        };
        var where = Where(parse, file);
        cfg.Validate(where);
        TrainJob.RequireData(cfg, where);
        return cfg;
    }

    /// <summary>Names a config key as the user gave it: the option when it was typed, else the config file's key.</summary>
    public Func<string, string> Where(ParseResult parse, string? configFile)
    {
        var typed = Settings.Append(Epochs).Where(o => parse.GetResult(o) is not null).Select(o => o.Name).ToHashSet();
        return key =>
        {
            string option = TrainConfig.OptionName(key);
            return typed.Contains(option) || configFile is null ? option : $"\"{key}\" in {configFile}";
        };
    }
}
