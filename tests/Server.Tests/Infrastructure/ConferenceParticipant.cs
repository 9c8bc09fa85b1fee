using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using MediaServer.Mixer.Codecs;
using MediaServer.Protocol.Rtp;

namespace MediaServer.Tests.Infrastructure;

/// <summary>
/// A conference member driven from a test: a logged-in Verto client whose call to a room is
/// carried by a <see cref="WebRtcTestPeer"/> (ICE, DTLS, SRTP for real), sending Opus it
/// encodes itself at the real 20 ms pace, and able to say how loud a tone is in what the
/// server's mixer sends back to it.
/// </summary>
public sealed class ConferenceParticipant : IAsyncDisposable
{
    private readonly Thread _sender;
    private readonly IAudioEncoder _encoder;
    private readonly AudioCodecKind _codec;
    private readonly byte _payloadType;
    private volatile bool _stopping;
    private volatile float _toneFrequency;
    private volatile int _toneAmplitude;
    private volatile bool _sending;
    private volatile Impairment? _impairment;

    /// <summary>A bad network between this member and the server: a share of packets lost, the rest each delayed by up to a bound (so they also arrive out of order).</summary>
    private sealed record Impairment(double Loss, int JitterMs, Random Random);

    private ConferenceParticipant(VertoTestClient client, WebRtcTestPeer peer, string callId, JsonElement pvtData)
    {
        Client = client;
        Peer = peer;
        CallId = callId;
        PvtData = pvtData;
        MemberId = int.Parse(pvtData.GetProperty("conferenceMemberID").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        // Whatever the server chose from our offer: Opus, or G.711 for a phone-like member.
        var agreed = peer.Answer!.Media[0].Codecs[0];
        _payloadType = (byte)agreed.PayloadType;
        _codec = agreed.Name.ToLowerInvariant() switch
        {
            "opus" => AudioCodecKind.Opus,
            "pcmu" => AudioCodecKind.Pcmu,
            _ => AudioCodecKind.Pcma,
        };
        _encoder = AudioCodecFactory.CreateEncoder(_codec == AudioCodecKind.Opus ? AudioCodecSettings.Opus(1, 32000, 5) : AudioCodecSettings.G711(_codec));
        _sender = new Thread(SendLoop) { IsBackground = true, Name = $"participant-{callId}" };
        _sender.Start();
    }

    public VertoTestClient Client { get; }

    public WebRtcTestPeer Peer { get; }

    public string CallId { get; }

    public int MemberId { get; }

    /// <summary>The pvtData of the join event (§9.1).</summary>
    public JsonElement PvtData { get; }

    /// <summary>Logs in, dials <paramref name="room"/>, brings media up and waits for the pvtData join.</summary>
    public static async Task<ConferenceParticipant> JoinAsync(IServerEndpoint server, string user, string password, string room, string? pin = null, string codecs = "opus", bool video = false)
    {
        var client = await server.LoginAsync(user, password);
        var peer = new WebRtcTestPeer();
        var callId = Guid.NewGuid().ToString();
        var dialog = new JsonObject { ["callID"] = callId, ["destination_number"] = room, ["caller_id_name"] = user, ["caller_id_number"] = user };
        if (pin is not null)
        {
            dialog["pin"] = pin;
        }

        var created = await client.CallAsync("verto.invite", new JsonObject { ["sdp"] = peer.CreateOffer(video: video, codecs: video ? codecs + ",vp8" : codecs), ["dialogParams"] = dialog });
        Assert.Equal("CALL CREATED", created.GetProperty("result").GetProperty("message").GetString());
        var answer = await ReceiveRequestAsync(client, "verto.answer");
        peer.SetAnswer(answer.GetProperty("sdp").GetString()!);
        await peer.CheckAsync();
        await peer.HandshakeAsync();
        var join = await client.ReceiveUntilAsync(m => IsPvtData(m, "conference-liveArray-join"));
        return new ConferenceParticipant(client, peer, callId, join.GetProperty("params").GetProperty("pvtData"));
    }

    public static bool IsPvtData(JsonElement message, string action) =>
        message.TryGetProperty("method", out var method) && method.GetString() == "verto.event"
        && message.GetProperty("params").TryGetProperty("pvtData", out var pvt) && pvt.GetProperty("action").GetString() == action;

    public static async Task<JsonElement> ReceiveRequestAsync(VertoTestClient client, string method) =>
        (await client.ReceiveUntilAsync(m => m.TryGetProperty("method", out var name) && name.GetString() == method)).GetProperty("params");

    /// <summary>Sends a sine of this frequency and amplitude from now on (Opus, 20 ms packets at the real pace).</summary>
    public void SendTone(double frequency, int amplitude)
    {
        _toneFrequency = (float)frequency;
        _toneAmplitude = amplitude;
        _sending = true;
    }

    /// <summary>
    /// From now on, loses <paramref name="loss"/> of the packets sent and delays each of the others by
    /// a uniform 0..<paramref name="jitterMs"/> ms, as a bad Wi-Fi or mobile link would; seeded, so runs repeat.
    /// </summary>
    public void Impair(double loss, int jitterMs, int seed = 1) => _impairment = new Impairment(loss, jitterMs, new Random(seed));

    /// <summary>Sends encoded silence from now on, as a browser with a quiet microphone does.</summary>
    public void SendSilence()
    {
        _toneAmplitude = 0;
        _sending = true;
    }

    /// <summary>
    /// The amplitude of <paramref name="frequency"/> in the last <paramref name="packets"/>
    /// audio packets received, decoded with a fresh decoder (its first frames are skipped: a
    /// decoder needs a few frames to settle mid-stream).
    /// </summary>
    public double ReceivedToneAmplitude(double frequency, int packets = 25)
    {
        var audio = new List<(ushort Sequence, byte[] Payload)>();
        foreach (var datagram in Peer.Received)
        {
            if (RtpPacket.TryParse(datagram, out var packet) && packet.PayloadType == _payloadType)
            {
                audio.Add((packet.SequenceNumber, packet.Payload.ToArray()));
            }
        }

        var recent = audio.TakeLast(packets + 5).OrderBy(p => p.Sequence).ToList();
        if (recent.Count <= 5)
        {
            return 0;
        }

        using var decoder = AudioCodecFactory.CreateDecoder(_codec, 1);
        var pcm = new List<short>();
        var frame = new short[5760];
        for (var i = 0; i < recent.Count; i++)
        {
            var written = decoder.Decode(recent[i].Payload, frame);
            if (i >= 5 && written > 0)
            {
                pcm.AddRange(frame.AsSpan(0, written).ToArray());
            }
        }

        return ToneMeter.Amplitude(pcm.ToArray(), frequency);
    }

    /// <summary>Missing sequence numbers among the last <paramref name="last"/> audio packets the server sent us (RTCP, which Received also holds, left out).</summary>
    public int AudioSequenceGaps(int last)
    {
        var sequences = Peer.Received
            .Select(d => RtpPacket.TryParse(d, out var p) && p.PayloadType == _payloadType ? (int?)p.SequenceNumber : null)
            .Where(s => s is not null)
            .Select(s => s!.Value)
            .TakeLast(last)
            .ToList();
        var gaps = 0;
        for (var i = 1; i < sequences.Count; i++)
        {
            if ((ushort)(sequences[i] - sequences[i - 1]) != 1)
            {
                gaps++;
            }
        }

        return gaps;
    }

    /// <summary>How many audio packets the server has sent us.</summary>
    public int ReceivedAudioPackets() => Peer.Received.Count(d => RtpPacket.TryParse(d, out var p) && p.PayloadType == _payloadType);

    public async ValueTask DisposeAsync()
    {
        _stopping = true;
        _sender.Join(TimeSpan.FromSeconds(2));
        Peer.Dispose();
        _encoder.Dispose();
        await Client.DisposeAsync();
    }

    private bool TrySend(byte[] packet)
    {
        try
        {
            Peer.SendRaw(packet);
            return true;
        }
        catch (Exception)
        {
            // The peer was disposed under us (end of test): an exception here would take the test host down.
            return false;
        }
    }

    private void SendLoop()
    {
        var payload = new byte[1500];
        var period = Stopwatch.Frequency / 50;
        var next = Stopwatch.GetTimestamp();
        var frame = 0;
        ushort sequence = 1000;
        uint timestamp = 0;
        // Packets an impairment holds back, by the Stopwatch time they are due.
        var delayed = new PriorityQueue<byte[], long>();
        while (!_stopping)
        {
            var wait = next - Stopwatch.GetTimestamp();
            if (wait > 0)
            {
                Thread.Sleep(TimeSpan.FromTicks(wait * TimeSpan.TicksPerSecond / Stopwatch.Frequency));
            }

            next += period;
            while (delayed.TryPeek(out var due, out var at) && at <= Stopwatch.GetTimestamp())
            {
                delayed.Dequeue();
                if (!TrySend(due))
                {
                    return;
                }
            }

            if (!_sending)
            {
                continue;
            }

            var amplitude = _toneAmplitude;
            var pcm = amplitude == 0 ? new short[960] : ToneMeter.SineFrame(frame, _toneFrequency, amplitude);
            var length = _encoder.Encode(pcm, payload);
            byte[] packet;
            try
            {
                packet = Peer.ProtectRtp(_payloadType, sequence++, timestamp, Peer.AudioSsrc, payload.AsSpan(0, length));
            }
            catch (Exception)
            {
                // The peer was disposed under us (end of test): an exception here would take the test host down.
                return;
            }

            var impairment = _impairment;
            if (impairment is null)
            {
                if (!TrySend(packet))
                {
                    return;
                }
            }
            else if (impairment.Random.NextDouble() >= impairment.Loss)
            {
                delayed.Enqueue(packet, Stopwatch.GetTimestamp() + (long)(impairment.Random.NextDouble() * impairment.JitterMs * Stopwatch.Frequency / 1000));
            }

            timestamp += _codec == AudioCodecKind.Opus ? 960u : 160u;
            frame++;
        }
    }
}
