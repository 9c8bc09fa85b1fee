using System.Net;
using System.Text.Json;

namespace MediaServer.Configuration;

/// <summary>
/// Reads typed fields out of one JSON object of a config file, naming the file and the
/// dotted field path in every error so an operator can fix it from one line.
/// </summary>
internal readonly struct ConfigObject
{
    private readonly JsonElement _element;

    public ConfigObject(string file, string path, JsonElement element)
    {
        File = file;
        Path = path;
        _element = element;
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw ConfigException.Field(file, string.IsNullOrEmpty(path) ? "(top level)" : path, "must be a JSON object");
        }
    }

    public string File { get; }

    public string Path { get; }

    public JsonElement Element => _element;

    public string FieldPath(string name) => string.IsNullOrEmpty(Path) ? name : $"{Path}.{name}";

    public ConfigException Error(string name, string problem) => ConfigException.Field(File, FieldPath(name), problem);

    public bool Has(string name) => _element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    public int Int(string name, int fallback, int min, int max)
    {
        if (!_element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return fallback;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number) || number < min || number > max)
        {
            throw Error(name, $"must be a whole number from {min} to {max}");
        }

        return number;
    }

    public int? OptionalInt(string name, int min, int max) => Has(name) ? Int(name, 0, min, max) : null;

    public bool Bool(string name, bool fallback)
    {
        if (!_element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return fallback;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error(name, "must be true or false"),
        };
    }

    public string? String(string name)
    {
        if (!_element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Error(name, "must be a string");
    }

    public string RequiredString(string name)
    {
        var value = String(name);
        return string.IsNullOrWhiteSpace(value) ? throw Error(name, "is required") : value;
    }

    public IPAddress? Address(string name)
    {
        var text = String(name);
        if (text is null)
        {
            return null;
        }

        return IPAddress.TryParse(text, out var address) ? address : throw Error(name, $"'{text}' is not an IP address");
    }

    /// <summary>A list of strings; also accepts one comma- or space-separated string, as FreeSWITCH's permission params do.</summary>
    public IReadOnlyList<string>? StringList(string name)
    {
        if (!_element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString()!.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Error(name, "must be a list of strings");
        }

        var list = new List<string>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(item.GetString()))
            {
                throw Error($"{name}[{index}]", "must be a non-empty string");
            }

            list.Add(item.GetString()!.Trim());
            index++;
        }

        return list;
    }

    public ConfigObject? Child(string name)
    {
        if (!_element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return new ConfigObject(File, FieldPath(name), value);
    }

    public IEnumerable<ConfigObject> Objects(string name)
    {
        if (!_element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            yield break;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Error(name, "must be a list");
        }

        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            yield return new ConfigObject(File, $"{FieldPath(name)}[{index}]", item);
            index++;
        }
    }

    /// <summary>Refuses members the file format does not know, so a typo is not silently ignored.</summary>
    public void RejectUnknown(params string[] known)
    {
        foreach (var property in _element.EnumerateObject())
        {
            if (Array.IndexOf(known, property.Name) < 0 && !property.Name.StartsWith('_'))
            {
                throw Error(property.Name, "unknown field (fields starting with '_' are comments)");
            }
        }
    }

    public static ConfigObject Load(string path, string displayName)
    {
        if (!System.IO.File.Exists(path))
        {
            throw new ConfigException($"{displayName}: file not found");
        }

        try
        {
            using var document = JsonDocument.Parse(System.IO.File.ReadAllBytes(path), new JsonDocumentOptions
            {
                CommentHandling = JsonCommentHandling.Skip,
                AllowTrailingCommas = true,
            });
            return new ConfigObject(displayName, string.Empty, document.RootElement.Clone());
        }
        catch (JsonException e)
        {
            throw new ConfigException($"{displayName}: line {e.LineNumber + 1}: invalid JSON ({e.Message.Split('.')[0]})", e);
        }
    }
}
