using System.Globalization;
using Dendrite.Cli.Commands;
using Dendrite.Cli.Lab;
using Dendrite.Cli.Lab.Common;
using Dendrite.Data;
using Dendrite.Distributed;
using Dendrite.NN;
using Dendrite.Optim;
using Dendrite.Training;
using Dendrite.Training.Callbacks;
using Dendrite.Training.Metrics;

namespace Dendrite.Cli.Training;

/// <summary>The data of a train job: train/dev/test splits and the class names.</summary>
public sealed record JobData(LabeledData Train, LabeledData Dev, LabeledData Test, IReadOnlyList<string> Classes, bool Images);

/// <summary>A configured trainer with its loaders: shuffled train, dev (for model selection) and test.</summary>
public sealed record TrainSetup(Trainer Trainer, DataLoader Train, DataLoader Dev, DataLoader Test);

/// <summary>Turns a <see cref="TrainConfig"/> into data, a model, an optimizer, schedulers and a <see cref="Trainer"/>.</summary>
public static class TrainJob
{
    /// <summary>
    /// Fails with a usage error naming where the files were looked for when MNIST or CIFAR-10 is not there (checked before
    /// a run folder exists; a missing Fashion-MNIST makes the run skipped instead). <paramref name="where"/> names the
    /// <c>dataset</c> setting as the user gave it.
    /// </summary>
    public static void RequireData(TrainConfig cfg, Func<string, string> where)
    {
        ArgumentNullException.ThrowIfNull(cfg);
        ArgumentNullException.ThrowIfNull(where);
        string env = Data.Datasets.DataRoot.EnvironmentVariable;
        if (cfg.Dataset == "cifar10" && !Data.Datasets.Cifar10.IsAvailable())
        {
            string folder = Data.Datasets.DataRoot.Resolve(Data.Datasets.Cifar10.FolderName, null);
            throw new UsageException($"{where("dataset")} is 'cifar10', but CIFAR-10 is not in {folder}; Dendrite does not download it and no system " +
                                     $"package installs it: unpack the binary version (cifar-10-binary.tar.gz) so that a folder cifar-10-batches-bin holds " +
                                     $"{string.Join(", ", Data.Datasets.Cifar10.TrainFiles)} and {Data.Datasets.Cifar10.TestFile}, and set {env} to the folder above it");
        }
        if (cfg.Dataset == "mnist" && !Data.Datasets.Mnist.IsAvailable())
            throw new UsageException($"{where("dataset")} is 'mnist', but MNIST is not in {Data.Datasets.DataRoot.Resolve(Data.Datasets.Mnist.FolderName, null)}: " +
                                     $"put the four *-idx?-ubyte[.gz] files of the MNIST release there, or set {env} to a folder with an mnist sub-folder");
    }

    /// <summary>Loads the data set, carving the dev split from the training set (never from the test set).</summary>
    public static JobData LoadData(TrainConfig cfg)
    {
        var rng = new Generator((ulong)cfg.Seed);
        LabeledData train, test;
        IReadOnlyList<string> classes;
        switch (cfg.Dataset)
        {
            case "moons" or "circles":
                var all = cfg.Dataset == "moons" ? LabDatasets.Moons(1000, 0.1, rng) : LabDatasets.Circles(1000, 0.1, 0.5, rng);
                all = all with { Y = all.Y.To(DType.Int64) };
                (train, test) = (all.Slice(0, Math.Min(800, cfg.TrainLimit ?? 800)), all.Slice(800, Math.Min(200, cfg.TestLimit ?? 200)));
                classes = ["0", "1"];
                break;
            case "cifar10":
                // The binary version from $DENDRITE_DATA/cifar-10-batches-bin (or /usr/share/datasets/cifar-10-batches-bin).
                train = Take(new Data.Datasets.Cifar10(train: true), cfg.TrainLimit);
                test = Take(new Data.Datasets.Cifar10(train: false), cfg.TestLimit);
                classes = Data.Datasets.Cifar10.ClassNames;
                break;
            case "fashion-mnist":
                string dir = LabData.FindFashionMnist() ?? throw new DirectoryNotFoundException(LabData.MissingFashionMnist());
                train = LabDatasets.FashionMnist(dir, true, cfg.TrainLimit);
                test = LabDatasets.FashionMnist(dir, false, cfg.TestLimit);
                classes = LabDatasets.FashionClasses;
                break;
            default:
                var ds = new Data.Datasets.Mnist(train: true);
                var dsTest = new Data.Datasets.Mnist(train: false);
                train = Take(ds, cfg.TrainLimit);
                test = Take(dsTest, cfg.TestLimit);
                classes = Data.Datasets.Mnist.ClassNames;
                break;
        }
        int devCount = cfg.DevCount(train.Count);
        var (tr, dev) = FashionData.CarveDev(train, devCount, rng);
        bool images = ModelFactory.TakesImages(cfg.ModelOrDefault);
        if (!images && tr.X.Rank > 2) (tr, dev, test) = (FashionData.Flat(tr), FashionData.Flat(dev), FashionData.Flat(test));
        if (images && cfg.Dataset is "moons" or "circles")
            throw new ArgumentException($"model '{cfg.ModelOrDefault}' takes images; {cfg.Dataset} has 2 features: use an mlp such as mlp:2-16-16-2");
        return new JobData(tr, dev, test, classes, images);
    }

    private static LabeledData Take(Data.Datasets.ByteImageDataset ds, int? limit)
    {
        int n = Math.Min(limit ?? ds.Count, ds.Count);
        var b = ds.GetBatch(Enumerable.Range(0, n).ToArray());
        return new LabeledData(b[0], b[1]);
    }

    /// <summary>
    /// A trainer for the configured model, optimizer, schedulers and early stopping (cross-entropy loss, accuracy),
    /// with <paramref name="callbacks"/> first; the train loader reshuffles from <paramref name="shuffleSeed"/>.
    /// The model's generator (which dropout keeps drawing from) is tracked, so checkpoints resume exactly.
    /// With a <paramref name="group"/> (distributed training), the model is wrapped in a
    /// <see cref="DistributedDataParallel"/> on <paramref name="device"/>, the train loader gives this process its
    /// shard of every epoch in batches of <c>cfg.Batch / group.Size</c> (so <c>cfg.Batch</c> is the global batch: the
    /// shards come from the permutation the single-process loader draws, so the global batches are the same), and the
    /// dev and test loaders give it its share of those sets (the trainer sums the results over the processes).
    /// </summary>
    public static TrainSetup Build(TrainConfig cfg, JobData data, ulong shuffleSeed, IEnumerable<TrainerCallback>? callbacks = null,
        double? lr = null, double? weightDecay = null, ProcessGroup? group = null, Device? device = null)
    {
        var modelRng = new Generator((ulong)cfg.Seed + 1);
        Module model = BuildModel(cfg, data, modelRng).To(device ?? DeviceChoice.Resolve(cfg.Device));
        if (group is not null)
            model = new DistributedDataParallel(model, group);
        var opt = BuildOptimizer(cfg, model.Parameters(), lr, weightDecay);
        var (scheduler, plateau) = BuildScheduler(cfg, opt);
        var all = new List<TrainerCallback>(callbacks ?? []);
        if (cfg.EarlyStop is int patience) all.Add(new EarlyStopping("dev_loss", patience));
        // A two-class model with a single output gives the logit of class 1: binary cross-entropy on logits, accuracy of σ(logit) > ½.
        var trainer = ModelFactory.SingleLogit(cfg.ModelOrDefault)
            ? new Trainer(model, opt, BinaryLoss, [new Accuracy(fromLogits: true)], scheduler, plateau: plateau, callbacks: all) { Log = null }
            : new Trainer(model, opt, new CrossEntropyLoss(), [new Accuracy()], scheduler, plateau: plateau, callbacks: all) { Log = null };
        trainer.Generators.Add(modelRng);
        if (group is not null)
            return new TrainSetup(trainer, ShardLoader(data.Train, cfg.Batch / group.Size, group, shuffleSeed), ShardLoader(data.Dev, 2000, group, null),
                ShardLoader(data.Test, 2000, group, null));
        return new TrainSetup(trainer, LabTrainer.Loader(data.Train, cfg.Batch, new Generator(shuffleSeed)), LabTrainer.EvalLoader(data.Dev),
            LabTrainer.EvalLoader(data.Test));
    }

    // This process's shard: for training (shuffleSeed given) equal shards of each epoch's permutation, drawn from the
    // loader's generator as the single-process loader draws it (the checkpoint saves that generator); for evaluation
    // every sample once, in order.
    private static DataLoader ShardLoader(LabeledData data, int batchSize, ProcessGroup group, ulong? shuffleSeed)
    {
        var generator = new Generator(shuffleSeed ?? 0);
        var sampler = shuffleSeed is not null
            ? new DistributedSampler(data.Count, group, generator: generator)
            : new DistributedSampler(data.Count, group, shuffle: false, evenShards: false);
        return new DataLoader(new TensorDataset(data.X, data.Y), Math.Max(1, Math.Min(batchSize, sampler.Count)), generator: generator, sampler: sampler);
    }

    // BCE with logits of [N, 1] outputs against class indices [N] (0 or 1).
    private static Tensor BinaryLoss(Tensor logits, Tensor labels) => F.BinaryCrossEntropyWithLogits(logits.Reshape(-1), labels.To(logits.DType));

    /// <summary>
    /// The predicted classes of a model's outputs [N, C] (the arg-max) or [N, 1] (a single logit: class 1 when it is
    /// positive), as int64 [N].
    /// </summary>
    public static Tensor PredictClasses(Tensor outputs) =>
        outputs.Size(-1) == 1 ? outputs.Reshape(-1).Gt(0).To(DType.Int64) : outputs.ArgMax(1);

    /// <summary>Builds the configured model for the data, drawing its initial weights (and later dropout masks) from <paramref name="rng"/>.</summary>
    public static Module BuildModel(TrainConfig cfg, JobData data, Generator rng)
    {
        int[]? imageShape = data.Images ? [.. data.Train.X.Shape.Skip(1)] : null;
        int inputs = data.Train.X.Numel / Math.Max(1, data.Train.Count);
        return ModelFactory.Build(cfg.ModelOrDefault, new ModelFactory.Options(cfg.Act, cfg.Dropout, cfg.Batchnorm, cfg.Init), rng, inputs, data.Classes.Count,
            imageShape);
    }

    /// <summary>The optimizer names <see cref="BuildOptimizer"/> knows.</summary>
    public static IReadOnlyList<string> Optimizers { get; } = ["sgd", "momentum", "nesterov", "adam", "adamw", "rmsprop", "adagrad", "adadelta", "adamax", "nadam"];

    /// <summary>Builds the configured optimizer.</summary>
    public static Optimizer BuildOptimizer(TrainConfig cfg, IEnumerable<Tensor> parameters, double? lr = null, double? weightDecay = null)
    {
        double l = lr ?? cfg.Lr, wd = weightDecay ?? cfg.WeightDecay;
        return cfg.Opt.ToLowerInvariant() switch
        {
            "sgd" => new SGD(parameters, lr: l, weightDecay: wd),
            "momentum" => new SGD(parameters, lr: l, momentum: 0.9, weightDecay: wd),
            "nesterov" => new SGD(parameters, lr: l, momentum: 0.9, nesterov: true, weightDecay: wd),
            "adam" => new Adam(parameters, lr: l, weightDecay: wd),
            "adamw" => new AdamW(parameters, lr: l, weightDecay: wd),
            "rmsprop" => new RMSprop(parameters, lr: l, weightDecay: wd),
            "adagrad" => new Adagrad(parameters, lr: l, weightDecay: wd),
            "adadelta" => new Adadelta(parameters, lr: l, weightDecay: wd),
            "adamax" => new Adamax(parameters, lr: l, weightDecay: wd),
            "nadam" => new NAdam(parameters, lr: l, weightDecay: wd),
            _ => throw new ArgumentException($"optimizer '{cfg.Opt}' is unknown: use {string.Join(", ", Optimizers)}"),
        };
    }

    /// <summary>The configured learning-rate schedule: an epoch scheduler, or ReduceLROnPlateau on the dev loss; both null for a constant rate.</summary>
    public static (LRScheduler? Scheduler, ReduceLROnPlateau? Plateau) BuildScheduler(TrainConfig cfg, Optimizer opt)
    {
        if (string.IsNullOrEmpty(cfg.Scheduler))
            return (null, null);
        var spec = SchedulerSpec.Parse(cfg.Scheduler) ?? throw new UsageException($"--scheduler is '{cfg.Scheduler}', but must be {SchedulerSpec.Forms}");
        return spec.Kind switch
        {
            "step" => (new StepLR(opt, spec.Every, spec.Gamma), null),
            "cosine" => (new CosineAnnealingLR(opt, spec.Every), null),
            _ => (null, new ReduceLROnPlateau(opt, factor: 0.5, patience: 2)),
        };
    }
}
