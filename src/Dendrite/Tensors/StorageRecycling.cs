namespace Dendrite;

/// <summary>
/// Marks the storages allocated on this thread inside a scope as engine-owned (<see cref="Storage.Recyclable"/>): the
/// autograd engine opens a scope while it computes gradients it will consume itself, and gives their buffers back to
/// their backend once they are dead (the CPU backend pools them; a GPU backend returns them to its caching allocator).
/// </summary>
internal static class StorageRecycling
{
    [ThreadStatic]
    private static int t_depth;

    /// <summary>While a scope is open on this thread, new storages are marked engine-owned.</summary>
    public static bool Marking => t_depth > 0;

    /// <summary>Opens a scope in which new storages are engine-owned (when <paramref name="active"/>); dispose to close it.</summary>
    public static Scope Open(bool active = true) => new(active);

    /// <summary>A marking scope; a default-constructed scope is inactive.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly bool _active;

        /// <summary>Opens the scope; an inactive scope changes nothing.</summary>
        public Scope(bool active)
        {
            _active = active;
            if (active)
                t_depth++;
        }

        /// <summary>Closes the scope.</summary>
        public void Dispose()
        {
            if (_active)
                t_depth--;
        }
    }
}
