using System.Runtime.InteropServices;
using System.Text;

namespace Dendrite.Distributed.Mpi;

/// <summary>
/// Sets variables in the C library's environment, which native libraries read with <c>getenv</c> (.NET's
/// <see cref="Environment.SetEnvironmentVariable(string, string)"/> changes only the managed copy on Unix).
/// </summary>
internal static unsafe class NativeEnvironment
{
    /// <summary>Sets <paramref name="name"/> to <paramref name="value"/> for native code; false when libc's <c>setenv</c> is unavailable or fails.</summary>
    public static bool Set(string name, string value)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() && !OperatingSystem.IsFreeBSD())
            return false;
        string libc = OperatingSystem.IsLinux() ? "libc.so.6" : "libc";
        if (!NativeLibrary.TryLoad(libc, out nint handle) || !NativeLibrary.TryGetExport(handle, "setenv", out nint setenv))
            return false;
        var f = (delegate* unmanaged<byte*, byte*, int, int>)setenv;
        byte[] n = Encoding.UTF8.GetBytes(name + "\0"), v = Encoding.UTF8.GetBytes(value + "\0");
        fixed (byte* pn = n, pv = v)
            return f(pn, pv, 1) == 0;
    }
}
