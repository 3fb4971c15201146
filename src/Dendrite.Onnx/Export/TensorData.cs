using System.Runtime.InteropServices;
using Dendrite.Onnx.Proto;
using Google.Protobuf;

namespace Dendrite.Onnx.Export;

/// <summary>Dendrite dtypes as ONNX element types, and tensor values as ONNX initializers (copied to the host).</summary>
internal static class TensorData
{
    /// <summary>The ONNX element type of <paramref name="dtype"/>.</summary>
    public static int ElementType(DType dtype) => (int)(dtype switch
    {
        DType.Float32 => TensorProto.Types.DataType.Float,
        DType.Float64 => TensorProto.Types.DataType.Double,
        DType.Int64 => TensorProto.Types.DataType.Int64,
        DType.Bool => TensorProto.Types.DataType.Bool,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Onnx.Export: no ONNX element type for this dtype."),
    });

    /// <summary>The ONNX spelling of <paramref name="dtype"/>: float, double, int64, bool.</summary>
    public static string TypeName(DType dtype) => dtype switch
    {
        DType.Float32 => "float",
        DType.Float64 => "double",
        DType.Int64 => "int64",
        _ => "bool",
    };

    /// <summary>
    /// An initializer named <paramref name="name"/> holding <paramref name="t"/>'s elements in row-major order as
    /// little-endian raw data (float32 as IEEE singles, bool one byte each), read from whatever device t is on.
    /// </summary>
    public static TensorProto ToProto(string name, Tensor t)
    {
        var proto = new TensorProto { Name = name, DataType = ElementType(t.DType), RawData = ByteString.CopyFrom(Bytes(t)) };
        foreach (int d in t.ShapeArray)
            proto.Dims.Add(d);
        return proto;
    }

    /// <summary>The elements of <paramref name="t"/> as little-endian bytes.</summary>
    public static byte[] Bytes(Tensor t)
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("Onnx.Export: writing ONNX raw data needs a little-endian machine.");
        return t.DType switch
        {
            DType.Float32 => MemoryMarshal.AsBytes<float>(t.ToArray<float>()).ToArray(),
            DType.Float64 => MemoryMarshal.AsBytes<double>(t.ToArray<double>()).ToArray(),
            DType.Int64 => MemoryMarshal.AsBytes<long>(t.ToArray<long>()).ToArray(),
            _ => MemoryMarshal.AsBytes<bool>(t.ToArray<bool>()).ToArray(),
        };
    }

    /// <summary>An initializer of shape <paramref name="dims"/> and element type <paramref name="dtype"/> holding <paramref name="values"/> (converted).</summary>
    public static TensorProto FromValues(string name, DType dtype, long[] dims, params double[] values)
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("Onnx.Export: writing ONNX raw data needs a little-endian machine.");
        byte[] bytes = dtype switch
        {
            DType.Float32 => MemoryMarshal.AsBytes<float>(Array.ConvertAll(values, v => (float)v)).ToArray(),
            DType.Float64 => MemoryMarshal.AsBytes<double>(values).ToArray(),
            DType.Int64 => MemoryMarshal.AsBytes<long>(Array.ConvertAll(values, v => (long)v)).ToArray(),
            _ => Array.ConvertAll(values, v => v != 0 ? (byte)1 : (byte)0),
        };
        var proto = new TensorProto { Name = name, DataType = ElementType(dtype), RawData = ByteString.CopyFrom(bytes) };
        proto.Dims.Add(dims);
        return proto;
    }

    /// <summary>An Int64 initializer of shape <paramref name="dims"/> holding <paramref name="values"/> exactly.</summary>
    public static TensorProto FromInt64s(string name, long[] dims, long[] values)
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("Onnx.Export: writing ONNX raw data needs a little-endian machine.");
        var proto = new TensorProto { Name = name, DataType = ElementType(DType.Int64), RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes<long>(values)) };
        proto.Dims.Add(dims);
        return proto;
    }
}
