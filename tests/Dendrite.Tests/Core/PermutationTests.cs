namespace Dendrite.Tests.Core;

public sealed class PermutationTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(1000)]
    [InlineData(60_000)]
    public void PermutationIsTheArgsortOfTheNextRawOutputs(int n)
    {
        var keys = new ulong[n];
        var twin = new Generator(123);
        for (int i = 0; i < n; i++)
            keys[i] = twin.NextUInt64();
        int[] expected = Enumerable.Range(0, n).ToArray();
        Array.Sort((ulong[])keys.Clone(), expected);

        var g = new Generator(123);
        Assert.Equal(expected, g.Permutation(n));
        // The stream continues after the n draws, like the twin's.
        Assert.Equal(twin.NextUInt64(), g.NextUInt64());
    }
}
