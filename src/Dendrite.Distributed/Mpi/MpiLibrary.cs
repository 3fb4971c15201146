using System.Runtime.InteropServices;
using System.Text;

namespace Dendrite.Distributed.Mpi;

/// <summary>
/// The entry points of the MPI C library, resolved by soname (<see cref="MpiAbi.Sonames"/>) when the first process
/// group is created: nothing is loaded by a process that never asks for MPI. Every call returns MPI's error code;
/// <see cref="Check"/> turns a failure into an <see cref="MpiException"/> with MPI's own error text.
/// </summary>
internal sealed unsafe class MpiLibrary
{
    private readonly delegate* unmanaged<int*, int> _initialized;
    private readonly delegate* unmanaged<int*, int> _finalized;
    private readonly delegate* unmanaged<int*, byte***, int, int*, int> _initThread;
    private readonly delegate* unmanaged<int> _finalize;
    private readonly delegate* unmanaged<int, int*, int> _commRank;
    private readonly delegate* unmanaged<int, int*, int> _commSize;
    private readonly delegate* unmanaged<int, int, int> _commSetErrhandler;
    private readonly delegate* unmanaged<int, int> _barrier;
    private readonly delegate* unmanaged<void*, int, int, int, int, int> _bcast;
    private readonly delegate* unmanaged<void*, void*, int, int, int, int, int> _allreduce;
    private readonly delegate* unmanaged<void*, int, int, void*, int, int, int, int> _allgather;
    private readonly delegate* unmanaged<int, int, int> _abort;
    private readonly delegate* unmanaged<int, byte*, int*, int> _errorString;
    private readonly delegate* unmanaged<byte*, int*, int> _libraryVersion;

    private MpiLibrary(nint handle, string soname)
    {
        Soname = soname;
        _initialized = (delegate* unmanaged<int*, int>)Export(handle, soname, "MPI_Initialized");
        _finalized = (delegate* unmanaged<int*, int>)Export(handle, soname, "MPI_Finalized");
        _initThread = (delegate* unmanaged<int*, byte***, int, int*, int>)Export(handle, soname, "MPI_Init_thread");
        _finalize = (delegate* unmanaged<int>)Export(handle, soname, "MPI_Finalize");
        _commRank = (delegate* unmanaged<int, int*, int>)Export(handle, soname, "MPI_Comm_rank");
        _commSize = (delegate* unmanaged<int, int*, int>)Export(handle, soname, "MPI_Comm_size");
        _commSetErrhandler = (delegate* unmanaged<int, int, int>)Export(handle, soname, "MPI_Comm_set_errhandler");
        _barrier = (delegate* unmanaged<int, int>)Export(handle, soname, "MPI_Barrier");
        _bcast = (delegate* unmanaged<void*, int, int, int, int, int>)Export(handle, soname, "MPI_Bcast");
        _allreduce = (delegate* unmanaged<void*, void*, int, int, int, int, int>)Export(handle, soname, "MPI_Allreduce");
        _allgather = (delegate* unmanaged<void*, int, int, void*, int, int, int, int>)Export(handle, soname, "MPI_Allgather");
        _abort = (delegate* unmanaged<int, int, int>)Export(handle, soname, "MPI_Abort");
        _errorString = (delegate* unmanaged<int, byte*, int*, int>)Export(handle, soname, "MPI_Error_string");
        _libraryVersion = (delegate* unmanaged<byte*, int*, int>)Export(handle, soname, "MPI_Get_library_version");
    }

    /// <summary>The soname that was loaded.</summary>
    public string Soname { get; }

    /// <summary>Loads the first MPI library found, or throws <see cref="MpiUnavailableException"/> saying what to install.</summary>
    public static MpiLibrary Load() => Load(MpiAbi.Sonames);

    /// <summary>Loads the first of <paramref name="sonames"/> that can be loaded.</summary>
    public static MpiLibrary Load(IReadOnlyList<string> sonames)
    {
        foreach (var soname in sonames)
            if (NativeLibrary.TryLoad(soname, out nint handle))
                return new MpiLibrary(handle, soname);
        throw new MpiUnavailableException(
            $"MPI is not installed: none of {string.Join(", ", sonames)} could be loaded. Dendrite's distributed training uses MPICH " +
            "(on Debian or Ubuntu: apt-get install mpich, which brings mpiexec and libmpich.so.12).");
    }

    private static nint Export(nint handle, string soname, string name) =>
        NativeLibrary.TryGetExport(handle, name, out nint p) ? p
            : throw new MpiUnavailableException($"{soname} does not export {name}: it is not an MPI library with MPICH's ABI; install MPICH (apt-get install mpich).");

    public bool Initialized()
    {
        int flag;
        Check(_initialized(&flag), "MPI_Initialized");
        return flag != 0;
    }

    public bool Finalized()
    {
        int flag;
        Check(_finalized(&flag), "MPI_Finalized");
        return flag != 0;
    }

    /// <summary>MPI_Init_thread without command-line arguments; returns the thread level provided.</summary>
    public int InitThread(int required)
    {
        int provided;
        Check(_initThread(null, null, required, &provided), "MPI_Init_thread");
        return provided;
    }

    public void FinalizeMpi() => Check(_finalize(), "MPI_Finalize");

    public int CommRank(int comm)
    {
        int rank;
        Check(_commRank(comm, &rank), "MPI_Comm_rank");
        return rank;
    }

    public int CommSize(int comm)
    {
        int size;
        Check(_commSize(comm, &size), "MPI_Comm_size");
        return size;
    }

    public void CommSetErrhandler(int comm, int handler) => Check(_commSetErrhandler(comm, handler), "MPI_Comm_set_errhandler");

    public void Barrier(int comm) => Check(_barrier(comm), "MPI_Barrier");

    public void Bcast(void* buffer, int count, int datatype, int root, int comm) => Check(_bcast(buffer, count, datatype, root, comm), "MPI_Bcast");

    public void Allreduce(void* send, void* recv, int count, int datatype, int op, int comm) =>
        Check(_allreduce(send, recv, count, datatype, op, comm), "MPI_Allreduce");

    public void Allgather(void* send, int sendCount, int sendType, void* recv, int recvCount, int recvType, int comm) =>
        Check(_allgather(send, sendCount, sendType, recv, recvCount, recvType, comm), "MPI_Allgather");

    /// <summary>MPI_Abort: ends every process of the job; returns only if the library fails to.</summary>
    public int Abort(int comm, int errorCode) => _abort(comm, errorCode);

    /// <summary>MPI's library version string (for example <c>MPICH Version: 4.0.2 ...</c>), first line only.</summary>
    public string LibraryVersion()
    {
        var buffer = new byte[MpiAbi.MaxLibraryVersionString];
        int length;
        fixed (byte* p = buffer)
            Check(_libraryVersion(p, &length), "MPI_Get_library_version");
        string text = Encoding.UTF8.GetString(buffer, 0, Math.Clamp(length, 0, buffer.Length));
        int newline = text.IndexOf('\n');
        return string.Join(' ', (newline >= 0 ? text[..newline] : text).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>Throws an <see cref="MpiException"/> naming <paramref name="call"/> and MPI's text for <paramref name="code"/> unless it is MPI_SUCCESS.</summary>
    public void Check(int code, string call)
    {
        if (code != MpiAbi.Success)
            throw new MpiException(call, code, ErrorText(code));
    }

    private string ErrorText(int code)
    {
        var buffer = new byte[MpiAbi.MaxErrorString];
        int length = 0;
        fixed (byte* p = buffer)
            if (_errorString(code, p, &length) != MpiAbi.Success)
                return $"MPI error {code}";
        return Encoding.UTF8.GetString(buffer, 0, Math.Clamp(length, 0, buffer.Length)).Trim();
    }
}
