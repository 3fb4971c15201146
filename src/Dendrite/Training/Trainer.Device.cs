using Dendrite.Data;

namespace Dendrite.Training;

public sealed partial class Trainer
{
    /// <summary>
    /// The device of the model's parameters (the CPU for a model without parameters). Each batch is moved there before
    /// the forward pass, so a model moved with <c>Module.To(device)</c> trains on that device with loaders that produce
    /// CPU batches.
    /// </summary>
    public Device Device
    {
        get
        {
            foreach (var p in Model.Parameters())
                return p.Device;
            return Device.Cpu;
        }
    }

    // The batch's inputs and targets on the model's device.
    private (Tensor X, Tensor Y) OnDevice(Batch batch)
    {
        var (x, y) = batch;
        var device = Device;
        return (x.To(device), y.To(device));
    }

    private Tensor OnDevice(Tensor input) => input.To(Device);
}
