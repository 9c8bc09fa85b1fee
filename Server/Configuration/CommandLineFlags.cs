using System.Globalization;
using System.Net;

namespace MediaServer.Configuration;

/// <summary>
/// The server's command-line flags (contract.md "Flags"). Every flag is optional; a value
/// given here wins over conf/server.json. Unknown flags and bad values are a
/// <see cref="ConfigException"/> naming the flag.
/// </summary>
public sealed class CommandLineFlags
{
    public string ConfDirectory { get; private set; } = "conf";
    public string DataDirectory { get; private set; } = "data";
    public int? HttpPort { get; private set; }
    public IPAddress? Bind { get; private set; }
    public int? MediaPort { get; private set; }
    public IPAddress? PublicIp { get; private set; }
    public int? SipPort { get; private set; }
    public PortRange? RtpPorts { get; private set; }

    /// <summary><c>--log-format text|json</c>; null leaves it to server.json (default text).</summary>
    public string? LogFormat { get; private set; }

    /// <summary>Set by <c>--hash-password [PASSWORD]</c>: print a hash and exit. Empty means read it from standard input.</summary>
    public string? HashPassword { get; private set; }

    public bool ShowHelp { get; private set; }

    public const string Usage =
        "usage: Server [--conf DIR] [--data DIR] [--http-port N] [--bind ADDR] [--media-port N] [--public-ip ADDR]\n" +
        "              [--sip-port N] [--rtp-ports A-B] [--log-format text|json] [--hash-password [PASSWORD]]";

    public static CommandLineFlags Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var flags = new CommandLineFlags();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? inlineValue = null;
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && equals > 0)
            {
                inlineValue = arg[(equals + 1)..];
                arg = arg[..equals];
            }

            string Value()
            {
                if (inlineValue is not null)
                {
                    return inlineValue;
                }

                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    throw new ConfigException($"{arg}: a value is required");
                }

                return args[++i];
            }

            switch (arg)
            {
                case "--conf":
                    flags.ConfDirectory = NonEmpty(arg, Value());
                    break;
                case "--data":
                    flags.DataDirectory = NonEmpty(arg, Value());
                    break;
                case "--http-port":
                    flags.HttpPort = Port(arg, Value(), allowZero: true);
                    break;
                case "--bind":
                    flags.Bind = Address(arg, Value());
                    break;
                case "--media-port":
                    flags.MediaPort = Port(arg, Value(), allowZero: true);
                    break;
                case "--public-ip":
                    flags.PublicIp = Address(arg, Value());
                    break;
                case "--sip-port":
                    flags.SipPort = Port(arg, Value(), allowZero: false);
                    break;
                case "--rtp-ports":
                    flags.RtpPorts = PortRange.TryParse(Value(), out var range)
                        ? range
                        : throw new ConfigException($"{arg}: expected A-B with 1024 <= A < B <= 65535");
                    break;
                case "--log-format":
                    flags.LogFormat = Value() is var format && format is ServerSettings.TextLogFormat or ServerSettings.JsonLogFormat
                        ? format
                        : throw new ConfigException($"{arg}: '{format}' is not text or json");
                    break;
                case "--hash-password":
                    flags.HashPassword = inlineValue
                        ?? (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : string.Empty);
                    break;
                case "--help":
                case "-h":
                    flags.ShowHelp = true;
                    break;
                default:
                    throw new ConfigException($"{arg}: unknown flag (see --help)");
            }
        }

        return flags;
    }

    private static string NonEmpty(string flag, string value) =>
        string.IsNullOrWhiteSpace(value) ? throw new ConfigException($"{flag}: must not be empty") : value;

    private static int Port(string flag, string value, bool allowZero)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535 || (port == 0 && !allowZero))
        {
            throw new ConfigException($"{flag}: '{value}' is not a port number (1-65535)");
        }

        return port;
    }

    private static IPAddress Address(string flag, string value) =>
        IPAddress.TryParse(value, out var address) ? address : throw new ConfigException($"{flag}: '{value}' is not an IP address");
}
