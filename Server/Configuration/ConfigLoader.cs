namespace MediaServer.Configuration;

/// <summary>
/// Builds <see cref="ServerSettings"/> from the configuration folder (contract.md
/// "Configuration folder") and the command-line flags, which win. Any problem is one
/// <see cref="ConfigException"/> line naming the file and field.
/// </summary>
public static class ConfigLoader
{
    public static ServerSettings Load(CommandLineFlags flags)
    {
        ArgumentNullException.ThrowIfNull(flags);
        var conf = flags.ConfDirectory;
        if (!System.IO.Directory.Exists(conf))
        {
            throw new ConfigException($"--conf: folder '{conf}' not found");
        }

        var serverFile = Path.Combine(conf, "server.json");
        var server = ConfigObject.Load(serverFile, serverFile);
        server.RejectUnknown("httpPort", "bind", "mediaPort", "publicIp", "sipPort", "rtpPorts", "tls", "allowedOrigins", "webRoot", "codecs", "limits", "sipGuests", "logFormat");

        var tls = server.Child("tls");
        tls?.RejectUnknown("enabled", "certificate", "privateKey");
        var certificate = tls?.String("certificate");
        var privateKey = tls?.String("privateKey");
        if ((certificate is null) != (privateKey is null))
        {
            throw tls!.Value.Error(certificate is null ? "certificate" : "privateKey", "certificate and privateKey go together");
        }

        certificate = ResolveExisting(tls, "certificate", certificate, conf);
        privateKey = ResolveExisting(tls, "privateKey", privateKey, conf);

        var rtpPorts = new PortRange(20000, 29999);
        var rtpText = server.String("rtpPorts");
        if (rtpText is not null && !PortRange.TryParse(rtpText, out rtpPorts))
        {
            throw server.Error("rtpPorts", "expected \"A-B\" with 1024 <= A < B <= 65535");
        }

        var origins = server.StringList("allowedOrigins") ?? [];
        foreach (var origin in origins)
        {
            if (origin != "*" && !Uri.TryCreate(origin, UriKind.Absolute, out _))
            {
                throw server.Error("allowedOrigins", $"'{origin}' is not an origin like https://host:port or *");
            }
        }

        var webRoot = server.String("webRoot");
        if (webRoot is not null)
        {
            webRoot = Path.GetFullPath(Path.IsPathRooted(webRoot) ? webRoot : Path.Combine(conf, webRoot));
        }

        var codecs = server.String("codecs") ?? "opus,pcmu,pcma,vp8";
        if (!Protocol.Sdp.CodecList.TryParse(codecs, out _, out var codecError))
        {
            throw server.Error("codecs", codecError ?? "not a codec list like \"opus,pcmu,pcma,vp8\"");
        }

        var logFormat = flags.LogFormat ?? server.String("logFormat") ?? ServerSettings.TextLogFormat;
        if (logFormat is not (ServerSettings.TextLogFormat or ServerSettings.JsonLogFormat))
        {
            throw server.Error("logFormat", $"'{logFormat}' is not \"text\" or \"json\"");
        }

        var directoryFile = Path.Combine(conf, "directory.json");
        var settings = new ServerSettings
        {
            ConfDirectory = conf,
            DataDirectory = flags.DataDirectory,
            HttpPort = flags.HttpPort ?? server.Int("httpPort", 8443, 0, 65535),
            Bind = flags.Bind ?? server.Address("bind") ?? System.Net.IPAddress.Any,
            MediaPort = flags.MediaPort ?? server.Int("mediaPort", 16384, 0, 65535),
            PublicIp = flags.PublicIp ?? server.Address("publicIp"),
            SipPort = flags.SipPort ?? server.OptionalInt("sipPort", 0, 65535),
            RtpPorts = flags.RtpPorts ?? rtpPorts,
            TlsEnabled = tls?.Bool("enabled", true) ?? true,
            CertificatePath = certificate,
            PrivateKeyPath = privateKey,
            AllowedOrigins = origins,
            Codecs = codecs,
            Limits = LoadLimits(server.Child("limits")),
            Directory = LoadDirectory(ConfigObject.Load(directoryFile, directoryFile)),
            Dialplan = LoadDialplan(Path.Combine(conf, "dialplan.json")),
            Conferences = LoadConferences(Path.Combine(conf, "conference-profiles.json")),
            Layouts = LoadLayouts(Path.Combine(conf, Mixer.Video.LayoutCatalog.DefaultFileName)),
            SipGuests = server.Bool("sipGuests", true),
            LogFormat = logFormat,
            SipTrunks = LoadSipTrunks(Path.Combine(conf, "sip-trunks.json")),
        };
        foreach (var rule in settings.Dialplan.Rules.Where(r => r.Trunk is not null))
        {
            if (!settings.SipTrunks.Any(t => t.Name == rule.Trunk))
            {
                throw ConfigException.Field(Path.Combine(conf, "dialplan.json"), $"rules.{rule.Name}.trunk", $"no trunk named '{rule.Trunk}' in sip-trunks.json");
            }
        }

        return webRoot is null ? settings : settings with { WebRoot = webRoot };
    }

    private static string? ResolveExisting(ConfigObject? owner, string field, string? path, string conf)
    {
        if (path is null)
        {
            return null;
        }

        var full = Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(conf, path));
        return File.Exists(full) ? full : throw owner!.Value.Error(field, $"file '{full}' not found");
    }

    private static SignallingLimits LoadLimits(ConfigObject? limits)
    {
        var defaults = new SignallingLimits();
        if (limits is not { } l)
        {
            return defaults;
        }

        // contract.md: old settings keep working. The lockout moved from addresses to accounts;
        // the old name still sets how many failures lock (now an account), and naming both is an error.
        if (l.Has("loginFailuresPerIp") && l.Has("loginFailuresPerAccount"))
        {
            throw l.Error("loginFailuresPerIp", "the older name of loginFailuresPerAccount: give one of the two");
        }

        var failuresField = l.Has("loginFailuresPerIp") ? "loginFailuresPerIp" : "loginFailuresPerAccount";
        l.RejectUnknown(
            "maxFrameBytes", "sendQueueMessages", "sendQueueBytes", "sendTimeoutSeconds", "loginTimeoutSeconds",
            "keepaliveSeconds", "messagesPerSecond", "messageBurst", "loginFailuresPerAccount", "loginFailuresPerIp", "loginFailuresPerSecondPerIp", "loginFailureWindowSeconds",
            "lockoutSeconds", "maxLiveArrays", "maxLiveArrayRows", "detachTimeoutSeconds", "maxCalls", "maxConferenceMembers",
            "overloadLatenessMs", "refuseJoinsWhenOverloaded");
        return new SignallingLimits
        {
            MaxFrameBytes = l.Int("maxFrameBytes", defaults.MaxFrameBytes, 1024, 64 * 1024 * 1024),
            SendQueueMessages = l.Int("sendQueueMessages", defaults.SendQueueMessages, 16, 1_000_000),
            SendQueueBytes = l.Int("sendQueueBytes", defaults.SendQueueBytes, 64 * 1024, int.MaxValue),
            SendTimeoutSeconds = l.Int("sendTimeoutSeconds", defaults.SendTimeoutSeconds, 1, 3600),
            LoginTimeoutSeconds = l.Int("loginTimeoutSeconds", defaults.LoginTimeoutSeconds, 1, 3600),
            KeepaliveSeconds = l.Int("keepaliveSeconds", defaults.KeepaliveSeconds, 1, 3600),
            MessagesPerSecond = l.Int("messagesPerSecond", defaults.MessagesPerSecond, 1, 1_000_000),
            MessageBurst = l.Int("messageBurst", defaults.MessageBurst, 1, 1_000_000),
            LoginFailuresPerAccount = l.Int(failuresField, defaults.LoginFailuresPerAccount, 1, 1_000_000),
            LoginFailuresPerSecondPerIp = l.Int("loginFailuresPerSecondPerIp", defaults.LoginFailuresPerSecondPerIp, 1, 1_000_000),
            LoginFailureWindowSeconds = l.Int("loginFailureWindowSeconds", defaults.LoginFailureWindowSeconds, 1, 86_400),
            LockoutSeconds = l.Int("lockoutSeconds", defaults.LockoutSeconds, 1, 86_400),
            MaxLiveArrays = l.Int("maxLiveArrays", defaults.MaxLiveArrays, 1, 1_000_000),
            MaxLiveArrayRows = l.Int("maxLiveArrayRows", defaults.MaxLiveArrayRows, 1, 10_000_000),
            DetachTimeoutSeconds = l.Int("detachTimeoutSeconds", defaults.DetachTimeoutSeconds, 1, 86_400),
            MaxCalls = l.Int("maxCalls", defaults.MaxCalls, 0, 1_000_000),
            MaxConferenceMembers = l.Int("maxConferenceMembers", defaults.MaxConferenceMembers, 0, 1_000_000),
            OverloadLatenessMs = l.Int("overloadLatenessMs", defaults.OverloadLatenessMs, 1, 1000),
            RefuseJoinsWhenOverloaded = l.Bool("refuseJoinsWhenOverloaded", defaults.RefuseJoinsWhenOverloaded),
        };
    }

    /// <summary>Reads conf/dialplan.json: <c>{"rules":[{"name","match","action","target"}]}</c>; absent means the default.</summary>
    internal static Calls.Dialplan LoadDialplan(string file)
    {
        if (!File.Exists(file))
        {
            return Calls.Dialplan.Default;
        }

        var root = ConfigObject.Load(file, file);
        root.RejectUnknown("rules");
        var rules = new List<Calls.DialplanRule>();
        var index = 0;
        foreach (var entry in root.Objects("rules"))
        {
            entry.RejectUnknown("name", "match", "action", "target", "profile", "trunk");
            var name = entry.String("name") ?? $"rule {index}";
            var pattern = entry.RequiredString("match");
            System.Text.RegularExpressions.Regex regex;
            try
            {
                regex = Calls.Dialplan.Compile(pattern);
            }
            catch (ArgumentException e)
            {
                throw entry.Error("match", $"not a regular expression: {e.Message}");
            }

            var action = entry.RequiredString("action") switch
            {
                "echo" => Calls.DialplanAction.Echo,
                "user" => Calls.DialplanAction.User,
                "conference" => Calls.DialplanAction.Conference,
                "trunk" => Calls.DialplanAction.Trunk,
                var other => throw entry.Error("action", $"unknown action '{other}' (known: echo, user, conference, trunk)"),
            };
            var target = entry.String("target");
            if (action is Calls.DialplanAction.User or Calls.DialplanAction.Conference or Calls.DialplanAction.Trunk && string.IsNullOrEmpty(target))
            {
                throw entry.Error("target", $"a {entry.RequiredString("action")} rule needs a target, e.g. \"$1\"");
            }

            var profile = entry.String("profile");
            if (profile is not null && action != Calls.DialplanAction.Conference)
            {
                throw entry.Error("profile", "only a conference rule takes a profile");
            }

            var trunk = entry.String("trunk");
            if ((trunk is null) == (action == Calls.DialplanAction.Trunk))
            {
                throw entry.Error("trunk", action == Calls.DialplanAction.Trunk ? "a trunk rule names its trunk (conf/sip-trunks.json)" : "only a trunk rule takes a trunk");
            }

            rules.Add(new Calls.DialplanRule(name, regex, action, target, profile, trunk));
            index++;
        }

        return new Calls.Dialplan(rules);
    }

    /// <summary>
    /// Reads conf/sip-trunks.json: <c>{"trunks":[{"name","host","port","transport","username",
    /// "password","register","registerExpires","fromUser","inboundAddresses":["203.0.113.0/24"]}]}</c>.
    /// A missing file means no trunks.
    /// </summary>
    internal static IReadOnlyList<SipTrunk> LoadSipTrunks(string file)
    {
        if (!File.Exists(file))
        {
            return [];
        }

        var root = ConfigObject.Load(file, file);
        root.RejectUnknown("_about", "trunks");
        var trunks = new List<SipTrunk>();
        foreach (var entry in root.Objects("trunks"))
        {
            entry.RejectUnknown("_about", "name", "host", "port", "transport", "username", "password", "register", "registerExpires", "fromUser", "inboundAddresses");
            var name = entry.RequiredString("name");
            if (trunks.Any(t => t.Name == name))
            {
                throw entry.Error("name", $"trunk '{name}' is defined twice");
            }

            var transport = (entry.String("transport") ?? "udp").ToLowerInvariant();
            if (transport is not ("udp" or "tcp"))
            {
                throw entry.Error("transport", "expected \"udp\" or \"tcp\"");
            }

            var networks = new List<System.Net.IPNetwork>();
            foreach (var text in entry.StringList("inboundAddresses") ?? [])
            {
                var cidr = text.Contains('/', StringComparison.Ordinal) ? text : text + (text.Contains(':', StringComparison.Ordinal) ? "/128" : "/32");
                if (!System.Net.IPNetwork.TryParse(cidr, out var network))
                {
                    throw entry.Error("inboundAddresses", $"'{text}' is not an address or network like 203.0.113.0/24");
                }

                networks.Add(network);
            }

            var register = entry.Bool("register", false);
            var username = entry.String("username");
            if (register && (username is null || entry.String("password") is null))
            {
                throw entry.Error("register", "registering needs a username and a password");
            }

            trunks.Add(new SipTrunk
            {
                Name = name,
                Host = entry.RequiredString("host"),
                Port = entry.Int("port", 5060, 1, 65535),
                Transport = transport,
                Username = username,
                Password = entry.String("password"),
                Register = register,
                RegisterExpires = entry.Int("registerExpires", 600, 60, 86_400),
                FromUser = entry.String("fromUser"),
                InboundNetworks = networks,
            });
        }

        return trunks;
    }

    /// <summary>conf/layouts.json (conference-layouts.md); without it, the built-in grid layouts.</summary>
    internal static Mixer.Video.LayoutCatalog LoadLayouts(string file)
    {
        if (!File.Exists(file))
        {
            return Mixer.Video.BuiltInLayouts.Grid;
        }

        // The catalog's own errors already read "layouts.json: layouts[3].images[2].scale: ...".
        return Mixer.Video.LayoutCatalog.TryLoad(file, out var catalog, out var error)
            ? catalog
            : throw new ConfigException(error);
    }

    /// <summary>
    /// Reads conf/conference-profiles.json:
    /// <c>{"profiles":{"default":{...}},"rooms":{"3599":{"profile":"default","pin":"1234"}}}</c>.
    /// A missing file means the built-in default profile.
    /// </summary>
    internal static Conferences.ConferenceSettings LoadConferences(string file)
    {
        if (!File.Exists(file))
        {
            return Conferences.ConferenceSettings.Default;
        }

        var root = ConfigObject.Load(file, file);
        root.RejectUnknown("_about", "profiles", "rooms");
        var profiles = new Dictionary<string, Conferences.ConferenceProfile>(StringComparer.Ordinal);
        if (root.Child("profiles") is { } profileObject)
        {
            foreach (var property in profileObject.Element.EnumerateObject())
            {
                var entry = profileObject.Child(property.Name) ?? throw profileObject.Error(property.Name, "must be a JSON object");
                profiles[property.Name] = LoadProfile(property.Name, entry);
            }
        }

        profiles.TryAdd("default", Conferences.ConferenceProfile.Default);
        var rooms = new Dictionary<string, Conferences.ConferenceRoomSettings>(StringComparer.Ordinal);
        if (root.Child("rooms") is { } roomObject)
        {
            foreach (var property in roomObject.Element.EnumerateObject())
            {
                var entry = roomObject.Child(property.Name) ?? throw roomObject.Error(property.Name, "must be a JSON object");
                entry.RejectUnknown("profile", "pin");
                var profile = entry.String("profile");
                if (profile is not null && !profiles.ContainsKey(profile))
                {
                    throw entry.Error("profile", $"no profile named '{profile}'");
                }

                rooms[property.Name] = new Conferences.ConferenceRoomSettings(profile, Pin(entry));
            }
        }

        return new Conferences.ConferenceSettings(profiles, rooms);
    }

    private static Conferences.ConferenceProfile LoadProfile(string name, ConfigObject entry)
    {
        entry.RejectUnknown(
            "rate", "opusBitrate", "opusComplexity", "opusFec", "opusDtx", "opusApplication", "energyThreshold", "jitterBufferMinMs", "pin", "maxMembers",
            "moderators", "moderatorOnlyCommands", "canvasWidth", "canvasHeight", "fps", "videoBitrateKbps", "videoCpuUsed", "layoutGroup");
        var defaults = Conferences.ConferenceProfile.Default;
        var rate = entry.Int("rate", defaults.Rate, 8000, 48000);
        if (rate != 48000)
        {
            throw entry.Error("rate", "the mixer runs at 48000 Hz; legs at 8000 or 16000 Hz are resampled to it");
        }

        var commands = entry.StringList("moderatorOnlyCommands");
        var application = entry.String("opusApplication") switch
        {
            null or "voip" => Mixer.Codecs.OpusApplication.Voip,
            "audio" => Mixer.Codecs.OpusApplication.Audio,
            "lowdelay" => Mixer.Codecs.OpusApplication.LowDelay,
            var other => throw entry.Error("opusApplication", $"'{other}' is not one of voip, audio, lowdelay"),
        };
        return new Conferences.ConferenceProfile
        {
            Name = name,
            Rate = rate,
            OpusBitrate = entry.Int("opusBitrate", defaults.OpusBitrate, 6000, 510_000),
            OpusComplexity = entry.Int("opusComplexity", defaults.OpusComplexity, 0, 10),
            OpusFec = entry.Bool("opusFec", defaults.OpusFec),
            OpusDtx = entry.Bool("opusDtx", defaults.OpusDtx),
            OpusApplication = application,
            EnergyThreshold = entry.Int("energyThreshold", defaults.EnergyThreshold, 0, 32768),
            JitterBufferMinMs = entry.Int("jitterBufferMinMs", defaults.JitterBufferMinMs, 0, 200),
            Pin = Pin(entry),
            MaxMembers = entry.Int("maxMembers", 0, 0, 100_000),
            Moderators = new HashSet<string>(entry.StringList("moderators") ?? [], StringComparer.Ordinal),
            ModeratorOnlyCommands = commands is null ? null : new HashSet<string>(commands, StringComparer.Ordinal),
            CanvasWidth = EvenInt(entry, "canvasWidth", defaults.CanvasWidth, 160, 3840),
            CanvasHeight = EvenInt(entry, "canvasHeight", defaults.CanvasHeight, 90, 2160),
            Fps = entry.Int("fps", defaults.Fps, 1, 60),
            VideoBitrateKbps = entry.Int("videoBitrateKbps", defaults.VideoBitrateKbps, 100, 20_000),
            VideoCpuUsed = entry.Int("videoCpuUsed", defaults.VideoCpuUsed, 4, 16),
            LayoutGroup = entry.String("layoutGroup") ?? defaults.LayoutGroup,
        };
    }

    /// <summary>Canvas sizes must be even: I420 chroma is half the size on each axis.</summary>
    private static int EvenInt(ConfigObject entry, string field, int fallback, int min, int max)
    {
        var value = entry.Int(field, fallback, min, max);
        return value % 2 == 0 ? value : throw entry.Error(field, "must be even (I420 chroma has half the size)");
    }

    private static string? Pin(ConfigObject entry)
    {
        var pin = entry.String("pin");
        if (pin is not null && (pin.Length is 0 or > 32 || !pin.All(char.IsAsciiDigit)))
        {
            throw entry.Error("pin", "a PIN is 1 to 32 digits (phones enter it by DTMF)");
        }

        return pin;
    }

    /// <summary>Reads conf/directory.json: <c>{"domain":"...","users":[{"id":"1000","password":"...",...}]}</c>.</summary>
    internal static UserDirectory LoadDirectory(ConfigObject root)
    {
        root.RejectUnknown("domain", "users");
        var domain = root.RequiredString("domain");
        var users = new List<DirectoryUser>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in root.Objects("users"))
        {
            entry.RejectUnknown("id", "name", "password", "passwordHash", "moderator", "admin", "allowedMethods", "allowedChannels");
            var id = entry.RequiredString("id");
            if (id.Contains('@', StringComparison.Ordinal) || id.Any(char.IsWhiteSpace))
            {
                throw entry.Error("id", "must not contain '@' or spaces");
            }

            if (!seen.Add(id))
            {
                throw entry.Error("id", $"user '{id}' is listed twice");
            }

            var password = entry.String("password");
            var hash = entry.String("passwordHash");
            if (password is not null && hash is not null)
            {
                throw entry.Error("password", "give either password or passwordHash, not both");
            }

            if (password is not null && password.Length == 0)
            {
                throw entry.Error("password", "must not be empty");
            }

            if (hash is not null && !Security.PasswordHasher.IsWellFormed(hash))
            {
                throw entry.Error("passwordHash", "not a hash printed by --hash-password (pbkdf2-sha256$ITERATIONS$SALT$HASH)");
            }

            users.Add(new DirectoryUser
            {
                Id = id,
                Domain = domain,
                Name = entry.String("name") ?? id,
                Password = password,
                PasswordHash = hash,
                Moderator = entry.Bool("moderator", false),
                Admin = entry.Bool("admin", false),
                AllowedMethods = entry.StringList("allowedMethods"),
                AllowedChannels = entry.StringList("allowedChannels"),
            });
        }

        return new UserDirectory(domain, users);
    }
}
