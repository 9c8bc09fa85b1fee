using System.Text.Json.Nodes;
using MediaServer.Conferences;
using MediaServer.Tests.Infrastructure;
using static MediaServer.Tests.Conferences.ConferenceControlTests;

namespace MediaServer.Tests.Security;

/// <summary>
/// Every moderator command ConferenceCommands accepts, tried by someone who may not: a
/// participant on its own room's mod channel gets the moderator refusal, a moderator of another
/// room gets "Permission Denied.", and in both cases nothing in the room changes. Publishing to
/// another room's channels is refused the same way.
/// </summary>
public sealed class AuthorizationTests
{
    /// <summary>Every command ConferenceCommands.Handle/Execute knows, with a value that would change something.</summary>
    public static readonly TheoryData<string, string?> Commands = new()
    {
        { "kick", null }, { "tmute", null }, { "mute", null }, { "unmute", null }, { "deaf", null }, { "undeaf", null },
        { "tvmute", null }, { "vmute", null }, { "unvmute", null }, { "volume_in", "up" }, { "volume_out", "down" },
        { "energy", "900" }, { "vid-floor", "force" }, { "vid-res-id", "presenter" }, { "vid-banner", "hacked" },
        { "vid-layer", "next" }, { "vid-layout", "2x2" }, { "vid-canvas", "2" }, { "vid-watching-canvas", "2" },
        { "lock", null }, { "unlock", null }, { "dial", "1001" }, { "list-videoLayouts", null }, { "canvasInfo", null },
    };

    private const string ModeratorOnly = "Permission Denied: only moderators may send conference commands.";

    [Fact]
    public async Task EveryModeratorCommandIsRefusedToAParticipantAndToAnotherRoomsModerator()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync();
        await DialAsync(alice, "3560");
        await using var bob = await server.LoginAsync("1001", TestServer.BobPassword);
        await DialAsync(bob, "3560");
        await using var bobElsewhere = await server.LoginAsync("1001", TestServer.BobPassword);
        await DialAsync(bobElsewhere, "3561");
        var home = server.Verto.Conferences!.Find("3560")!;
        var other = server.Verto.Conferences!.Find("3561")!;
        var homeBefore = Snapshot(home);
        var otherBefore = Snapshot(other);

        foreach (var (command, value) in Commands.Select(row => ((string)row[0], (string?)row[1])))
        {
            // Bob (participant of 3560) on Alice (member 1), and on himself.
            foreach (var target in new[] { 1, 2 })
            {
                var refused = await Mod(bob, "conference-mod.3560@localhost", command, target, value);
                Assert.True(ModeratorOnly == refused.GetProperty("result").GetProperty("message").GetString(), $"{command}: {refused}");
            }

            // Alice moderates 3560 only: 3561's mod channel is not hers.
            var foreign = await Mod(alice, "conference-mod.3561@localhost", command, 1, value);
            Assert.True("Permission Denied." == foreign.GetProperty("result").GetProperty("message").GetString(), $"{command}: {foreign}");
        }

        Assert.Equal(homeBefore, Snapshot(home));
        Assert.Equal(otherBefore, Snapshot(other));
    }

    [Theory]
    [InlineData("conference-chat.3571@localhost")]
    [InlineData("conference-info.3571@localhost")]
    [InlineData("conference-liveArray.3571@localhost")]
    [InlineData("conference-mod.3571@localhost")]
    public async Task AMemberCannotPublishOnAnotherRoomsChannels(string channel)
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync();
        await DialAsync(alice, "3570");
        await using var bob = await server.LoginAsync("1001", TestServer.BobPassword);
        await DialAsync(bob, "3571");

        var publish = await alice.CallAsync("verto.broadcast", new JsonObject
        {
            ["eventChannel"] = channel,
            ["data"] = new JsonObject { ["action"] = "send", ["message"] = "x", ["command"] = "kick", ["id"] = 1 },
        });
        Assert.Equal("Permission Denied.", publish.GetProperty("result").GetProperty("message").GetString());
        var subscribe = await alice.CallAsync("verto.subscribe", new JsonObject { ["eventChannel"] = channel });
        Assert.Equal(channel, subscribe.GetProperty("error").GetProperty("unauthorizedChannels")[0].GetString());
        Assert.Equal(1, server.Verto.Conferences!.Find("3571")!.Count);
    }

    /// <summary>Everything a moderator command can change, as one comparable string.</summary>
    private static string Snapshot(Conference conference) =>
        $"locked={conference.Locked} count={conference.Count} " + string.Join(" | ", conference.Members().OrderBy(m => m.Id).Select(m =>
            $"{m.Id}: muted={m.Muted} deaf={m.Deaf} vmuted={m.VideoMuted} in={m.VolumeIn} out={m.VolumeOut} energy={m.Mixer?.EnergyThreshold} floor={m.HasFloor} banner={m.Source?.Banner} res={m.Source?.ReservationId}"));
}
