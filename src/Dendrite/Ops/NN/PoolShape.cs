namespace Dendrite.Ops;

/// <summary>Input checks shared by the 2-D pooling ops: [N, C, H, W] or [C, H, W], viewed as P planes of H×W.</summary>
internal static class PoolShape
{
    /// <summary>Validates the input rank and returns the plane count and the output shape for the given output plane size.</summary>
    public static (int Planes, int[] OutShape) Of(Tensor x, string op, int outH, int outW)
    {
        var s = x.ShapeArray;
        int planes = s.Length == 4 ? s[0] * s[1] : s[0];
        var outShape = (int[])s.Clone();
        outShape[^2] = outH;
        outShape[^1] = outW;
        return (planes, outShape);
    }

    /// <summary>Throws unless <paramref name="x"/> is a floating 3-D or 4-D tensor.</summary>
    public static void CheckInput(Tensor x, string op)
    {
        if (x.Rank != 3 && x.Rank != 4)
            throw new ArgumentException($"{op}: input must be 4-D [N, C, H, W] or 3-D [C, H, W], got shape {ShapeUtil.Format(x.ShapeArray)}.");
        x.CheckFloating(op);
    }

    /// <summary>Builds the pooling geometry, adding the input shape to any validation message.</summary>
    public static Pool2dGeometry Geometry(Tensor x, string op, (int H, int W) kernel, (int H, int W) stride,
        (int H, int W) padding, (int H, int W) dilation)
    {
        try
        {
            return new Pool2dGeometry(x.ShapeArray[^2], x.ShapeArray[^1], kernel.H, kernel.W, stride.H, stride.W,
                padding.H, padding.W, dilation.H, dilation.W, op);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{e.Message} (input {ShapeUtil.Format(x.ShapeArray)})", e);
        }
    }
}
