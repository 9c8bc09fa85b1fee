using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using MediaServer.Protocol.JsonRpc;
using MediaServer.Protocol.Verto;
using MediaServer.Protocol.Tests.Support;
using MediaServer.Tests.Shared;

namespace MediaServer.Protocol.Tests.Properties;

/// <summary>
/// Random and damaged WebSocket text frames through everything in Server.Protocol that reads a
/// Verto frame: the JSON-RPC frame parser and classifier, the method and channel name readers
/// and the speed-test frame classifier. Nothing may throw, and what they return stays inside
/// the documented bounds. The server's own typed readers of the params live in Server and are
/// tested in Server.Tests (Security/VertoParamsProperties).
/// </summary>
public class VertoFrameProperties
{
    /// <summary>Frames a Verto client really sends (verto-protocol.md), one of each kind.</summary>
    internal static readonly string[] SeedFrames =
    [
        """{"jsonrpc":"2.0","method":"login","params":{"login":"1000@localhost","passwd":"secret","sessid":"5d1f9e6a-1d6b-4c4a-8f1e-2d8c3b0e9f11","loginParams":{},"userVariables":{}},"id":1}""",
        """{"jsonrpc":"2.0","method":"verto.invite","params":{"sdp":"v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=rtpmap:111 opus/48000/2\r\n","dialogParams":{"callID":"c1","destination_number":"3500","caller_id_name":"Alice","caller_id_number":"1000","useVideo":true,"useStereo":false,"screenShare":false,"recoverCall":"true","pin":"1234","userVariables":{"a":1}},"sessid":"s1"},"id":2}""",
        """{"jsonrpc":"2.0","method":"verto.subscribe","params":{"eventChannel":["conference-liveArray.3500@localhost","conference-mod.3500@localhost"],"sessid":"s1"},"id":3}""",
        """{"jsonrpc":"2.0","method":"verto.broadcast","params":{"eventChannel":"conference-mod.3500@localhost","data":{"command":"kick","id":2,"value":null,"application":"conf-control"},"sessid":"s1"},"id":4}""",
        """{"jsonrpc":"2.0","method":"verto.info","params":{"dialogParams":{"callID":"c1"},"dtmf":"1#","msg":{"from":"1000","to":"1001","body":"hi"}},"id":5}""",
        """[{"jsonrpc":"2.0","method":"verto.ping","params":{},"id":6},{"jsonrpc":"2.0","id":7,"result":{"method":"verto.event"}}]""",
        """{"jsonrpc":"2.0","method":"verto.bye","params":{"dialogParams":{"callID":"c1"},"cause":"NORMAL_CLEARING","causeCode":16},"id":"eight"}""",
        "#SPU 1048576",
        "#SPB................",
        "#SPE",
    ];

    private static readonly byte[][] Seeds = [.. SeedFrames.Select(Encoding.UTF8.GetBytes)];

    /// <summary>Characters that matter to JSON and to channel names, plus some that do not belong.</summary>
    private static readonly Gen<char> JsonChar =
        Gen.Elements("{}[]\":,.@-_ \\/ntrufalse0123456789eE+#SPUBjsonrpcmethodparamsid\u0000\u001f\u00e9\ud800\ufffd".ToCharArray());

    private static readonly Gen<string> Noise = Gen.ArrayOf(JsonChar).Select(chars => new string(chars));

    [Fact]
    public void RandomBytesNeverThrow() =>
        Check.One(PropertyRuns.Config, Prop.ForAll(PacketGen.Bytes(0, 300).ToArbitrary(), (byte[] frame) => Probe(frame)));

    [Fact]
    public void RandomJsonLikeTextNeverThrows()
    {
        var text = Gen.OneOf(
            Noise,
            Noise.Select(s => "{\"jsonrpc\":\"2.0\",\"method\":" + s),
            Noise.Select(s => "{\"jsonrpc\":\"2.0\",\"method\":\"verto.subscribe\",\"params\":{\"eventChannel\":\"" + s + "\"},\"id\":1}"));
        Check.One(PropertyRuns.Config, Prop.ForAll(text.ToArbitrary(), (string s) => Probe(Encoding.UTF8.GetBytes(s))));
    }

    [Fact]
    public void MutatedFramesNeverThrow()
    {
        var mutated = Gen.OneOf(PacketGen.Mutations(Seeds), TextMutations().Select(Encoding.UTF8.GetBytes));
        Check.One(PropertyRuns.Config, Prop.ForAll(mutated.ToArbitrary(), (byte[] frame) => Probe(frame)));
    }

    [Fact]
    public void NestingIsCappedAtMaxDepth()
    {
        var deepest = new string('[', JsonRpcFrame.MaxDepth) + new string(']', JsonRpcFrame.MaxDepth);
        Assert.True(JsonRpcFrame.TryParse(Encoding.UTF8.GetBytes(deepest), out var document));
        document!.Dispose();
        var tooDeep = new string('[', JsonRpcFrame.MaxDepth + 1) + new string(']', JsonRpcFrame.MaxDepth + 1);
        Assert.False(JsonRpcFrame.TryParse(Encoding.UTF8.GetBytes(tooDeep), out _));

        // A frame of a million '[' is refused just the same, without building anything.
        var huge = Encoding.UTF8.GetBytes(new string('[', 1 << 20));
        Assert.False(JsonRpcFrame.TryParse(huge, out _));
    }

    [Theory]
    [InlineData("\\ud800", false)]
    [InlineData("\\udc00", false)]
    [InlineData("\\ud800x", false)]
    [InlineData("\\ud800\\n", false)]
    [InlineData("\\ud800\\ud800", false)]
    [InlineData("\\ud83d\\ude00", true)]
    [InlineData("\\\\ud800", true)]
    [InlineData("\\u00e9\\\"\\\\", true)]
    public void StringsMustBeTextAfterUnescaping(string escaped, bool accepted)
    {
        // Valid JSON either way; a lone surrogate would throw in whichever reader looked at it later.
        var frame = Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"method\":\"login\",\"params\":{\"passwd\":\"" + escaped + "\"},\"id\":1}");
        Assert.Equal(accepted, JsonRpcFrame.TryParse(frame, out var document));
        document?.Dispose();
    }

    /// <summary>
    /// Token-level damage the byte mutations rarely reach: a value replaced by one of another
    /// JSON type, a string made very long, a frame cut at a random character, a key dropped.
    /// </summary>
    private static Gen<string> TextMutations() =>
        from seed in Gen.Elements(SeedFrames)
        from kind in Gen.Choose(0, 3)
        from position in Gen.Choose(0, 4095)
        from replacement in Gen.Elements("null", "true", "0", "-1", "1e400", "\"\"", "[]", "{}", "[[[[]]]]", "\"\\ud800\"", "\"\u0000\"", "18446744073709551616", "{\"callID\":\"\"}")
        select MutateText(seed, kind, position, replacement);

    private static string MutateText(string seed, int kind, int position, string replacement)
    {
        // Positions of the values: right after each ':' outside strings is good enough for damage.
        var colons = Enumerable.Range(0, seed.Length).Where(i => seed[i] == ':').ToArray();
        if (colons.Length == 0 || kind == 2)
        {
            return seed[..(position % (seed.Length + 1))];
        }

        var at = colons[position % colons.Length] + 1;
        var end = JsonText.ValueEnd(seed, at);
        // For a dropped member: from the comma before its key to the end of its value.
        var comma = seed.LastIndexOf(',', Math.Max(at - 1, 0));
        return kind switch
        {
            0 => seed[..at] + replacement + seed[end..],
            1 => seed[..at] + "\"" + new string('x', 70_000) + "\"" + seed[end..],
            _ => seed[..(comma > 0 ? comma : at)] + seed[end..],
        };
    }

    /// <summary>Runs the frame the way the connection does and checks what comes out.</summary>
    internal static void Probe(byte[] frame)
    {
        var kind = SpeedTestFrame.Classify(frame, out var bytes);
        Assert.InRange(bytes, 0, SpeedTestFrame.MaxBytes);
        Assert.True(kind == SpeedTestFrameKind.Ignored || SpeedTestFrame.IsSpeedTest(frame));

        if (!JsonRpcFrame.TryParse(frame, out var document))
        {
            return;
        }

        using (document)
        {
            var root = document!.RootElement;
            if (root.ValueKind == JsonValueKind.Array)
            {
                foreach (var element in root.EnumerateArray())
                {
                    ProbeMessage(element);
                }
            }
            else
            {
                ProbeMessage(root);
            }

            // What parsed is a fixed point: its text parses again to the same text.
            var text = root.GetRawText();
            Assert.True(JsonRpcFrame.TryParse(Encoding.UTF8.GetBytes(text), out var again));
            using (again)
            {
                Assert.Equal(text, again!.RootElement.GetRawText());
            }
        }
    }

    private static void ProbeMessage(JsonElement element)
    {
        var message = JsonRpcMessage.Classify(element);
        Assert.True(Enum.IsDefined(message.Kind));
        if (message.Kind != JsonRpcMessageKind.Request)
        {
            Assert.Null(message.Method);
            return;
        }

        Assert.False(string.IsNullOrEmpty(message.Method));
        var family = VertoMethod.Family(message.Method);
        Assert.True(family.Length <= message.Method!.Length);
        if (!message.HasObjectParams)
        {
            return;
        }

        foreach (var property in message.Params.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.String)
            {
                ProbeChannel(Text(property.Value));
            }
            else if (property.Value.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in property.Value.EnumerateArray())
                {
                    ProbeChannel(item.ValueKind == JsonValueKind.String ? Text(item) : item.GetRawText());
                }
            }
        }
    }

    /// <summary>A string value, or its raw text when its escapes are not valid UTF-16 (a lone surrogate).</summary>
    private static string Text(JsonElement value)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            return value.GetRawText();
        }
    }

    private static void ProbeChannel(string channel)
    {
        var valid = EventChannel.IsValidName(channel);
        Assert.True(!valid || channel.Length <= EventChannel.MaxNameLength);
        var family = EventChannel.Family(channel);
        Assert.True(family.Length <= channel.Length);
        EventChannel.HasFamily(channel);
        EventChannel.IsServerFamily(family);
        Assert.True(EventChannel.Domain(channel).Length <= channel.Length);
    }
}
