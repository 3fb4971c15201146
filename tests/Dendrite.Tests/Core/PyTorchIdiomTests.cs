using Dendrite.Autograd;
using Dendrite.NN;

namespace Dendrite.Tests.Core;

/// <summary>
/// The tensor idioms of the course: x.uniform_(a, b), x.normal_(m, s), torch.normal(m, s, size), .data,
/// torch.tensor(t, dtype=…) and @torch.no_grad() as a decorator.
/// </summary>
public sealed class PyTorchIdiomTests
{
    [Fact]
    public void UniformAndNormalFillInPlaceFromTheGenerator()
    {
        var u = Tensor.Zeros([1000], DType.Float64);
        Assert.Same(u, u.Uniform_(-2, 3, new Generator(4)));
        var reference = Init.Uniform_(Tensor.Zeros([1000], DType.Float64), -2, 3, new Generator(4));
        Assert.Equal(reference.ToArray<double>(), u.ToArray<double>());
        Assert.All(u.ToArray<double>(), v => Assert.InRange(v, -2, 3));

        var n = Tensor.Zeros([2000]).Normal_(5, 0.5, new Generator(9));
        Assert.Equal(Init.Normal_(Tensor.Zeros([2000]), 5, 0.5, new Generator(9)).ToArray<float>(), n.ToArray<float>());
        Assert.InRange(n.Mean().Item(), 4.95, 5.05);
        Assert.InRange(n.Std().Item(), 0.47, 0.53);

        // A strided view fills in row-major order of the view, like the contiguous case.
        var m = Tensor.Zeros(3, 4);
        m.T.Uniform_(0, 1, new Generator(2));
        Assert.Equal(Tensor.Rand([4, 3], new Generator(2)).ToArray<float>(), m.T.Contiguous().ToArray<float>());
    }

    [Fact]
    public void InPlaceFillsRespectAutograd()
    {
        var w = Tensor.Zeros([3], requiresGrad: true);
        var e = Assert.Throws<InvalidOperationException>(() => w.Normal_(0, 0.01));
        Assert.Contains("Normal_", e.Message);
        w.Data.Normal_(0, 0.01, new Generator(1));                      // through .data, as the course writes it
        Assert.NotEqual(0f, w.ToArray<float>()[0]);
        using (Autograd.Autograd.NoGrad())
            w.Uniform_(1, 2);
        Assert.All(w.ToArray<float>(), v => Assert.InRange(v, 1f, 2f));
        Assert.Contains("lower bound", Assert.Throws<ArgumentException>(() => Tensor.Zeros(2).Uniform_(1, 0)).Message);
        Assert.Contains("std", Assert.Throws<ArgumentException>(() => Tensor.Zeros(2).Normal_(0, -1)).Message);
        Assert.Contains("floating-point", Assert.Throws<ArgumentException>(() => Tensor.FromArray(new long[] { 1 }).Normal_()).Message);
    }

    [Fact]
    public void NormalFactoryScalesStandardNormals()
    {
        var x = Tensor.Normal(2, 3, [4, 5], new Generator(7), DType.Float64);
        Assert.Equal(new[] { 4, 5 }, x.Shape);
        var z = Tensor.RandN([4, 5], new Generator(7), DType.Float64).ToArray<double>();
        var got = x.ToArray<double>();
        for (int i = 0; i < z.Length; i++)
            Assert.Equal(2 + 3 * z[i], got[i], 12);
        Assert.Equal(DType.Float32, Tensor.Normal(0, 1, [2]).DType);
        Assert.Equal(Device.IlgpuCpu, Tensor.Normal(0, 1, [2], device: Device.IlgpuCpu).Device);
        Assert.Throws<ArgumentException>(() => Tensor.Normal(0, -1, [2]));
        Assert.Throws<ArgumentException>(() => Tensor.Normal(0, 1, [2], dtype: DType.Int64));
    }

    [Fact]
    public void DataIsADetachedViewAndCanBeReplaced()
    {
        var w = Tensor.FromArray(new double[] { 1, 2, 3 });
        w.RequiresGrad = true;
        var d = w.Data;
        Assert.False(d.RequiresGrad);
        Assert.True(d.IsLeaf);
        d.SubInPlace(Tensor.FromArray(new double[] { 1, 1, 1 }));     // w.data -= ... changes w
        Assert.Equal(new double[] { 0, 1, 2 }, w.ToArray<double>());

        var replacement = Tensor.FromArray(new double[] { 7, 8, 9 });
        w.Data = replacement;                                           // w.data = t shares t's elements
        Assert.Equal(new double[] { 7, 8, 9 }, w.ToArray<double>());
        replacement.Fill(1);
        Assert.Equal(new double[] { 1, 1, 1 }, w.ToArray<double>());
        Assert.True(w.RequiresGrad);
        Assert.Contains("shape", Assert.Throws<ArgumentException>(() => w.Data = Tensor.Zeros([2], DType.Float64)).Message);
        Assert.Contains("To(Float64)", Assert.Throws<ArgumentException>(() => w.Data = Tensor.Zeros(3)).Message);
    }

    [Fact]
    public void FromTensorCopiesAndConverts()
    {
        var t = Tensor.FromArray(new double[] { 1.5, -2.5 });
        t.RequiresGrad = true;
        var f = Tensor.FromTensor(t, DType.Float32);
        Assert.Equal(DType.Float32, f.DType);
        Assert.False(f.RequiresGrad);
        Assert.Equal(new float[] { 1.5f, -2.5f }, f.ToArray<float>());
        var copy = Tensor.FromTensor(t.T);
        using (Autograd.Autograd.NoGrad())
            t.Fill(0);
        Assert.Equal(new double[] { 1.5, -2.5 }, copy.ToArray<double>());   // a copy, not a view
        Assert.Equal(new long[] { 1, -2 }, Tensor.FromTensor(copy, DType.Int64).ToArray<long>());
    }

    [Fact]
    public void NoGradWrapsAFunctionLikeTheDecorator()
    {
        var w = Tensor.Ones([2], requiresGrad: true);
        Func<Tensor, Tensor> predict = x => Autograd.Autograd.NoGrad(() => x * w);
        var y = predict(Tensor.Ones(2));
        Assert.False(y.RequiresGrad);
        Assert.True(Autograd.Autograd.IsGradEnabled);
        bool inside = true;
        Autograd.Autograd.NoGrad(() => { inside = Autograd.Autograd.IsGradEnabled; });
        Assert.False(inside);
        Assert.True(Autograd.Autograd.IsGradEnabled);
        Assert.Throws<InvalidOperationException>(() => Autograd.Autograd.NoGrad<int>(() => throw new InvalidOperationException()));
        Assert.True(Autograd.Autograd.IsGradEnabled);                    // restored after an exception too
    }
}
