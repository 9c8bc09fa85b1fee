using System.Text;
using FsCheck;
using FsCheck.Fluent;
using MediaServer.Configuration;
using MediaServer.Tests.Configuration;
using MediaServer.Tests.Shared;

namespace MediaServer.Tests.Security;

/// <summary>
/// Every shipped conf/*.json, damaged (bytes flipped or overwritten, cut short, a value replaced
/// by one of another type or by an absurd one, a member dropped), through the loader the
/// command line uses: the result is a loaded configuration or a <see cref="ConfigException"/>
/// of one line that names the damaged file; no other exception.
/// </summary>
public sealed class ConfigFileProperties : IDisposable
{
    private static readonly string Shipped = Path.Combine(ConfigLoaderTests.FindRepositoryRoot(), "conf");

    private static readonly string[] Files = [.. Directory.GetFiles(Shipped, "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    private static readonly Gen<byte> Byte = Gen.Choose(0, 255).Select(i => (byte)i);

    private readonly string _conf = Directory.CreateTempSubdirectory("mediaserver-conf-fuzz-").FullName;

    public ConfigFileProperties()
    {
        foreach (var file in Files)
        {
            File.Copy(Path.Combine(Shipped, file), Path.Combine(_conf, file));
        }
    }

    public void Dispose() => Directory.Delete(_conf, recursive: true);

    [Fact]
    public void EveryShippedFileIsCovered() =>
        Assert.Superset(new HashSet<string> { "server.json", "directory.json", "dialplan.json", "conference-profiles.json", "layouts.json", "sip-trunks.json" }, Files.ToHashSet());

    [Fact]
    public void ByteDamageLoadsOrNamesTheFile()
    {
        var gen =
            from file in Gen.Elements(Files)
            from kind in Gen.Choose(0, 2)
            from position in Gen.Choose(0, 1 << 20)
            from value in Byte
            select (file, Damage(File.ReadAllBytes(Path.Combine(Shipped, file)), kind, position, value));
        Check.One(PropertyRuns.Config, Prop.ForAll(gen.ToArbitrary(), c => LoadsOrNames(c.file, c.Item2)));
    }

    [Fact]
    public void ValueDamageLoadsOrNamesTheFile()
    {
        var gen =
            from file in Gen.Elements(Files)
            from kind in Gen.Choose(0, 1)
            from position in Gen.Choose(0, 1 << 20)
            from replacement in Gen.Elements(
                "null", "true", "false", "0", "-1", "65536", "1e400", "-0.5", "99999999999999999999", "\"\"", "\"x\"",
                "\"\\ud800\"", "\"1-0\"", "\"0.0.0.0.0\"", "[]", "{}", "[null]", "[{}]", "{\"_c\":1}", "\"" + new string('a', 5000) + "\"")
            select (file, ReplaceValue(File.ReadAllText(Path.Combine(Shipped, file)), kind, position, replacement));
        Check.One(PropertyRuns.Config, Prop.ForAll(gen.ToArbitrary(), c => LoadsOrNames(c.file, Encoding.UTF8.GetBytes(c.Item2))));
    }

    private void LoadsOrNames(string file, byte[] content)
    {
        var path = Path.Combine(_conf, file);
        File.WriteAllBytes(path, content);
        try
        {
            ConfigLoader.Load(CommandLineFlags.Parse(["--conf", _conf]));
        }
        catch (ConfigException e)
        {
            Assert.False(e.Message.Contains('\n', StringComparison.Ordinal), e.Message);
            Assert.Contains(file, e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Copy(Path.Combine(Shipped, file), path, overwrite: true);
        }
    }

    private static byte[] Damage(byte[] data, int kind, int position, byte value)
    {
        var at = position % data.Length;
        switch (kind)
        {
            case 0:
                data[at] ^= (byte)(1 << (value % 8));
                return data;
            case 1:
                data[at] = value;
                return data;
            default:
                return data[..at];
        }
    }

    /// <summary>Replaces the value after one ':' (or drops the member) in the shipped text.</summary>
    private static string ReplaceValue(string text, int kind, int position, string replacement)
    {
        var colons = Enumerable.Range(0, text.Length).Where(i => text[i] == ':' && IsOutsideString(text, i)).ToArray();
        var at = colons[position % colons.Length] + 1;
        var end = JsonText.ValueEnd(text, at);
        if (kind == 0)
        {
            return text[..at] + " " + replacement + text[end..];
        }

        var start = text.LastIndexOfAny([',', '{'], at - 1);
        return text[..(text[start] == '{' ? start + 1 : start)] + text[end..];
    }

    private static bool IsOutsideString(string text, int index)
    {
        var inString = false;
        for (var i = 0; i < index; i++)
        {
            if (text[i] == '\\' && inString)
            {
                i++;
            }
            else if (text[i] == '"')
            {
                inString = !inString;
            }
        }

        return !inString;
    }
}
