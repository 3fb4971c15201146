using System.Text;

namespace Dendrite;

/// <summary>Shape arithmetic shared by ops: strides, broadcasting, dim normalization and formatting.</summary>
internal static class ShapeUtil
{
    public static int Numel(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (int s in shape)
            n *= s;
        if (n > int.MaxValue)
            throw new ArgumentException($"Tensor: shape {Format(shape)} has {n} elements, more than the supported maximum of {int.MaxValue}.");
        return (int)n;
    }

    public static int[] ContiguousStrides(ReadOnlySpan<int> shape)
    {
        var strides = new int[shape.Length];
        int s = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = s;
            s *= Math.Max(shape[i], 1);
        }
        return strides;
    }

    public static bool IsContiguous(ReadOnlySpan<int> shape, ReadOnlySpan<int> strides)
    {
        int expected = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            if (shape[i] == 1)
                continue;
            if (shape[i] == 0)
                return true;
            if (strides[i] != expected)
                return false;
            expected *= shape[i];
        }
        return true;
    }

    public static int NormalizeDim(int dim, int rank, string op)
    {
        int r = Math.Max(rank, 1);
        if (dim < -r || dim >= r)
            throw new ArgumentOutOfRangeException(nameof(dim), $"{op}: dimension {dim} is out of range for a tensor of {rank} dimension(s) (expected in [{-r}, {r - 1}]).");
        return dim < 0 ? dim + r : dim;
    }

    /// <summary>Normalizes a set of dims (null = all), sorted ascending, rejecting duplicates.</summary>
    public static int[] NormalizeDims(int[]? dims, int rank, string op)
    {
        if (dims is null)
        {
            var all = new int[rank];
            for (int i = 0; i < rank; i++)
                all[i] = i;
            return all;
        }
        var result = new int[dims.Length];
        for (int i = 0; i < dims.Length; i++)
            result[i] = NormalizeDim(dims[i], rank, op);
        Array.Sort(result);
        for (int i = 1; i < result.Length; i++)
            if (result[i] == result[i - 1])
                throw new ArgumentException($"{op}: dimension {result[i]} appears more than once in dims {Format(dims)}.");
        return result;
    }

    /// <summary>NumPy broadcasting of two shapes; throws naming the op and both shapes when they are incompatible.</summary>
    public static int[] Broadcast(int[] a, int[] b, string op)
    {
        if (a.Length == b.Length && a.AsSpan().SequenceEqual(b))
            return a;
        int n = Math.Max(a.Length, b.Length);
        var result = new int[n];
        for (int i = 0; i < n; i++)
        {
            int da = i - (n - a.Length) >= 0 ? a[i - (n - a.Length)] : 1;
            int db = i - (n - b.Length) >= 0 ? b[i - (n - b.Length)] : 1;
            if (da != db && da != 1 && db != 1)
                throw new ArgumentException($"{op}: shapes {Format(a)} and {Format(b)} cannot be broadcast together: size {da} and size {db} differ at dimension {i} (sizes must match or be 1).");
            result[i] = da == 1 ? db : da;
        }
        return result;
    }

    /// <summary>Strides of <paramref name="shape"/>/<paramref name="strides"/> viewed as the broadcast shape (0 where expanded).</summary>
    public static int[] BroadcastStrides(int[] shape, int[] strides, int[] target)
    {
        var result = new int[target.Length];
        int shift = target.Length - shape.Length;
        for (int i = 0; i < shape.Length; i++)
            result[i + shift] = shape[i] == 1 && target[i + shift] != 1 ? 0 : strides[i];
        return result;
    }

    public static bool SameShape(int[] a, int[] b) => a.Length == b.Length && a.AsSpan().SequenceEqual(b);

    public static string Format(ReadOnlySpan<int> shape)
    {
        var sb = new StringBuilder("[");
        for (int i = 0; i < shape.Length; i++)
        {
            if (i > 0)
                sb.Append(", ");
            sb.Append(shape[i]);
        }
        return sb.Append(']').ToString();
    }

    public static string Format(int[]? shape) => shape is null ? "null" : Format(shape.AsSpan());
}
