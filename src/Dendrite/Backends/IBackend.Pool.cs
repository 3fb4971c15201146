namespace Dendrite.Backends;

// Pooling sees a dense input as P planes [P, H, W] (P = N·C, or C for a 3-D input) and writes dense [P, OutH, OutW];
// the geometry was validated by the op.
internal partial interface IBackend
{
    /// <summary>
    /// y = the max of each window (padding counts as −∞, NaN wins). With <paramref name="keepState"/> it returns the
    /// windows' arg-max positions that <see cref="MaxPool2dBackward"/> needs, else null.
    /// </summary>
    KernelState? MaxPool2d(StorageView x, int planes, Pool2dGeometry g, StorageView y, bool keepState);

    /// <summary>
    /// dx [P, H, W] (overwritten): each output gradient of <paramref name="gy"/> added at its window's arg-max, from the
    /// forward's <paramref name="state"/>.
    /// </summary>
    void MaxPool2dBackward(StorageView gy, KernelState state, int planes, Pool2dGeometry g, StorageView dx);

    /// <summary>y = the mean of each window, zero padding counted in the divisor (count_include_pad).</summary>
    void AvgPool2d(StorageView x, int planes, Pool2dGeometry g, StorageView y);

    /// <summary>dx [P, H, W] (overwritten): each output gradient spread evenly over its window.</summary>
    void AvgPool2dBackward(StorageView gy, int planes, Pool2dGeometry g, StorageView dx);

    /// <summary>
    /// y [P, outH, outW] = means over PyTorch's adaptive windows of x [P, h, w]: output row i covers input rows
    /// [⌊i·h/outH⌋, ⌈(i+1)·h/outH⌉), likewise for columns.
    /// </summary>
    void AdaptiveAvgPool2d(StorageView x, int planes, int h, int w, int outH, int outW, StorageView y);

    /// <summary>dx [P, h, w] (overwritten): each output gradient of <paramref name="gy"/> spread evenly over its adaptive window.</summary>
    void AdaptiveAvgPool2dBackward(StorageView gy, int planes, int h, int w, int outH, int outW, StorageView dx);
}
