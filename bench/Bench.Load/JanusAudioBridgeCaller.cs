using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MediaServer.Bench.Load;

/// <summary>
/// One simulated member of a Janus AudioBridge room: a Janus session with one handle on
/// janus.plugin.audiobridge (<see cref="JanusSession"/>), the room created if it is not there
/// yet (48 kHz, what our mixer runs at), then "join" with the same offer our server gets; the
/// answer comes back in the "joined" event. From there on the <see cref="AudioPeer"/> does
/// exactly what it does against our server: the signalling is the only difference. Hang-up is
/// "leave" and destroying the session.
/// </summary>
internal sealed class JanusAudioBridgeCaller : IConferenceCall
{
    private const string Plugin = "janus.plugin.audiobridge";
    // The AudioBridge's "room already exists" (JANUS_AUDIOBRIDGE_ERROR_ROOM_EXISTS): another
    // member of the room created it first.
    private const int RoomExists = 486;

    private readonly AudioLoadOptions _options;
    private readonly ErrorTally _errors;
    private readonly JanusSession _session;
    private readonly long _roomId;

    public JanusAudioBridgeCaller(int index, int room, bool talker, AudioPeer peer, AudioLoadOptions options, ErrorTally errors)
    {
        Index = index;
        Room = room;
        Talker = talker;
        Peer = peer;
        _options = options;
        _errors = errors;
        _session = new JanusSession(options.JanusUrl);
        // The options admit only numeric room prefixes for Janus, so the name is a number.
        _roomId = long.Parse(options.RoomName(room), CultureInfo.InvariantCulture);
    }

    public int Index { get; }

    public int Room { get; }

    public bool Talker { get; }

    public AudioPeer Peer { get; }

    public bool Joined { get; private set; }

    public bool HungUpCleanly { get; private set; }

    public string? ServerHangup => Joined ? _session.Hangup : null;

    public bool Dropped => Joined && _session.PollFailure is not null;

    public double AnswerMilliseconds { get; private set; }

    public double JoinMilliseconds { get; private set; }

    public async Task<bool> JoinAsync(TimeSpan timeout, CancellationToken cancellation)
    {
        long started = Stopwatch.GetTimestamp();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        limit.CancelAfter(timeout);
        CancellationToken token = limit.Token;
        string stage = "janus_session";
        try
        {
            await _session.OpenAsync(Plugin, token);

            stage = "janus_create";
            JsonObject created = await _session.RequestAsync(new JsonObject
            {
                ["request"] = "create",
                ["room"] = _roomId,
                ["description"] = "load " + _roomId.ToString(CultureInfo.InvariantCulture),
                ["sampling_rate"] = 48000,
                ["permanent"] = false,
            }, token);
            if (ErrorCode(created) is { } createError && createError != RoomExists)
            {
                _errors.Add($"janus_create_failed({createError})", (string?)created["error"]);
                await AbandonAsync();
                return false;
            }

            stage = "janus_join";
            long invited = Stopwatch.GetTimestamp();
            Peer.OfferDtlsActive = true;
            Peer.WaitForServerCheck = true;
            string offer = Peer.CreateOffer();
            JsonObject joined = await _session.RequestEventAsync(
                new JsonObject
                {
                    ["request"] = "join",
                    ["room"] = _roomId,
                    ["display"] = "Load " + Index.ToString(CultureInfo.InvariantCulture),
                    ["muted"] = false,
                },
                // Our offer carries its one candidate; there is nothing to trickle.
                new JsonObject { ["type"] = "offer", ["sdp"] = offer, ["trickle"] = false },
                token);
            JsonObject? data = JanusSession.PluginData(joined);
            if (data is null || ErrorCode(data) is not null || (string?)joined["jsep"]?["sdp"] is not { } sdp)
            {
                _errors.Add("janus_join_failed", data is null ? joined.ToJsonString() : (string?)data["error"] ?? "no answer SDP in the joined event");
                await AbandonAsync();
                return false;
            }
            AnswerMilliseconds = Stopwatch.GetElapsedTime(invited).TotalMilliseconds;
            string? answerError = Peer.SetAnswer(sdp);
            if (answerError is not null)
            {
                _errors.Add("bad_answer", answerError);
                await AbandonAsync();
                return false;
            }

            stage = "media";
            await Peer.ConnectAsync(token);
            JoinMilliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            Joined = true;
            return true;
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            _errors.Add(stage + "_timeout", _session.Hangup);
        }
        catch (OperationCanceledException)
        {
            _errors.Add(stage + "_cancelled", null);
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidDataException or IOException or JsonException
                                       or Media.Dtls.DtlsHandshakeException)
        {
            _errors.Add(stage + "_failed", VertoConnection.Describe(ex));
        }
        await AbandonAsync();
        return false;
    }

    public async Task HangUpAsync(CancellationToken cancellation)
    {
        Peer.Stop();
        try
        {
            if (_session.Hangup is null)
            {
                // "leave" is answered through the poll ("left"); destroying the session below
                // is what must succeed, so its answer is not awaited here.
                await ((Task)_session.RequestAsync(new JsonObject { ["request"] = "leave" }, cancellation))
                    .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            HungUpCleanly = await _session.DestroyAsync(cancellation);
            if (!HungUpCleanly)
            {
                _errors.Add("janus_destroy_failed", null);
            }
        }
        catch (OperationCanceledException)
        {
            _errors.Add("hangup_timeout", "leave or destroy did not finish within the time limit");
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidDataException or IOException or JsonException)
        {
            _errors.Add("hangup_failed", VertoConnection.Describe(ex));
        }
    }

    public void Dispose()
    {
        Peer.Dispose();
        _session.Dispose();
    }

    /// <summary>After a failed join: destroy the session so Janus does not keep it for its timeout.</summary>
    private async Task AbandonAsync()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        try
        {
            await _session.DestroyAsync(limit.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or InvalidDataException or IOException or JsonException)
        {
            // Janus ends it after its session timeout anyway.
        }
    }

    private static int? ErrorCode(JsonObject data) => (int?)data["error_code"];
}
