using System.Text.Json;
using System.Text.Json.Nodes;
using MediaServer.Tests.Infrastructure;
using static MediaServer.Tests.Conferences.ConferenceControlTests;
using static MediaServer.Tests.Conferences.ConferenceMediaTests;

namespace MediaServer.Tests.Conferences;

/// <summary>
/// The video moderator commands over wss (verto-protocol.md §9.3-9.4): list-videoLayouts and
/// canvasInfo data answers, vid-layout with FreeSWITCH's texts, layout-info on the info
/// channel, vid-floor, vid-res-id, vid-layer and vid-banner on a member and what its row
/// then says. Members join by signalling with a VP8 offer; the canvas exists without media.
/// </summary>
public sealed class ConferenceVideoCommandTests
{
    [Fact]
    public async Task LayoutsAreListedAndSwitchedWithFreeSwitchsAnswersAndLayoutInfoFollows()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync();
        var (_, pvt) = await DialAsync(alice, "3560");
        var mod = pvt.GetProperty("modChannel").GetString()!;
        var info = pvt.GetProperty("infoChannel").GetString()!;
        await alice.CallAsync("verto.subscribe", new JsonObject { ["eventChannel"] = new JsonArray(mod, info) });

        await Mod(alice, mod, "list-videoLayouts", null);
        var listed = await alice.ReceiveUntilAsync(m => EventData(m, mod) is { } d && d.TryGetProperty("responseData", out _));
        var data = EventData(listed, mod)!.Value;
        Assert.Equal("list-videoLayouts", data.GetProperty("conf-command").GetString());
        Assert.Equal("OK", data.GetProperty("response").GetString());
        var entries = data.GetProperty("responseData").EnumerateArray().ToList();
        var threeUp = entries.Single(e => e.GetProperty("name").GetString() == "3up+4");
        Assert.Equal("layout", threeUp.GetProperty("type").GetString());
        Assert.Equal(["secondary", "third"], threeUp.GetProperty("resIDS").EnumerateArray().Select(r => r.GetString()));
        var grid = entries.Single(e => e.GetProperty("name").GetString() == "group:grid");
        Assert.Equal("layoutGroup", grid.GetProperty("type").GetString());
        Assert.Contains("3x3", grid.GetProperty("groupLayouts").EnumerateArray().Select(l => l.GetString()));
        var layoutInfo = await alice.ReceiveUntilAsync(m => m.TryGetProperty("params", out var p) && p.TryGetProperty("eventData", out _));
        var canvasInfo = layoutInfo.GetProperty("params").GetProperty("eventData").GetProperty("canvasInfo");
        Assert.Equal("layout-info", layoutInfo.GetProperty("params").GetProperty("eventData").GetProperty("contentType").GetString());
        Assert.Equal(360, canvasInfo.GetProperty("scale").GetInt32());
        Assert.Equal("1x1", canvasInfo.GetProperty("layoutName").GetString());
        var only = Assert.Single(canvasInfo.GetProperty("canvasLayouts").EnumerateArray());
        Assert.Equal(1280, only.GetProperty("screenWidth").GetInt32());
        Assert.Equal(720, only.GetProperty("screenHeight").GetInt32());

        Assert.Equal("+OK Change canvas 1 to layout [3x3]\n", await ModResponse(alice, mod, "vid-layout", null, "3x3"));
        Assert.Equal("-ERR Invalid layout [nope]\n", await ModResponse(alice, mod, "vid-layout", null, "nope"));
        Assert.Equal("+OK Change to layout group [grid]\n", await ModResponse(alice, mod, "vid-layout", null, "group:grid"));
        Assert.Equal("-ERR Only 1 Canvas\n", await ModResponse(alice, mod, "vid-canvas", 1, "2"));

        // canvasInfo describes the canvas as last drawn: wait for the tick after the switch.
        await WaitFor.ConditionAsync(() => server.Verto.Conferences!.Find("3560")!.Canvas!.LayersUsed == 1, what: "the canvas drew its member");
        await Mod(alice, mod, "canvasInfo", null);
        var canvas = await alice.ReceiveUntilAsync(m => EventData(m, mod) is { } d && d.TryGetProperty("conf-command", out var c) && c.GetString() == "canvasInfo");
        var first = EventData(canvas, mod)!.Value.GetProperty("responseData")[0];
        Assert.Equal(0, first.GetProperty("canvasID").GetInt32());
        Assert.Equal("1x1", first.GetProperty("layoutName").GetString());
        Assert.Null(server.Verto.Conferences!.LastVideoTickError);
        Assert.Equal(1, first.GetProperty("layersUsed").GetInt32());
    }

    [Fact]
    public async Task MemberVideoCommandsShowInTheRows()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync();
        var (_, pvt) = await DialAsync(alice, "3561");
        await using var bob = await server.LoginAsync("1001", TestServer.BobPassword);
        await DialAsync(bob, "3561");
        var mod = pvt.GetProperty("modChannel").GetString()!;
        var la = pvt.GetProperty("laChannel").GetString()!;
        await alice.CallAsync("verto.subscribe", new JsonObject { ["eventChannel"] = mod });
        await BootstrapAsync(alice, la, "3561");

        Assert.Equal("+OK floor 1\n", await ModResponse(alice, mod, "vid-floor", 1, "force"));
        // The row's modify is published before the command's answer, so waiting for the answer may
        // already have read past it: the row is checked as the server now writes it.
        var row = JsonDocument.Parse(MediaServer.Conferences.MemberRow.Status(server.Verto.Conferences!.Find("3561")!.Find(1)!)).RootElement;
        Assert.True(row.GetProperty("video").GetProperty("floor").GetBoolean());
        Assert.True(row.GetProperty("video").GetProperty("floorLocked").GetBoolean());

        Assert.Equal("+OK reservation_id presenter\n", await ModResponse(alice, mod, "vid-res-id", 2, "presenter"));
        Assert.Equal("+OK reservation_id cleared\n", await ModResponse(alice, mod, "vid-res-id", 2, "presenter"));
        // The canvas takes the group's two-member layout on its own tick after Bob joined: wait for it.
        await WaitFor.ConditionAsync(() => server.Verto.Conferences!.Find("3561")!.Canvas!.Layout.Images.Count >= 2, TimeSpan.FromSeconds(5), "a layout with two layers");
        Assert.Equal("+OK layer 2\n", await ModResponse(alice, mod, "vid-layer", 1, "2"));
        Assert.Equal("+OK\n", await ModResponse(alice, mod, "vid-banner", 2, "Bob%20the%20Builder%20%u263A"));
        Assert.Equal("Bob the Builder \u263A", server.Verto.Conferences!.Find("3561")!.Find(2)!.Source!.Banner);
        Assert.Equal("+OK\n", await ModResponse(alice, mod, "vid-banner", 2, "reset"));
        Assert.Null(server.Verto.Conferences.Find("3561")!.Find(2)!.Source!.Banner);
        Assert.Equal("+OK vmute 2\n", await ModResponse(alice, mod, "tvmute", 2));
        Assert.Equal("+OK floor none\n", await ModResponse(alice, mod, "vid-floor", 1, "force"));
    }

    [Fact]
    public async Task AScreenShareLegTakesThePresenterSlotAndIsMarkedInPvtDataAndItsRow()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await server.LoginAsync();
        var (_, pvt) = await DialAsync(alice, "3562");
        var mod = pvt.GetProperty("modChannel").GetString()!;
        var (screenCall, screenPvt) = await DialAsync(alice, "3562-screen");
        Assert.True(screenPvt.GetProperty("screenShare").GetBoolean());
        Assert.Equal("3562", screenPvt.GetProperty("laName").GetString());

        var room = server.Verto.Conferences!.Find("3562")!;
        var screen = room.Find(2)!;
        Assert.Null(screen.Mixer);
        Assert.Equal("presenter", screen.Source!.ReservationId);
        var rows = await BootstrapAsync(alice, pvt.GetProperty("laChannel").GetString()!, "3562");
        var screenRow = rows.EnumerateArray().Single(pair => pair[0].GetString() == screenCall)[1];
        Assert.True(Status(screenRow).GetProperty("video").GetProperty("screenShare").GetBoolean());

        await alice.CallAsync("verto.subscribe", new JsonObject { ["eventChannel"] = mod });
        Assert.Equal("+OK Change canvas 1 to layout [presenter-dual-horizontal]\n", await ModResponse(alice, mod, "vid-layout", null, "presenter-dual-horizontal"));
        await WaitFor.ConditionAsync(() => screen.Source.Layer == 1, what: "the screen in the presenter slot");
    }
}
