using Dendrite.Backends;
using Dendrite.Ops;

namespace Dendrite.NN;

public abstract partial class Module
{
    /// <summary>
    /// Moves every parameter, buffer and existing gradient of this module and its descendants to
    /// <paramref name="device"/> in place, like PyTorch's <c>module.to(device)</c>, and returns this module. The
    /// parameter and gradient objects stay the same (only their data moves), so an optimizer built before the move
    /// keeps working: it moves its state to the parameters' device on its next step. Tensors already on the device
    /// are left alone.
    /// </summary>
    /// <exception cref="InvalidOperationException">The device is not available; the message says why.</exception>
    public Module To(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return To(BackendRegistry.Get(device));
    }

    /// <summary><see cref="To(Dendrite.Device)"/> onto a given backend.</summary>
    internal Module To(IBackend backend)
    {
        foreach (var p in Parameters())
        {
            MoveData(p, backend);
            if (p.Grad is { } g)
                MoveData(g, backend);
        }
        foreach (var b in Buffers())
            MoveData(b, backend);
        return this;
    }

    /// <summary>Moves the module to the CPU (<see cref="To(Dendrite.Device)"/> with <see cref="Dendrite.Device.Cpu"/>), like <c>module.cpu()</c>.</summary>
    public Module Cpu() => To(Dendrite.Device.Cpu);

    /// <summary>
    /// The device of this module's parameters and buffers (the CPU for a module without any). PyTorch has no such
    /// property; it is the usual <c>next(model.parameters()).device</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The tensors are spread over several devices; the message names two of them.</exception>
    public Device Device
    {
        get
        {
            Device? found = null;
            string? foundName = null;
            foreach (var (name, t) in NamedParameters().Concat(NamedBuffers()))
            {
                if (found is null)
                {
                    found = t.Device;
                    foundName = name;
                }
                else if (t.Device != found)
                {
                    throw new InvalidOperationException(
                        $"{GetType().Name}.Device: the module's tensors are on several devices ('{foundName}' on {found}, '{name}' on {t.Device}); move the module with To(device).");
                }
            }
            return found ?? Dendrite.Device.Cpu;
        }
    }

    // Replaces t's data by a copy on the backend's device, keeping the tensor object (no autograd record).
    private static void MoveData(Tensor t, IBackend backend)
    {
        if (ReferenceEquals(t.Storage.Backend, backend))
            return;
        t.SetData(ToDeviceOp.Copy(t, backend));
    }
}
