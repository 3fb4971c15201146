namespace Dendrite.Distributed.Mpi;

/// <summary>
/// The handles and constants of MPICH's C ABI that this layer uses, with the values of Debian's mpich 4
/// (<c>/usr/include/x86_64-linux-gnu/mpich/mpi.h</c>). MPICH's handles are plain <c>int</c>s whose values are fixed by
/// its ABI, shared by every MPICH-derived library that exports it (<c>libmpich.so.12</c>, and <c>libmpi.so.12</c> of
/// Intel MPI and MVAPICH).
/// </summary>
internal static class MpiAbi
{
    /// <summary>The sonames tried, in order.</summary>
    public static readonly string[] Sonames = ["libmpich.so.12", "libmpi.so.12"];

    /// <summary>MPI_SUCCESS.</summary>
    public const int Success = 0;

    /// <summary>MPI_COMM_WORLD.</summary>
    public const int CommWorld = 0x44000000;

    /// <summary>MPI_BYTE.</summary>
    public const int Byte = 0x4c00010d;

    /// <summary>MPI_INT (32-bit).</summary>
    public const int Int = 0x4c000405;

    /// <summary>MPI_INT64_T.</summary>
    public const int Int64 = 0x4c00083a;

    /// <summary>MPI_FLOAT.</summary>
    public const int Float = 0x4c00040a;

    /// <summary>MPI_DOUBLE.</summary>
    public const int Double = 0x4c00080b;

    /// <summary>MPI_MAX.</summary>
    public const int OpMax = 0x58000001;

    /// <summary>MPI_MIN.</summary>
    public const int OpMin = 0x58000002;

    /// <summary>MPI_SUM.</summary>
    public const int OpSum = 0x58000003;

    /// <summary>MPI_ERRORS_RETURN: calls report failures as return codes instead of aborting the job.</summary>
    public const int ErrorsReturn = 0x54000001;

    /// <summary>MPI_THREAD_SERIALIZED: any thread may call, one at a time.</summary>
    public const int ThreadSerialized = 2;

    /// <summary>MPI_MAX_ERROR_STRING.</summary>
    public const int MaxErrorString = 512;

    /// <summary>MPI_MAX_LIBRARY_VERSION_STRING.</summary>
    public const int MaxLibraryVersionString = 8192;

    /// <summary>MPI_IN_PLACE: <c>(void *) -1</c>.</summary>
    public static readonly nint InPlace = -1;
}
