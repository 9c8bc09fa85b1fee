using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using MediaServer.Tests.Infrastructure;
using static MediaServer.Tests.Conferences.ConferenceControlTests;

namespace MediaServer.Tests.Conferences;

/// <summary>
/// Recording a room end to end: a moderator starts, pauses, resumes and stops it over the mod
/// channel while a member sends a tone, and the file is played back with Debian's ffprobe and
/// ffmpeg: the right container and codecs, a duration equal to the time recorded without the
/// pause, and a decode without errors. Audio-only rooms give Ogg Opus, rooms with a canvas WebM.
/// </summary>
public sealed class ConferenceRecordingTests
{
    private const double ToneHz = 440;

    [Fact]
    public async Task AnAudioOnlyRoomIsRecordedToOggOpusWithoutThePausedSpan()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await ConferenceParticipant.JoinAsync(server, "1000", TestServer.AlicePassword, "3570");
        var (file, recordedSeconds) = await RecordAsync(server, alice, ".ogg");

        var (probe, errors) = await FfmpegTools.ProbeAsync(file);
        Assert.Equal(string.Empty, errors);
        Assert.Equal("ogg", probe.GetProperty("format").GetProperty("format_name").GetString());
        var stream = Assert.Single(probe.GetProperty("streams").EnumerateArray());
        Assert.Equal("opus", stream.GetProperty("codec_name").GetString());
        Assert.Equal("48000", stream.GetProperty("sample_rate").GetString());
        AssertDuration(probe, recordedSeconds);
        await AssertDecodesAsync(file);
    }

    [Fact]
    public async Task ARoomWithVideoIsRecordedToWebmWithTheMixAndTheCanvasAsEncoded()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await ConferenceParticipant.JoinAsync(server, "1000", TestServer.AlicePassword, "3571", video: true);
        var canvas = server.Verto.Conferences!.Find("3571")!.Canvas!;
        var (file, recordedSeconds) = await RecordAsync(server, alice, ".webm");

        var (probe, errors) = await FfmpegTools.ProbeAsync(file);
        Assert.Equal(string.Empty, errors);
        Assert.Contains("webm", probe.GetProperty("format").GetProperty("format_name").GetString());
        var streams = probe.GetProperty("streams").EnumerateArray().ToList();
        Assert.Equal(2, streams.Count);
        Assert.Equal("opus", streams.Single(s => s.GetProperty("codec_type").GetString() == "audio").GetProperty("codec_name").GetString());
        var video = streams.Single(s => s.GetProperty("codec_type").GetString() == "video");
        Assert.Equal("vp8", video.GetProperty("codec_name").GetString());
        Assert.Equal(canvas.Width, video.GetProperty("width").GetInt32());
        Assert.Equal(canvas.Height, video.GetProperty("height").GetInt32());
        AssertDuration(probe, recordedSeconds);
        await AssertDecodesAsync(file);
    }

    [Fact]
    public async Task CommandsOutOfOrderAreRefusedAndAClientPathIsIgnored()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await ConferenceParticipant.JoinAsync(server, "1000", TestServer.AlicePassword, "3572");
        var mod = await ModChannelAsync(alice);
        var evil = Path.Combine(server.Root, "evil.ogg");

        Assert.Equal("-ERR Not recording\n", await ModResponse(alice.Client, mod, "recording", null, "stop all"));
        Assert.Equal("-ERR Not recording\n", await ModResponse(alice.Client, mod, "recording", null, "pause"));
        Assert.Equal("+OK Not recording\n", await ModResponse(alice.Client, mod, "recording", null, "check"));
        Assert.Equal("-ERR Usage: recording start|stop|pause|resume|check\n", await ModResponse(alice.Client, mod, "recording", null, "rewind"));
        var started = await ModResponse(alice.Client, mod, "recording", null, $"start {evil}");
        Assert.Matches(@"^\+OK Record file \[recordings/3572-\d{8}-\d{6}\.ogg\]\n$", started);
        Assert.StartsWith("-ERR Cannot record: already recording", await ModResponse(alice.Client, mod, "recording", null, "start"));
        Assert.Equal("-ERR Recording already running\n", await ModResponse(alice.Client, mod, "recording", null, "resume"));
        Assert.StartsWith("+OK Pause recording file", await ModResponse(alice.Client, mod, "recording", null, "pause"));
        Assert.EndsWith("paused\n", await ModResponse(alice.Client, mod, "recording", null, "check"));
        Assert.Equal("-ERR Recording already paused\n", await ModResponse(alice.Client, mod, "recording", null, "pause"));
        Assert.StartsWith("+OK Stopped recording file", await ModResponse(alice.Client, mod, "recording", null, "stop all"));
        Assert.False(File.Exists(evil));
        Assert.Single(Directory.GetFiles(Path.Combine(server.DataDirectory, "recordings")));
    }

    [Fact]
    public async Task TheLastMemberLeavingFinishesTheFile()
    {
        await using var server = await TestServer.StartAsync();
        var alice = await ConferenceParticipant.JoinAsync(server, "1000", TestServer.AlicePassword, "3573", video: true);
        var mod = await ModChannelAsync(alice);
        alice.SendTone(ToneHz, 8000);
        Assert.StartsWith("+OK Record file", await ModResponse(alice.Client, mod, "recording", null, "start"));
        await Task.Delay(1500);
        var room = server.Verto.Conferences!.Find("3573")!;
        var recording = room.Recording!;
        await alice.DisposeAsync();
        await WaitFor.ConditionAsync(() => recording.Stopped, TimeSpan.FromSeconds(10), "the recording finished when the room closed");

        var (probe, errors) = await FfmpegTools.ProbeAsync(recording.Path);
        Assert.Equal(string.Empty, errors);
        Assert.Equal(2, probe.GetProperty("streams").GetArrayLength());
        Assert.InRange(Duration(probe), 1.0, 3.0);
        await AssertDecodesAsync(recording.Path);
    }

    /// <summary>start, ~3 s, pause, 1 s, resume, ~1 s, stop; returns the file and the seconds recorded between start-pause and resume-stop.</summary>
    private static async Task<(string File, double RecordedSeconds)> RecordAsync(TestServer server, ConferenceParticipant member, string extension)
    {
        var mod = await ModChannelAsync(member);
        member.SendTone(ToneHz, 8000);
        var started = await ModResponse(member.Client, mod, "recording", null, "start");
        var clock = Stopwatch.StartNew();
        Assert.StartsWith("+OK Record file [recordings/", started);
        await Task.Delay(3000);
        Assert.StartsWith("+OK Pause recording file", await ModResponse(member.Client, mod, "recording", null, "pause"));
        var firstSpan = clock.Elapsed.TotalSeconds;
        await Task.Delay(1000);
        Assert.StartsWith("+OK Resume recording file", await ModResponse(member.Client, mod, "recording", null, "resume"));
        clock.Restart();
        await Task.Delay(1000);
        var stopped = await ModResponse(member.Client, mod, "recording", null, "stop");
        var secondSpan = clock.Elapsed.TotalSeconds;
        Assert.StartsWith("+OK Stopped recording file", stopped);

        var name = started["+OK Record file [recordings/".Length..started.IndexOf(']', StringComparison.Ordinal)];
        Assert.EndsWith(extension, name);
        var file = Path.Combine(server.DataDirectory, "recordings", name);
        Assert.True(File.Exists(file), file);
        return (file, firstSpan + secondSpan);
    }

    private static async Task<string> ModChannelAsync(ConferenceParticipant member)
    {
        var mod = member.PvtData.GetProperty("modChannel").GetString()!;
        await member.Client.CallAsync("verto.subscribe", new JsonObject { ["eventChannel"] = mod });
        return mod;
    }

    private static double Duration(System.Text.Json.JsonElement probe) =>
        double.Parse(probe.GetProperty("format").GetProperty("duration").GetString()!, CultureInfo.InvariantCulture);

    private static void AssertDuration(System.Text.Json.JsonElement probe, double recordedSeconds) =>
        Assert.InRange(Duration(probe), recordedSeconds - 0.5, recordedSeconds + 0.5);

    private static async Task AssertDecodesAsync(string file)
    {
        var (exit, errors) = await FfmpegTools.DecodeAsync(file);
        Assert.Equal(string.Empty, errors);
        Assert.Equal(0, exit);
    }
}
