using System.Globalization;
using System.Text;
using System.Text.Json;
using Dendrite.Tests.Devices;

namespace Dendrite.Tests.Parity;

/// <summary>
/// Every case of ops.jsonl, in Float64 (tolerance 1e-9·|ref| + 1e-12) and in Float32 (inputs cast down, compared
/// with the Float64 reference at 1e-4·|ref| + 1e-5): the output, the gradient of sum(output·grad_output) with
/// respect to each input that requires grad, and any reported state (batch_norm running stats). Inputs are placed on
/// the device named by <c>DENDRITE_TEST_DEVICE</c> (default cpu), and every result must come back on that device.
/// </summary>
public sealed class OpsParityTests
{
    private const string MissingFile = "<ops.jsonl missing>";

    public static IEnumerable<object[]> Cases()
    {
        var ids = ReferenceCases.OpIds;
        if (ids is null)
        {
            yield return [MissingFile, "float64"];
            yield break;
        }
        foreach (var id in ids)
        {
            yield return [id, "float64"];
            yield return [id, "float32"];
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Case(string id, string dtype)
    {
        if (id == MissingFile)
            Assert.Fail($"The PyTorch reference file was not found at {ReferenceCases.OpsPath}; set DENDRITE_REFERENCE_DIR to the directory holding ops.jsonl.");
        var c = ReferenceCases.Op(id);
        var op = c.GetProperty("op").GetString()!;
        if (!OpRegistry.Ops.TryGetValue(op, out var fn))
            Assert.Fail($"{id}: op '{op}' is not registered in OpRegistry (add it to OpRegistry.cs, or OpRegistry.NN.cs for nn ops).");

        var dt = dtype == "float32" ? DType.Float32 : DType.Float64;
        var device = TestDevice.Current;
        double rtol = dt == DType.Float64 ? 1e-9 : 1e-4, atol = dt == DType.Float64 ? 1e-12 : 1e-5;

        var inputsJson = c.GetProperty("inputs");
        var requiresGrad = c.GetProperty("requires_grad");
        var inputs = new Tensor[inputsJson.GetArrayLength()];
        bool anyGrad = false;
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = ReferenceCases.ReadTensor(inputsJson[i], dt).To(device);
            if (requiresGrad[i].GetBoolean())
            {
                inputs[i].RequiresGrad = true;
                anyGrad = true;
            }
        }
        var attrs = c.TryGetProperty("attrs", out var at) ? at : default;
        var ctx = new OpContext(dt);
        var output = fn(inputs, attrs, ctx);

        Assert.True(output.Device == device, $"{id} [{dtype}]: the output is on {output.Device}, expected {device}.");
        AssertClose(id, dtype, "output", output, c.GetProperty("output"), dt, rtol, atol);

        if (c.TryGetProperty("state_after", out var state) && state.ValueKind == JsonValueKind.Object)
            foreach (var entry in state.EnumerateObject())
            {
                if (!ctx.State.TryGetValue(entry.Name, out var actual))
                    Assert.Fail($"{id} [{dtype}]: the op did not report state '{entry.Name}' in OpContext.State.");
                AssertClose(id, dtype, "state " + entry.Name, actual, entry.Value, dt, rtol, atol);
            }

        if (!anyGrad)
            return;
        Assert.True(output.RequiresGrad, $"{id} [{dtype}]: the output does not require grad although inputs do (no autograd graph was recorded).");
        var gradOutput = ReferenceCases.ReadTensor(c.GetProperty("grad_output"), dt).To(device);
        output.Backward(gradOutput);
        var grads = c.GetProperty("grads");
        for (int i = 0; i < inputs.Length; i++)
        {
            if (grads[i].ValueKind == JsonValueKind.Null || !requiresGrad[i].GetBoolean())
                continue;
            var g = inputs[i].Grad;
            Assert.True(g is not null, $"{id} [{dtype}]: input {i} received no gradient.");
            Assert.True(g!.Device == device, $"{id} [{dtype}]: the gradient of input {i} is on {g.Device}, expected {device}.");
            AssertClose(id, dtype, $"grad of input {i}", g!, grads[i], dt, rtol, atol);
        }
    }

    private static void AssertClose(string id, string dtype, string what, Tensor actual, JsonElement expectedJson, DType dt, double rtol, double atol)
    {
        var expected = ReferenceCases.ReadTensor(expectedJson, DType.Float64);
        Assert.True(ShapeUtilFormat(actual.Shape) == ShapeUtilFormat(expected.Shape),
            $"{id} [{dtype}]: {what} has shape {ShapeUtilFormat(actual.Shape)}, expected {ShapeUtilFormat(expected.Shape)}.");
        if (expected.DType == DType.Float64)
            Assert.True(actual.DType == dt, $"{id} [{dtype}]: {what} has dtype {actual.DType}, expected {dt}.");
        var a = actual.ToArray<double>();
        var e = expected.ToArray<double>();
        int bad = -1;
        double worst = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double err = Math.Abs(a[i] - e[i]);
            bool ok = err <= rtol * Math.Abs(e[i]) + atol || (double.IsNaN(a[i]) && double.IsNaN(e[i])) || a[i] == e[i];
            if (!ok && bad < 0)
                bad = i;
            if (!double.IsNaN(err))
                worst = Math.Max(worst, err);
            else if (!ok)
                worst = double.NaN;
        }
        if (bad >= 0)
            Assert.Fail(string.Create(CultureInfo.InvariantCulture,
                $"{id} [{dtype}]: {what} differs from PyTorch at flat index {bad}: got {a[bad]:R}, expected {e[bad]:R} (max abs error {worst:R}, tolerance {rtol}·|ref| + {atol})."));
    }

    private static string ShapeUtilFormat(IReadOnlyList<int> shape)
    {
        var sb = new StringBuilder("[");
        for (int i = 0; i < shape.Count; i++)
            sb.Append(i > 0 ? ", " : "").Append(shape[i]);
        return sb.Append(']').ToString();
    }
}
