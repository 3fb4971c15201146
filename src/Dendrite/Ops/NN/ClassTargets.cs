namespace Dendrite.Ops;

/// <summary>Validation shared by the class-index losses (cross-entropy, NLL): shapes, devices, labels and class weights.</summary>
internal static class ClassTargets
{
    /// <summary>
    /// Checks 2-D scores [M, C] against an Int64 target [M] and optional weight [C]; every label must be in
    /// [0, C) or equal <paramref name="ignoreIndex"/> (checked on the host, as PyTorch does). Returns the labels as a
    /// dense Int64 [M] tensor on the scores' device.
    /// </summary>
    public static Tensor Check(string op, Tensor scores, Tensor target, Tensor? weight, long ignoreIndex, int[] userInputShape, int[] userTargetShape)
    {
        scores.CheckFloating(op);
        if (target.DType != DType.Int64)
            throw new ArgumentException($"{op}: target must be an Int64 tensor of class indices, got {target.DType}.");
        int c = scores.ShapeArray[1];
        if (!ShapeUtil.SameShape(userTargetShape, ExpectedTarget(userInputShape)))
            throw new ArgumentException($"{op}: target of shape {ShapeUtil.Format(userTargetShape)} does not match input of shape {ShapeUtil.Format(userInputShape)} (expected {ShapeUtil.Format(ExpectedTarget(userInputShape))}).");
        if (weight is not null && (weight.Rank != 1 || weight.ShapeArray[0] != c))
            throw new ArgumentException($"{op}: weight must have shape [{c}] (one per class), got {ShapeUtil.Format(weight.ShapeArray)}.");
        if (weight is not null && weight.DType != scores.DType)
            throw new ArgumentException($"{op}: input is {scores.DType} but weight is {weight.DType}; convert them to one dtype.");
        var backend = Dispatch.Backend(op, scores, target, weight);
        if (backend.FindInvalidLabel(target.Raw, c, ignoreIndex) is (_, long y))
            throw new ArgumentException($"{op}: target label {y} is out of range for {c} classes (expected 0 <= label < {c}, or the ignore index {ignoreIndex}).");
        return target.Detach().Dense().Reshape(scores.ShapeArray[0]);
    }

    private static int[] ExpectedTarget(int[] inputShape)
    {
        if (inputShape.Length == 1)
            return [];
        var t = new int[inputShape.Length - 1];
        t[0] = inputShape[0];
        for (int i = 2; i < inputShape.Length; i++)
            t[i - 1] = inputShape[i];
        return t;
    }
}
