using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace MediaServer.Bench.Load;

/// <summary>Command-line settings. Every flag has a default so a bare run does something useful.</summary>
internal sealed class LoadOptions
{
    public const string Usage =
        """
        Bench.Load - Verto signalling load generator

        Usage: Bench.Load [flags]
               Bench.Load --scenario audio [flags]   (conference audio; --scenario audio --help)
               Bench.Load --summary DIR              (DIR/index.html: the goals against every results.json below DIR)

          --url URL                  server websocket URL (default wss://127.0.0.1:8443/)
          --connections N            websocket connections (default 200)
          --rooms N                  channels; connection i joins load.room<i % rooms> (default 10)
          --rate R                   broadcasts per second per connection (default 5)
          --duration S               measured seconds of sending (default 20)
          --warmup S                 unmeasured seconds of sending first (default 2)
          --user U                   user id (default 1000)
          --password P               password (default secret)
          --domain D                 domain; the login is <user>@<domain> (default localhost)
          --users U:P,U:P            several accounts, assigned round robin (overrides --user/--password)
          --insecure                 accept any server certificate (self-signed test servers)
          --json PATH                also write the results as JSON
          --report DIR               results.json, results.csv and report.html (latency percentiles,
                                     the goal verdict; opens without network) in DIR
          --server-pid PID           server process whose CPU over the window is read from /proc
          --cores N                  cores the machine has, for the server CPU share (default: this machine's)
          --check                    exit 1 unless every connection logged in and received events, every
                                     expected event arrived, and there were no errors and no drops
          --connect-parallelism N    connections opening/logging in at once (default 20)
          --help                     this text
        """;

    public Uri Url { get; private set; } = new("wss://127.0.0.1:8443/");
    public int Connections { get; private set; } = 200;
    public int Rooms { get; private set; } = 10;
    public double Rate { get; private set; } = 5;
    public double DurationSeconds { get; private set; } = 20;
    public double WarmupSeconds { get; private set; } = 2;
    public string Domain { get; private set; } = "localhost";
    public IReadOnlyList<Credential> Credentials { get; private set; } = [];
    public bool Insecure { get; private set; }
    public string? JsonPath { get; private set; }
    public string? ReportDirectory { get; private set; }
    public int? ServerPid { get; private set; }
    public int Cores { get; private set; } = Environment.ProcessorCount;
    public bool Check { get; private set; }
    public int ConnectParallelism { get; private set; } = 20;

    public static string ChannelName(int room) => "load.room" + room.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Parses the arguments. Returns false with <paramref name="error"/> null when help was asked
    /// for, and false with a one-line message when the arguments are wrong.
    /// </summary>
    public static bool TryParse(string[] args, [NotNullWhen(true)] out LoadOptions? options, out string? error)
    {
        options = null;
        error = null;
        var result = new LoadOptions();
        string user = "1000";
        string password = "secret";
        string? users = null;

        for (int i = 0; i < args.Length; i++)
        {
            var (name, inlineValue) = SplitFlag(args[i]);

            switch (name)
            {
                case "--help" or "-h":
                    return false;
                case "--insecure":
                    result.Insecure = true;
                    continue;
                case "--check":
                    result.Check = true;
                    continue;
                case "--scenario" or "--url" or "--connections" or "--rooms" or "--rate" or "--duration" or "--warmup"
                    or "--user" or "--password" or "--domain" or "--users" or "--json" or "--connect-parallelism"
                    or "--report" or "--server-pid" or "--cores":
                    break;
                default:
                    error = $"unknown flag '{args[i]}' (see --help)";
                    return false;
            }

            string? value = inlineValue;
            if (value is null)
            {
                if (i + 1 >= args.Length)
                {
                    error = $"flag {name} needs a value";
                    return false;
                }
                value = args[++i];
            }

            bool ok = name switch
            {
                // The default scenario; "audio" is picked up before these flags are read.
                "--scenario" => value == "signalling",
                "--url" => result.TrySetUrl(value),
                "--connections" => TryPositiveInt(value, v => result.Connections = v),
                "--rooms" => TryPositiveInt(value, v => result.Rooms = v),
                "--connect-parallelism" => TryPositiveInt(value, v => result.ConnectParallelism = v),
                "--rate" => TryDouble(value, 0, false, v => result.Rate = v),
                "--duration" => TryDouble(value, 0, false, v => result.DurationSeconds = v),
                "--warmup" => TryDouble(value, 0, true, v => result.WarmupSeconds = v),
                "--user" => NonEmpty(value, v => user = v),
                "--password" => Assign(value, v => password = v),
                "--domain" => NonEmpty(value, v => result.Domain = v),
                "--users" => NonEmpty(value, v => users = v),
                "--json" => NonEmpty(value, v => result.JsonPath = v),
                "--report" => NonEmpty(value, v => result.ReportDirectory = v),
                "--server-pid" => TryPositiveInt(value, v => result.ServerPid = v),
                "--cores" => TryPositiveInt(value, v => result.Cores = v),
                _ => false,
            };
            if (!ok)
            {
                error = $"bad value '{value}' for {name}";
                return false;
            }
        }

        // Long runs would only hide problems behind the hard time bound; keep it sane.
        if (result.DurationSeconds > 3600 || result.WarmupSeconds > 600)
        {
            error = "--duration must be <= 3600 and --warmup <= 600 seconds";
            return false;
        }
        if (result.Rate > 1000)
        {
            error = "--rate must be <= 1000 per connection";
            return false;
        }

        var credentials = new List<Credential>();
        if (users is null)
        {
            credentials.Add(new Credential(result.LoginFor(user), password));
        }
        else
        {
            foreach (string entry in users.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                int colon = entry.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0)
                {
                    error = $"bad --users entry '{entry}' (expected user:password)";
                    return false;
                }
                credentials.Add(new Credential(result.LoginFor(entry[..colon]), entry[(colon + 1)..]));
            }
            if (credentials.Count == 0)
            {
                error = "--users is empty";
                return false;
            }
        }
        result.Credentials = credentials;

        options = result;
        return true;
    }

    // A user given as "1001@otherdomain" is taken as the full login.
    private string LoginFor(string user) => user.Contains('@', StringComparison.Ordinal) ? user : user + "@" + Domain;

    private bool TrySetUrl(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) || (uri.Scheme != "ws" && uri.Scheme != "wss"))
        {
            return false;
        }
        Url = uri;
        return true;
    }

    private static bool TryPositiveInt(string value, Action<int> set)
    {
        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int parsed) || parsed <= 0)
        {
            return false;
        }
        set(parsed);
        return true;
    }

    private static bool TryDouble(string value, double min, bool allowMin, Action<double> set)
    {
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed)
            || !double.IsFinite(parsed) || parsed < min || (!allowMin && parsed == min))
        {
            return false;
        }
        set(parsed);
        return true;
    }

    private static bool NonEmpty(string value, Action<string> set)
    {
        if (value.Length == 0)
        {
            return false;
        }
        set(value);
        return true;
    }

    private static bool Assign(string value, Action<string> set)
    {
        set(value);
        return true;
    }

    /// <summary><c>--name=value</c> into its name and value; any other argument comes back whole with no value.</summary>
    internal static (string Name, string? InlineValue) SplitFlag(string argument)
    {
        int equals = argument.IndexOf('=', StringComparison.Ordinal);
        return argument.StartsWith("--", StringComparison.Ordinal) && equals > 0
            ? (argument[..equals], argument[(equals + 1)..])
            : (argument, null);
    }
}
