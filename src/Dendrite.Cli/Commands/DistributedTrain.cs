using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using Dendrite.Cli.Runs;
using Dendrite.Cli.Training;
using Dendrite.Cli.Ui;
using Dendrite.Distributed;
using Dendrite.Training;

namespace Dendrite.Cli.Commands;

/// <summary>
/// <c>dendrite train --distributed</c>: one model trained by every process <c>mpiexec</c> started. Rank 0 reads the
/// options, checks them and the files (a resumed checkpoint and its run folder) and sends the job to the others, so
/// that a mistake is one <c>error:</c> line from rank 0 and every process exits with its code. Then every process
/// trains on its shard; only rank 0 prints, writes the run folder and its report (the others work in a temporary
/// folder that is removed at the end, and print only their own errors, as <c>rank N: error: …</c>). A failure on any
/// process after the start aborts the whole job (MPI_Abort) with its exit code, so that no process is left waiting.
/// The processes on one machine divide its cores between them (<see cref="Threads.Count"/>).
/// </summary>
internal static class DistributedTrain
{
    /// <summary>How to start a distributed run, for messages.</summary>
    public const string HowToLaunch =
        "start one process per rank with MPICH's mpiexec, for example: mpiexec -n 2 dendrite train --distributed --dataset fashion-mnist " +
        "(mpiexec comes with MPICH: apt-get install mpich; across machines: mpiexec -f hosts -n 8 dendrite train --distributed ...)";

    private sealed record Job(TrainConfig Config, string OutRoot, RunFolder? Run, string? Checkpoint);

    /// <summary>Runs the command on this process; returns its exit code (or ends the job).</summary>
    public static int Run(CliConsole console, ParseResult parse, TrainOptions opts, string? checkpoint)
    {
        if (!ProcessGroup.LaunchedByMpi)
            return CliApp.Guard(console, parse, _ => throw new UsageException($"--distributed: this process was not started by mpiexec; {HowToLaunch}"));
        ProcessGroup group;
        try
        {
            group = ProcessGroup.Init();
        }
        catch (MpiUnavailableException e)
        {
            var first = ProcessGroup.LaunchRank == 0 ? console : Follower(console, ProcessGroup.LaunchRank);
            return CliApp.Guard(first, parse, _ => throw new UsageException("--distributed: " + e.Message));
        }
        // The processes on one machine share its cores: each gets its part, rather than all of them each.
        Threads.Count = Math.Max(1, Environment.ProcessorCount / ProcessGroup.LocalSize);
        var rankConsole = group.IsMain ? console : Follower(console, group.Rank);
        var ui = group.IsMain ? null : rankConsole.CreateUi(quiet: true, json: false, verbose: parse.GetValue(CliApp.Verbose));
        string? scratch = group.IsMain ? null : Directory.CreateTempSubdirectory($"dendrite-rank{group.Rank}-").FullName;
        int code;
        try
        {
            Job? job = null;
            if (group.IsMain)
            {
                code = CliApp.Guard(console, parse, _ =>
                {
                    job = Prepare(parse, opts, checkpoint, group.Size);
                    return 0;
                });
                Send(group, code, job);
            }
            else
                (code, job) = Receive(group, scratch!);
            if (code != 0)
            {
                // Every process knows rank 0's verdict: they end together, without an abort.
                group.Dispose();
                return code;
            }
            using var ctrlC = new CtrlC(group.IsMain ? console : Silent(rankConsole)); // one "stopping" message, from rank 0
            code = CliApp.Guard(rankConsole, parse, u => job!.Run is { } run
                ? TrainCommand.Resume(u, run, job.Config, job.Checkpoint!, ctrlC.Token, group)
                : TrainCommand.Fresh(u, job.Config, job.OutRoot, ctrlC.Token, group), ui);
        }
        finally
        {
            if (scratch is not null)
                TryDelete(scratch);
        }
        // Success and Ctrl+C are agreed by every process (the trainer stops all of them at the same step); anything
        // else may have happened on this process alone, with the others waiting for it in a collective.
        if (code is not (0 or CtrlC.ExitCode))
            group.Abort(code);
        group.Dispose();
        return code;
    }

    /// <summary>A console that prints nothing (for the processes other than the first when they would repeat its message).</summary>
    public static CliConsole Silent(CliConsole console) => console with { Out = TextWriter.Null, Error = TextWriter.Null };

    // The console of a process other than rank 0: no output, errors prefixed with the rank.
    private static CliConsole Follower(CliConsole console, int rank) =>
        new(TextWriter.Null, new PrefixedWriter(console.Error, $"rank {rank}: "), OutIsTerminal: false, ErrorIsTerminal: false)
        {
            Interrupt = console.Interrupt,
            TrapCtrlC = console.TrapCtrlC,
        };

    // Rank 0: the options and files, checked as `dendrite train` checks them, plus a global batch that splits evenly.
    private static Job Prepare(ParseResult parse, TrainOptions opts, string? checkpoint, int processes)
    {
        string allowed = $"a multiple of the {processes} processes (it is the global batch, split evenly over them)";
        if (checkpoint is null)
        {
            var cfg = opts.Resolve(parse);
            new ConfigCheck(opts.Where(parse, parse.GetValue(opts.Config))).Require("batch", cfg.Batch, cfg.Batch % processes == 0, allowed);
            string outRoot = parse.GetValue(opts.Out)!;
            RunFolder.CheckRoot(outRoot);
            return new Job(cfg, outRoot, null, null);
        }
        var (run, resumed) = TrainCommand.ResumeConfig(checkpoint, opts, parse);
        new ConfigCheck(key => $"\"{key}\" in {run.File(RunFolder.ConfigFile)}").Require("batch", resumed.Batch, resumed.Batch % processes == 0, allowed);
        return new Job(resumed, run.Path, run, Path.GetFullPath(checkpoint));
    }

    // Rank 0 sends its verdict, then the job: the settings and, to resume, the run's config.json and the checkpoint's
    // files, so that the other processes need no shared file system.
    private static void Send(ProcessGroup group, int code, Job? job)
    {
        Span<int> verdict = [code];
        group.Broadcast(verdict);
        if (code != 0)
            return;
        var files = job!.Checkpoint is { } checkpoint ? [job.Run!.File(RunFolder.ConfigFile), .. Trainer.CheckpointFiles(checkpoint)] : new List<string>();
        var header = new JsonObject
        {
            ["settings"] = Json.ToNode(job.Config),
            ["run"] = job.Run?.Name,
            ["files"] = new JsonArray([.. files.Select(f => (JsonNode)Path.GetFileName(f))]),
        };
        group.BroadcastBytes(Encoding.UTF8.GetBytes(header.ToJsonString()));
        foreach (var file in files)
            group.BroadcastBytes(File.ReadAllBytes(file));
    }

    // The other ranks: the verdict and the job, with a resumed run's files written into a folder of their own.
    private static (int Code, Job? Job) Receive(ProcessGroup group, string scratch)
    {
        Span<int> verdict = [0];
        group.Broadcast(verdict);
        if (verdict[0] != 0)
            return (verdict[0], null);
        var header = JsonNode.Parse(group.BroadcastBytes(null))!.AsObject();
        var cfg = TrainConfig.FromSettings(header["settings"], "the job rank 0 sent");
        var names = header["files"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        if (header["run"]?.GetValue<string>() is not { } runName)
            return (0, new Job(cfg, scratch, null, null));
        string dir = Path.Combine(scratch, runName);
        Directory.CreateDirectory(dir);
        foreach (var name in names)
            File.WriteAllBytes(Path.Combine(dir, name), group.BroadcastBytes(null));
        // The checkpoint is the file after config.json.
        return (0, new Job(cfg, scratch, RunFolder.Open(dir), Path.Combine(dir, names[1])));
    }

    private static void TryDelete(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A temporary folder: left for the system to clear.
        }
    }
}
