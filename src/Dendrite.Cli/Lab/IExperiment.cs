namespace Dendrite.Cli.Lab;

/// <summary>One lab experiment: a readable training script that reports its numbers and plots through its context.</summary>
public interface IExperiment
{
    /// <summary>The command-line name, e.g. <c>moons-mlp</c>.</summary>
    string Name { get; }

    /// <summary>A short human title.</summary>
    string Title { get; }

    /// <summary>One sentence on what the experiment shows.</summary>
    string Description { get; }

    /// <summary>Whether the experiment reads Fashion-MNIST (and is skipped when it is not installed).</summary>
    bool NeedsFashionMnist { get; }

    /// <summary>Runs the experiment; throws on failure.</summary>
    void Run(ExperimentContext ctx);
}
