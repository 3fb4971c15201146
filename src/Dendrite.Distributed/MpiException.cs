namespace Dendrite.Distributed;

/// <summary>An MPI call failed; the message names the call and gives MPI's own error text.</summary>
public sealed class MpiException : Exception
{
    /// <summary>Creates the exception for <paramref name="call"/> failing with <paramref name="errorCode"/>.</summary>
    public MpiException(string call, int errorCode, string errorText)
        : base($"{call} failed (MPI error {errorCode}): {errorText}")
    {
        Call = call;
        ErrorCode = errorCode;
    }

    /// <summary>The MPI function that failed (for example <c>MPI_Allreduce</c>).</summary>
    public string Call { get; }

    /// <summary>MPI's error code.</summary>
    public int ErrorCode { get; }
}
