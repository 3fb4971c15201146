namespace Dendrite.Backends.Cpu;

/// <summary>
/// Reuses large buffers that the autograd engine has proven dead (gradients it created and consumed during a
/// backward pass), so a training step does not fault in fresh pages for every large tensor: a fresh 5 MB array
/// costs about 1 ms in page faults, a reused one nothing. Buffers are matched by element type and exact length,
/// which training loops repeat every step. The pool is bounded; past the bound, buffers are left to the GC.
/// </summary>
internal static class StoragePool
{
    /// <summary>Smaller buffers come cheaply from the GC's allocation context; pooling them would not pay.</summary>
    public const int MinPooledBytes = 4 * 1024;

    /// <summary>Upper bound on the bytes held by the pool.</summary>
    public const long MaxPooledBytes = 256L * 1024 * 1024;

    // One bucket per (element type, exact length). A training loop uses a few dozen sizes at most, so a list searched
    // from the most recently added bucket is as quick as a hash table here, and unlike a dictionary keyed by a value
    // type it needs no generic framework code compiled at run time (ReadyToRun images carry all of it).
    private static readonly List<Bucket> Buckets = [];
    private const int MaxBuckets = 64;

    private sealed class Bucket(Type element, int length)
    {
        public readonly Type Element = element;
        public readonly int Length = length;
        public readonly Stack<Array> Arrays = new();
    }

    private static Bucket? Find(Type element, int length)
    {
        for (int i = Buckets.Count - 1; i >= 0; i--)
        {
            var b = Buckets[i];
            if (b.Length == length && b.Element == element)
                return b;
        }
        return null;
    }
    private static long _pooledBytes;
    private static long _returns;



    /// <summary>A pooled array of exactly <paramref name="length"/> elements, or null when none is free.</summary>
    public static T[]? TryRent<T>(int length) where T : unmanaged
    {
        lock (Buckets)
        {
            if (Find(typeof(T), length) is not { Arrays.Count: > 0 } bucket)
                return null;
            var array = (T[])bucket.Arrays.Pop();
            _pooledBytes -= (long)length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
            return array;
        }
    }

    /// <summary>Gives a dead buffer back to the pool. The caller guarantees nothing references it any more.</summary>
    public static void Return(Array array, int elementSize)
    {
        Interlocked.Increment(ref _returns);
        long bytes = (long)array.Length * elementSize;
        if (bytes < MinPooledBytes)
            return;
        lock (Buckets)
        {
            if (_pooledBytes + bytes > MaxPooledBytes)
                return;
            var element = array.GetType().GetElementType()!;
            var bucket = Find(element, array.Length);
            if (bucket is null)
            {
                // Bounded: a job with ever-new sizes (variable-length inputs) drops its oldest sizes.
                if (Buckets.Count >= MaxBuckets)
                {
                    var oldest = Buckets[0];
                    foreach (var a in oldest.Arrays)
                        _pooledBytes -= Buffer.ByteLength(a);
                    Buckets.RemoveAt(0);
                }
                Buckets.Add(bucket = new Bucket(element, array.Length));
            }
            bucket.Arrays.Push(array);
            _pooledBytes += bytes;
        }
    }

    /// <summary>How many storages the engine has handed back so far (for tests and diagnostics).</summary>
    public static long Returns => Interlocked.Read(ref _returns);

    /// <summary>Bytes currently held (for tests and diagnostics).</summary>
    public static long PooledBytes
    {
        get
        {
            lock (Buckets)
                return _pooledBytes;
        }
    }

    /// <summary>Drops every pooled buffer.</summary>
    public static void Clear()
    {
        lock (Buckets)
        {
            Buckets.Clear();
            _pooledBytes = 0;
        }
    }
}
