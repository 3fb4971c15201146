using System.Globalization;

namespace Dendrite.Distributed.Mpi;

/// <summary>
/// What the environment says about how this process was started: MPICH's Hydra <c>mpiexec</c> (and Slurm's PMI)
/// set <c>PMI_RANK</c> and <c>PMI_SIZE</c> in every process it starts; Open MPI sets <c>OMPI_COMM_WORLD_*</c> and
/// PMIx launchers <c>PMIX_RANK</c>. The rank among the processes on this machine comes from Hydra's
/// <c>MPI_LOCALRANKID</c> and <c>MPI_LOCALNRANKS</c> (or Open MPI's and Slurm's equivalents). Read without loading any MPI library.
/// </summary>
internal sealed record MpiLaunch(bool Launched, int? Rank, int? Size, string Launcher)
{
    /// <summary>This process's rank among those on its machine (0 when not known).</summary>
    public int LocalRank { get; init; }

    /// <summary>The number of processes of the job on this machine (1 when not known).</summary>
    public int LocalSize { get; init; } = 1;

    /// <summary>The launch of this process.</summary>
    public static MpiLaunch Current { get; } = Detect(Environment.GetEnvironmentVariable);

    /// <summary>Reads the launch from an environment (a lookup of variable names).</summary>
    public static MpiLaunch Detect(Func<string, string?> env) =>
        DetectWorld(env) with
        {
            LocalRank = Int(env("MPI_LOCALRANKID")) ?? Int(env("OMPI_COMM_WORLD_LOCAL_RANK")) ?? Int(env("SLURM_LOCALID")) ?? 0,
            LocalSize = Math.Max(1, Int(env("MPI_LOCALNRANKS")) ?? Int(env("OMPI_COMM_WORLD_LOCAL_SIZE")) ?? 1),
        };

    private static MpiLaunch DetectWorld(Func<string, string?> env)
    {
        if (Int(env("OMPI_COMM_WORLD_SIZE")) is int ompiSize)
            return new MpiLaunch(true, Int(env("OMPI_COMM_WORLD_RANK")), ompiSize, "Open MPI");
        if (Int(env("PMI_SIZE")) is int size)
            return new MpiLaunch(true, Int(env("PMI_RANK")), size, "PMI");
        if (Int(env("PMI_RANK")) is int rank)
            return new MpiLaunch(true, rank, null, "PMI");
        if (Int(env("PMIX_RANK")) is int pmixRank)
            return new MpiLaunch(true, pmixRank, null, "PMIx");
        return new MpiLaunch(false, null, null, "none");
    }

    private static int? Int(string? value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : null;
}
