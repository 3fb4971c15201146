namespace Dendrite.Distributed;

/// <summary>
/// A distributed run was asked for but cannot start: the MPI library is missing or is not MPICH-compatible, or the
/// process was started by a launcher this layer cannot join. The message says what to install or how to launch.
/// </summary>
public sealed class MpiUnavailableException : InvalidOperationException
{
    /// <summary>Creates the exception with its explanation.</summary>
    public MpiUnavailableException(string message) : base(message)
    {
    }
}
