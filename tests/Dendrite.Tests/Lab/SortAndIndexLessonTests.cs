using System.Text.RegularExpressions;
using Dendrite.Tests.Data;

namespace Dendrite.Tests.Lab;

// The course's idioms: sort x before plotting a fit (torch.sort) and pick probabilities by label (y_hat[[0, 1], y]).
public sealed class SortAndIndexLessonTests
{
    [Fact]
    public void TheFitIsPlottedUnsortedAndSortedSideBySide()
    {
        using var run = new LabRun("fit-function");
        double span = run.Metric("plot_x_span");
        Assert.InRange(span, 3.8, 4); // 200 test points uniform on [−2, 2]
        Assert.Equal(span, run.Metric("plot_travel_sorted"), 4);
        Assert.True(run.Metric("plot_travel_unsorted") > 20 * span, $"unsorted travel {run.Metric("plot_travel_unsorted")}");
        run.PassedCheck("Sort gives ascending x");
        run.PassedCheck("sorted, the line crosses the x range once");
        // Two charts in one row: the zigzag and the curve.
        var grid = Regex.Match(run.Html, @"<div class=""grid"" style=""grid-template-columns:repeat\(2,max-content\)"">(.*?)</div></div>", RegexOptions.Singleline);
        Assert.True(grid.Success);
        Assert.Contains("Unsorted: plot(x, ŷ)", grid.Value);
        Assert.Contains("Sorted: plot(x.Sort(), ŷ[order])", run.Html);
    }

    [FashionMnistFact]
    public void TheSoftmaxLessonPicksProbabilitiesByLabelAsTheCourseWritesIt()
    {
        using var run = new LabRun("softmax-regression");
        Assert.Equal(0.1, run.Metric("course_pick_0"), 6);
        Assert.Equal(0.5, run.Metric("course_pick_1"), 6);
        run.PassedCheck("y_hat[[0, 1], y] picks [0.1, 0.5]");
        run.PassedCheck("y_hat[arange(n), y] equals Gather");
        Assert.Contains("yHat[new long[] { 0, 1 }, y]        // [0.1, 0.5]", System.Net.WebUtility.HtmlDecode(run.Html));
        Assert.Contains("[2.3026, 0.6931] = −log 0.1, −log 0.5", System.Net.WebUtility.HtmlDecode(run.Html));
        Assert.InRange(run.Metric("test_acc_scratch"), 0.7, 1); // the from-scratch model trains with the indexed cross-entropy
    }
}
