namespace Dendrite.MpiHost;

/// <summary>
/// The scenarios: <c>collectives</c> checks every collective on every rank; <c>train</c> trains an MLP on moons with
/// DistributedDataParallel and writes (rank 0) the final parameters, per-step checksum agreement and shard checks;
/// <c>fail</c> is <c>train</c> where one rank throws part-way, to show that the job ends instead of hanging.
/// </summary>
internal static class Scenarios
{
    public static int Run(string[] args)
    {
        var options = HostOptions.Parse(args);
        return options.Scenario switch
        {
            "collectives" => CollectivesScenario.Run(args),
            "train" => TrainScenario.Run(options),
            "fail" => TrainScenario.Run(options),
            _ => throw new ArgumentException($"unknown scenario '{options.Scenario}': use collectives, train or fail"),
        };
    }
}
