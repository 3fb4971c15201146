using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dendrite.Cli.Commands;
using Dendrite.Cli.Lab.Common;
using Dendrite.Cli.Runs;

namespace Dendrite.Cli.Training;

/// <summary>
/// What <c>dendrite train</c> trains: the same keys on the command line (<c>--weight-decay</c>) and in a JSON
/// config file (<c>"weightDecay"</c>). Command-line options override the file.
/// </summary>
public sealed record TrainConfig
{
    /// <summary>fashion-mnist, mnist, cifar10, moons or circles.</summary>
    public string Dataset { get; init; } = "fashion-mnist";

    /// <summary>softmax, mlp:784-256-10 (any sizes), lenet, cnn or a CNN spec (cnn:c16k5p2-pool2-fc128); null picks one for the data set.</summary>
    public string? Model { get; init; }

    /// <summary>Hidden activation: relu, sigmoid, tanh, leaky-relu, gelu.</summary>
    public string Act { get; init; } = "relu";

    /// <summary>sgd, momentum, nesterov, adam, adamw, rmsprop, adagrad, adadelta, adamax or nadam.</summary>
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

    /// <summary>Use only the first N training samples (null: all); the dev split is carved from them.</summary>
    public int? TrainLimit { get; init; }

    /// <summary>Use only the first N test samples (null: all).</summary>
    public int? TestLimit { get; init; }

    /// <summary>Fraction of the training set held out as the validation (dev) split.</summary>
    public double DevFraction { get; init; } = 0.1;

    /// <summary>Where to train: auto (CUDA when available, else the CPU), cpu, cuda, cuda:N or ilgpu-cpu.</summary>
    public string Device { get; init; } = "auto";

    /// <summary>The model spec with the per-data-set default filled in.</summary>
    public string ModelOrDefault => Model ?? Dataset switch
    {
        "moons" or "circles" => "mlp:2-16-16-2",
        "cifar10" => "mlp:3072-256-10",
        _ => "mlp:784-256-10",
    };

    /// <summary>The read-only key that config.json files of runs also hold (the model actually built); ignored when read back.</summary>
    private const string DerivedKey = "modelOrDefault";

    /// <summary>The settable keys (camelCase, as in config files) and the JSON each takes.</summary>
    private static readonly Dictionary<string, (Type Type, bool Nullable)> Keys = typeof(TrainConfig).GetProperties()
        .Where(p => p.SetMethod is not null)
        .ToDictionary(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name),
            p => (Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType,
                  Nullable.GetUnderlyingType(p.PropertyType) is not null || new NullabilityInfoContext().Create(p).WriteState == NullabilityState.Nullable));

    /// <summary>Reads a JSON config file (camelCase keys as in config.json); unknown keys and values of the wrong type are usage errors.</summary>
    public static TrainConfig Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new UsageException($"--config: the config file {path} does not exist");
        return Parse(File.ReadAllText(path), path, derivedAllowed: false);
    }

    /// <summary>The settings of a run's config.json (as written by <c>dendrite train</c>), read as strictly as a config file.</summary>
    public static TrainConfig FromSettings(JsonNode? settings, string path) => settings is JsonObject
        ? FromJson(settings, path, derivedAllowed: true)
        : throw new UsageException($"\"settings\" in {path} is {(settings is null ? "missing" : settings.ToJsonString())}, but must be the settings object " +
                                   "of a `dendrite train` run (pass that run's config.json)");

    /// <summary>Parses config text from <paramref name="path"/> (named in errors).</summary>
    internal static TrainConfig Parse(string text, string path, bool derivedAllowed)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new UsageException($"config file {path} is not valid JSON: {Shorten(e.Message, 200)}");
        }
        return FromJson(node, path, derivedAllowed);
    }

    private static TrainConfig FromJson(JsonNode? node, string path, bool derivedAllowed)
    {
        if (node is not JsonObject obj)
            throw new UsageException($"config file {path} must hold a JSON object of settings such as {{\"dataset\": \"moons\", \"epochs\": 20}}, not {Kind(node)}");
        try
        {
            foreach (var (key, value) in obj)
            {
                if (derivedAllowed && key == DerivedKey)
                    continue;
                if (!Keys.TryGetValue(key, out var expected))
                    throw new UsageException($"\"{Shorten(key, 60)}\" in {path} is not a setting; the settings are {string.Join(", ", Keys.Keys)}");
                if (TypeProblem(value, expected.Type, expected.Nullable) is { } allowed)
                    throw new UsageException($"\"{key}\" in {path} is {Shorten(value?.ToJsonString() ?? "null", 60)}, but must be {allowed}");
            }
            var clean = new JsonObject(obj.Where(kv => kv.Key != DerivedKey).Select(kv => KeyValuePair.Create(kv.Key, kv.Value?.DeepClone())));
            return clean.Deserialize<TrainConfig>(Json.Options) ?? throw new UsageException($"config file {path} holds no settings");
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or FormatException)
        {
            // Duplicate keys, text that is not valid UTF-16 and the like: the parser's words, with the file.
            throw new UsageException($"config file {path} cannot be read: {Shorten(e.Message, 200)}");
        }
    }

    private static string? TypeProblem(JsonNode? value, Type type, bool nullable)
    {
        if (value is null)
            return nullable ? null : type == typeof(string) ? "a string" : type == typeof(bool) ? "true or false" : "a number";
        var kind = value.GetValueKind();
        if (type == typeof(string))
            return kind == JsonValueKind.String ? null : nullable ? "a string or null" : "a string";
        if (type == typeof(bool))
            return kind is JsonValueKind.True or JsonValueKind.False ? null : "true or false";
        if (type == typeof(int))
            return kind == JsonValueKind.Number && value.AsValue().TryGetValue(out int _) ? null : $"a whole number{(nullable ? " or null" : "")}";
        return kind == JsonValueKind.Number && value.AsValue().TryGetValue(out double d) && double.IsFinite(d) ? null : "a finite number";
    }

    private static string Kind(JsonNode? n) => n is null ? "null" : n.GetValueKind().ToString().ToLowerInvariant();

    private static string Shorten(string s, int max) => s.Length <= max ? s : s[..max] + "…";

    /// <summary>How a key is named in messages by default: its command-line option, or the config key when it has none.</summary>
    public static string OptionName(string key) => key == "devFraction"
        ? "\"devFraction\""
        : "--" + string.Concat(key.Select(c => char.IsUpper(c) ? "-" + char.ToLowerInvariant(c) : c.ToString()));

    /// <summary>The dev split of <paramref name="trainCount"/> training samples.</summary>
    public int DevCount(int trainCount) => Math.Max(1, (int)Math.Round(trainCount * DevFraction));

    /// <summary>
    /// Checks every value against what it may be and against the data set and model it goes with, naming the first bad
    /// one through <paramref name="where"/> (default: its command-line option). Runs before any run folder exists.
    /// </summary>
    public TrainConfig Validate(Func<string, string>? where = null)
    {
        var check = new ConfigCheck(where ?? OptionName);
        check.Require("dataset", Dataset, DatasetInfo.Find(Dataset) is not null, "one of " + DatasetInfo.Names);
        var data = DatasetInfo.Find(Dataset)!;
        string kind = ModelOrDefault.Split(':')[0];
        check.Problem("model", ModelOrDefault, ModelFactory.Problem(ModelOrDefault, data.Features, data.Classes, data.ImageShape))
            .OneOf("act", Act, ModelFactory.Activations)
            .OneOf("opt", Opt, TrainJob.Optimizers)
            .Finite("lr", Lr, 0, inclusive: false)
            .AtLeast("batch", Batch, 1)
            .AtLeast("epochs", Epochs, 1)
            .Finite("weightDecay", WeightDecay, 0, inclusive: true)
            .Finite("dropout", Dropout, 0, inclusive: true, below: 1)
            .AtLeast("earlyStop", EarlyStop, 1)
            .OneOf("init", Init, ModelFactory.Inits)
            .Require("scheduler", Scheduler, Scheduler is null || SchedulerSpec.Parse(Scheduler) is not null, SchedulerSpec.Forms)
            .AtLeast("trainLimit", TrainLimit, 2)
            .AtLeast("testLimit", TestLimit, 1)
            .Finite("devFraction", DevFraction, 0, inclusive: false, below: 1)
            .Problem("device", Device, DeviceChoice.Problem(Device))
            // Settings the chosen model would silently ignore are mistakes too.
            .Require("batchnorm", Batchnorm, !Batchnorm || kind == "mlp", $"false for {kind} (BatchNorm is added to MLPs only)")
            .Require("dropout", Dropout, Dropout == 0 || ModelFactory.TakesDropout(ModelOrDefault),
                CnnSpec.IsCnn(ModelOrDefault) ? $"0 for {ModelOrDefault} (a CNN spec places dropout where it says drop, e.g. cnn:c16k5-pool2-fc128-drop)"
                    : $"0 for {kind} (dropout is added to mlp and cnn models only)")
            .Require("act", Act, Act == "relu" || kind != "softmax", "relu for softmax (softmax regression has no hidden layer)");
        int train = Math.Min(TrainLimit ?? data.TrainCount, data.TrainCount);
        int dev = DevCount(train);
        check.Problem(TrainLimit is null ? "devFraction" : "trainLimit", TrainLimit is null ? DevFraction : TrainLimit,
            dev < train ? null : $"{dev} of the {train} training samples would go to the dev split ({DevFraction.ToString(CultureInfo.InvariantCulture)} of them), leaving none to train on");
        return this;
    }
}
