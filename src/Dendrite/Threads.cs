namespace Dendrite;

/// <summary>
/// The number of CPU threads Dendrite's kernels may use (like <c>torch.set_num_threads</c>).
/// </summary>
public static class Threads
{
    private static int _count = Math.Max(1, Environment.ProcessorCount);

    /// <summary>Threads used by multi-threaded kernels (GEMM, convolution). Defaults to all cores; at least 1.</summary>
    public static int Count
    {
        get => _count;
        set
        {
            if (value < 1)
                throw new ArgumentOutOfRangeException(nameof(value), value, "Threads.Count: the thread count must be at least 1.");
            _count = value;
        }
    }
}
