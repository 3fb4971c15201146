using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Dendrite.Backends.Cpu;

/// <summary>Which register tile the blocked GEMM uses.</summary>
internal enum GemmIsa
{
    /// <summary>Vector128 fallback (<see cref="GemmKernelPortable"/>).</summary>
    Portable,

    /// <summary>256-bit FMA tile (<see cref="GemmKernel256"/>).</summary>
    Avx256,

    /// <summary>512-bit FMA tile (<see cref="GemmKernel512"/>).</summary>
    Avx512,
}

/// <summary>
/// Cache-blocking sizes and kernel choice. Goto/BLIS loop nest: an NC-wide slab of B (KC×NC, packed)
/// lives in L3, an MC×KC block of A (packed) in L2, and one KC×NR micro-panel of B in L1 while the
/// register tile sweeps the A block.
/// </summary>
internal static class GemmBlocking
{
    /// <summary>Rows of every register tile (and of a packed A micro-panel); the tiles differ only in width.</summary>
    public const int Mr = 12;

    /// <summary>KC for float: a 256×32 float B micro-panel is 32 KiB, inside a 48 KiB L1d.</summary>
    public const int KcFloat = 256;

    /// <summary>KC for double: the same bytes as float's micro-panel (128×16 doubles).</summary>
    public const int KcDouble = 128;

    /// <summary>Depth of one packed block (and stride of a row in the row-panel A layout).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Kc<T>() => typeof(T) == typeof(float) ? KcFloat : KcDouble;

    /// <summary>Rows of one packed A block (a multiple of MR): MC·KC·size ≈ 240 KiB of a 1 MiB L2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Mc<T>() => 240;

    /// <summary>Columns of one packed B slab (a multiple of every NR).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Nc<T>() => 2048;

    /// <summary>
    /// The tile in use. Defaults to the widest accelerated one; overridable with the environment
    /// variable <c>DENDRITE_GEMM_ISA</c> (<c>avx512</c>, <c>avx256</c>, <c>portable</c>) or by
    /// benchmarks and tests, to compare tiles on one machine.
    /// </summary>
    public static GemmIsa Isa { get; set; } = DefaultIsa();

    /// <summary>The best tile the hardware supports, unless the environment overrides it.</summary>
    public static GemmIsa DefaultIsa()
    {
        GemmIsa best = Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? GemmIsa.Avx512
            : Vector256.IsHardwareAccelerated && Fma.IsSupported ? GemmIsa.Avx256
            : GemmIsa.Portable;
        string? env = Environment.GetEnvironmentVariable("DENDRITE_GEMM_ISA");
        GemmIsa wanted = env?.ToLowerInvariant() switch
        {
            "avx512" => GemmIsa.Avx512,
            "avx256" or "avx2" => GemmIsa.Avx256,
            "portable" => GemmIsa.Portable,
            _ => best,
        };
        return wanted <= best ? wanted : best;
    }

    /// <summary>Tile width in elements for the given tile kind.</summary>
    public static int Nr<T>(GemmIsa isa) => isa switch
    {
        GemmIsa.Avx512 => GemmKernel512.NR<T>(),
        GemmIsa.Avx256 => GemmKernel256.NR<T>(),
        _ => GemmKernelPortable.NR<T>(),
    };
}
