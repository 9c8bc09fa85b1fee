using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using MediaServer.Media.Dtls;

namespace MediaServer.Bench.Load;

/// <summary>Flags of the audio scenario (<c>--scenario audio</c>, with <c>--video</c> the canvas load). Every flag has a default.</summary>
internal sealed class AudioLoadOptions
{
    public const string Usage =
        """
        Bench.Load --scenario audio - conference audio load: Verto clients join mixer rooms with
        real WebRTC audio (ICE, DTLS-SRTP, Opus) and measure what the server carries

        Usage: Bench.Load --scenario audio [--video] [flags]
               Bench.Load --scenario video [flags]     (the same as --scenario audio --video)

          --url URL                  server websocket URL (default wss://127.0.0.1:8443/)
          --target T                 mediaserver (default: our server over Verto) or janus (the Janus
                                     AudioBridge plugin over its REST API at --janus-url; rooms are
                                     created as the numbers --room-prefix gives, 48 kHz; no /metrics,
                                     so tick lateness is n/a and only CPU and loss stop the ramp;
                                     the CPU is --server-pid's, else the one process named janus)
          --janus-url URL            Janus REST endpoint (default http://127.0.0.1:8088/janus)
          --metrics-url URL          server metrics (default: https://<host>:<port>/metrics of --url)
          --insecure                 accept any server certificate (self-signed test servers)
          --login USER@DOMAIN        account every client logs in with (default 1000@localhost);
                                     one user may hold many sessions
          --user U / --domain D      the same as --login U@D
          --password P               password (default secret)
          --members N                members: held for --duration, or the most --ramp adds (default 10)
          --room-size K              members per room (default 5)
          --talkers T                talkers per room, the first T to join; the others send encoded
                                     silence (default: all)
          --room-prefix P            room i is P followed by i, zero-padded to four digits when P is
                                     digits (35 -> 3500, 3501, ...); otherwise P<i>, e.g. conf-load
                                     -> conf-load0 (default 35)
          --destination D            every member dials D instead of its room, e.g. 9196 (the echo
                                     test: the server sends each member its own audio back)
          --duration S               fixed mode: measured seconds once everyone joined (default 20);
                                     ramp mode: the most seconds the ramp may take (default 110)
          --ramp                     add --step-rooms rooms every --step-seconds until server CPU,
                                     tick lateness or loss cross their limits, or --members is reached
          --start-rooms R            rooms of the first ramp step (default 1)
          --step-rooms R             rooms added per ramp step (default 1)
          --step-seconds S           seconds measured per ramp step, after --settle (default 4)
          --settle S                 seconds after a step's joins before measuring (default 2)
          --max-cpu PCT              ramp limit: server CPU in % of the whole machine (default 70;
                                     75 with --video, the canvas goal)
          --max-lateness-ms MS       ramp limit: mixer tick lateness p99 (default 5)
          --max-loss PCT             ramp limit: packets lost towards the clients, and mix frames the
                                     server never sent (skipped ticks), each in % (default 1)
          --server-pid PID           server process whose CPU is read from /proc (else the metric
                                     process_cpu_seconds_total if the server has it)
          --cores N                  cores the per-core figures divide by (default: this machine's)
          --talk-mean S              mean talk spurt of a talker, exponential (default 1.5)
          --silence-mean S           mean pause between spurts (default 1.5)
          --srtp PROFILE             SRTP profiles to offer in DTLS: gcm (AEAD_AES_128_GCM, what Chromium
                                     negotiates), cm (AES_CM_128_HMAC_SHA1_80) or both (default both,
                                     gcm first, as browsers do)
          --decode-every N           authenticate, decrypt and decode one received packet in N
                                     (default 50; every packet is counted for loss and jitter)
          --join-parallelism N       members joining at once (default 8)
          --video                    members also send 640x360 VP8 at 30 fps (a test pattern encoded
                                     once at start) and receive the room's canvas; the figures add
                                     output fps per member, canvas loss, a decode check and the
                                     server's compose, encode and decode time per frame
          --canvas-fps F             the canvas frame rate the server should deliver (default 30, the
                                     profile's)
          --max-fps-deviation PCT    ramp limit with --video: every member's output fps over a step,
                                     and the members' mean in every second of it, within PCT % of
                                     --canvas-fps (default 10)
          --video-decode-members N   members whose canvas is reassembled and decoded (default 2)
          --video-decode-frames N    frames decoded after each canvas keyframe (default 30)
          --json PATH                also write the results as JSON
          --soak-csv PATH            fixed mode: cut the hold into windows of --soak-interval seconds (default 10),
                                     write them to PATH (RSS, tick p99, CPU, loss) and judge memory growth
                                     (< 1 % an hour) and tick lateness trend (scripts/soak.sh)
          --report DIR               after the run, write DIR/results.json (the JSON above),
                                     DIR/steps.csv (one row per measured window) and
                                     DIR/report.html (charts; opens offline); DIR is created
          --help                     this text
        """;

    public Uri Url { get; private set; } = new("wss://127.0.0.1:8443/");
    public Uri? MetricsUrl { get; private set; }
    public AudioTarget Target { get; private set; } = AudioTarget.MediaServer;
    public Uri JanusUrl { get; private set; } = new("http://127.0.0.1:8088/janus");
    public bool Insecure { get; private set; }
    public Credential Credential { get; private set; }
    public int Members { get; private set; } = 10;
    public int RoomSize { get; private set; } = 5;
    public int Talkers { get; private set; } = -1;
    public string RoomPrefix { get; private set; } = "35";
    public string? Destination { get; private set; }
    public double DurationSeconds { get; private set; } = -1;
    public bool Ramp { get; private set; }
    public int StartRooms { get; private set; } = 1;
    public int StepRooms { get; private set; } = 1;
    public double StepSeconds { get; private set; } = 4;
    public double SettleSeconds { get; private set; } = 2;
    public double MaxCpuPercent { get; private set; } = -1;
    public double MaxLatenessMilliseconds { get; private set; } = 5;
    public double MaxLossPercent { get; private set; } = 1;
    public int? ServerPid { get; private set; }
    public int Cores { get; private set; } = Environment.ProcessorCount;
    public double TalkMeanSeconds { get; private set; } = 1.5;
    public double SilenceMeanSeconds { get; private set; } = 1.5;
    public int DecodeEvery { get; private set; } = 50;
    public IReadOnlyList<SrtpProfile> SrtpProfiles { get; private set; } = DtlsTransport.DefaultProfiles;
    public int JoinParallelism { get; private set; } = 8;
    public string? JsonPath { get; private set; }
    /// <summary>--report: folder for results.json, steps.csv and report.html (see AudioLoadHtml).</summary>
    public string? ReportDirectory { get; private set; }
    public string? SoakCsvPath { get; private set; }
    public double SoakIntervalSeconds { get; private set; } = 10;
    public bool Video { get; private set; }
    public double CanvasFps { get; private set; } = 30;
    public double MaxFpsDeviationPercent { get; private set; } = 10;
    public int VideoDecodeMembers { get; private set; } = 2;
    public int VideoDecodeFrames { get; private set; } = 30;

    public int Rooms => (Members + RoomSize - 1) / RoomSize;

    /// <summary>The room number or name member rooms are dialled as; <paramref name="room"/> counts from 0.</summary>
    public string RoomName(int room)
    {
        if (Destination is not null)
        {
            return Destination;
        }
        string index = room.ToString(CultureInfo.InvariantCulture);
        int width = 4 - RoomPrefix.Length;
        return IsNumericPrefix(RoomPrefix) && width > 0 ? RoomPrefix + index.PadLeft(width, '0') : RoomPrefix + index;
    }

    /// <summary>True when --args asks for this scenario; it is chosen before any other flag is read.</summary>
    public static bool IsRequested(string[] args)
    {
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] is "--scenario=audio" or "--scenario=video"
                || (args[i] == "--scenario" && i + 1 < args.Length && args[i + 1] is "audio" or "video"))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Parses the arguments. Returns false with <paramref name="error"/> null when help was asked
    /// for, and false with a one-line message when the arguments are wrong.
    /// </summary>
    public static bool TryParse(string[] args, [NotNullWhen(true)] out AudioLoadOptions? options, out string? error)
    {
        options = null;
        error = null;
        var result = new AudioLoadOptions();
        string? login = null;
        string user = "1000";
        string domain = "localhost";
        string password = "secret";

        for (int i = 0; i < args.Length; i++)
        {
            var (name, inlineValue) = LoadOptions.SplitFlag(args[i]);

            switch (name)
            {
                case "--help" or "-h":
                    return false;
                case "--insecure":
                    result.Insecure = true;
                    continue;
                case "--ramp":
                    result.Ramp = true;
                    continue;
                case "--video":
                    result.Video = true;
                    continue;
                case "--scenario" or "--url" or "--target" or "--janus-url" or "--metrics-url" or "--login" or "--user" or "--domain" or "--password"
                    or "--members" or "--room-size" or "--talkers" or "--room-prefix" or "--destination" or "--duration" or "--start-rooms"
                    or "--step-rooms" or "--step-seconds" or "--settle" or "--max-cpu" or "--max-lateness-ms" or "--max-loss"
                    or "--server-pid" or "--cores" or "--talk-mean" or "--silence-mean" or "--decode-every" or "--srtp"
                    or "--join-parallelism" or "--json" or "--report" or "--soak-csv" or "--soak-interval" or "--canvas-fps" or "--max-fps-deviation" or "--video-decode-members"
                    or "--video-decode-frames":
                    break;
                default:
                    error = $"unknown flag '{args[i]}' (see --scenario audio --help)";
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
                "--scenario" => TryScenario(value, result),
                "--url" => TryUri(value, "ws", "wss", v => result.Url = v),
                "--target" => TryTarget(value, result),
                "--janus-url" => TryUri(value, "http", "https", v => result.JanusUrl = v),
                "--metrics-url" => TryUri(value, "http", "https", v => result.MetricsUrl = v),
                "--login" => NonEmpty(value, v => login = v),
                "--user" => NonEmpty(value, v => user = v),
                "--domain" => NonEmpty(value, v => domain = v),
                "--password" => NonEmpty(value, v => password = v),
                "--members" => TryInt(value, 1, 100_000, v => result.Members = v),
                "--room-size" => TryInt(value, 1, 10_000, v => result.RoomSize = v),
                "--talkers" => TryInt(value, 0, 10_000, v => result.Talkers = v),
                "--room-prefix" => NonEmpty(value, v => result.RoomPrefix = v),
                "--destination" => NonEmpty(value, v => result.Destination = v),
                "--duration" => TryDouble(value, 1, 3600, v => result.DurationSeconds = v),
                "--start-rooms" => TryInt(value, 1, 10_000, v => result.StartRooms = v),
                "--step-rooms" => TryInt(value, 1, 10_000, v => result.StepRooms = v),
                "--step-seconds" => TryDouble(value, 1, 600, v => result.StepSeconds = v),
                "--settle" => TryDouble(value, 0, 600, v => result.SettleSeconds = v),
                "--max-cpu" => TryDouble(value, 1, 100, v => result.MaxCpuPercent = v),
                "--max-lateness-ms" => TryDouble(value, 0.1, 10_000, v => result.MaxLatenessMilliseconds = v),
                "--max-loss" => TryDouble(value, 0, 100, v => result.MaxLossPercent = v),
                "--server-pid" => TryInt(value, 1, int.MaxValue, v => result.ServerPid = v),
                "--cores" => TryInt(value, 1, 4096, v => result.Cores = v),
                "--talk-mean" => TryDouble(value, 0.02, 600, v => result.TalkMeanSeconds = v),
                "--silence-mean" => TryDouble(value, 0.02, 600, v => result.SilenceMeanSeconds = v),
                "--srtp" => TryProfiles(value, v => result.SrtpProfiles = v),
                "--decode-every" => TryInt(value, 1, 1_000_000, v => result.DecodeEvery = v),
                "--join-parallelism" => TryInt(value, 1, 1000, v => result.JoinParallelism = v),
                "--json" => NonEmpty(value, v => result.JsonPath = v),
                "--report" => NonEmpty(value, v => result.ReportDirectory = v),
                "--soak-csv" => NonEmpty(value, v => result.SoakCsvPath = v),
                "--soak-interval" => TryDouble(value, 1, 600, v => result.SoakIntervalSeconds = v),
                "--canvas-fps" => TryDouble(value, 1, 120, v => result.CanvasFps = v),
                "--max-fps-deviation" => TryDouble(value, 0, 100, v => result.MaxFpsDeviationPercent = v),
                "--video-decode-members" => TryInt(value, 0, 100_000, v => result.VideoDecodeMembers = v),
                "--video-decode-frames" => TryInt(value, 1, 1_000_000, v => result.VideoDecodeFrames = v),
                _ => false,
            };
            if (!ok)
            {
                error = $"bad value '{value}' for {name}";
                return false;
            }
        }

        login ??= user.Contains('@', StringComparison.Ordinal) ? user : user + "@" + domain;
        result.Credential = new Credential(login, password);
        if (result.Talkers < 0 || result.Talkers > result.RoomSize)
        {
            result.Talkers = result.RoomSize;
        }
        if (result.MaxCpuPercent < 0)
        {
            result.MaxCpuPercent = result.Video ? 75 : 70;
        }
        if (result.DurationSeconds < 0)
        {
            result.DurationSeconds = result.Ramp ? 110 : 20;
        }
        if (result.MetricsUrl is null)
        {
            var metrics = new UriBuilder(result.Url)
            {
                Scheme = result.Url.Scheme == "wss" ? "https" : "http",
                Path = "/metrics",
                Query = string.Empty,
            };
            result.MetricsUrl = metrics.Uri;
        }
        // Traffic goes to the server's candidate, which must be this machine: a load generator
        // aimed at someone else's address by mistake would be a flood.
        if (!IsLoopbackHost(result.Url.Host) || !IsLoopbackHost(result.JanusUrl.Host))
        {
            error = "--url and --janus-url must point at this machine (127.0.0.1, ::1 or localhost): the audio scenario sends media at full rate";
            return false;
        }
        if (result.Target == AudioTarget.Janus)
        {
            // AudioBridge rooms are numbers (string ids need a Janus-wide setting), and it has
            // no echo test or canvas.
            if (result.Destination is not null || result.Video || !IsNumericPrefix(result.RoomPrefix))
            {
                error = "--target janus takes a numeric --room-prefix and neither --destination nor --video";
                return false;
            }
        }
        if (result.Destination is null && IsNumericPrefix(result.RoomPrefix) && result.RoomPrefix.Length < 4)
        {
            int capacity = (int)Math.Pow(10, 4 - result.RoomPrefix.Length);
            if (result.Rooms > capacity)
            {
                error = $"{result.Rooms} rooms do not fit after --room-prefix {result.RoomPrefix} ({capacity} four-digit numbers); use a shorter prefix such as 3";
                return false;
            }
        }

        options = result;
        return true;
    }

    /// <summary>"video" is the audio scenario with --video: the same members, with a camera each.</summary>
    private static bool TryScenario(string value, AudioLoadOptions result)
    {
        if (value == "video")
        {
            result.Video = true;
            return true;
        }
        return value == "audio";
    }

    private static bool TryTarget(string value, AudioLoadOptions result)
    {
        switch (value)
        {
            case "mediaserver":
                result.Target = AudioTarget.MediaServer;
                return true;
            case "janus":
                result.Target = AudioTarget.Janus;
                return true;
            default:
                return false;
        }
    }

    private static bool IsNumericPrefix(string prefix) => prefix.All(char.IsAsciiDigit);

    private static bool IsLoopbackHost(string host) =>
        host is "localhost" or "127.0.0.1" or "[::1]" or "::1" || host.StartsWith("127.", StringComparison.Ordinal);

    private static bool TryProfiles(string value, Action<IReadOnlyList<SrtpProfile>> set)
    {
        IReadOnlyList<SrtpProfile>? profiles = value switch
        {
            "gcm" => [SrtpProfile.AeadAes128Gcm],
            "cm" => [SrtpProfile.AesCm128HmacSha1_80],
            "both" => DtlsTransport.DefaultProfiles,
            _ => null,
        };
        if (profiles is null)
        {
            return false;
        }
        set(profiles);
        return true;
    }

    private static bool TryUri(string value, string scheme, string secureScheme, Action<Uri> set)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) || (uri.Scheme != scheme && uri.Scheme != secureScheme))
        {
            return false;
        }
        set(uri);
        return true;
    }

    private static bool TryInt(string value, int min, int max, Action<int> set)
    {
        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int parsed) || parsed < min || parsed > max)
        {
            return false;
        }
        set(parsed);
        return true;
    }

    private static bool TryDouble(string value, double min, double max, Action<double> set)
    {
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed)
            || !double.IsFinite(parsed) || parsed < min || parsed > max)
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
}
