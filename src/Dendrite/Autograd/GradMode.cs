namespace Dendrite.Autograd;

/// <summary>Whether operations are recorded for autograd on the current thread.</summary>
public static class GradMode
{
    [ThreadStatic]
    private static bool _disabled;

    /// <summary>True when new operations are recorded (the default).</summary>
    public static bool IsEnabled => !_disabled;

    internal static bool SetEnabled(bool enabled)
    {
        bool previous = !_disabled;
        _disabled = !enabled;
        return previous;
    }
}

/// <summary>Restores the previous grad mode when disposed; returned by <see cref="Dendrite.Autograd.Autograd.NoGrad()"/>.</summary>
public readonly struct GradModeScope : IDisposable
{
    private readonly bool _previous;

    internal GradModeScope(bool enabled) => _previous = GradMode.SetEnabled(enabled);

    /// <summary>Restores the grad mode that was active before the scope began.</summary>
    public void Dispose() => GradMode.SetEnabled(_previous);
}
