using System.Text.RegularExpressions;
using Dendrite.Cli.Lab.Common;

namespace Dendrite.Tests.Lab;

// NNDL 4.5.1: the course's five steps of an all-zero 2-5-1 sigmoid network, every parameter printed.
public sealed class InitSymmetryLessonTests
{
    [Fact]
    public void TheFiveStepsMatchTheClosedFormAndKeepTheHiddenUnitsIdentical()
    {
        using var run = new LabRun("init-symmetry");
        Assert.Equal(Math.Log(2), run.Metric("course_first_loss"), 5); // metrics.json keeps 6 significant digits
        // Step 1: fc2's weights move by lr·½·(p̄ − ½), its bias by lr·(p̄ − ½), with p̄ the share of positive training labels.
        double share = Math.Round(run.Metric("positive_share_train") * 640) / 640; // a share of the 640 training labels
        Assert.Equal(share, run.Metric("positive_share_train"), 6);
        Assert.NotEqual(0.5, share);
        Assert.Equal(0.2 * (share - 0.5), run.Metric("course_fc2_bias_step1"), 9);
        Assert.Equal(0.1 * (share - 0.5), run.Metric("course_fc2_weight_step1"), 9);
        run.PassedCheck("step 1: fc1 is still exactly 0");
        run.PassedCheck("every step: the 5 rows of fc1");
        // Step 2: fc1 has moved, away from 0 but by amounts far below what four decimals can show.
        double w0 = run.Metric("course_fc1_weight_step2_0"), w1 = run.Metric("course_fc1_weight_step2_1");
        Assert.InRange(Math.Abs(w0), 1e-7, 5e-5);
        Assert.InRange(Math.Abs(w1), 1e-7, 5e-5);

        // The report prints fc1 and fc2 in scientific notation, five identical rows, and never a doubled sign.
        Assert.DoesNotContain("-+", run.Html);
        Assert.Contains("The course&#39;s 5 steps", run.Html);
        string row = $"[{LabFormat.Sci(w0)}, {LabFormat.Sci(w1)}]";
        var step2 = Regex.Match(run.Html, @"after step 2 \(loss 0\.69\d+, dev accuracy [0-9.]+\):\nfc1\.weight = (\[\[.*?\]\])\n", RegexOptions.Singleline);
        Assert.True(step2.Success, "the step-2 parameters are not printed");
        var rows = Regex.Matches(step2.Groups[1].Value, @"\[\s*(-?\d\.\d{4}e[-+]\d\d),\s*(-?\d\.\d{4}e[-+]\d\d)\]");
        Assert.Equal(5, rows.Count);
        Assert.All(rows, m => Assert.Equal(row, $"[{m.Groups[1].Value}, {m.Groups[2].Value}]"));
        Assert.Contains($"fc2.bias   = [{LabFormat.Sci(run.Metric("course_fc2_bias_step1"))}]", run.Html);
    }
}
