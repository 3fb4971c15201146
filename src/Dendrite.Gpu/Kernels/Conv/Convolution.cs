using System.Numerics;
using Dendrite.Gpu.Kernels.Elementwise;
using Dendrite.Gpu.Kernels.Gemm;
using Dendrite.Gpu.Kernels.Reductions;
using Dendrite.Gpu.Runtime;
using ILGPU;

namespace Dendrite.Gpu.Kernels.Conv;

/// <summary>
/// Host entry points of the GPU convolution over dense NCHW views: im2col into a device column buffer, then one
/// batched GEMM per block of images (the batch runs over images, or over groups when there are more groups than
/// images in the block), writing straight into the output. Backward: dx by GEMM into column gradients and a
/// gathering col2im; dW by per-image GEMMs into partials reduced over the images; db by two row reductions.
/// Everything is queued on the device's stream; temporaries return to the caching allocator when done.
/// </summary>
/// <remarks>
/// Shapes: x [N, C, H, W], w [O, Cg, KH, KW] = [O, Kg] with Cg = C/groups and Kg = Cg·KH·KW, y [N, O, L] with
/// L = OutH·OutW. Per image n and group gi: Y_n,gi [Og, L] = W_gi [Og, Kg] · cols_n,gi [Kg, L].
/// </remarks>
internal static class Convolution
{
    /// <summary>Column-buffer elements per block of images (and per block of dW partials) by default: 16 Mi (64 MiB in float).</summary>
    public const long BlockElements = 1L << 24;

    /// <summary>
    /// y = conv2d(x, w) + bias (bias may be null: no bias) for <paramref name="n"/> images and <paramref name="o"/>
    /// output channels; every element of y is written.
    /// </summary>
    public static void Forward<T>(GpuDevice device, ArrayView<T> x, ArrayView<T> w, ArrayView<T>? bias, ArrayView<T> y,
        int n, int o, int groups, ConvParams p, GemmPath path = GemmPath.Auto, long blockElements = BlockElements)
        where T : unmanaged, INumber<T>
    {
        int pixels = p.Pixels, kAll = p.ColumnRows, kg = kAll / groups, og = o / groups, image = p.ImageSize;
        if (n == 0 || o == 0)
            return;
        int nb = BlockImages(device, n, (long)kAll * pixels, (long)kAll * pixels, blockElements);
        // A pointwise convolution's column matrix is the image itself ([C, H·W]): no im2col, no column buffer.
        using var columns = p.IsPointwise ? null : device.Allocate<T>((long)nb * kAll * pixels);
        T beta = T.Zero;
        if (bias is { } b)
        {
            // The GEMM adds its sum onto the bias (beta = 1): y = Σ + bias, rounded once, as the CPU's GEMM + bias.
            device.Kernel<ArrayView<T>, ArrayView<T>, int, int, int>(ConvEpilogueKernels.BroadcastBias)(
                device.Stream, device.GridStride(y.Length), b, y, (int)y.Length, o, pixels);
            beta = T.One;
        }
        for (int n0 = 0; n0 < n; n0 += nb)
        {
            int count = Math.Min(nb, n - n0);
            var cols = Columns(device, x.SubView((long)n0 * image, (long)count * image), columns, count, p);
            if (groups <= count)
            {
                // One launch per group, batched over the block's images (A broadcast).
                for (int gi = 0; gi < groups; gi++)
                    Gemm.Gemm.Run(device, false, false, og, pixels, kg, T.One,
                        w, (long)gi * og * kg, kg, 0,
                        cols, (long)gi * kg * pixels, pixels, (long)kAll * pixels,
                        beta, y, ((long)n0 * o + gi * og) * pixels, pixels, (long)o * pixels, count, path);
            }
            else
            {
                // Many groups (depthwise-like): one launch per image, batched over the groups.
                for (int j = 0; j < count; j++)
                    Gemm.Gemm.Run(device, false, false, og, pixels, kg, T.One,
                        w, 0, kg, (long)og * kg,
                        cols, (long)j * kAll * pixels, pixels, (long)kg * pixels,
                        beta, y, (long)(n0 + j) * o * pixels, pixels, (long)og * pixels, groups, path);
            }
        }
    }

    /// <summary>
    /// The gradients of <see cref="Forward{T}"/> from gy [N, O, L]: dx [N, C, H, W], dw [O, Kg] and db [O], each
    /// overwritten, each null when not needed.
    /// </summary>
    public static void Backward<T>(GpuDevice device, ArrayView<T> x, ArrayView<T> w, ArrayView<T> gy, int n, int o, int groups, ConvParams p,
        ArrayView<T>? dx, ArrayView<T>? dw, ArrayView<T>? db, GemmPath path = GemmPath.Auto, long blockElements = BlockElements)
        where T : unmanaged, INumber<T>
    {
        int pixels = p.Pixels, kAll = p.ColumnRows, kg = kAll / groups, og = o / groups, image = p.ImageSize;
        if (db is { } dBias)
            BiasGradient(device, gy, n, o, pixels, dBias);
        if (n == 0 || o == 0)
        {
            // No image or no output channel: the sums are empty.
            if (dw is { } dwv)
                device.Fill(dwv, T.Zero);
            if (dx is { } dxv)
                device.Fill(dxv, T.Zero);
            return;
        }
        if (dx is null && dw is null)
            return;
        long weights = (long)o * kg;
        int nb = BlockImages(device, n, (long)kAll * pixels, dw is null ? 0 : weights, blockElements);
        using var columns = p.IsPointwise ? null : device.Allocate<T>((long)nb * kAll * pixels);
        using var partials = dw is null ? null : device.Allocate<T>(nb * weights);
        using var blockSum = dw is not null && nb < n ? device.Allocate<T>(weights) : null;
        for (int n0 = 0; n0 < n; n0 += nb)
        {
            int count = Math.Min(nb, n - n0);
            if (dw is { } dW)
            {
                var cols = Columns(device, x.SubView((long)n0 * image, (long)count * image), columns, count, p);
                WeightPartials(device, gy, cols, partials!.View<T>(), n0, count, o, groups, p, path);
                // dW (+)= Σ over the block's images of the partials [count, O·Kg], in image order per weight.
                var part = partials.View<T>();
                if (n0 == 0)
                    Reductions.Reductions.Middle(device, part, 1, count, weights, count * weights, weights, 1, dW, new SumOp<T>());
                else
                {
                    var s = blockSum!.View<T>();
                    Reductions.Reductions.Middle(device, part, 1, count, weights, count * weights, weights, 1, s, new SumOp<T>());
                    Elementwise.Elementwise.Zip(device, dW, s, dW, new Add<T>());
                }
            }
            if (dx is { } dX)
            {
                // dcols_n,gi [Kg, L] = W_giᵀ [Kg, Og] · gy_n,gi [Og, L], then col2im folds them into dx (pointwise: dcols is dx).
                var block = dX.SubView((long)n0 * image, (long)count * image);
                var cols = p.IsPointwise ? block : columns!.View<T>();
                if (groups <= count)
                {
                    for (int gi = 0; gi < groups; gi++)
                        Gemm.Gemm.Run(device, true, false, kg, pixels, og, T.One,
                            w, (long)gi * og * kg, kg, 0,
                            gy, ((long)n0 * o + gi * og) * pixels, pixels, (long)o * pixels,
                            T.Zero, cols, (long)gi * kg * pixels, pixels, (long)kAll * pixels, count, path);
                }
                else
                {
                    for (int j = 0; j < count; j++)
                        Gemm.Gemm.Run(device, true, false, kg, pixels, og, T.One,
                            w, 0, kg, (long)og * kg,
                            gy, (long)(n0 + j) * o * pixels, pixels, (long)og * pixels,
                            T.Zero, cols, (long)j * kAll * pixels, pixels, (long)kg * pixels, groups, path);
                }
                if (!p.IsPointwise)
                    device.Kernel<ArrayView<T>, ArrayView<T>, int, ConvParams>(Im2ColKernels.Col2Im)(
                        device.Stream, device.GridStride(block.Length), cols, block, count, p);
            }
        }
    }

    // partials[j, gi·Og + oc, :] = gy_j,gi [Og, L] · cols_j,giᵀ [L, Kg] for the block's images j.
    private static void WeightPartials<T>(GpuDevice device, ArrayView<T> gy, ArrayView<T> cols, ArrayView<T> partials, int n0, int count,
        int o, int groups, ConvParams p, GemmPath path) where T : unmanaged, INumber<T>
    {
        int pixels = p.Pixels, kAll = p.ColumnRows, kg = kAll / groups, og = o / groups;
        long weights = (long)o * kg;
        if (groups <= count)
        {
            for (int gi = 0; gi < groups; gi++)
                Gemm.Gemm.Run(device, false, true, og, kg, pixels, T.One,
                    gy, ((long)n0 * o + gi * og) * pixels, pixels, (long)o * pixels,
                    cols, (long)gi * kg * pixels, pixels, (long)kAll * pixels,
                    T.Zero, partials, (long)gi * og * kg, kg, weights, count, path);
        }
        else
        {
            for (int j = 0; j < count; j++)
                Gemm.Gemm.Run(device, false, true, og, kg, pixels, T.One,
                    gy, (long)(n0 + j) * o * pixels, pixels, (long)og * pixels,
                    cols, (long)j * kAll * pixels, pixels, (long)kg * pixels,
                    T.Zero, partials, j * weights, kg, (long)og * kg, groups, path);
        }
    }

    // db[oc] = Σ_n Σ_l gy[n, oc, l]: per-plane sums [N·O], then sums over the images (both deterministic trees).
    private static void BiasGradient<T>(GpuDevice device, ArrayView<T> gy, int n, int o, int pixels, ArrayView<T> db)
        where T : unmanaged, INumber<T>
    {
        if (o == 0)
            return;
        if (n == 0)
        {
            device.Fill(db, T.Zero);
            return;
        }
        using var planes = device.Allocate<T>((long)n * o);
        var sums = planes.View<T>();
        Reductions.Reductions.Rows(device, gy, (long)n * o, pixels, pixels, 1, sums, new SumOp<T>());
        Reductions.Reductions.Middle(device, sums, 1, n, o, (long)n * o, o, 1, db, new SumOp<T>());
    }

    // The column matrices [count, C·KH·KW, L] of the images x [count, C, H, W]: x itself for a pointwise convolution,
    // else im2col into the column buffer.
    private static ArrayView<T> Columns<T>(GpuDevice device, ArrayView<T> x, Memory.DeviceBuffer? buffer, int count, ConvParams p)
        where T : unmanaged, INumber<T>
    {
        if (p.IsPointwise)
            return x;
        var cols = buffer!.View<T>();
        long total = (long)count * p.ColumnRows * p.Pixels;
        device.Kernel<ArrayView<T>, ArrayView<T>, int, ConvParams>(Im2ColKernels.Im2Col)(
            device.Stream, device.GridStride(total), x, cols.SubView(0, total), count, p);
        return cols;
    }

    // Images per block: as many as keep the column buffer and the dW partials within blockElements (at least one),
    // with every index of a block within int (the kernels index with 32-bit integers).
    private static int BlockImages(GpuDevice device, int n, long columnsPerImage, long partialsPerImage, long blockElements)
    {
        long perImage = Math.Max(1, Math.Max(columnsPerImage, partialsPerImage));
        if (perImage > int.MaxValue)
            throw new NotSupportedException(
                $"Conv2d on {device.Name}: one image needs {perImage} column elements, more than the {int.MaxValue} a kernel indexes.");
        return (int)Math.Clamp(blockElements / perImage, 1, n);
    }
}
