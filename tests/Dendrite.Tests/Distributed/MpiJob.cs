using System.Diagnostics;

namespace Dendrite.Tests.Distributed;

/// <summary>
/// Starts real MPI jobs for the distributed tests: <c>mpiexec -n N program args</c> (MPICH's Hydra), or the program
/// alone, with its output captured and a wall-clock limit after which the whole process tree is killed.
/// </summary>
internal static class MpiJob
{
    /// <summary>mpiexec on the PATH, or null.</summary>
    public static string? Mpiexec { get; } = FindOnPath("mpiexec");

    /// <summary>
    /// Whether MPICH (its mpiexec and libmpich.so.12) is installed. The library is looked for, never loaded: loading it
    /// brings in UCX, whose SIGSEGV handler would end this test process at the first null dereference .NET catches.
    /// </summary>
    public static bool Available => Mpiexec is not null && LibraryDirectories().Any(dir => File.Exists(Path.Combine(dir, "libmpich.so.12")));

    private static IEnumerable<string> LibraryDirectories() =>
        (Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/local/lib"]);

    /// <summary>The test program started under mpiexec (tests/Dendrite.MpiHost), beside the test assembly.</summary>
    public static string Host => Path.Combine(AppContext.BaseDirectory, "Dendrite.MpiHost");

    /// <summary>The dendrite command, beside the test assembly.</summary>
    public static string Cli => Path.Combine(AppContext.BaseDirectory, "Dendrite.Cli");

    /// <summary>The result of a job: exit code, standard output and error, and how long it took.</summary>
    public sealed record Result(int Code, string Out, string Err, TimeSpan Elapsed);

    /// <summary>Runs <paramref name="program"/> as <paramref name="processes"/> MPI processes (or alone when null).</summary>
    public static Result Run(int? processes, string program, IEnumerable<string> args, string? workingDirectory = null, int timeoutSeconds = 180)
    {
        var psi = processes is int n ? new ProcessStartInfo(Mpiexec!) : new ProcessStartInfo(program);
        if (processes is int count)
        {
            psi.ArgumentList.Add("-n");
            psi.ArgumentList.Add(count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            psi.ArgumentList.Add(program);
        }
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.UseShellExecute = false;
        psi.WorkingDirectory = workingDirectory ?? Path.GetTempPath();
        psi.Environment["NO_COLOR"] = "1";
        // The test runner's own MPI variables, if any, must not leak into a job started without mpiexec.
        foreach (var name in new[] { "PMI_RANK", "PMI_SIZE", "PMI_FD", "MPI_LOCALNRANKS", "MPI_LOCALRANKID" })
            psi.Environment.Remove(name);
        var clock = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(timeoutSeconds)))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            throw new TimeoutException($"{psi.FileName} {string.Join(' ', psi.ArgumentList)} did not end within {timeoutSeconds} s; stderr so far: {stderr.Result}");
        }
        p.WaitForExit();
        return new Result(p.ExitCode, stdout.Result, stderr.Result, clock.Elapsed);
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);
}

/// <summary>A fact that starts real MPI jobs: skipped, saying what to install, where MPICH is missing.</summary>
public sealed class MpiFactAttribute : FactAttribute
{
    public MpiFactAttribute()
    {
        if (!MpiJob.Available)
            Skip = "MPICH is not installed (mpiexec and libmpich.so.12 are needed to start distributed jobs): sudo apt-get install mpich";
    }
}

/// <summary>The tests that start MPI jobs run one at a time (each job already uses every core).</summary>
[CollectionDefinition("mpi", DisableParallelization = true)]
public sealed class MpiCollection
{
}
