namespace Dendrite.Data;

/// <summary>Default collate step: stacks per-sample tensors field by field into batch tensors.</summary>
public static class Collate
{
    /// <summary>
    /// Stacks <paramref name="samples"/> (each an array with one tensor per field) into one tensor per field with
    /// shape <c>[samples.Count, ...field shape]</c>. All samples must have the same field count, shapes and dtypes.
    /// </summary>
    public static Tensor[] Stack(IReadOnlyList<Tensor[]> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0)
            throw new ArgumentException("Collate.Stack: cannot stack an empty list of samples.");
        int fields = samples[0].Length;
        var result = new Tensor[fields];
        var column = new Tensor[samples.Count];
        for (int f = 0; f < fields; f++)
        {
            for (int s = 0; s < samples.Count; s++)
            {
                if (samples[s].Length != fields)
                    throw new ArgumentException($"Collate.Stack: sample 0 has {fields} fields but sample {s} has {samples[s].Length}.");
                column[s] = samples[s][f];
            }
            result[f] = StackTensors(column, f);
        }
        return result;
    }

    /// <summary>Stacks tensors of identical shape and dtype along a new leading dimension (no autograd).</summary>
    public static Tensor StackTensors(IReadOnlyList<Tensor> tensors) => StackTensors(tensors, 0);

    private static Tensor StackTensors(IReadOnlyList<Tensor> tensors, int field)
    {
        var first = tensors[0];
        var shape = new int[first.Rank + 1];
        shape[0] = tensors.Count;
        for (int d = 0; d < first.Rank; d++)
            shape[d + 1] = first.ShapeArray[d];
        var dst = Tensor.Allocate(shape, first.DType, false, first.Backend);
        int n = first.Numel;
        for (int i = 0; i < tensors.Count; i++)
        {
            var t = tensors[i];
            if (t.DType != first.DType || !t.ShapeArray.AsSpan().SequenceEqual(first.ShapeArray))
                throw new ArgumentException($"Collate: field {field} of sample 0 is {first.DType} {ShapeUtil.Format(first.ShapeArray)} but sample {i} has {t.DType} {ShapeUtil.Format(t.ShapeArray)}; samples must match to be stacked.");
            if (t.Device != first.Device)
                throw new ArgumentException($"Collate: field {field} of sample 0 is on {first.Device} but sample {i} is on {t.Device}; samples must be on one device to be stacked.");
            dst.Backend.Copy(t.Raw, Backends.StorageView.Dense(dst.Storage, t.ShapeArray, i * n));
        }
        return dst;
    }
}
