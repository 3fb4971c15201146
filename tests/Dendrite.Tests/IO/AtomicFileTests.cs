using System.Diagnostics;
using Dendrite.IO;
using Dendrite.Tests.Data;

namespace Dendrite.Tests.IO;

public sealed class AtomicFileTests
{
    private static string Temp(string dir, string target, int pid) => Path.Combine(dir, $".{target}.{pid}.{Guid.NewGuid():N}.tmp");

    [Fact]
    public void TheNextWriteRemovesTemporariesOfKilledWritersOnly()
    {
        using var dir = new TempDir();
        using var sleeper = Process.Start(new ProcessStartInfo("sleep", "30") { UseShellExecute = false })!;
        string ofLive = Temp(dir.Path, "last.safetensors", sleeper.Id);
        string ofThisProcess = Temp(dir.Path, "last.safetensors", Environment.ProcessId);
        string ofNoProcess = Temp(dir.Path, "last.safetensors", int.MaxValue); // above any Linux pid
        string unrelated = Path.Combine(dir.Path, ".notes.tmp");
        foreach (var f in new[] { ofLive, ofThisProcess, ofNoProcess, unrelated })
            File.WriteAllBytes(f, new byte[1000]);

        AtomicFile.WriteAllText(dir.File("history.csv"), "a\n");
        Assert.False(File.Exists(ofNoProcess));
        Assert.True(File.Exists(ofLive));
        Assert.True(File.Exists(ofThisProcess));
        Assert.True(File.Exists(unrelated));

        sleeper.Kill(); // kill -9: its temporary is now stale
        sleeper.WaitForExit();
        AtomicFile.WriteAllText(dir.File("history.csv"), "b\n");
        Assert.False(File.Exists(ofLive));
        Assert.True(File.Exists(ofThisProcess));
        Assert.Equal("b\n", File.ReadAllText(dir.File("history.csv")));
    }

    [Theory]
    [InlineData(".last.safetensors.123.0123456789abcdef0123456789abcdef.tmp", 123)]
    [InlineData(".a.b.c.77.ffffffffffffffffffffffffffffffff.tmp", 77)]
    [InlineData(".last.safetensors.x.0123456789abcdef0123456789abcdef.tmp", null)]
    [InlineData(".last.safetensors.123.0123456789abcdef.tmp", null)]
    [InlineData("last.safetensors.123.0123456789abcdef0123456789abcdef.tmp", null)]
    [InlineData(".123.0123456789abcdef0123456789abcdef.tmp", null)]
    public void OnlyNamesOfAtomicWritesAreRecognised(string name, int? pid) => Assert.Equal(pid, AtomicFile.WriterProcessId(name));
}
