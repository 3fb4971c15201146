using Dendrite.Cli.Training;

namespace Dendrite.Cli.Lab.Experiments;

/// <summary>
/// 9. DLFS 6.5: random search of learning rate and weight decay for a 6-hidden-layer MLP on a small Fashion-MNIST
/// subset, validated on a split of the training data, with the ranges narrowed over rounds.
/// </summary>
public sealed class HyperparameterSearchExperiment : IExperiment
{
    /// <inheritdoc />
    public string Name => "hyperparameter-search";

    /// <inheritdoc />
    public string Title => "Random hyperparameter search";

    /// <inheritdoc />
    public string Description => "DLFS 6.5: lr ~ 10^U(−6,−2), weight decay ~ 10^U(−8,−4), scored on a validation split, narrowed over rounds (100 trials).";

    /// <inheritdoc />
    public bool NeedsFashionMnist => true;

    /// <inheritdoc />
    public void Run(ExperimentContext ctx)
    {
        var train = new TrainConfig
        {
            Dataset = "fashion-mnist",
            Model = "mlp:784-100-100-100-100-100-100-10",
            Opt = "sgd",
            Init = "he",
            Batch = 100,
            Epochs = ctx.Quick ? 20 : 50,
            Seed = ctx.Seed,
            TrainLimit = ctx.Quick ? 400 : 500,
            TestLimit = 1,
            DevFraction = 0.2,
        };
        var search = ctx.Quick
            ? new SearchExperiment(train, rounds: 3, perRound: 4, Name, Title, Description)
            : new SearchExperiment(train, rounds: 4, perRound: 25, Name, Title, Description);
        search.Run(ctx);
    }
}
