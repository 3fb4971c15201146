namespace Dendrite.Backends;

// Convolutions see dense NCHW operands in one floating dtype: x [N, C, H, W], weight [O, C/groups, KH, KW], bias [O],
// y [N, O, OutH, OutW]. The geometry g describes one group (g.C = C/groups) and was validated by the op.
internal partial interface IBackend
{
    /// <summary>y = conv2d(x, weight) + bias (cross-correlation, as PyTorch), grouped; <paramref name="bias"/> may be null.</summary>
    void Conv2d(StorageView x, StorageView weight, StorageView? bias, Conv2dGeometry g, int groups, StorageView y);

    /// <summary>
    /// The gradients of <see cref="Conv2d"/> from the output gradient <paramref name="gy"/>: dx [N, C, H, W],
    /// dWeight [O, C/groups, KH, KW] and dBias [O], each overwritten, each null when not needed.
    /// </summary>
    void Conv2dBackward(StorageView x, StorageView weight, StorageView gy, Conv2dGeometry g, int groups,
        StorageView? dx, StorageView? dWeight, StorageView? dBias);

    /// <summary>
    /// Whether this backend runs maxpool2x2(relu(conv2d(x, w) + b)) as one fused kernel for a convolution of this
    /// dtype, geometry (stride 1, dilation 1, one group) and output channel count. When false the caller runs the
    /// three ops one after another.
    /// </summary>
    bool FusesConv2dReluMaxPool(DType dtype, Conv2dGeometry g, int outChannels);

    /// <summary>
    /// pooled [N, O, OutH/2, OutW/2] = maxpool2x2(relu(conv2d(x, weight) + bias)), with values exactly those of the
    /// three ops; only for shapes <see cref="FusesConv2dReluMaxPool"/> accepts. With <paramref name="keepState"/> it
    /// returns what <see cref="Conv2dReluMaxPoolBackward"/> needs (which element of each window passed its gradient),
    /// else null.
    /// </summary>
    KernelState? Conv2dReluMaxPool(StorageView x, StorageView weight, StorageView? bias, Conv2dGeometry g, StorageView pooled,
        bool keepState);

    /// <summary>
    /// The gradients of <see cref="Conv2dReluMaxPool"/> from the pooled gradient <paramref name="gPooled"/> and its
    /// forward's <paramref name="state"/>: dx, dWeight and dBias as in <see cref="Conv2dBackward"/> (overwritten, null
    /// when not needed), exactly those of the three ops' backward passes.
    /// </summary>
    void Conv2dReluMaxPoolBackward(StorageView x, StorageView weight, StorageView gPooled, KernelState state, Conv2dGeometry g,
        StorageView? dx, StorageView? dWeight, StorageView? dBias);
}
