namespace Dendrite.Ops;

/// <summary>
/// torch.meshgrid: input i (n_i elements) reshaped to size n_i at its grid dim and 1 elsewhere, then expanded to the
/// grid shape; with "xy" the grid dims of the first two inputs are swapped. Views only, so autograd and every device
/// come with reshape and expand.
/// </summary>
internal static class Meshgrid
{
    private const string Op = "Meshgrid";

    public static Tensor[] Apply(Tensor[] tensors, string indexing)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(indexing);
        if (indexing != "ij" && indexing != "xy")
            throw new ArgumentException($"{Op}: indexing must be \"ij\" or \"xy\", got \"{indexing}\".");
        if (tensors.Length == 0)
            throw new ArgumentException($"{Op}: expected at least one tensor.");
        int k = tensors.Length;
        for (int i = 0; i < k; i++)
        {
            var t = tensors[i] ?? throw new ArgumentNullException(nameof(tensors), $"{Op}: tensor {i} is null.");
            if (t.Rank > 1)
                throw new ArgumentException($"{Op}: expected 0-d or 1-D tensors, but tensor {i} has shape {ShapeUtil.Format(t.ShapeArray)}.");
            if (t.DType != tensors[0].DType)
                throw new ArgumentException($"{Op}: expected all tensors to have the same dtype, but tensor 0 is {tensors[0].DType} and tensor {i} is {t.DType}.");
            if (!ReferenceEquals(t.Backend, tensors[0].Backend))
                throw new ArgumentException($"{Op}: expected all tensors to be on the same device, but tensor 0 is on {tensors[0].Device} and tensor {i} on {t.Device}.");
        }
        // The grid dim of input i: i, except that "xy" swaps inputs 0 and 1.
        var gridDim = new int[k];
        for (int i = 0; i < k; i++)
            gridDim[i] = indexing == "xy" && k >= 2 && i < 2 ? 1 - i : i;
        var grid = new int[k];
        for (int i = 0; i < k; i++)
            grid[gridDim[i]] = tensors[i].Numel;
        var result = new Tensor[k];
        for (int i = 0; i < k; i++)
        {
            var shape = new int[k];
            Array.Fill(shape, 1);
            shape[gridDim[i]] = tensors[i].Numel;
            result[i] = tensors[i].Reshape(shape).Expand(grid);
        }
        return result;
    }
}
