using System.Text.RegularExpressions;

namespace Dendrite.Tests.Lab;

// NNDL 4.3: 2-5-1 vs 2-5-3-1 at lr 0.01, 1 and 5, and the course's pasted table caught by comparing logs; the
// decision boundary on a meshgrid.
public sealed class MoonsMlpLessonTests
{
    [Fact]
    public void TheDepthTableHasItsOwnLogPerRunAndFlagsThePastedTable()
    {
        using var run = new LabRun("moons-mlp");
        foreach (string arch in new[] { "2-5-1", "2-5-3-1" })
            foreach (string lr in new[] { "0.01", "1", "5" })
                Assert.InRange(run.Metric($"test_acc_{arch}_lr{lr}"), 0.3, 1);
        Assert.Equal(0, run.Metric("identical_logs"));
        Assert.Equal(3, run.Metric("flagged_in_pasted_table"));
        Assert.Contains("12 runs, 12 distinct logs", run.PassedCheck("every run has its own log"));
        run.PassedCheck("the course's pasted 2-5-3-1 table is flagged");

        // Every result in the "every run" table sits beside its config hash and log hash, all different.
        var everyRun = Regex.Match(run.Html, "<h3>Every run</h3><table>(.*?)</table>", RegexOptions.Singleline).Groups[1].Value;
        var rows = Regex.Matches(everyRun, @"<tr><td>(2-5-1|2-5-3-1)</td><td>([0-9.]+)</td><td>(\d)</td><td>([0-9a-f]{12})</td><td>([0-9a-f]{12})</td>");
        Assert.Equal(12, rows.Count);
        Assert.Equal(12, rows.Select(m => m.Groups[4].Value).Distinct().Count());
        Assert.Equal(12, rows.Select(m => m.Groups[5].Value).Distinct().Count());
        // In the table as the course printed it, each 2-5-3-1 row is flagged as a copy of the 2-5-1 row with that lr.
        Assert.Equal(3, Regex.Matches(run.Html, @"<td>2-5-3-1, lr [0-9.]+ \(as printed\)</td>.*?<td>identical log to 2-5-1, lr [0-9.]+ \(config [0-9a-f]{12}\)</td>").Count);

        // The boundary drawn on the Tensor.Meshgrid grid agrees with the model at the test points; swapped axes would not.
        Assert.InRange(run.Metric("grid_agreement"), 0.95, 1);
        Assert.InRange(run.Metric("grid_agreement_axes_swapped"), 0, 0.8);
        run.PassedCheck("the meshgrid picture agrees with the model");
        Assert.Contains("Tensor.Meshgrid([ys, xs], indexing: &quot;ij&quot;)", run.Html);
    }
}
