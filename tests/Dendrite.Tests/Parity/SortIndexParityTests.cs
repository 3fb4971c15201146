using System.Text.Json;
using Dendrite.Tests.Devices;

namespace Dendrite.Tests.Parity;

/// <summary>
/// Tensor.Sort and advanced indexing against PyTorch 1.13 (Parity/Data/sort_index.jsonl, made by make_sort_index.py):
/// sorted values and indices exactly, indexed outputs and the gradients of sum(output·grad_output), in Float64 and
/// Float32 on the CPU and in Float64 on the GPU backend.
/// </summary>
public sealed class SortIndexParityTests
{
    private const string DataFile = "sort_index.jsonl";

    public static IEnumerable<object[]> Ids() => LocalReference.Cases(DataFile).Select(c => new object[] { c.GetProperty("id").GetString()! });

    [Theory]
    [MemberData(nameof(Ids))]
    public void MatchesPyTorchInFloat64(string id) => Run(id, DType.Float64, Device.Cpu);

    [Theory]
    [MemberData(nameof(Ids))]
    public void MatchesPyTorchInFloat32(string id) => Run(id, DType.Float32, Device.Cpu);

    [Theory]
    [Trait("Category", "Gpu")]
    [MemberData(nameof(Ids))]
    public void MatchesPyTorchOnTheGpuBackend(string id) => Run(id, DType.Float64, TestDevice.Gpu);

    [Fact]
    public void TheFileHoldsBothKinds()
    {
        var kinds = LocalReference.Cases(DataFile).Select(c => c.GetProperty("kind").GetString()).ToList();
        Assert.Contains("sort", kinds);
        Assert.Contains("index", kinds);
        Assert.All(kinds, k => Assert.Contains(k, new[] { "sort", "index" }));
    }

    private static void Run(string id, DType dtype, Device device)
    {
        var c = LocalReference.Cases(DataFile).Single(e => e.GetProperty("id").GetString() == id);
        var x = LocalReference.ReadTensor(c.GetProperty("x"), dtype).To(device);
        bool floating = x.DType.IsFloatingPoint();
        if (floating)
            x.RequiresGrad = true;
        Tensor output;
        if (c.GetProperty("kind").GetString() == "sort")
        {
            var (values, indices) = x.Sort(c.GetProperty("dim").GetInt32(), c.GetProperty("descending").GetBoolean());
            Assert.Equal(device, indices.Device);
            Assert.Equal(LocalReference.ReadTensor(c.GetProperty("indices")).ToArray<long>(), indices.ToArray<long>());
            Expect(c.GetProperty("values"), values, dtype, $"{id} values");
            output = values;
        }
        else
        {
            output = x[c.GetProperty("index").EnumerateArray().Select(Item).ToArray()];
            Expect(c.GetProperty("output"), output, dtype, $"{id} output");
        }
        Assert.Equal(device, output.Device);
        if (!floating)
            return;
        var g = LocalReference.ReadTensor(c.GetProperty("grad_output"), dtype).To(device);
        (output * g).Sum().Backward();
        Expect(c.GetProperty("grad"), x.Grad!, dtype, $"{id} gradient");
    }

    private static TensorIndex Item(JsonElement e)
    {
        if (e.TryGetProperty("int", out var i))
            return i.GetInt32();
        if (e.TryGetProperty("slice", out var s))
        {
            static Index Bound(JsonElement b, Index none) =>
                b.ValueKind == JsonValueKind.Null ? none : b.GetInt32() < 0 ? Index.FromEnd(-b.GetInt32()) : new Index(b.GetInt32());
            return new Range(Bound(s[0], Index.Start), Bound(s[1], Index.End));
        }
        return LocalReference.ReadTensor(e.GetProperty("tensor"));
    }

    private static void Expect(JsonElement reference, Tensor actual, DType dtype, string what)
    {
        var want = LocalReference.ReadTensor(reference);
        Assert.Equal(want.ShapeArray, actual.ShapeArray);
        if (want.DType == DType.Int64)
        {
            Assert.Equal(want.ToArray<long>(), actual.ToArray<long>());
            return;
        }
        var w = want.ToArray<double>();
        var a = actual.ToArray<double>();
        double rtol = dtype == DType.Float64 ? 1e-12 : 1e-6;
        for (int k = 0; k < w.Length; k++)
        {
            bool ok = double.IsNaN(w[k]) ? double.IsNaN(a[k]) : w[k] == a[k] || Math.Abs(a[k] - w[k]) <= rtol * (Math.Abs(w[k]) + 1e-3);
            Assert.True(ok, $"{what}: element {k} is {a[k]:R}, PyTorch {w[k]:R}.");
        }
    }
}
