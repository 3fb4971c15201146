namespace Dendrite.Tests.Core;

// Tensor.RegisterPostAccumulateGradHook and Autograd.QueueCallback: what DistributedDataParallel hangs its
// gradient averaging on.
public sealed class BackwardCallbackTests
{
    [Fact]
    public void PostAccumulateHooksSeeTheAccumulatedGradientAndQueuedCallbacksRunAfterEveryLeaf()
    {
        var a = Tensor.FromArray([1f, 2f]);
        var b = Tensor.FromArray([3f]);
        a.RequiresGrad = b.RequiresGrad = true;
        var events = new List<string>();
        Action end = () => events.Add($"end a:{string.Join(",", a.Grad!.ToArray<float>())} b:{b.Grad!.ToArray<float>()[0]}");
        void OnLeaf(Tensor leaf, string name)
        {
            events.Add($"{name}:{string.Join(",", leaf.Grad!.ToArray<float>())}");
            Autograd.Autograd.QueueCallback(end); // queued by both leaves, run once
        }
        a.RegisterPostAccumulateGradHook(t => OnLeaf(t, "a"));
        b.RegisterPostAccumulateGradHook(t => OnLeaf(t, "b"));
        ((a * b).Sum() + a.Sum()).Backward();
        Assert.Equal(3, events.Count);
        Assert.Contains("a:4,4", events); // both paths into a, summed, then the hook
        Assert.Contains("b:3", events);
        Assert.Equal("end a:4,4 b:3", events[^1]); // after every leaf got its gradient

        // A second backward accumulates; the hook sees the total.
        events.Clear();
        (a.Sum() * 2).Backward();
        Assert.Equal(["a:6,6", "end a:6,6 b:3"], events);
    }

    [Fact]
    public void AutogradGradLeavesGradAloneAndCallsNoAccumulateHook()
    {
        var a = Tensor.FromArray([1f, 2f]);
        a.RequiresGrad = true;
        int calls = 0;
        a.RegisterPostAccumulateGradHook(_ => calls++);
        var g = Autograd.Autograd.Grad(a.Square().Sum(), [a]);
        Assert.Equal(new[] { 2f, 4f }, g[0]!.ToArray<float>());
        Assert.Equal(0, calls);
        Assert.Null(a.Grad);
    }

    [Fact]
    public void ABackwardPassThatThrowsDropsItsCallbacksAndTheNextPassQueuesAfresh()
    {
        var a = Tensor.FromArray([1f]);
        a.RequiresGrad = true;
        int runs = 0;
        bool fail = true;
        Action count = () => runs++;
        a.RegisterPostAccumulateGradHook(_ => Autograd.Autograd.QueueCallback(count));
        a.RegisterPostAccumulateGradHook(_ =>
        {
            if (fail)
                throw new InvalidOperationException("a hook fails");
        });
        Assert.Throws<InvalidOperationException>(() => a.Sum().Backward());
        Assert.Equal(0, runs);
        fail = false;
        a.Sum().Backward();
        Assert.Equal(1, runs);
    }

    [Fact]
    public void CallbacksAndHooksAreRefusedWhereTheyCannotRun()
    {
        Assert.Contains("no backward pass is running", Assert.Throws<InvalidOperationException>(() => Autograd.Autograd.QueueCallback(() => { })).Message);
        var a = Tensor.FromArray([1f]);
        Assert.Contains("does not require gradients", Assert.Throws<InvalidOperationException>(() => a.RegisterPostAccumulateGradHook(_ => { })).Message);
        a.RequiresGrad = true;
        Assert.Contains("only leaf tensors", Assert.Throws<InvalidOperationException>(() => (a * 2).RegisterPostAccumulateGradHook(_ => { })).Message);
    }
}
