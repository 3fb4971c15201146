using System.Reflection;
using Dendrite.Gpu.Kernels;
using ILGPU.Runtime;

namespace Dendrite.Gpu.Runtime;

/// <summary>
/// Compiled kernels of one accelerator, each compiled and loaded once (keyed by the closed kernel method).
/// Only kernels listed by <see cref="KernelCatalog"/> load, so every kernel that can run is also one the PTX test compiles.
/// </summary>
internal sealed class KernelCache(Accelerator accelerator, string deviceName)
{
    private readonly Dictionary<MethodInfo, Delegate> _launchers = [];
    private readonly object _gate = new();

    /// <summary>The number of kernels loaded so far.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
                return _launchers.Count;
        }
    }

    /// <summary>The launcher of <paramref name="kernel"/> (an explicitly grouped kernel), compiling it on first use.</summary>
    /// <exception cref="InvalidOperationException">The kernel is not registered in the catalog, or ILGPU cannot compile it.</exception>
    public TDelegate Get<TDelegate>(MethodInfo kernel) where TDelegate : Delegate
    {
        lock (_gate)
        {
            if (_launchers.TryGetValue(kernel, out var launcher))
                return (TDelegate)launcher;
            KernelCatalog.EnsureRegistered(kernel);
            TDelegate loaded;
            try
            {
                loaded = accelerator.LoadKernel<TDelegate>(kernel);
            }
            catch (Exception e) when (e is not InvalidOperationException)
            {
                throw new InvalidOperationException(
                    $"{deviceName}: compiling kernel {KernelCatalog.Describe(kernel)} failed: {e.Message}", e);
            }
            _launchers[kernel] = loaded;
            return loaded;
        }
    }
}
