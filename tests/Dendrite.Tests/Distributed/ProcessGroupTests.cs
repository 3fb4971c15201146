using Dendrite.Distributed;
using Dendrite.Distributed.Mpi;

namespace Dendrite.Tests.Distributed;

public sealed class ProcessGroupTests
{
    [Fact]
    public void AGroupOfOneNeedsNoMpiAndReturnsItsOwnValues()
    {
        using var g = ProcessGroup.Single();
        Assert.Equal((0, 1, false, "none"), (g.Rank, g.Size, g.IsMpi, g.Library));
        var f = new float[] { 1.5f, -2 };
        g.AllReduce<float>(f);
        Assert.Equal(new[] { 1.5f, -2 }, f);
        var l = new long[] { 7 };
        g.AllReduce<long>(l, ReduceOp.Max);
        Assert.Equal(7, l[0]);
        var all = new double[2];
        g.AllGather<double>([3.0, 4.0], all);
        Assert.Equal(new[] { 3.0, 4.0 }, all);
        Assert.Equal(new byte[] { 9, 8 }, g.BroadcastBytes([9, 8]));
        g.Barrier();
    }

    [Fact]
    public void MisuseIsAnErrorNamingTheProblem()
    {
        var g = ProcessGroup.Single();
        Assert.Contains("needs 2 elements (2 from each of 1 processes), got 3", Assert.Throws<ArgumentException>(() => g.AllGather<long>([1, 2], new long[3])).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => g.Broadcast<int>(new int[1], root: 1));
        Assert.Contains("not supported", Assert.Throws<ArgumentException>(() => g.AllReduce<short>(new short[1])).Message);
        Assert.Contains("bytes cannot be reduced", Assert.Throws<ArgumentException>(() => g.AllReduce<byte>(new byte[1])).Message);
        g.Dispose();
        Assert.Throws<ObjectDisposedException>(() => g.Barrier());
    }

    [Fact]
    public void AMissingMpiLibraryIsAnErrorNamingThePackageToInstall()
    {
        var e = Assert.Throws<MpiUnavailableException>(() => MpiLibrary.Load(["libmpich-not-here.so.12"]));
        Assert.Contains("none of libmpich-not-here.so.12 could be loaded", e.Message);
        Assert.Contains("apt-get install mpich", e.Message);
    }

    [Fact]
    public void TheLaunchIsReadFromTheLaunchersEnvironment()
    {
        MpiLaunch Detect(params (string Key, string Value)[] env) => MpiLaunch.Detect(k => env.FirstOrDefault(e => e.Key == k).Value);
        var hydra = Detect(("PMI_RANK", "1"), ("PMI_SIZE", "4"), ("MPI_LOCALRANKID", "1"), ("MPI_LOCALNRANKS", "2"));
        Assert.Equal((true, 1, 4, "PMI", 1, 2), (hydra.Launched, hydra.Rank, hydra.Size, hydra.Launcher, hydra.LocalRank, hydra.LocalSize));
        var openMpi = Detect(("OMPI_COMM_WORLD_SIZE", "2"), ("OMPI_COMM_WORLD_RANK", "0"));
        Assert.Equal((true, "Open MPI"), (openMpi.Launched, openMpi.Launcher));
        var none = Detect();
        Assert.Equal((false, 0, 1), (none.Launched, none.LocalRank, none.LocalSize));
        Assert.False(Detect(("PMI_SIZE", "two")).Launched);
    }
}
