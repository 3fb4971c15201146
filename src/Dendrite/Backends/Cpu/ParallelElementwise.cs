using System.Numerics;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// Splits large elementwise kernels over <see cref="Threads.Count"/> threads. Below
/// <see cref="MinElements"/> a second thread costs more to wake than it saves, so small tensors run inline.
/// </summary>
internal static class ParallelElementwise
{
    /// <summary>The smallest element count worth splitting (a 1 MB float tensor).</summary>
    public const int MinElements = 1 << 18;

    // Chunks are multiples of 64 elements so each starts on a cache-line boundary of an aligned buffer.
    internal static int ChunkSize(int n, int threads) => (n / threads + 63) & ~63;

    /// <summary>y = op(x) over n dense elements.</summary>
    public static void Unary<TK, T>(T[] x, int xOffset, T[] y, int yOffset, int n) where TK : IUnaryOp where T : unmanaged, IFloatingPointIeee754<T>
    {
        int threads = Threads.Count;
        if (threads <= 1 || n < MinElements)
        {
            TK.Run<T>(x.AsSpan(xOffset, n), y.AsSpan(yOffset, n));
            return;
        }
        int chunk = ChunkSize(n, threads);
        CpuParallel.For((n + chunk - 1) / chunk, new UnaryBody<TK, T> { X = x, XOffset = xOffset, Y = y, YOffset = yOffset, N = n, Chunk = chunk });
    }

    /// <summary>y = f(a, b) over n dense elements.</summary>
    public static void Map2<TF, T>(T[] a, int aOffset, T[] b, int bOffset, T[] y, int yOffset, int n) where TF : IVectorFunc2 where T : unmanaged, IFloatingPointIeee754<T>
    {
        int threads = Threads.Count;
        if (threads <= 1 || n < MinElements)
        {
            VectorLoops.Map2<TF, T>(a.AsSpan(aOffset, n), b.AsSpan(bOffset, n), y.AsSpan(yOffset, n));
            return;
        }
        int chunk = ChunkSize(n, threads);
        CpuParallel.For((n + chunk - 1) / chunk, new Map2Body<TF, T> { A = a, AOffset = aOffset, B = b, BOffset = bOffset, Y = y, YOffset = yOffset, N = n, Chunk = chunk });
    }

    /// <summary>y = op(a, b) over n dense, same-shaped elements.</summary>
    public static void Binary<TK, T>(T[] a, int aOffset, T[] b, int bOffset, T[] y, int yOffset, int n) where TK : IBinaryOp where T : unmanaged, IFloatingPointIeee754<T>
    {
        int threads = Threads.Count;
        if (threads <= 1 || n < MinElements)
        {
            TK.Run<T>(a.AsSpan(aOffset, n), b.AsSpan(bOffset, n), y.AsSpan(yOffset, n));
            return;
        }
        int chunk = ChunkSize(n, threads);
        CpuParallel.For((n + chunk - 1) / chunk, new BinaryBody<TK, T> { A = a, AOffset = aOffset, B = b, BOffset = bOffset, Y = y, YOffset = yOffset, N = n, Chunk = chunk });
    }

    private struct UnaryBody<TK, T> : IParallelBody where TK : IUnaryOp where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T[] X, Y;
        public int XOffset, YOffset, N, Chunk;

        public readonly void Invoke(int index)
        {
            int start = index * Chunk, length = Math.Min(Chunk, N - start);
            TK.Run<T>(X.AsSpan(XOffset + start, length), Y.AsSpan(YOffset + start, length));
        }
    }

    private struct Map2Body<TF, T> : IParallelBody where TF : IVectorFunc2 where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T[] A, B, Y;
        public int AOffset, BOffset, YOffset, N, Chunk;

        public readonly void Invoke(int index)
        {
            int start = index * Chunk, length = Math.Min(Chunk, N - start);
            VectorLoops.Map2<TF, T>(A.AsSpan(AOffset + start, length), B.AsSpan(BOffset + start, length), Y.AsSpan(YOffset + start, length));
        }
    }

    private struct BinaryBody<TK, T> : IParallelBody where TK : IBinaryOp where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T[] A, B, Y;
        public int AOffset, BOffset, YOffset, N, Chunk;

        public readonly void Invoke(int index)
        {
            int start = index * Chunk, length = Math.Min(Chunk, N - start);
            TK.Run<T>(A.AsSpan(AOffset + start, length), B.AsSpan(BOffset + start, length), Y.AsSpan(YOffset + start, length));
        }
    }
}
