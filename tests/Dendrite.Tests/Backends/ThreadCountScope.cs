namespace Dendrite.Tests.Backends;

/// <summary>Sets <see cref="Threads.Count"/> for a test and restores the previous value on dispose.</summary>
internal sealed class ThreadCountScope : IDisposable
{
    private readonly int _saved = Threads.Count;

    public ThreadCountScope(int count) => Threads.Count = count;

    public void Dispose() => Threads.Count = _saved;
}
