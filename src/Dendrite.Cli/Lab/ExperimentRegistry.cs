using Dendrite.Cli.Lab.Experiments;

namespace Dendrite.Cli.Lab;

/// <summary>The lab's experiments in lesson order.</summary>
public static class ExperimentRegistry
{
    /// <summary>All experiments.</summary>
    public static IReadOnlyList<IExperiment> All { get; } =
    [
        new FitFunctionExperiment(),
        new MoonsMlpExperiment(),
        new InitSymmetryExperiment(),
        new VanishingGradientsExperiment(),
        new ActivationsExperiment(),
        new OptimizersExperiment(),
        new BatchNormExperiment(),
        new RegularizationExperiment(),
        new HyperparameterSearchExperiment(),
        new LinearRegressionExperiment(),
        new SoftmaxRegressionExperiment(),
        new MlpExperiment(),
        new CnnExperiment(),
        new CnnSweepExperiment(),
        new PerceptronExperiment(),
        new AutogradVsManualExperiment(),
    ];

    /// <summary>Looks up experiments by name ('all' selects every one); unknown names are an error listing the valid ones.</summary>
    public static IReadOnlyList<IExperiment> Resolve(IReadOnlyList<string> names)
    {
        if (names.Count == 0) throw new ArgumentException("lab run: name at least one experiment, or 'all' (see `dendrite lab list`)");
        if (names.Any(n => n.Equals("all", StringComparison.OrdinalIgnoreCase))) return All;
        var result = new List<IExperiment>();
        foreach (var n in names)
        {
            var e = All.FirstOrDefault(x => x.Name.Equals(n, StringComparison.OrdinalIgnoreCase))
                    ?? throw new ArgumentException($"lab run: unknown experiment '{n}'; known: {string.Join(", ", All.Select(x => x.Name))}");
            if (!result.Contains(e)) result.Add(e);
        }
        return result;
    }
}
