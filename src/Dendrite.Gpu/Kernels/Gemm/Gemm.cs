using System.Numerics;
using Dendrite.Gpu.Runtime;
using ILGPU;

namespace Dendrite.Gpu.Kernels.Gemm;

/// <summary>
/// Host entry point of GEMM: C_b = alpha·op(A_b)·op(B_b) + beta·C_b for b &lt; batch, row-major, with BLAS-style
/// leading dimensions, element offsets and batch strides (stride 0 broadcasts A or B). One launch per call.
/// </summary>
/// <remarks>
/// Automatic choice: on <c>ilgpu-cpu</c> always <see cref="GemmPath.Simple"/> (it simulates barriers with OS
/// context switches; the tiled kernels are tested by forcing them). On CUDA: <see cref="GemmPath.Simple"/> for
/// small or skinny problems (m or n below 16, or fewer than 2¹⁸ multiply-adds), 128×128 tiles when both m and n
/// reach 128 and there are at least as many tiles as multiprocessors, else 64×64 tiles.
/// </remarks>
internal static class Gemm
{
    /// <summary>Dense, non-batched GEMM: C[m×n] = alpha·op(A)·op(B) + beta·C.</summary>
    public static void Run<T>(GpuDevice device, bool transA, bool transB, int m, int n, int k, T alpha,
        ArrayView<T> a, long lda, ArrayView<T> b, long ldb, T beta, ArrayView<T> c, long ldc, GemmPath path = GemmPath.Auto)
        where T : unmanaged, INumber<T> =>
        Run(device, transA, transB, m, n, k, alpha, a, 0, lda, 0, b, 0, ldb, 0, beta, c, 0, ldc, 0, 1, path);

    /// <summary>The general form: element offsets and batch strides per operand.</summary>
    /// <exception cref="ArgumentException">A size, leading dimension or stride is invalid, or an operand reaches past its view.</exception>
    public static void Run<T>(GpuDevice device, bool transA, bool transB, int m, int n, int k, T alpha,
        ArrayView<T> a, long offsetA, long lda, long strideA,
        ArrayView<T> b, long offsetB, long ldb, long strideB,
        T beta, ArrayView<T> c, long offsetC, long ldc, long strideC, int batch, GemmPath path = GemmPath.Auto)
        where T : unmanaged, INumber<T>
    {
        string name = $"{device.Name}: GEMM ({typeof(T).Name}, m={m}, n={n}, k={k}, batch={batch})";
        if (m < 0 || n < 0 || k < 0 || batch < 0)
            throw new ArgumentException($"{name}: sizes must not be negative.");
        if (lda < Math.Max(1, transA ? m : k) || ldb < Math.Max(1, transB ? k : n) || ldc < Math.Max(1, n))
            throw new ArgumentException(
                $"{name}: leading dimensions lda={lda}, ldb={ldb}, ldc={ldc} are shorter than the rows they hold " +
                $"({(transA ? m : k)}, {(transB ? k : n)}, {n}).");
        if (strideA < 0 || strideB < 0 || strideC < 0 || offsetA < 0 || offsetB < 0 || offsetC < 0)
            throw new ArgumentException($"{name}: offsets and batch strides must not be negative.");
        if (batch > 1 && strideC == 0 && m > 0 && n > 0)
            throw new ArgumentException($"{name}: C needs a nonzero batch stride (batches would write the same matrix).");
        if (m == 0 || n == 0 || batch == 0)
            return;
        CheckReach(name, "A", a.Length, offsetA, strideA, batch, transA ? k : m, transA ? m : k, lda);
        CheckReach(name, "B", b.Length, offsetB, strideB, batch, transB ? n : k, transB ? k : n, ldb);
        CheckReach(name, "C", c.Length, offsetC, strideC, batch, m, n, ldc);

        var args = new GemmArgs<T>
        {
            M = m, N = n, K = k, Batch = batch, TransA = transA ? 1 : 0, TransB = transB ? 1 : 0,
            Lda = lda, Ldb = ldb, Ldc = ldc, OffsetA = offsetA, OffsetB = offsetB, OffsetC = offsetC,
            StrideA = strideA, StrideB = strideB, StrideC = strideC, Alpha = alpha, Beta = beta,
        };
        if (k == 0 || alpha == T.Zero)
        {
            device.Kernel<ArrayView<T>, GemmArgs<T>>(GemmKernels.Scale)(device.Stream, device.GridStride((long)m * n * batch), c, args);
            return;
        }
        switch (Choose(device, m, n, k, batch, path))
        {
            case GemmPath.Simple:
                args.TilesM = (m + GemmKernels.SimpleTile - 1) / GemmKernels.SimpleTile;
                args.TilesN = (n + GemmKernels.SimpleTile - 1) / GemmKernels.SimpleTile;
                device.Kernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, GemmArgs<T>>(GemmKernels.Simple)(
                    device.Stream, device.GridStride((long)args.TilesM * args.TilesN * batch), a, b, c, args);
                break;
            case GemmPath.Tiled64:
                LaunchTiled<T, Tile64>(device, name, a, b, c, args);
                break;
            default:
                LaunchTiled<T, Tile128>(device, name, a, b, c, args);
                break;
        }
    }

    /// <summary>The kernel <see cref="GemmPath.Auto"/> picks for this shape on this device.</summary>
    public static GemmPath Choose(GpuDevice device, int m, int n, int k, int batch, GemmPath path = GemmPath.Auto)
    {
        if (path != GemmPath.Auto)
            return path;
        if (device.IsCpu || m < 16 || n < 16 || (long)m * n * k * batch < 1L << 18)
            return GemmPath.Simple;
        long tiles128 = (long)((m + 127) / 128) * ((n + 127) / 128) * batch;
        return m >= 128 && n >= 128 && tiles128 >= device.Multiprocessors && device.MaxGroupSize >= 256
            ? GemmPath.Tiled128
            : GemmPath.Tiled64;
    }

    private static void LaunchTiled<T, TTile>(GpuDevice device, string name, ArrayView<T> a, ArrayView<T> b, ArrayView<T> c, GemmArgs<T> args)
        where T : unmanaged, INumber<T> where TTile : struct, IGemmTile
    {
        int bm = 8 * default(TTile).ThreadsY, bn = 8 * default(TTile).ThreadsX;
        args.TilesM = (args.M + bm - 1) / bm;
        args.TilesN = (args.N + bn - 1) / bn;
        long groups = (long)args.TilesM * args.TilesN * args.Batch;
        if (groups > int.MaxValue)
            throw new ArgumentException($"{name}: {groups} tiles of {bm}×{bn} exceed the grid limit.");
        device.Kernel<ArrayView<T>, ArrayView<T>, ArrayView<T>, GemmArgs<T>>(GemmKernels.Tiled<T, TTile>)(
            device.Stream, device.Grouped(groups, default(TTile).ThreadsX * default(TTile).ThreadsY), a, b, c, args);
    }

    // The last element batch `batch − 1` reaches: offset + (batch − 1)·stride + (rows − 1)·ld + cols − 1.
    private static void CheckReach(string name, string operand, long length, long offset, long stride, int batch, int rows, int cols, long ld)
    {
        if (rows == 0 || cols == 0)
            return;
        long last = checked(offset + (batch - 1) * stride + (rows - 1) * ld + cols - 1);
        if (last >= length)
            throw new ArgumentException(
                $"{name}: {operand} ({rows}×{cols}, ld {ld}, offset {offset}, batch stride {stride}) reaches element {last} of a view of {length}.");
    }
}
