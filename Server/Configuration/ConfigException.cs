namespace MediaServer.Configuration;

/// <summary>
/// A configuration problem that stops start-up. Its message is the one line an operator
/// sees: the file (or flag) and the field, then what is wrong.
/// </summary>
public sealed class ConfigException : Exception
{
    public ConfigException(string message)
        : base(message)
    {
    }

    public ConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ConfigException()
    {
    }

    public static ConfigException Field(string file, string field, string problem) => new($"{file}: {field}: {problem}");
}
