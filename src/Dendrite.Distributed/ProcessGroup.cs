using System.Diagnostics.CodeAnalysis;
using Dendrite.Distributed.Mpi;
using Dendrite.Training;

namespace Dendrite.Distributed;

/// <summary>
/// The processes of a distributed job and the collective operations between them (like PyTorch's default process
/// group): each process has a <see cref="Rank"/> in 0 .. <see cref="Size"/> − 1, and every process must make the
/// same collective calls in the same order. <see cref="Init"/> joins the MPI job when the process was started by
/// <c>mpiexec</c>; a process started without it is a world of size 1 that needs no MPI library. Collectives may be
/// called from any thread, one at a time (calls are serialized here).
/// </summary>
public sealed unsafe class ProcessGroup : IProcessGroup, IDisposable
{
    private static readonly Lock InitGate = new();
    private static ProcessGroup? _world;

    private readonly MpiLibrary? _mpi;
    private readonly Lock _gate = new();
    private bool _disposed;

    private ProcessGroup(MpiLibrary? mpi, int rank, int size, string library)
    {
        _mpi = mpi;
        Rank = rank;
        Size = size;
        Library = library;
    }

    /// <summary>This process's rank.</summary>
    public int Rank { get; }

    /// <summary>The number of processes.</summary>
    public int Size { get; }

    /// <summary>Whether this group runs over MPI (false for a world of size 1 started without <c>mpiexec</c>).</summary>
    public bool IsMpi => _mpi is not null;

    /// <summary>The MPI library in use (its soname and version line), or <c>none</c>.</summary>
    public string Library { get; }

    /// <summary>Whether this is rank 0, the process that prints and writes files.</summary>
    public bool IsMain => Rank == 0;

    /// <summary>
    /// Whether an MPI launcher started this process (<c>mpiexec</c> sets <c>PMI_RANK</c>/<c>PMI_SIZE</c>); read from
    /// the environment, without loading MPI.
    /// </summary>
    public static bool LaunchedByMpi => MpiLaunch.Current.Launched;

    /// <summary>This process's rank as the launcher's environment gives it, before <see cref="Init"/> (0 when not launched by MPI).</summary>
    public static int LaunchRank => MpiLaunch.Current.Rank ?? 0;

    /// <summary>The number of processes as the launcher's environment gives it, before <see cref="Init"/> (1 when not launched by MPI, null when the launcher does not say).</summary>
    public static int? LaunchSize => MpiLaunch.Current.Launched ? MpiLaunch.Current.Size : 1;

    /// <summary>This process's rank among the processes on its machine, from the launcher's environment (0 when not launched by MPI); for choosing a GPU per process.</summary>
    public static int LocalRank => MpiLaunch.Current.LocalRank;

    /// <summary>The number of processes of the job on this machine, from the launcher's environment (1 when not launched by MPI or not known).</summary>
    public static int LocalSize => MpiLaunch.Current.LocalSize;

    /// <summary>
    /// The world group of this process, created on the first call: when <see cref="LaunchedByMpi"/>, MPI is loaded
    /// (<c>libmpich.so.12</c>, else <c>libmpi.so.12</c>) and initialized; otherwise a world of size 1 without MPI.
    /// Throws <see cref="MpiUnavailableException"/> when the process was launched by <c>mpiexec</c> but no
    /// MPICH-compatible library can be loaded (saying what to install), or was launched by Open MPI's <c>mpiexec</c>.
    /// Under MPI, an unhandled exception on any rank prints its message and aborts the whole job
    /// (<see cref="Abort"/>), so that the other ranks never wait for it forever.
    /// </summary>
    public static ProcessGroup Init()
    {
        lock (InitGate)
        {
            if (_world is { } w)
                return w._disposed ? throw new ObjectDisposedException(nameof(ProcessGroup), "ProcessGroup.Init: the world group was finalized; MPI cannot be started twice in one process.") : w;
            var launch = MpiLaunch.Current;
            _world = launch.Launched ? InitMpi(launch) : Single();
            return _world;
        }
    }

    /// <summary>A group of one process (rank 0 of 1) with no MPI: every collective returns this process's own values.</summary>
    public static ProcessGroup Single() => new(null, 0, 1, "none");

    private static ProcessGroup InitMpi(MpiLaunch launch)
    {
        if (launch.Launcher == "Open MPI")
            throw new MpiUnavailableException(
                "this process was started by Open MPI's mpiexec, but Dendrite uses MPICH's ABI: install MPICH (apt-get install mpich) and start the job with its " +
                "mpiexec (mpiexec.mpich on a machine that has both).");
        // UCX (MPICH's network layer on Debian) installs handlers for SIGSEGV and friends that end the process, where
        // .NET turns those signals into NullReferenceException: leave the signals to .NET. UCX reads its settings
        // when it is loaded, with the MPI library, so this comes first.
        NativeEnvironment.Set("UCX_ERROR_SIGNALS", "");
        var mpi = MpiLibrary.Load();
        if (!mpi.Initialized())
            mpi.InitThread(MpiAbi.ThreadSerialized);
        mpi.CommSetErrhandler(MpiAbi.CommWorld, MpiAbi.ErrorsReturn);
        var group = new ProcessGroup(mpi, mpi.CommRank(MpiAbi.CommWorld), mpi.CommSize(MpiAbi.CommWorld), $"{mpi.Soname} ({mpi.LibraryVersion()})");
        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
        {
            Console.Error.WriteLine($"rank {group.Rank}: unhandled exception, aborting the job: {e.ExceptionObject}");
            group.Abort(1);
        };
        return group;
    }

    /// <summary>Waits until every process has called it.</summary>
    public void Barrier()
    {
        lock (_gate)
        {
            var mpi = Mpi();
            mpi?.Barrier(MpiAbi.CommWorld);
        }
    }

    /// <summary>
    /// Copies <paramref name="data"/> of rank <paramref name="root"/> into <paramref name="data"/> of every other process
    /// (all must pass the same length). Elements: byte, int, long, float or double.
    /// </summary>
    public void Broadcast<T>(Span<T> data, int root = 0) where T : unmanaged
    {
        CheckRank(root, nameof(root));
        int type = Datatype<T>("Broadcast");
        lock (_gate)
        {
            if (Mpi() is not { } mpi || data.IsEmpty)
                return;
            fixed (T* p = data)
                mpi.Bcast(p, data.Length, type, root, MpiAbi.CommWorld);
        }
    }

    /// <summary>
    /// Replaces <paramref name="data"/> on every process by its element-wise reduction over all processes (all must pass
    /// the same length). Elements: int, long, float or double.
    /// </summary>
    public void AllReduce<T>(Span<T> data, ReduceOp op = ReduceOp.Sum) where T : unmanaged
    {
        int type = Datatype<T>("AllReduce");
        if (typeof(T) == typeof(byte))
            throw new ArgumentException("ProcessGroup.AllReduce: bytes cannot be reduced; use int, long, float or double.");
        int mpiOp = op switch
        {
            ReduceOp.Sum => MpiAbi.OpSum,
            ReduceOp.Max => MpiAbi.OpMax,
            ReduceOp.Min => MpiAbi.OpMin,
            _ => throw new ArgumentOutOfRangeException(nameof(op), op, "ProcessGroup.AllReduce: unknown reduction."),
        };
        lock (_gate)
        {
            if (Mpi() is not { } mpi || data.IsEmpty)
                return;
            fixed (T* p = data)
                mpi.Allreduce((void*)MpiAbi.InPlace, p, data.Length, type, mpiOp, MpiAbi.CommWorld);
        }
    }

    /// <summary>
    /// Gathers every process's <paramref name="mine"/> (the same length on all) into <paramref name="all"/>
    /// (<see cref="Size"/> times as long), rank r's elements at <c>r * mine.Length</c>. Elements: byte, int, long, float or double.
    /// </summary>
    public void AllGather<T>(ReadOnlySpan<T> mine, Span<T> all) where T : unmanaged
    {
        int type = Datatype<T>("AllGather");
        if ((long)mine.Length * Size != all.Length)
            throw new ArgumentException($"ProcessGroup.AllGather: the result needs {(long)mine.Length * Size} elements ({mine.Length} from each of {Size} processes), got {all.Length}.");
        lock (_gate)
        {
            if (Mpi() is not { } mpi)
            {
                mine.CopyTo(all);
                return;
            }
            if (mine.IsEmpty)
                return;
            fixed (T* s = mine)
            fixed (T* r = all)
                mpi.Allgather(s, mine.Length, type, r, mine.Length, type, MpiAbi.CommWorld);
        }
    }

    /// <summary>A copy of rank <paramref name="root"/>'s <paramref name="data"/> on every process (its length need not be known elsewhere).</summary>
    public byte[] BroadcastBytes(byte[]? data, int root = 0)
    {
        CheckRank(root, nameof(root));
        if (Rank == root)
            ArgumentNullException.ThrowIfNull(data);
        Span<long> length = [Rank == root ? data!.LongLength : 0];
        Broadcast(length, root);
        if (length[0] > Array.MaxLength)
            throw new ArgumentException($"ProcessGroup.BroadcastBytes: {length[0]} bytes is more than one array holds.");
        var result = Rank == root ? data! : new byte[length[0]];
        Broadcast(result.AsSpan(), root);
        return result;
    }

    /// <summary>
    /// Ends every process of the job with <paramref name="exitCode"/> (MPI_Abort): for a failure some ranks see and
    /// others do not, which would otherwise leave them waiting in a collective forever. Without MPI it exits this process.
    /// </summary>
    [DoesNotReturn]
    public void Abort(int exitCode)
    {
        Console.Out.Flush();
        Console.Error.Flush();
        // mpiexec stops forwarding output once it tears the job down: give it a moment to pass on what was just printed.
        if (_mpi is not null)
            Thread.Sleep(250);
        if (_mpi is not null && !_disposed)
            _mpi.Abort(MpiAbi.CommWorld, exitCode);
        Environment.Exit(exitCode);
        throw new InvalidOperationException("unreachable");
    }

    /// <summary>Finalizes MPI (after which no collective may be called, and MPI cannot be initialized again in this process).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
                return;
            _disposed = true;
            if (_mpi is not null && !_mpi.Finalized())
                _mpi.FinalizeMpi();
        }
    }

    /// <inheritdoc/>
    void IProcessGroup.AllReduceSum(Span<double> values) => AllReduce(values);

    /// <inheritdoc/>
    void IProcessGroup.AllGather(ReadOnlySpan<long> mine, Span<long> all) => AllGather(mine, all);

    /// <inheritdoc/>
    public override string ToString() => $"ProcessGroup(rank {Rank} of {Size}, {Library})";

    private MpiLibrary? Mpi()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _mpi;
    }

    private void CheckRank(int rank, string name)
    {
        if ((uint)rank >= (uint)Size)
            throw new ArgumentOutOfRangeException(name, rank, $"ProcessGroup: rank {rank} is outside 0 .. {Size - 1}.");
    }

    private static int Datatype<T>(string call) where T : unmanaged
    {
        if (typeof(T) == typeof(float)) return MpiAbi.Float;
        if (typeof(T) == typeof(double)) return MpiAbi.Double;
        if (typeof(T) == typeof(long)) return MpiAbi.Int64;
        if (typeof(T) == typeof(int)) return MpiAbi.Int;
        if (typeof(T) == typeof(byte)) return MpiAbi.Byte;
        throw new ArgumentException($"ProcessGroup.{call}: elements of type {typeof(T).Name} are not supported; use byte, int, long, float or double.");
    }
}
