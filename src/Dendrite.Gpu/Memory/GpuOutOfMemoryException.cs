namespace Dendrite.Gpu.Memory;

/// <summary>A device allocation failed after collecting garbage, reusing cached blocks and emptying the cache.</summary>
public sealed class GpuOutOfMemoryException : Exception
{
    /// <summary>Creates the exception with a message naming the device and the sizes.</summary>
    public GpuOutOfMemoryException(string message, Exception? inner = null) : base(message, inner)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public GpuOutOfMemoryException() : base("Out of device memory.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public GpuOutOfMemoryException(string message) : base(message)
    {
    }
}
