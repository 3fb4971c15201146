namespace Dendrite.IO;

/// <summary>A safetensors file that is truncated or malformed; the message names the file and the problem.</summary>
public sealed class SafeTensorsFormatException : IOException
{
    /// <summary>Creates the exception for <paramref name="source"/>.</summary>
    public SafeTensorsFormatException(string source, string problem, Exception? inner = null)
        : base($"safetensors file '{source}': {problem}", inner)
    {
        Source = source;
        Problem = problem;
    }

    /// <summary>The file (or stream name) at fault.</summary>
    public new string Source { get; }

    /// <summary>What is wrong, without the file name.</summary>
    public string Problem { get; }
}
