using System.Text.Json;
using Dendrite.Cli.Runs;

namespace Dendrite.Cli.Training;

/// <summary>
/// What <c>dendrite train</c> trains: the same keys on the command line (<c>--weight-decay</c>) and in a JSON
/// config file (<c>"weightDecay"</c>). Command-line options override the file.
/// </summary>
public sealed record TrainConfig
{
    /// <summary>fashion-mnist, mnist, moons or circles.</summary>
    public string Dataset { get; init; } = "fashion-mnist";

    /// <summary>softmax, mlp:784-256-10 (any sizes), lenet or cnn; null picks one for the data set.</summary>
    public string? Model { get; init; }

    /// <summary>Hidden activation: relu, sigmoid, tanh, leaky-relu, gelu.</summary>
    public string Act { get; init; } = "relu";

    /// <summary>sgd, momentum, nesterov, adam, adamw, rmsprop or adagrad.</summary>
    public string Opt { get; init; } = "adam";

    /// <summary>Learning rate.</summary>
    public double Lr { get; init; } = 1e-3;

    /// <summary>Minibatch size.</summary>
    public int Batch { get; init; } = 256;

    /// <summary>Training epochs.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>L2 weight decay (decoupled for adamw).</summary>
    public double WeightDecay { get; init; }

    /// <summary>Dropout probability after hidden layers.</summary>
    public double Dropout { get; init; }

    /// <summary>BatchNorm after each hidden Linear of an MLP.</summary>
    public bool Batchnorm { get; init; }

    /// <summary>step:EVERY:GAMMA, cosine:T or plateau; null for a constant learning rate.</summary>
    public string? Scheduler { get; init; }

    /// <summary>Stop when the dev loss has not improved for this many epochs (null: train every epoch).</summary>
    public int? EarlyStop { get; init; }

    /// <summary>Weight initialisation: default (PyTorch's layer defaults) or he (Kaiming normal).</summary>
    public string Init { get; init; } = "default";

    /// <summary>Random seed.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Use only the first N training samples (null: all).</summary>
    public int? TrainLimit { get; init; }

    /// <summary>Use only the first N test samples (null: all).</summary>
    public int? TestLimit { get; init; }

    /// <summary>Fraction of the training set held out as the validation (dev) split.</summary>
    public double DevFraction { get; init; } = 0.1;

    /// <summary>The model spec with the per-data-set default filled in.</summary>
    public string ModelOrDefault => Model ?? (Dataset is "moons" or "circles" ? "mlp:2-16-16-2" : "mlp:784-256-10");

    /// <summary>Reads a JSON config file (camelCase keys as in config.json; unknown keys are an error).</summary>
    public static TrainConfig Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"config file {path} does not exist", path);
        try
        {
            var options = new JsonSerializerOptions(Json.Options) { UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow };
            return JsonSerializer.Deserialize<TrainConfig>(File.ReadAllText(path), options) ?? throw new InvalidDataException($"{path} holds no config");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"config file {path}: {e.Message}", e);
        }
    }

    /// <summary>Checks the values, with a message naming the key at fault.</summary>
    public TrainConfig Validate()
    {
        if (Dataset is not ("fashion-mnist" or "mnist" or "moons" or "circles"))
            throw new ArgumentException($"dataset '{Dataset}' is unknown: use fashion-mnist, mnist, moons or circles");
        if (!(Lr > 0)) throw new ArgumentException($"lr must be positive, got {Lr}");
        if (Batch < 1) throw new ArgumentException($"batch must be at least 1, got {Batch}");
        if (Epochs < 1) throw new ArgumentException($"epochs must be at least 1, got {Epochs}");
        if (WeightDecay < 0) throw new ArgumentException($"weight-decay must be non-negative, got {WeightDecay}");
        if (Dropout is < 0 or >= 1) throw new ArgumentException($"dropout must be in [0, 1), got {Dropout}");
        if (EarlyStop is < 1) throw new ArgumentException($"early-stop (patience in epochs) must be at least 1, got {EarlyStop}");
        if (DevFraction is <= 0 or >= 1) throw new ArgumentException($"devFraction must be in (0, 1), got {DevFraction}");
        return this;
    }
}
