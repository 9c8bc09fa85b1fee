using System.Net;

namespace MediaServer.Configuration;

/// <summary>
/// Everything the server runs with, after conf/ and the command line have been merged and
/// checked. Immutable once built; tests build one directly.
/// </summary>
public sealed record ServerSettings
{
    public required string ConfDirectory { get; init; }
    public required string DataDirectory { get; init; }
    public int HttpPort { get; init; } = 8443;
    public IPAddress Bind { get; init; } = IPAddress.Any;
    public int MediaPort { get; init; } = 16384;
    public IPAddress? PublicIp { get; init; }
    public int? SipPort { get; init; }
    public PortRange RtpPorts { get; init; } = new(20000, 29999);

    /// <summary>TLS on the HTTP port. Off only when conf/server.json says so, for debugging with ws://.</summary>
    public bool TlsEnabled { get; init; } = true;

    /// <summary>PEM certificate chain and key; when null a self-signed pair is generated under the data folder.</summary>
    public string? CertificatePath { get; init; }
    public string? PrivateKeyPath { get; init; }

    /// <summary>Origins allowed to open a WebSocket; empty means "the same host as the request".</summary>
    public IReadOnlyList<string> AllowedOrigins { get; init; } = [];

    /// <summary>Folder of the browser communicator served at '/'.</summary>
    public string WebRoot { get; init; } = Path.Combine(AppContext.BaseDirectory, "web-client");

    public string Codecs { get; init; } = "opus,pcmu,pcma,vp8";

    public SignallingLimits Limits { get; init; } = new();

    /// <summary>conf/dialplan.json: where a dialled number goes.</summary>
    public Calls.Dialplan Dialplan { get; init; } = Calls.Dialplan.Default;

    /// <summary>conf/layouts.json: the video layouts and layout groups.</summary>
    public MediaServer.Mixer.Video.LayoutCatalog Layouts { get; init; } = MediaServer.Mixer.Video.BuiltInLayouts.Grid;

    /// <summary>conf/conference-profiles.json: profiles and per-room PINs.</summary>
    public MediaServer.Conferences.ConferenceSettings Conferences { get; init; } = MediaServer.Conferences.ConferenceSettings.Default;

    /// <summary>Anonymous SIP callers (no digest, no directory identity claimed) may reach rooms and the echo test.</summary>
    public bool SipGuests { get; init; } = true;

    /// <summary>conf/sip-trunks.json: trunks to the phone network.</summary>
    public IReadOnlyList<SipTrunk> SipTrunks { get; init; } = [];

    public required UserDirectory Directory { get; init; }

    public const string TextLogFormat = "text";
    public const string JsonLogFormat = "json";

    /// <summary>
    /// Console log lines: "text" (one readable line each, as before) or "json" (one object per
    /// line with the event's fields and the call/room scope fields; README "Logs").
    /// </summary>
    public string LogFormat { get; init; } = TextLogFormat;
}
