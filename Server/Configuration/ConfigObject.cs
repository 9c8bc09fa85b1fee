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

    public string FieldPath(string name) => string.IsNullOrEmpty(Path) ? Printable(name) : $"{Path}.{Printable(name)}";

    // A field name comes from the file and may hold anything JSON can escape, a line break
    // included; the error must stay one line (the nightly property run found "c\nvasHeight").
    private static string Printable(string name) =>
        name.Any(char.IsControl) ? System.Text.Json.JsonSerializer.Serialize(name) : name;

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

        var bytes = System.IO.File.ReadAllBytes(path);
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            // The JSON reader only finds bad bytes inside strings when a value is read, far from here.
            throw new ConfigException($"{displayName}: not valid UTF-8");
        }

        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions
            {
                CommentHandling = JsonCommentHandling.Skip,
                AllowTrailingCommas = true,
            });
            RejectInvalidText(document.RootElement, displayName, string.Empty);
            return new ConfigObject(displayName, string.Empty, document.RootElement.Clone());
        }
        catch (JsonException e)
        {
            // The reader's message quotes the bad token, which may run over lines: keep its first sentence and line.
            throw new ConfigException($"{displayName}: line {e.LineNumber + 1}: invalid JSON ({e.Message.Split('.', '\r', '\n')[0]})", e);
        }
    }

    /// <summary>
    /// Refuses a string or name whose escapes are not valid UTF-16 (a lone "\ud800"): valid JSON,
    /// but every later read of it would throw something other than a <see cref="ConfigException"/>.
    /// </summary>
    private static void RejectInvalidText(JsonElement element, string displayName, string path)
    {
        try
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    element.GetString();
                    break;
                case JsonValueKind.Array:
                    var index = 0;
                    foreach (var item in element.EnumerateArray())
                    {
                        RejectInvalidText(item, displayName, $"{path}[{index++}]");
                    }

                    break;
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        RejectInvalidText(property.Value, displayName, path.Length == 0 ? property.Name : $"{path}.{property.Name}");
                    }

                    break;
            }
        }
        catch (InvalidOperationException)
        {
            throw new ConfigException($"{displayName}: {(path.Length == 0 ? "a name" : path)}: not valid text (a lone surrogate escape)");
        }
    }
}
