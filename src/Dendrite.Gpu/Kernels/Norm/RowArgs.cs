using System.Numerics;

namespace Dendrite.Gpu.Kernels.Norm;

/// <summary>
/// Layer norm's view of dense x [Rows, D] as the kernels take it, by value: <see cref="Count"/> = D and
/// <see cref="Eps"/> in T, flags for the optional γ and β (and, in the backward, which outputs are wanted), and the
/// row chunking of the parameter-gradient column sums (<see cref="RowsPerChunk"/>, <see cref="Chunks"/>).
/// </summary>
internal struct RowArgs<T> where T : unmanaged, INumber<T>
{
#pragma warning disable CS1591 // described in the summary
    public int Rows, D, HasGamma, HasBeta, WantGamma, WantBeta, RowsPerChunk, Chunks;
    public T Count, Eps;
#pragma warning restore CS1591
}
