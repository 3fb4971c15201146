namespace Dendrite.Cli.Commands;

/// <summary>
/// Something the user typed or wrote in a config file is not valid: the message names the option (or the file and
/// key), the value given and what is allowed. Commands exit with code 2, before any run folder exists.
/// </summary>
public sealed class UsageException(string message) : Exception(message);
