namespace Dendrite.Gpu.Kernels.Gemm;

/// <summary>
/// Four consecutive elements read as one value, so a load of four from 16-byte (float) or 32-byte (double) aligned
/// shared memory compiles to one vector instruction (<c>ld.shared.v4.f32</c>, or two <c>ld.shared.v2.f64</c>).
/// </summary>
internal struct Vector4<T> where T : unmanaged
{
#pragma warning disable CS1591 // the four elements
    public T X, Y, Z, W;
#pragma warning restore CS1591
}
