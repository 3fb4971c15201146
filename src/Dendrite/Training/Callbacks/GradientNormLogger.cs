using System.Globalization;
using System.Text;

namespace Dendrite.Training.Callbacks;

/// <summary>
/// After backward, computes the L2 norm of each parameter's gradient every <see cref="EverySteps"/> steps, keeps them
/// in <see cref="LastNorms"/> and prints one line per step to a writer (for spotting vanishing or exploding gradients).
/// </summary>
public sealed class GradientNormLogger(TextWriter? writer = null, int everySteps = 1) : TrainerCallback
{
    private readonly Dictionary<string, double> _norms = [];

    /// <summary>Steps between reports.</summary>
    public int EverySteps { get; } = everySteps >= 1 ? everySteps
        : throw new ArgumentOutOfRangeException(nameof(everySteps), $"GradientNormLogger: everySteps must be at least 1, got {everySteps}.");

    /// <summary>The gradient norm of each parameter at the last reported step (parameters without a gradient are absent).</summary>
    public IReadOnlyDictionary<string, double> LastNorms => _norms;

    /// <inheritdoc/>
    public override void OnAfterBackward(StepContext context)
    {
        if (context.GlobalStep % EverySteps != 0)
            return;
        _norms.Clear();
        var line = new StringBuilder().Append(CultureInfo.InvariantCulture, $"epoch {context.Epoch} step {context.Step} grad-norm:");
        foreach (var (name, p) in context.Trainer.UnwrappedModel.NamedParameters())
        {
            if (p.Grad is null)
                continue;
            double sum = 0;
            foreach (double g in p.Grad.Detach().To(DType.Float64).ToArray<double>())
                sum += g * g;
            double norm = Math.Sqrt(sum);
            _norms[name] = norm;
            line.Append(CultureInfo.InvariantCulture, $" {name}={norm:G4}");
        }
        writer?.WriteLine(line.ToString());
    }
}
