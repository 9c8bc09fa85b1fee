using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;

namespace MediaServer.Mixer.Video;

/// <summary>
/// Every video layout and layout group the server offers, read from conf/layouts.json
/// (format: the file's "_about" and conference-layouts.md §1-§4). Immutable after parsing, so
/// one catalog is shared by all conferences. Parse errors name the file and the field, e.g.
/// "layouts.json: layouts[3].images[2].scale: must be a whole number from 1 to 360", the
/// line an operator needs; this type does not depend on the server's config classes so the
/// media plane can be tested on its own.
/// </summary>
public sealed class LayoutCatalog
{
    public const string DefaultFileName = "layouts.json";

    private static readonly string[] RootFields = ["_about", "layouts", "groups"];
    private static readonly string[] LayoutFields = ["name", "auto-3d-position", "border", "images"];
    private static readonly string[] GroupFields = ["name", "layouts"];
    private static readonly string[] ImageFields =
        ["x", "y", "scale", "hscale", "zoom", "floor", "floor-only", "overlap", "reservation_id", "reservation-id", "border", "audio-position"];

    // FreeSWITCH attributes we know but do not implement: refused by name rather than ignored,
    // so a layout copied from an FS config does not silently behave differently.
    private static readonly string[] UnsupportedFields = ["role-id", "file-only", "bgimg", "fgimg", "transition-in", "transition-out"];

    private readonly VideoLayout[] _layouts;
    private readonly LayoutGroup[] _groups;
    private readonly Dictionary<string, VideoLayout> _layoutsByName;
    private readonly Dictionary<string, LayoutGroup> _groupsByName;

    public LayoutCatalog(IEnumerable<VideoLayout> layouts, IEnumerable<LayoutGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(layouts);
        ArgumentNullException.ThrowIfNull(groups);
        _layouts = [.. layouts];
        _groups = [.. groups];
        _layoutsByName = new Dictionary<string, VideoLayout>(StringComparer.Ordinal);
        foreach (var layout in _layouts)
        {
            if (!_layoutsByName.TryAdd(layout.Name, layout))
            {
                throw new ArgumentException($"layout '{layout.Name}' is listed twice", nameof(layouts));
            }
        }

        _groupsByName = new Dictionary<string, LayoutGroup>(StringComparer.Ordinal);
        foreach (var group in _groups)
        {
            if (!_groupsByName.TryAdd(group.Name, group))
            {
                throw new ArgumentException($"group '{group.Name}' is listed twice", nameof(groups));
            }
        }
    }

    /// <summary>In file order.</summary>
    public IReadOnlyList<VideoLayout> Layouts => _layouts;

    /// <summary>In file order.</summary>
    public IReadOnlyList<LayoutGroup> Groups => _groups;

    public VideoLayout? FindLayout(string name) => _layoutsByName.GetValueOrDefault(name);

    /// <summary>Finds a group by its name, with or without the "group:" prefix clients use.</summary>
    public LayoutGroup? FindGroup(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var bare = name.StartsWith(LayoutGroup.ClientPrefix, StringComparison.Ordinal) ? name[LayoutGroup.ClientPrefix.Length..] : name;
        return _groupsByName.GetValueOrDefault(bare);
    }

    /// <summary>Parses layouts.json text; null and a one-line <paramref name="error"/> when it is invalid.</summary>
    public static LayoutCatalog? Parse(string json, out string? error) =>
        TryParse(json, DefaultFileName, out var catalog, out error) ? catalog : null;

    /// <summary>Reads and parses a layouts file; errors name the file as <see cref="Path.GetFileName(string)"/> of it.</summary>
    public static bool TryLoad(string path, [NotNullWhen(true)] out LayoutCatalog? catalog, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(path);
        var fileName = Path.GetFileName(path);
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            catalog = null;
            error = $"{fileName}: cannot be read ({e.Message})";
            return false;
        }

        return TryParse(json, fileName, out catalog, out error);
    }

    /// <summary>
    /// Parses layouts JSON. On failure <paramref name="error"/> is
    /// "<paramref name="fileName"/>: field.path: problem" (or the JSON syntax error's line).
    /// </summary>
    public static bool TryParse(string json, string fileName, [NotNullWhen(true)] out LayoutCatalog? catalog, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(fileName);
        catalog = null;
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions
            {
                CommentHandling = JsonCommentHandling.Skip,
                AllowTrailingCommas = true,
            });
            catalog = Read(document.RootElement);
            error = null;
            return true;
        }
        catch (JsonException e)
        {
            // The reader's message quotes the bad token, which may run over lines: keep its first sentence and line.
            error = $"{fileName}: line {e.LineNumber + 1}: invalid JSON ({e.Message.Split('.', '\r', '\n')[0]})";
            return false;
        }
        catch (InvalidOperationException)
        {
            // Valid JSON whose string escapes are not valid UTF-16 (a lone "\ud800"): reading the name throws.
            error = $"{fileName}: not valid text (a lone surrogate escape)";
            return false;
        }
        catch (FieldException e)
        {
            error = $"{fileName}: {e.Field}: {e.Message}";
            return false;
        }
    }

    private static LayoutCatalog Read(JsonElement root)
    {
        RequireObject(root, "(top level)");
        CheckFields(root, string.Empty, RootFields);
        if (!root.TryGetProperty("layouts", out var layoutsElement))
        {
            throw new FieldException("layouts", "missing: the file must list at least one layout");
        }

        var layouts = new List<VideoLayout>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var element in RequireArray(layoutsElement, "layouts", minimum: 1))
        {
            var path = $"layouts[{index++}]";
            var layout = ReadLayout(element, path);
            if (!names.Add(layout.Name))
            {
                throw new FieldException($"{path}.name", $"layout '{layout.Name}' is defined twice");
            }

            layouts.Add(layout);
        }

        var groups = new List<LayoutGroup>();
        if (root.TryGetProperty("groups", out var groupsElement) && groupsElement.ValueKind != JsonValueKind.Null)
        {
            var byName = layouts.ToDictionary(layout => layout.Name, StringComparer.Ordinal);
            var groupNames = new HashSet<string>(StringComparer.Ordinal);
            index = 0;
            foreach (var element in RequireArray(groupsElement, "groups", minimum: 0))
            {
                var path = $"groups[{index++}]";
                var group = ReadGroup(element, path, byName);
                if (!groupNames.Add(group.Name))
                {
                    throw new FieldException($"{path}.name", $"group '{group.Name}' is defined twice");
                }

                groups.Add(group);
            }
        }

        return new LayoutCatalog(layouts, groups);
    }

    private static VideoLayout ReadLayout(JsonElement element, string path)
    {
        RequireObject(element, path);
        CheckFields(element, path, LayoutFields);
        var name = ReadName(element, path);
        var auto3d = ReadBool(element, path, "auto-3d-position");
        var layoutBorder = ReadOptionalInt(element, path, "border", 0, 50);
        if (!element.TryGetProperty("images", out var imagesElement))
        {
            throw new FieldException($"{path}.images", "missing: a layout needs at least one image");
        }

        var images = new List<LayoutImage>();
        var index = 0;
        foreach (var image in RequireArray(imagesElement, $"{path}.images", minimum: 1))
        {
            images.Add(ReadImage(image, $"{path}.images[{index++}]", layoutBorder));
        }

        return new VideoLayout(name, images, auto3d);
    }

    private static LayoutImage ReadImage(JsonElement element, string path, int? layoutBorder)
    {
        RequireObject(element, path);
        CheckFields(element, path, ImageFields);
        var x = ReadRequiredInt(element, path, "x", 0, TileGeometry.Units - 1);
        var y = ReadRequiredInt(element, path, "y", 0, TileGeometry.Units - 1);
        var scale = ReadRequiredInt(element, path, "scale", 1, TileGeometry.Units);
        var hscale = ReadOptionalInt(element, path, "hscale", 1, TileGeometry.Units) ?? scale;
        if (x + scale > TileGeometry.Units)
        {
            throw new FieldException($"{path}.scale", $"x + scale is {x + scale}, past the canvas's right edge (360)");
        }

        if (y + hscale > TileGeometry.Units)
        {
            var field = element.TryGetProperty("hscale", out _) ? "hscale" : "scale";
            throw new FieldException($"{path}.{field}", $"y + height is {y + hscale}, past the canvas's bottom edge (360)");
        }

        var underscore = ReadOptionalString(element, path, "reservation_id");
        var dash = ReadOptionalString(element, path, "reservation-id");
        if (underscore is not null && dash is not null)
        {
            throw new FieldException($"{path}.reservation-id", "give reservation_id or reservation-id, not both");
        }

        var audioPosition = ReadOptionalString(element, path, "audio-position");
        if (audioPosition is not null && !IsAudioPosition(audioPosition))
        {
            throw new FieldException($"{path}.audio-position", $"'{audioPosition}' is not \"auto\" or three numbers \"x:y:z\"");
        }

        return new LayoutImage(
            x,
            y,
            scale,
            hscale,
            Zoom: ReadBool(element, path, "zoom"),
            Floor: ReadBool(element, path, "floor"),
            FloorOnly: ReadBool(element, path, "floor-only"),
            Overlap: ReadBool(element, path, "overlap"),
            ReservationId: underscore ?? dash,
            Border: ReadOptionalInt(element, path, "border", 0, 50) ?? layoutBorder,
            AudioPosition: audioPosition);
    }

    private static LayoutGroup ReadGroup(JsonElement element, string path, Dictionary<string, VideoLayout> layouts)
    {
        RequireObject(element, path);
        CheckFields(element, path, GroupFields);
        var name = ReadName(element, path);
        if (name.StartsWith(LayoutGroup.ClientPrefix, StringComparison.Ordinal))
        {
            throw new FieldException($"{path}.name", $"give the name without the \"{LayoutGroup.ClientPrefix}\" prefix clients see");
        }

        if (!element.TryGetProperty("layouts", out var listElement))
        {
            throw new FieldException($"{path}.layouts", "missing: a group lists at least one layout name");
        }

        var members = new List<VideoLayout>();
        var index = 0;
        foreach (var item in RequireArray(listElement, $"{path}.layouts", minimum: 1))
        {
            var itemPath = $"{path}.layouts[{index++}]";
            if (item.ValueKind != JsonValueKind.String)
            {
                throw new FieldException(itemPath, "must be a layout name");
            }

            var layoutName = item.GetString()!;
            members.Add(layouts.TryGetValue(layoutName, out var layout) ? layout : throw new FieldException(itemPath, $"no layout named '{layoutName}'"));
        }

        return new LayoutGroup(name, members);
    }

    private static string ReadName(JsonElement element, string path)
    {
        var name = ReadOptionalString(element, path, "name");
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new FieldException($"{path}.name", "missing: every entry needs a name");
        }

        if (name.Any(char.IsWhiteSpace))
        {
            // vid-layout takes the name as one word of a command line.
            throw new FieldException($"{path}.name", $"'{name}' must not contain spaces");
        }

        return name;
    }

    private static void CheckFields(JsonElement element, string path, string[] known)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (Array.IndexOf(known, property.Name) >= 0)
            {
                continue;
            }

            var field = Join(path, property.Name);
            throw Array.IndexOf(UnsupportedFields, property.Name) >= 0
                ? new FieldException(field, "not supported by this server")
                : new FieldException(field, $"unknown field (known: {string.Join(", ", known.Where(name => name != "_about"))})");
        }
    }

    private static int ReadRequiredInt(JsonElement element, string path, string name, int min, int max) =>
        ReadOptionalInt(element, path, name, min, max) ?? throw new FieldException(Join(path, name), $"missing: must be a whole number from {min} to {max}");

    private static int? ReadOptionalInt(JsonElement element, string path, string name, int min, int max)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number) || number < min || number > max)
        {
            throw new FieldException(Join(path, name), $"must be a whole number from {min} to {max}");
        }

        return number;
    }

    private static bool ReadBool(JsonElement element, string path, string name)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return false;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False or JsonValueKind.Null => false,
            _ => throw new FieldException(Join(path, name), "must be true or false"),
        };
    }

    private static string? ReadOptionalString(JsonElement element, string path, string name)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
        {
            throw new FieldException(Join(path, name), "must be a non-empty string");
        }

        return value.GetString();
    }

    private static void RequireObject(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FieldException(path, "must be a JSON object");
        }
    }

    private static JsonElement.ArrayEnumerator RequireArray(JsonElement element, string path, int minimum)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw new FieldException(path, "must be a JSON array");
        }

        if (element.GetArrayLength() < minimum)
        {
            throw new FieldException(path, $"must have at least {minimum} entr{(minimum == 1 ? "y" : "ies")}");
        }

        return element.EnumerateArray();
    }

    private static bool IsAudioPosition(string text)
    {
        if (string.Equals(text, "auto", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var parts = text.Split(':');
        return parts.Length == 3 && parts.All(part => double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    /// <summary>A bad field, named by its path; caught in <see cref="TryParse"/> and turned into the error line.</summary>
    private sealed class FieldException(string field, string message) : Exception(message)
    {
        public string Field { get; } = field;
    }
}
