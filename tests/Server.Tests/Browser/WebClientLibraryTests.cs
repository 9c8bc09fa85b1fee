using System.Text.Json;
using MediaServer.Tests.Infrastructure;
using Microsoft.Playwright;

namespace MediaServer.Tests.Browser;

/// <summary>
/// The communicator's Verto modules on their own, imported into a page of the server:
/// the live array replica's wireSerno rules (verto-protocol.md §8.2) and the member row
/// reader (§8.5), fed with the packets a server sends.
/// </summary>
[Collection(nameof(BrowserCollection))]
public sealed class WebClientLibraryTests
{
    [Fact]
    public async Task TheLiveArrayReplicaFollowsSernosAndStartsOverAfterAGap()
    {
        await using var server = await TestServer.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await WebClientPage.OpenAsync(browser, server);

        var result = await page.Page.EvaluateAsync<JsonElement>("""
            async () => {
              const { LiveArray } = await import('/src/verto/LiveArray.js');
              let boots = 0;
              const a = new LiveArray('conference-liveArray.3500@localhost', '3500', { bootstrap: () => boots++, onChange: () => {} });
              const keys = () => a.entries().map(([k]) => k).join(',');
              const out = {};
              out.boot = a.apply({ action: 'bootObj', name: '3500', wireSerno: -1, data: [['a', ['0001']], ['b', ['0002']]] });
              out.afterBoot = keys();
              out.add = a.apply({ action: 'add', name: '3500', wireSerno: 7, hashKey: 'c', arrIndex: 1, data: ['0003'] });
              out.afterAdd = keys();
              out.otherName = a.apply({ action: 'add', name: '3501', wireSerno: 8, hashKey: 'x', data: [] });
              out.modify = a.apply({ action: 'modify', name: '3500', wireSerno: 8, hashKey: 'a', data: ['0001', 'new'] });
              out.modified = a.rows.get('a')[1];
              out.modifyWithoutKey = a.apply({ action: 'modify', name: '3500', wireSerno: 9, data: [] });
              out.del = a.apply({ action: 'del', name: '3500', wireSerno: 9, hashKey: 'b', data: [] });
              out.afterDel = keys();
              out.gap = a.apply({ action: 'add', name: '3500', wireSerno: 11, hashKey: 'd', data: [] });
              out.afterGap = keys();
              out.boots = boots;
              out.reboot = a.apply({ action: 'bootObj', name: '3500', wireSerno: -1, data: [['a', ['0001']], ['c', ['0003']], ['d', ['0004']]] });
              out.next = a.apply({ action: 'modify', name: '3500', wireSerno: 12, hashKey: 'd', data: ['0004', 'x'] });
              out.final = keys();
              out.clear = a.apply({ action: 'clear', name: '3500', wireSerno: -1, data: {} });
              out.afterClear = a.size;
              out.anySernoAfterClear = a.apply({ action: 'add', name: '3500', wireSerno: 40, hashKey: 'e', data: [] });
              return out;
            }
            """);

        Assert.True(result.GetProperty("boot").GetBoolean());
        Assert.Equal("a,b", result.GetProperty("afterBoot").GetString());
        Assert.True(result.GetProperty("add").GetBoolean());
        Assert.Equal("a,c,b", result.GetProperty("afterAdd").GetString());
        Assert.False(result.GetProperty("otherName").GetBoolean());
        Assert.True(result.GetProperty("modify").GetBoolean());
        Assert.Equal("new", result.GetProperty("modified").GetString());
        Assert.False(result.GetProperty("modifyWithoutKey").GetBoolean());
        Assert.True(result.GetProperty("del").GetBoolean());
        Assert.Equal("a,c", result.GetProperty("afterDel").GetString());
        // 11 after 9: rows were missed. The replica empties itself and asks for the whole array once.
        Assert.False(result.GetProperty("gap").GetBoolean());
        Assert.Equal(string.Empty, result.GetProperty("afterGap").GetString());
        Assert.Equal(1, result.GetProperty("boots").GetInt32());
        Assert.True(result.GetProperty("reboot").GetBoolean());
        Assert.True(result.GetProperty("next").GetBoolean());
        Assert.Equal("a,c,d", result.GetProperty("final").GetString());
        Assert.True(result.GetProperty("clear").GetBoolean());
        Assert.Equal(0, result.GetProperty("afterClear").GetInt32());
        Assert.True(result.GetProperty("anySernoAfterClear").GetBoolean());
        page.AssertNoErrors("the page");
    }

    [Fact]
    public async Task MemberRowsAreReadFromTheSevenElementShapeAndBadRowsDoNotBreakTheList()
    {
        await using var server = await TestServer.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await WebClientPage.OpenAsync(browser, server);

        var result = await page.Page.EvaluateAsync<JsonElement>("""
            async () => {
              const { MemberRow } = await import('/src/verto/MemberRow.js');
              const status = JSON.stringify({ audio: { muted: true, deaf: false, onHold: false, talking: true, floor: true, energyScore: 642 },
                video: { visible: true, muted: false, floor: true, floorLocked: true, reservationID: 'presenter', videoLayerID: 2, screenShare: true },
                moderator: true, oldStatus: 'TALKING (FLOOR) VIDEO (FLOOR)' });
              const good = new MemberRow('call-1', ['0007', '1008', 'Alice', 'opus@48000', status, { email: 'a@example.com' }, null]);
              const noVideo = new MemberRow('call-2', ['0008', '1009', '', 'PCMU@8000', JSON.stringify({ audio: {}, video: false }), {}, null]);
              const broken = new MemberRow('call-3', ['x', 5, null, null, '{not json', null]);
              return { good, noVideo, broken };
            }
            """);

        var good = result.GetProperty("good");
        Assert.Equal(7, good.GetProperty("memberId").GetInt32());
        Assert.Equal("Alice", good.GetProperty("name").GetString());
        Assert.True(good.GetProperty("moderator").GetBoolean());
        Assert.True(good.GetProperty("audio").GetProperty("muted").GetBoolean());
        Assert.True(good.GetProperty("audio").GetProperty("talking").GetBoolean());
        Assert.Equal(642, good.GetProperty("audio").GetProperty("energyScore").GetInt32());
        Assert.True(good.GetProperty("video").GetProperty("floorLocked").GetBoolean());
        Assert.True(good.GetProperty("video").GetProperty("screenShare").GetBoolean());
        Assert.Equal("presenter", good.GetProperty("video").GetProperty("reservationId").GetString());
        Assert.Equal(2, good.GetProperty("video").GetProperty("layerId").GetInt32());
        Assert.Equal("a@example.com", good.GetProperty("userVariables").GetProperty("email").GetString());

        var noVideo = result.GetProperty("noVideo");
        Assert.Equal("1009", noVideo.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, noVideo.GetProperty("video").ValueKind);
        Assert.False(noVideo.GetProperty("moderator").GetBoolean());

        var broken = result.GetProperty("broken");
        Assert.Equal("Unknown", broken.GetProperty("name").GetString());
        Assert.False(broken.GetProperty("audio").GetProperty("muted").GetBoolean());
        page.AssertNoErrors("the page");
    }
}
