using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Dendrite.Data.Transforms;

/// <summary>
/// Converts 8-bit pixels to float32 in [0, 1] (each byte divided by 255), like torchvision's <c>ToTensor</c>:
/// either raw bytes with a shape ([C, H, W] or [H, W]), or a tensor holding the integer pixel values 0..255.
/// </summary>
public sealed class ToTensor : ITransform
{
    private static readonly float[] Table = BuildTable();

    private static float[] BuildTable()
    {
        var t = new float[256];
        for (int i = 0; i < 256; i++)
            t[i] = i / 255f; // float32 division, as torch's x.float() / 255
        return t;
    }

    /// <summary>The float32 value of pixel byte <paramref name="b"/>: b / 255 rounded to float.</summary>
    public static float Scale(byte b) => Table[b];

    /// <summary>Writes <c>src[i] / 255</c> into <paramref name="dst"/> (same length).</summary>
    public static void ScaleInto(ReadOnlySpan<byte> src, Span<float> dst)
    {
        if (dst.Length < src.Length)
            throw new ArgumentException($"ToTensor: destination holds {dst.Length} values but {src.Length} pixels were given.");
        int i = 0;
        if (Avx512F.IsSupported && Vector512.IsHardwareAccelerated)
            i = ScaleAvx512(src, dst);
        else if (Vector.IsHardwareAccelerated && src.Length >= Vector<byte>.Count)
        {
            // Widen bytes to float lanes and divide: IEEE division gives exactly b / 255f, like the scalar path.
            var d255 = new Vector<float>(255f);
            int step = Vector<byte>.Count;
            for (; i <= src.Length - step; i += step)
            {
                var bytes = new Vector<byte>(src.Slice(i, step));
                Vector.Widen(bytes, out Vector<ushort> lo16, out Vector<ushort> hi16);
                Vector.Widen(lo16, out Vector<uint> a, out Vector<uint> b);
                Vector.Widen(hi16, out Vector<uint> c, out Vector<uint> d);
                int q = Vector<float>.Count;
                (Vector.ConvertToSingle(a) / d255).CopyTo(dst.Slice(i, q));
                (Vector.ConvertToSingle(b) / d255).CopyTo(dst.Slice(i + q, q));
                (Vector.ConvertToSingle(c) / d255).CopyTo(dst.Slice(i + 2 * q, q));
                (Vector.ConvertToSingle(d) / d255).CopyTo(dst.Slice(i + 3 * q, q));
            }
        }
        var table = Table;
        for (; i < src.Length; i++)
            dst[i] = table[src[i]];
    }

    /// <summary>
    /// The AVX-512 body of <see cref="ScaleInto"/> over whole blocks of 16 bytes; returns how many were done. Each
    /// 16 bytes widen to 16 int32 lanes in one instruction. Division is replaced by q = b·r with r = fl(1/255), then
    /// one Newton correction q + (b − 255·q)·r with fused multiply-adds: for every b in 0..255 this gives exactly
    /// fl(b / 255) (checked exhaustively by the tests), at the cost of three FMA-unit ops instead of a divide.
    /// </summary>
    private static unsafe int ScaleAvx512(ReadOnlySpan<byte> src, Span<float> dst)
    {
        int n = src.Length & ~15;
        var r = Vector512.Create(1f / 255f);
        var v255 = Vector512.Create(255f);
        fixed (byte* ps = src)
        fixed (float* pd = dst)
        {
            int i = 0;
            for (; i + 64 <= n; i += 64)
            {
                Vector512<float> f0 = Widen(ps + i), f1 = Widen(ps + i + 16), f2 = Widen(ps + i + 32), f3 = Widen(ps + i + 48);
                Vector512.Store(Divide255(f0, r, v255), pd + i);
                Vector512.Store(Divide255(f1, r, v255), pd + i + 16);
                Vector512.Store(Divide255(f2, r, v255), pd + i + 32);
                Vector512.Store(Divide255(f3, r, v255), pd + i + 48);
            }
            for (; i < n; i += 16)
                Vector512.Store(Divide255(Widen(ps + i), r, v255), pd + i);
        }
        return n;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector512<float> Widen(byte* p) => Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.Load(p)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Divide255(Vector512<float> b, Vector512<float> r, Vector512<float> v255)
    {
        Vector512<float> q = b * r;
        Vector512<float> e = Avx512F.FusedMultiplyAddNegated(q, v255, b); // b − 255·q, exact
        return Avx512F.FusedMultiplyAdd(e, r, q);
    }

    /// <summary>A float32 tensor of the given <paramref name="shape"/> from raw pixel bytes (row-major, channels first).</summary>
    public Tensor Apply(ReadOnlySpan<byte> pixels, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Length is not (2 or 3))
            throw new ArgumentException($"ToTensor: shape must be [H, W] or [C, H, W], got {ShapeUtil.Format(shape)}.");
        if (ShapeUtil.Numel(shape) != pixels.Length)
            throw new ArgumentException($"ToTensor: shape {ShapeUtil.Format(shape)} needs {ShapeUtil.Numel(shape)} pixels but {pixels.Length} were given.");
        var values = GC.AllocateUninitializedArray<float>(pixels.Length);
        ScaleInto(pixels, values);
        return Tensor.Wrap(values, (int[])shape.Clone());
    }

    /// <summary>
    /// Scales a tensor of pixel values 0..255 (any dtype) to float32 in [0, 1] on the input's device (the values are
    /// checked and scaled in host memory).
    /// </summary>
    public Tensor Apply(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var values = input.Detach().ToArray<double>();
        var result = new float[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            double v = values[i];
            if (!(v >= 0 && v <= 255) || v != Math.Floor(v))
                throw new ArgumentException($"ToTensor: expected integer pixel values in 0..255, found {v} at flat index {i}.");
            result[i] = Table[(int)v];
        }
        var scaled = Tensor.Wrap(result, (int[])input.ShapeArray.Clone());
        return input.Device.IsCpu ? scaled : Ops.ToDeviceOp.Copy(scaled, input.Backend);
    }
}
