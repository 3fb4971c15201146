using System.Text.Json.Nodes;
using Dendrite.Cli.Lab.Common;
using Dendrite.Training;

namespace Dendrite.Tests.Lab;

public sealed class RunLedgerTests
{
    private static History Log(params double[] losses)
    {
        var h = new History();
        for (int e = 0; e < losses.Length; e++)
            h.Add(new EpochRecord(e + 1, new Dictionary<string, double> { ["train_loss"] = losses[e], ["lr"] = 0.1 }, seconds: 0.01 * (e + 1)));
        return h;
    }

    [Fact]
    public void IdenticalLogsUnderDifferentConfigsAreFlaggedOnce()
    {
        var ledger = new RunLedger();
        var a = ledger.Add("2-5-1, lr 1", new JsonObject { ["model"] = "mlp:2-5-1", ["lr"] = 1 }, Log(0.7, 0.5, 0.3));
        var b = ledger.Add("2-5-3-1, lr 1", new JsonObject { ["model"] = "mlp:2-5-3-1", ["lr"] = 1 }, Log(0.7, 0.5, 0.3));
        ledger.Add("2-5-3-1, lr 5", new JsonObject { ["model"] = "mlp:2-5-3-1", ["lr"] = 5 }, Log(0.7, 0.5, 0.30000000000000004));
        // The same config run twice (a rerun) is not a copy.
        ledger.Add("2-5-1, lr 1 again", new JsonObject { ["lr"] = 1, ["model"] = "mlp:2-5-1" }, Log(0.7, 0.5, 0.3));
        var pair = Assert.Single(ledger.IdenticalLogs(), p => p.Second.Label != "2-5-1, lr 1 again");
        Assert.Equal((a, b), pair);
        Assert.Equal(2, ledger.IdenticalLogs().Count); // b with a, and b with the rerun of a
        Assert.Matches("^[0-9a-f]{12}$", a.ConfigHash);
        Assert.Matches("^[0-9a-f]{12}$", a.LogHash);
        Assert.NotEqual(a.ConfigHash, b.ConfigHash);
    }

    [Fact]
    public void TheLogHashSeesTheLastBitAndIgnoresTimings()
    {
        string h = RunLedger.LogHash(Log(0.7, 0.5, 0.3));
        Assert.NotEqual(h, RunLedger.LogHash(Log(0.7, 0.5, Math.BitIncrement(0.3))));
        Assert.NotEqual(h, RunLedger.LogHash(Log(0.7, 0.5)));
        var slower = new History();
        foreach (var e in Log(0.7, 0.5, 0.3).Epochs) slower.Add(new EpochRecord(e.Epoch, e.Values, seconds: 5));
        Assert.Equal(h, RunLedger.LogHash(slower));
    }
}
