namespace Dendrite.Data.Datasets;

/// <summary>A dataset file that is missing, truncated, malformed or fails its checksum; the message names the file and the problem.</summary>
public sealed class DatasetFileException : IOException
{
    /// <summary>Creates the exception for <paramref name="filePath"/>.</summary>
    public DatasetFileException(string filePath, string message, Exception? inner = null) : base(message, inner)
    {
        FilePath = filePath;
    }

    /// <summary>The file at fault.</summary>
    public string FilePath { get; }
}
