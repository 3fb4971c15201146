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
        var rounds = new Option<int>("--rounds") { Description = "Search rounds; the ranges narrow after each", DefaultValueFactory = _ => 4 };
        var trials = new Option<int>("--trials") { Description = "Trials in total (split evenly over the rounds)", DefaultValueFactory = _ => 20 };
        var cmd = new Command("search",
            "Random search: lr ~ 10^U(-6,-2), weight decay ~ 10^U(-8,-4), scored on a validation split of the training set (never the test set)")
            { rounds, trials };
        opts.AddTo(cmd);
        cmd.SetAction(parse => CliApp.Guard(console, parse, ui =>
        {
            var cfg = opts.Resolve(parse);
            int r = parse.GetValue(rounds), t = parse.GetValue(trials);
            if (r < 1 || t < r) throw new ArgumentException($"search: need at least one round and one trial per round, got --rounds {r} --trials {t}");
            using var ctrlC = new CtrlC(console);
            return TrainCommand.Report(ui, TrainCommand.RunExperiment(ui, new SearchExperiment(cfg, r, t / r, cancellationToken: ctrlC.Token), cfg.Seed,
                parse.GetValue(opts.Out)!));
        }));
        return cmd;
    }
}
