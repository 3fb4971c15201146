using Dendrite.NN;
using Dendrite.Onnx.Mappings;

namespace Dendrite.Tests.Onnx;

/// <summary>Every mapped op, alone: exported, run in ONNX Runtime on two batch sizes, compared with Dendrite.</summary>
public sealed class OnnxOpTests
{
    public static TheoryData<string> Cases => [.. OnnxOpCase.All.Select(c => c.Name)];

    private static OnnxOpCase Case(string name) => OnnxOpCase.All.Single(c => c.Name == name);

    [Theory]
    [MemberData(nameof(Cases))]
    public void RoundTripsAtOpset17(string name)
    {
        var c = Case(name);
        OnnxRoundTrip.Check(c.Model(), c.Shape, opset: 17, makeInput: c.Input);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void RoundTripsAtOpset21(string name)
    {
        var c = Case(name);
        OnnxRoundTrip.Check(c.Model(), c.Shape, opset: 21, makeInput: c.Input);
    }

    [Fact]
    public void TheCasesCoverEveryMappedOp()
    {
        var traced = new HashSet<string>();
        foreach (var c in OnnxOpCase.All)
            traced.UnionWith(OnnxTraceProbe.Kinds(c.Model(), (c.Input ?? ((s, g) => Tensor.RandN(s, g)))(c.Shape, new Generator(1))));
        // Dropout reports only in training mode, which fails the export (OnnxExportErrorTests); ToDevice needs a
        // second device (OnnxDeviceTests).
        var untested = OpMappings.Table.Keys.Except(traced).Except(["Dropout", "ToDevice"]).Order().ToList();
        Assert.True(untested.Count == 0, "mapped ops without a round-trip case: " + string.Join(", ", untested));
    }
}
