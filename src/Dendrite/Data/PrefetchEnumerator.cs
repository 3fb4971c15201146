using System.Collections;
using System.Runtime.ExceptionServices;

namespace Dendrite.Data;

/// <summary>
/// Delivers batches 0..count-1 in order while worker threads build them ahead: worker w builds batches
/// w, w+W, w+2W, ...; batch k may only start once batch k-depth has been taken, so at most <c>depth</c> batches are
/// held in the ring buffer. Disposing (or collecting) the enumerator stops the workers.
/// </summary>
internal sealed class PrefetchEnumerator : IEnumerator<Batch>
{
    private readonly Shared _shared;
    private Batch? _current;

    public PrefetchEnumerator(Func<int, Batch> produce, int count, int workers, int depth)
    {
        _shared = new Shared(produce, count, Math.Max(depth, workers));
        _shared.Start(Math.Min(workers, Math.Max(count, 1)));
    }

    ~PrefetchEnumerator() => _shared.Stop(join: false);

    public Batch Current => _current ?? throw new InvalidOperationException("DataLoader: enumeration has not started.");

    object IEnumerator.Current => Current;

    public bool MoveNext()
    {
        _current = _shared.Take();
        return _current is not null;
    }

    public void Reset() => throw new NotSupportedException("DataLoader: start a new epoch with a new enumeration instead of Reset.");

    public void Dispose()
    {
        _shared.Stop(join: true);
        GC.SuppressFinalize(this);
    }

    // Everything the worker threads touch; it never references the enumerator, so an abandoned enumerator can be
    // finalized and stop them.
    private sealed class Shared(Func<int, Batch> produce, int count, int depth)
    {
        private readonly object _lock = new();
        private readonly Batch?[] _ring = new Batch?[depth];
        private readonly ExceptionDispatchInfo?[] _errors = new ExceptionDispatchInfo?[depth];
        private readonly bool[] _ready = new bool[depth];
        private Thread[] _threads = [];
        private int _consumed;
        private bool _stopped;

        public void Start(int workers)
        {
            _threads = new Thread[workers];
            for (int w = 0; w < workers; w++)
            {
                int first = w, stride = workers;
                _threads[w] = new Thread(() => Run(first, stride)) { IsBackground = true, Name = $"DataLoader worker {w}" };
                _threads[w].Start();
            }
        }

        private void Run(int first, int stride)
        {
            for (int k = first; k < count; k += stride)
            {
                lock (_lock)
                {
                    while (!_stopped && k >= _consumed + depth)
                        Monitor.Wait(_lock);
                    if (_stopped)
                        return;
                }
                Batch? batch = null;
                ExceptionDispatchInfo? error = null;
                try
                {
                    batch = produce(k);
                }
                catch (Exception e)
                {
                    error = ExceptionDispatchInfo.Capture(e);
                }
                lock (_lock)
                {
                    int slot = k % depth;
                    _ring[slot] = batch;
                    _errors[slot] = error;
                    _ready[slot] = true;
                    Monitor.PulseAll(_lock);
                    if (error is not null)
                        return;
                }
            }
        }

        public Batch? Take()
        {
            ExceptionDispatchInfo? error;
            Batch? batch;
            lock (_lock)
            {
                if (_stopped || _consumed >= count)
                    return null;
                int slot = _consumed % depth;
                while (!_ready[slot])
                    Monitor.Wait(_lock);
                batch = _ring[slot];
                error = _errors[slot];
                _ring[slot] = null;
                _errors[slot] = null;
                _ready[slot] = false;
                _consumed++;
                Monitor.PulseAll(_lock);
            }
            if (error is not null)
            {
                Stop(join: true);
                error.Throw();
            }
            return batch;
        }

        public void Stop(bool join)
        {
            lock (_lock)
            {
                _stopped = true;
                Array.Clear(_ring);
                Monitor.PulseAll(_lock);
            }
            if (!join)
                return;
            foreach (var t in _threads)
                if (t != Thread.CurrentThread)
                    t.Join();
        }
    }
}
