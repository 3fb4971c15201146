using System.CommandLine;
using Dendrite.Cli.Training;

namespace Dendrite.Cli.Commands;

/// <summary><c>dendrite search</c>: random search of learning rate and weight decay for any train configuration.</summary>
public static class SearchCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Build(CliConsole console)
    {
        var opts = new TrainOptions();
        var rounds = CliOptions.Int("--rounds", "Search rounds; the ranges narrow after each", 4);
        var trials = CliOptions.Int("--trials", "Trials in total (split evenly over the rounds)", 20);
        var cmd = new Command("search",
            "Random search: lr ~ 10^U(-6,-2), weight decay ~ 10^U(-8,-4), scored on a validation split of the training set (never the test set)")
            { rounds, trials };
        opts.AddTo(cmd);
        cmd.SetAction(parse => CliApp.Guard(console, parse, ui =>
        {
            int r = parse.GetValue(rounds), t = parse.GetValue(trials);
            if (r < 1) throw new UsageException($"--rounds is {r}, but must be at least 1");
            if (t < r) throw new UsageException($"--trials is {t}, but must be at least --rounds ({r}): each round needs a trial");
            var cfg = opts.Resolve(parse);
            Runs.RunFolder.CheckRoot(parse.GetValue(opts.Out)!);
            using var ctrlC = new CtrlC(console);
            return TrainCommand.Report(ui, TrainCommand.RunExperiment(ui, new SearchExperiment(cfg, r, t / r, cancellationToken: ctrlC.Token), cfg.Seed,
                parse.GetValue(opts.Out)!));
        }));
        return cmd;
    }
}
