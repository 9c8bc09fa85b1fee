using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace MediaServer.Bench.Load;

/// <summary>Renders the audio scenario (and its --video figures): the live line, the ramp step line, the summary text and JSON.</summary>
internal static class AudioLoadReport
{
    private static readonly IFormatProvider Inv = CultureInfo.InvariantCulture;

    /// <summary>The once-a-second line: what the last second looked like.</summary>
    public static string ProgressLine(AudioWindow w, double elapsedSeconds, int cores) =>
        string.Create(Inv, $"[{elapsedSeconds,5:0} s] members {w.Members,4} rooms {w.Rooms,3} | server cpu {Percent(w.ServerCpuPercent)} ({Cores(w.ServerCores)}) tick p99 {Milliseconds(w.TickLatenessP99Milliseconds)} enc {Rate(w.EncodesPerSecond)} | tx {w.SentPerSecond,6:0}/s rx {w.ReceivedPerSecond,6:0}/s loss {w.LossPercent,5:0.00} % missing {w.MissingPercent,5:0.00} % jitter {w.JitterMeanMilliseconds:0.0} ms{VideoProgress(w.Video)} | client cpu {w.ClientCpuPercent:0} %");

    private static string VideoProgress(VideoWindow? v) => v is null
        ? string.Empty
        : string.Create(Inv, $" | canvas fps {v.FpsMean:0.0} ({v.FpsMin:0.0}-{v.FpsMax:0.0}) loss {v.LossPercent:0.00} %");

    /// <summary>One ramp step, measured after its joins settled.</summary>
    public static string StepLine(AudioWindow w, int cores) =>
        string.Create(Inv, $"{w.Members} members in {w.Rooms} rooms: server cpu {Percent(w.ServerCpuPercent)} avg, {Percent(w.ServerCpuPeakPercent)} peak ({Cores(w.ServerCores)}), {w.MembersPerCore(cores):0.0} members/core; tick p50 {Milliseconds(w.TickLatenessP50Milliseconds)} p99 {Milliseconds(w.TickLatenessP99Milliseconds)}; encodes {Rate(w.EncodesPerSecond)}; loss {w.LossPercent:0.00} %, missing {w.MissingPercent:0.00} %; jitter {w.JitterMeanMilliseconds:0.0} ms;{LatencyStep(w)}{VideoStep(w.Video)} client cpu {w.ClientCpuPercent:0} %");

    private static string LatencyStep(AudioWindow w) => w.LatencyCount + w.LatencyMissed == 0
        ? string.Empty
        : string.Create(Inv, $" latency p50 {Ms(w.LatencyP50Milliseconds)} p95 {Ms(w.LatencyP95Milliseconds)} ({w.LatencyCount} markers, {w.LatencyMissed} missed);");

    private static string VideoStep(VideoWindow? v) => v is null
        ? string.Empty
        : string.Create(Inv, $" canvas fps {v.FpsMean:0.0} (members {v.FpsMin:0.0}-{v.FpsMax:0.0}, seconds {v.SecondFpsMin:0.0}-{v.SecondFpsMax:0.0}), loss {v.LossPercent:0.00} %, per frame compose {Ms(v.ComposeMillisecondsPerFrame)} encode {Ms(v.EncodeMillisecondsPerFrame)} decode {Ms(v.DecodeMillisecondsPerFrame)};");

    public static string ToText(AudioLoadResult r)
    {
        var text = new StringBuilder();
        AudioLoadOptions o = r.Options;
        text.AppendLine(Inv, $"scenario           {(o.Video ? "audio + video" : "audio")}, {r.Mode}; rooms of {o.RoomSize} ({o.RoomName(0)}...), {o.Talkers} talkers each (talk {o.TalkMeanSeconds:0.#} s / pause {o.SilenceMeanSeconds:0.#} s), {o.Cores} cores");
        if (o.Target == AudioTarget.Janus)
        {
            text.AppendLine(Inv, $"target             Janus AudioBridge at {o.JanusUrl} (server cpu is the janus process's)");
        }
        text.AppendLine(Inv, $"stopped because    {r.StopReason} after {r.ElapsedSeconds:0} s");
        if (o.Ramp)
        {
            text.AppendLine(Inv, $"ramp limits        server cpu <= {o.MaxCpuPercent:0.#} % of the machine, tick p99 <= {o.MaxLatenessMilliseconds:0.##} ms, loss and missing frames <= {o.MaxLossPercent:0.##} %{(o.Video ? string.Create(Inv, $", canvas fps of every member and of every second within {o.MaxFpsDeviationPercent:0.#} % of {o.CanvasFps:0.#}") : "")}");
            foreach (AudioWindow step in r.Steps)
            {
                text.AppendLine("  step             " + StepLine(step, o.Cores));
            }
        }
        AudioWindow? w = r.Result;
        if (w is null)
        {
            text.AppendLine(o.Ramp ? "result             no step stayed inside the limits" : "result             nothing measured");
        }
        else
        {
            text.AppendLine(Inv, $"{(o.Ramp ? "last good step" : "measured"),-19}{w.Members} members (server says {Count(w.ServerMembers)}) in {w.Rooms} rooms over {w.Seconds:0.0} s");
            text.AppendLine(Inv, $"members per core   {w.MembersPerCore(o.Cores):0.0} (of {o.Cores} cores); {Number(w.MembersPerBusyCore)} per core the server used");
            text.AppendLine(Inv, $"server cpu         avg {Percent(w.ServerCpuPercent)}, peak {Percent(w.ServerCpuPeakPercent)} of the machine ({Cores(w.ServerCores)})");
            text.AppendLine(Inv, $"tick lateness      p50 {Milliseconds(w.TickLatenessP50Milliseconds)}, p99 {Milliseconds(w.TickLatenessP99Milliseconds)} (bucket upper bounds), {Count(w.Ticks)} ticks, {Count(w.TickOverruns)} overruns");
            text.AppendLine(Inv, $"codec work         encodes {Rate(w.EncodesPerSecond)}, decodes {Rate(w.DecodesPerSecond)}, concealed {Rate(w.ConcealedPerSecond)}, shared deliveries {Rate(w.SharedDeliveriesPerSecond)}");
            text.AppendLine(Inv, $"media              sent {w.SentPerSecond:0}/s, received {w.ReceivedPerSecond:0}/s, loss {w.LossPercent:0.000} %, missing frames {w.MissingPercent:0.000} %, jitter mean {w.JitterMeanMilliseconds:0.00} ms, max {w.JitterMaxMilliseconds:0.00} ms");
            text.AppendLine(Inv, $"decode check       {w.Decoded} decoded, {w.DecodeErrors} errors, {w.AudiblePercent:0.0} % audible; {w.SrtpFailures} SRTP failures");
            text.AppendLine(Inv, $"audio latency      p50 {Ms(w.LatencyP50Milliseconds)}, p95 {Ms(w.LatencyP95Milliseconds)} over {w.LatencyCount} markers, {w.LatencyMissed} missed: end to end through the server on loopback (talker's 20 ms packetisation, both Opus encoders, jitter buffer, mix tick and encode)");
            if (w.Video is { } v)
            {
                text.AppendLine(Inv, $"canvas fps         mean {v.FpsMean:0.00} over {v.Members} members, min {v.FpsMin:0.00}, max {v.FpsMax:0.00} (±{v.FpsDeviationPercent:0.0} % of the mean); second by second {v.SecondFpsMin:0.00}-{v.SecondFpsMax:0.00} (±{v.SecondDeviationPercent:0.0} %); server canvases {Count(v.Canvases)} at {Number(v.CanvasFps)} fps each");
                text.AppendLine(Inv, $"canvas media       received {v.ReceivedPacketsPerSecond:0} packets/s, loss {v.LossPercent:0.000} %; clients sent {v.SentFramesPerSecond:0} frames/s, {v.KeyframesSent} keyframes on {v.KeyframeRequests} requests");
                text.AppendLine(Inv, $"server video work  per frame: compose {Ms(v.ComposeMillisecondsPerFrame)}, encode {Ms(v.EncodeMillisecondsPerFrame)} (720p), decode {Ms(v.DecodeMillisecondsPerFrame)} (360p); encodes {Rate(v.EncodesPerSecond)}, decodes {Rate(v.DecodesPerSecond)}, {Count(v.ServerDecodeErrors)} decode errors; {Cores(v.VideoWorkCores)} of video work");
                text.AppendLine(Inv, $"canvas decode      {v.Decoded} frames decoded after {v.DecodeKeyframes} keyframes, {v.DecodeErrors} errors, {v.DecodeFramesDropped} dropped by reassembly; picture {v.DecodedWidth}x{v.DecodedHeight}");
            }
            text.AppendLine(Inv, $"client cpu         {w.ClientCpuPercent:0.0} % of one core (same machine as the server)");
        }
        if (r.FailedStep is { } failed)
        {
            text.AppendLine("limit crossed at   " + StepLine(failed, o.Cores));
        }
        string profiles = string.Join(", ", r.SrtpProfiles.Select(p => $"{p.Key} {p.Value}"));
        text.AppendLine(Inv, $"joins              {r.Joined}/{r.Attempted}; join p50 {r.JoinP50Milliseconds:0} ms, p99 {r.JoinP99Milliseconds:0} ms; answer p50 {r.AnswerP50Milliseconds:0} ms; dtls p50 {r.DtlsP50Milliseconds:0} ms; srtp {profiles}");
        text.AppendLine(Inv, $"calls              {r.HungUpCleanly} hung up cleanly, {r.ServerHangups} ended by the server, {r.Dropped} websockets dropped");
        text.AppendLine(Inv, $"transport          consent {r.ConsentAnswered}/{r.ConsentChecksSent} answered, {r.RtcpReceived} RTCP received, {r.WrongPayloadType} wrong payload type, {r.SendErrors} send errors, {r.SocketErrors} ICMP refusals");
        text.AppendLine(Inv, $"clip               {r.ClipFrames} frames, mean {r.ClipMeanPayloadBytes:0} bytes, silence {r.SilencePayloadBytes} bytes; pacer {r.PacerSkippedSlots} slots skipped, max {r.PacerMaxLatenessMilliseconds:0.0} ms late; {r.ReceiveWakeUps} receive wake-ups");
        if (o.Video)
        {
            string clips = string.Join(", ", r.VideoClips.Select(c => string.Create(Inv, $"{c.Keyframe.Length}/{c.MeanDeltaBytes:0}")));
            text.AppendLine(Inv, $"video              {VideoClip.Width}x{VideoClip.Height} at {VideoClip.Fps} fps, {r.VideoClips.Count} patterns (keyframe/mean delta bytes: {clips}); {r.VideoKeyframesSent} keyframes sent, {r.VideoPliReceived} PLI and {r.VideoFirReceived} FIR received; pacer skipped {r.PacerSkippedVideoFrames} video frames; {r.SrtcpFailures} SRTCP failures");
            text.AppendLine(Inv, $"canvas decode run  {r.VideoDecoded} frames decoded by {o.VideoDecodeMembers} members, {r.VideoDecodeErrors} errors, picture {r.VideoDecodedSize.Width}x{r.VideoDecodedSize.Height}");
        }
        foreach (string warning in r.Warnings)
        {
            text.AppendLine("warning            " + warning);
        }
        LoadReport.AppendErrors(text, r.Errors, r.HitTimeLimit);
        return text.ToString();
    }

    public static string ToJson(AudioLoadResult r)
    {
        AudioLoadOptions o = r.Options;
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions
        {
            Indented = true,
            // A local report file, read by people and scripts: "p99 > 5 ms" rather than "\u003E".
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            json.WriteStartObject();
            json.WriteString("scenario", o.Video ? "audio+video" : "audio");
            json.WriteString("mode", r.Mode);
            json.WriteString("target", o.Target == AudioTarget.Janus ? "janus" : "mediaserver");
            json.WriteString("url", o.Url.ToString());
            json.WriteNumber("roomSize", o.RoomSize);
            json.WriteNumber("talkersPerRoom", o.Talkers);
            json.WriteString("firstRoom", o.RoomName(0));
            json.WriteNumber("cores", o.Cores);
            json.WriteStartObject("limits");
            json.WriteNumber("maxCpuPercent", o.MaxCpuPercent);
            json.WriteNumber("maxLatenessMilliseconds", o.MaxLatenessMilliseconds);
            json.WriteNumber("maxLossPercent", o.MaxLossPercent);
            if (o.Video)
            {
                json.WriteNumber("canvasFps", o.CanvasFps);
                json.WriteNumber("maxFpsDeviationPercent", o.MaxFpsDeviationPercent);
            }
            json.WriteEndObject();
            json.WriteString("stopReason", r.StopReason);
            json.WriteBoolean("succeeded", r.Succeeded);
            json.WritePropertyName("result");
            WriteWindow(json, r.Result, o.Cores);
            json.WritePropertyName("failedStep");
            WriteWindow(json, r.FailedStep, o.Cores);
            json.WriteStartArray("steps");
            foreach (AudioWindow step in r.Steps)
            {
                WriteWindow(json, step, o.Cores);
            }
            json.WriteEndArray();
            json.WriteStartObject("joins");
            json.WriteNumber("attempted", r.Attempted);
            json.WriteNumber("joined", r.Joined);
            json.WriteNumber("joinP50Milliseconds", Round(r.JoinP50Milliseconds));
            json.WriteNumber("joinP99Milliseconds", Round(r.JoinP99Milliseconds));
            json.WriteNumber("answerP50Milliseconds", Round(r.AnswerP50Milliseconds));
            json.WriteNumber("dtlsP50Milliseconds", Round(r.DtlsP50Milliseconds));
            json.WriteStartObject("srtpProfiles");
            foreach ((string profile, int count) in r.SrtpProfiles)
            {
                json.WriteNumber(profile, count);
            }
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteStartObject("calls");
            json.WriteNumber("hungUpCleanly", r.HungUpCleanly);
            json.WriteNumber("endedByServer", r.ServerHangups);
            json.WriteNumber("dropped", r.Dropped);
            json.WriteEndObject();
            json.WriteStartObject("transport");
            json.WriteNumber("consentChecksSent", r.ConsentChecksSent);
            json.WriteNumber("consentAnswered", r.ConsentAnswered);
            json.WriteNumber("rtcpReceived", r.RtcpReceived);
            json.WriteNumber("wrongPayloadType", r.WrongPayloadType);
            json.WriteNumber("sendErrors", r.SendErrors);
            json.WriteNumber("icmpRefusals", r.SocketErrors);
            json.WriteEndObject();
            json.WriteStartObject("clip");
            json.WriteNumber("frames", r.ClipFrames);
            json.WriteNumber("meanPayloadBytes", Round(r.ClipMeanPayloadBytes));
            json.WriteNumber("silencePayloadBytes", r.SilencePayloadBytes);
            json.WriteEndObject();
            json.WriteStartObject("pacer");
            json.WriteNumber("skippedSlots", r.PacerSkippedSlots);
            json.WriteNumber("maxLatenessMilliseconds", Round(r.PacerMaxLatenessMilliseconds));
            json.WriteNumber("receiveWakeUps", r.ReceiveWakeUps);
            json.WriteEndObject();
            if (o.Video)
            {
                json.WriteStartObject("video");
                json.WriteNumber("width", VideoClip.Width);
                json.WriteNumber("height", VideoClip.Height);
                json.WriteNumber("fps", VideoClip.Fps);
                json.WriteStartArray("patterns");
                foreach (VideoClip c in r.VideoClips)
                {
                    json.WriteStartObject();
                    json.WriteNumber("keyframeBytes", c.Keyframe.Length);
                    json.WriteNumber("meanDeltaBytes", Round(c.MeanDeltaBytes));
                    json.WriteNumber("deltaKbps", Round(c.DeltaKbps));
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteNumber("keyframesSent", r.VideoKeyframesSent);
                json.WriteNumber("pliReceived", r.VideoPliReceived);
                json.WriteNumber("firReceived", r.VideoFirReceived);
                json.WriteNumber("pacerSkippedFrames", r.PacerSkippedVideoFrames);
                json.WriteNumber("srtcpFailures", r.SrtcpFailures);
                json.WriteNumber("decodeMembers", o.VideoDecodeMembers);
                json.WriteNumber("decoded", r.VideoDecoded);
                json.WriteNumber("decodeErrors", r.VideoDecodeErrors);
                json.WriteNumber("decodedWidth", r.VideoDecodedSize.Width);
                json.WriteNumber("decodedHeight", r.VideoDecodedSize.Height);
                json.WriteEndObject();
            }
            json.WriteStartArray("warnings");
            foreach (string warning in r.Warnings)
            {
                json.WriteStringValue(warning);
            }
            json.WriteEndArray();
            json.WriteNumber("errorTotal", r.ErrorTotal);
            LoadReport.WriteErrors(json, r.Errors, r.HitTimeLimit);
            json.WriteNumber("elapsedSeconds", Round(r.ElapsedSeconds));
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void WriteWindow(Utf8JsonWriter json, AudioWindow? w, int cores)
    {
        if (w is null)
        {
            json.WriteNullValue();
            return;
        }
        json.WriteStartObject();
        json.WriteNumber("members", w.Members);
        json.WriteNumber("rooms", w.Rooms);
        Nullable(json, "serverMembers", w.ServerMembers);
        json.WriteNumber("seconds", Round(w.Seconds));
        json.WriteNumber("membersPerCore", Round(w.MembersPerCore(cores)));
        Nullable(json, "membersPerBusyCore", w.MembersPerBusyCore);
        Nullable(json, "serverCpuPercent", w.ServerCpuPercent);
        Nullable(json, "serverCpuPeakPercent", w.ServerCpuPeakPercent);
        Nullable(json, "serverCores", w.ServerCores);
        // +Inf (past the last bucket) is not JSON: null, with a flag saying why.
        Nullable(json, "tickLatenessP50Milliseconds", w.TickLatenessP50Milliseconds);
        Nullable(json, "tickLatenessP99Milliseconds", w.TickLatenessP99Milliseconds);
        json.WriteBoolean("tickLatenessP99PastLastBucket", w.TickLatenessP99Milliseconds is double.PositiveInfinity);
        Nullable(json, "ticks", w.Ticks);
        Nullable(json, "tickOverruns", w.TickOverruns);
        Nullable(json, "encodesPerSecond", w.EncodesPerSecond);
        Nullable(json, "decodesPerSecond", w.DecodesPerSecond);
        Nullable(json, "concealedPerSecond", w.ConcealedPerSecond);
        Nullable(json, "sharedDeliveriesPerSecond", w.SharedDeliveriesPerSecond);
        json.WriteNumber("sentPerSecond", Round(w.SentPerSecond));
        json.WriteNumber("receivedPerSecond", Round(w.ReceivedPerSecond));
        json.WriteNumber("lossPercent", Round(w.LossPercent));
        json.WriteNumber("missingPercent", Round(w.MissingPercent));
        json.WriteNumber("jitterMeanMilliseconds", Round(w.JitterMeanMilliseconds));
        json.WriteNumber("jitterMaxMilliseconds", Round(w.JitterMaxMilliseconds));
        json.WriteNumber("decoded", w.Decoded);
        json.WriteNumber("decodeErrors", w.DecodeErrors);
        json.WriteNumber("audiblePercent", Round(w.AudiblePercent));
        json.WriteNumber("srtpFailures", w.SrtpFailures);
        json.WriteNumber("clientCpuPercent", Round(w.ClientCpuPercent));
        // End to end through the server on loopback, from a chirp marker: see LatencyProbe.
        json.WriteStartObject("latency");
        json.WriteNumber("count", w.LatencyCount);
        json.WriteNumber("missed", w.LatencyMissed);
        Nullable(json, "p50Milliseconds", w.LatencyP50Milliseconds);
        Nullable(json, "p95Milliseconds", w.LatencyP95Milliseconds);
        json.WriteStartArray("samplesMilliseconds");
        foreach (double delay in w.LatencyMilliseconds)
        {
            json.WriteNumberValue(Round(delay));
        }
        json.WriteEndArray();
        json.WriteEndObject();
        if (w.Video is { } v)
        {
            json.WriteStartObject("video");
            json.WriteNumber("members", v.Members);
            json.WriteNumber("fpsMean", Round(v.FpsMean));
            json.WriteNumber("fpsMin", Round(v.FpsMin));
            json.WriteNumber("fpsMax", Round(v.FpsMax));
            json.WriteNumber("fpsDeviationPercent", Round(v.FpsDeviationPercent));
            json.WriteNumber("secondFpsMin", Round(v.SecondFpsMin));
            json.WriteNumber("secondFpsMax", Round(v.SecondFpsMax));
            json.WriteNumber("secondDeviationPercent", Round(v.SecondDeviationPercent));
            json.WriteNumber("lossPercent", Round(v.LossPercent));
            json.WriteNumber("receivedPacketsPerSecond", Round(v.ReceivedPacketsPerSecond));
            json.WriteNumber("sentFramesPerSecond", Round(v.SentFramesPerSecond));
            json.WriteNumber("keyframesSent", v.KeyframesSent);
            json.WriteNumber("keyframeRequests", v.KeyframeRequests);
            json.WriteNumber("decoded", v.Decoded);
            json.WriteNumber("decodeErrors", v.DecodeErrors);
            json.WriteNumber("decodeKeyframes", v.DecodeKeyframes);
            json.WriteNumber("decodeFramesDropped", v.DecodeFramesDropped);
            json.WriteNumber("decodedWidth", v.DecodedWidth);
            json.WriteNumber("decodedHeight", v.DecodedHeight);
            Nullable(json, "canvases", v.Canvases);
            Nullable(json, "canvasFps", v.CanvasFps);
            Nullable(json, "encodesPerSecond", v.EncodesPerSecond);
            Nullable(json, "decodesPerSecond", v.DecodesPerSecond);
            Nullable(json, "serverDecodeErrors", v.ServerDecodeErrors);
            Nullable(json, "composeMillisecondsPerFrame", v.ComposeMillisecondsPerFrame);
            Nullable(json, "encodeMillisecondsPerFrame", v.EncodeMillisecondsPerFrame);
            Nullable(json, "decodeMillisecondsPerFrame", v.DecodeMillisecondsPerFrame);
            Nullable(json, "videoWorkCores", v.VideoWorkCores);
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }

    private static void Nullable(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            json.WriteNumber(name, Round(v));
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static string Percent(double? value) => value is { } v ? v.ToString("0.0", Inv) + " %" : "n/a";

    private static string Cores(double? value) => value is { } v ? v.ToString("0.00", Inv) + " cores" : "n/a";

    private static string Milliseconds(double? value) => value switch
    {
        null => "n/a",
        double.PositiveInfinity => "past the last bucket",
        double v => "<=" + v.ToString("0.##", Inv) + " ms",
    };

    private static string Ms(double? value) => value is { } v ? v.ToString("0.00", Inv) + " ms" : "n/a";

    private static string Rate(double? value) => value is { } v ? v.ToString("0", Inv) + "/s" : "n/a";

    private static string Count(double? value) => value is { } v ? v.ToString("0", Inv) : "n/a";

    private static string Number(double? value) => value is { } v ? v.ToString("0.0", Inv) : "n/a";

    private static double Round(double value) => Math.Round(value, 3);
}
