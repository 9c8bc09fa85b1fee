using System.Net;
using System.Security.Authentication;
using System.Text.Json.Nodes;
using MediaServer.Calls;
using MediaServer.Conferences;
using MediaServer.Mixer.Interop;
using MediaServer.Mixer.Runtime;
using MediaServer.Mixer.Video;
using MediaServer.Configuration;
using MediaServer.Media;
using MediaServer.Media.Dtls;
using MediaServer.Media.Srtp;
using MediaServer.Observability;
using MediaServer.Protocol.Sdp;
using MediaServer.Records;
using MediaServer.Security;
using MediaServer.Signalling;
using MediaServer.Sip;
using MediaServer.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MediaServer.Hosting;

/// <summary>
/// The running server: Kestrel with TLS on the HTTP port, the Verto WebSocket endpoint on
/// every path, /health, /metrics and the web client. Program starts one; tests start
/// several in-process, each with its own folders and ports.
/// </summary>
public sealed class MediaServerHost : IAsyncDisposable
{
    /// <summary>How long a connection may take for its TLS handshake, and then for its request headers.</summary>
    internal static readonly TimeSpan HalfOpenTimeout = TimeSpan.FromSeconds(10);

    private readonly WebApplication _app;
    private readonly Database _database;
    private readonly VertoServer _verto;
    private readonly MediaEndpoint _media;
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;
    private volatile bool _ready;
    private int _shutdownBegun;

    private MediaServerHost(WebApplication app, Database database, VertoServer verto, MediaEndpoint media, ServerSettings settings)
    {
        _app = app;
        _database = database;
        _verto = verto;
        _media = media;
        Settings = settings;
    }

    public ServerSettings Settings { get; }

    /// <summary>The port actually listened on (differs from the setting when that was 0).</summary>
    public int HttpPort { get; private set; }

    public string Scheme => Settings.TlsEnabled ? "https" : "http";

    internal VertoServer Verto => _verto;

    internal MediaEndpoint Media => _media;

    /// <summary>The UDP port of WebRTC media actually bound (differs from the setting when that was 0).</summary>
    public int MediaPort => _media.LocalPort;

    internal Database Database => _database;

    public static async Task<MediaServerHost> StartAsync(ServerSettings settings, Action<string>? print = null, LogLevel minimumLogLevel = LogLevel.Information, CancellationToken cancellationToken = default, IReadOnlyList<ILoggerProvider>? logProviders = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        print ??= Console.WriteLine;
        Directory.CreateDirectory(settings.DataDirectory);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
            WebRootPath = Directory.Exists(settings.WebRoot) ? settings.WebRoot : null,
            EnvironmentName = Environments.Production,
        });
        var debug = new LogDebugSwitch();
        ConfigureLogging(builder.Logging, settings.LogFormat, minimumLogLevel, debug, logProviders ?? []);

        var certificate = settings.TlsEnabled
            ? TlsCertificateSource.Load(settings.CertificatePath, settings.PrivateKeyPath, settings.DataDirectory, [settings.Bind, settings.PublicIp ?? IPAddress.Loopback], print)
            : null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 1024 * 1024;
            // A client that connects and never sends (or never finishes) its request headers or
            // WebSocket upgrade holds a socket; it is closed after this long. Kestrel waits for a
            // connection's first request under the keep-alive timeout (130 s by default), so
            // that is shortened too; upgraded WebSockets are not subject to it.
            kestrel.Limits.RequestHeadersTimeout = HalfOpenTimeout;
            kestrel.Limits.KeepAliveTimeout = HalfOpenTimeout;
            kestrel.Listen(settings.Bind, settings.HttpPort, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                if (certificate is not null)
                {
                    listen.UseHttps(certificate, https =>
                    {
                        https.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
                        https.HandshakeTimeout = HalfOpenTimeout;
                        https.OnAuthenticate = (_, options) =>
                        {
                            if (ModernCipherSuites.IsSupported)
                            {
                                options.CipherSuitesPolicy = ModernCipherSuites.Policy;
                            }
                        };
                    });
                }
            });
        });

        // The native SRTP library is checked before anything listens: a missing package is a
        // start-up error naming it, never a failure in the middle of the first call.
        LibSrtp.EnsureAvailable();
        LibOpus.EnsureAvailable();
        LibVpx.EnsureAvailable();
        LibYuv.EnsureAvailable();
        LibFreeType.EnsureAvailable();
        if (!CodecList.TryParse(settings.Codecs, out var codecs, out var codecError))
        {
            throw new InvalidOperationException($"codecs: {codecError}");
        }

        var app = builder.Build();
        var loggers = app.Services.GetRequiredService<ILoggerFactory>();
        var logger = loggers.CreateLogger("MediaServer.Verto");
        var database = Database.Open(settings.DataDirectory);
        VertoServer? verto = null;
        MediaEndpoint media;
        try
        {
            verto = new VertoServer(settings, new LiveArrayStore(database), logger);
            verto.LogDebug = debug;
            verto.Records = new CdrWriter(new CdrStore(database), loggers.CreateLogger("MediaServer.Cdr"));
            var candidate = settings.PublicIp ?? (settings.Bind.Equals(IPAddress.Any) ? IPAddress.Loopback : settings.Bind);
            media = new MediaEndpoint(settings.Bind, settings.MediaPort, candidate, verto.Metrics, loggers.CreateLogger("MediaServer.Media")) { LogDebug = debug };
            verto.Calls = new CallRegistry(verto, media, DtlsCertificate.Generate(), codecs!);
            var mixerMetrics = new MixerMetrics();
            verto.Conferences = new ConferenceRegistry(verto, new MixerClock(mixerMetrics), mixerMetrics, new ChatStore(database), new BannerRenderer(new BannerFont()));
            MediaLog.Listening(media.Log, settings.Bind.ToString(), media.LocalPort, candidate.ToString(), $"{LibSrtp.Version}, {LibOpus.Version}");
            if (settings.SipPort is { } sipPort)
            {
                var sipLog = loggers.CreateLogger("MediaServer.Sip");
                var stack = new SipStack(settings.Bind, sipPort, candidate, new SipTimers(), new SipMetrics(), sipLog);
                var limits = settings.Limits;
                verto.Sip = new SipUserAgent(stack, verto, new RtpPortPool(settings.RtpPorts, settings.Bind, verto.Metrics, sipLog), new LoginThrottle(limits.LoginFailuresPerAccount, limits.LoginFailureWindowSeconds, limits.LockoutSeconds, limits.LoginFailuresPerSecondPerIp), sipLog);
                stack.Start();
                SipLog.Listening(sipLog, $"{settings.Bind}:{stack.Port}");
            }
        }
        catch
        {
            verto?.Records?.Dispose();
            database.Dispose();
            throw;
        }

        var host = new MediaServerHost(app, database, verto, media, settings);
        host.Configure(logger);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        host.HttpPort = new Uri(addresses.First().Replace("[::]", "localhost", StringComparison.Ordinal).Replace("0.0.0.0", "localhost", StringComparison.Ordinal)).Port;
        host._ready = true;
        return host;
    }

    /// <summary>
    /// The console in the configured format plus any extra providers (a test's capture), each
    /// wrapped in <see cref="DebugLevelLoggerProvider"/>: the framework lets every level of the
    /// MediaServer categories through and the wrapper applies <paramref name="minimum"/>, except
    /// for the calls, rooms and users raised in <paramref name="debug"/>.
    /// </summary>
    private static void ConfigureLogging(ILoggingBuilder logging, string format, LogLevel minimum, LogDebugSwitch debug, IReadOnlyList<ILoggerProvider> extra)
    {
        logging.ClearProviders();
        if (format == ServerSettings.JsonLogFormat)
        {
            // Our own formatter: the framework's JSON console leaves out the event's name.
            logging.AddConsole(o => o.FormatterName = JsonLogFormatter.FormatterName)
                .AddConsoleFormatter<JsonLogFormatter, Microsoft.Extensions.Logging.Console.ConsoleFormatterOptions>(o => o.IncludeScopes = true);
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "yyyy-MM-dd HH:mm:ss ";
            });
        }

        foreach (var provider in extra)
        {
            logging.AddProvider(provider);
        }

        logging.SetMinimumLevel(minimum);
        logging.AddFilter("MediaServer", LogLevel.Trace);
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        var services = logging.Services;
        var providers = services.Where(d => d.ServiceType == typeof(ILoggerProvider)).ToList();
        foreach (var descriptor in providers)
        {
            services.Remove(descriptor);
            if (descriptor.ImplementationInstance is ILoggerProvider instance)
            {
                // The caller made it and disposes it.
                services.AddSingleton<ILoggerProvider>(new DebugLevelLoggerProvider(instance, ownsInner: false, debug, minimum));
            }
            else if (descriptor.ImplementationType is { } type)
            {
                // The container builds the provider with its own constructor choice and disposes it.
                services.AddSingleton(type);
                services.AddSingleton<ILoggerProvider>(sp => new DebugLevelLoggerProvider((ILoggerProvider)sp.GetRequiredService(type), ownsInner: false, debug, minimum));
            }
            else
            {
                var factory = descriptor.ImplementationFactory!;
                services.AddSingleton<ILoggerProvider>(sp => new DebugLevelLoggerProvider((ILoggerProvider)factory(sp), ownsInner: true, debug, minimum));
            }
        }

        services.AddSingleton(debug);
    }

    /// <summary>Waits until the process is asked to stop (Ctrl+C, SIGTERM).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        BeginShutdown();
        if (_verto.Sip is { } sip)
        {
            await sip.Stack.DisposeAsync();
        }

        _verto.Conferences?.Dispose();
        _verto.Dispose();
        _media.Dispose();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        // Every call ended above and queued its record: store them before the database closes.
        _verto.Records?.Dispose();
        _database.Dispose();
    }

    /// <summary>
    /// The first half of a shutdown, run when the process is asked to stop (SIGTERM, Ctrl+C:
    /// ApplicationStopping, before Kestrel stops, which would cut the sockets first) or when the
    /// host is disposed: recordings are finalized, every call gets a bye with SYSTEM_SHUTDOWN while the sockets can still
    /// carry it, the SIP byes leave the SIP worker, and every WebSocket is closed with 1001 after
    /// what is queued on it, so the connections end by themselves instead of being aborted.
    /// </summary>
    private void BeginShutdown()
    {
        if (Interlocked.Exchange(ref _shutdownBegun, 1) != 0)
        {
            return;
        }

        _ready = false;
        // Recordings are finished first, while nothing else is being torn down, so their files play.
        _verto.Conferences?.FinishRecordings();
        _verto.Calls?.Dispose();
        if (_verto.Sip is { } sip)
        {
            sip.Stack.DrainAsync(TimeSpan.FromSeconds(2)).GetAwaiter().GetResult();
        }

        _verto.CloseAll(System.Net.WebSockets.WebSocketCloseStatus.EndpointUnavailable, "server shutting down");
    }

    private void Configure(ILogger logger)
    {
        _app.Lifetime.ApplicationStopping.Register(BeginShutdown);
        var origins = new OriginPolicy(Settings.AllowedOrigins);
        _app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });

        // Verto connects on whatever path its page was given, so every path takes the upgrade.
        _app.Use(async (context, next) =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                await next(context);
                return;
            }

            var origin = context.Request.Headers.Origin.ToString();
            if (!origins.Allows(origin, context.Request.Host.Value ?? string.Empty))
            {
                SignallingLog.OriginRefused(logger, origin, context.Request.Host.Value ?? string.Empty);
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                await context.Response.WriteAsync("WebSocket origin not allowed\n");
                return;
            }

            using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { DangerousEnableCompression = false });
            var remote = context.Connection.RemoteIpAddress ?? IPAddress.None;
            if (remote.IsIPv4MappedToIPv6)
            {
                remote = remote.MapToIPv4();
            }

            await new WebSocketPump(socket, remote, context.Connection.RemotePort, _verto).RunAsync();
        });

        _app.MapGet("/health", (HttpContext context) =>
        {
            var body = new JsonObject
            {
                ["status"] = _ready ? "ok" : "starting",
                ["uptimeSeconds"] = (long)(DateTimeOffset.UtcNow - _started).TotalSeconds,
                ["connections"] = _verto.ConnectionCount,
                ["sessions"] = _verto.Sessions.Count,
                ["liveArrays"] = _verto.LiveArrays.Count,
                ["calls"] = _verto.Calls?.Count ?? 0,
                ["conferences"] = _verto.Conferences?.Count ?? 0,
                ["mediaPort"] = _media.LocalPort,
                ["database"] = $"schema {_database.SchemaVersion}",
            };
            context.Response.StatusCode = _ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
            return Results.Text(body.ToJsonString(), "application/json");
        });
        _app.MapGet("/metrics", () =>
        {
            var text = new System.Text.StringBuilder(_verto.Metrics.Render(_verto.Conferences?.MixerMetrics));
            _verto.Sip?.Stack.Metrics.Render(text);
            return Results.Text(text.ToString(), "text/plain; version=0.0.4");
        });
        var admin = new AdminGate(Settings.Directory, _verto.Throttle, _verto.Log);
        var cdrs = new CdrExportEndpoint(admin, _verto.Records!, _verto.Log);
        _app.MapGet(CdrExportEndpoint.Path, cdrs.HandleAsync);
        var debug = new LogDebugEndpoint(admin, _verto.LogDebug, _verto.Log);
        _app.MapGet(LogDebugEndpoint.Path, debug.ListAsync);
        _app.MapPost(LogDebugEndpoint.Path, debug.RaiseAsync);
        _app.UseDefaultFiles();
        _app.UseStaticFiles();
    }
}
