using System.Text;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using MediaServer.Configuration;
using MediaServer.Protocol.JsonRpc;
using MediaServer.Protocol.Verto;
using MediaServer.Signalling;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaServer.Bench.Micro;

/// <summary>
/// The signalling hot path: one verto.broadcast frame parsed, checked, dispatched, answered
/// and fanned out to the channel's subscribers, each copy serialized; and its parts alone.
/// </summary>
[MemoryDiagnoser]
public class JsonRpcBenchmarks
{
    private static readonly byte[] Broadcast = Encoding.UTF8.GetBytes(
        """{"jsonrpc":"2.0","method":"verto.broadcast","params":{"eventChannel":"chat.lobby@localhost","localBroadcast":true,"data":{"action":"send","message":"hello all","type":"message"},"sessid":"3f1e0b6a-8d1c-4c55-9a55-0b4c3f2a9e01"},"id":40}""");

    private static readonly byte[] EventObject = Encoding.UTF8.GetBytes(
        """{"eventChannel":"chat.lobby@localhost","localBroadcast":true,"data":{"action":"send","message":"hello all","type":"message"},"userid":"1000@localhost","sessid":"3f1e0b6a","fromDisplay":"Alice"}""");

    private static readonly byte[] ChannelJson = LiveArrayPacket.JsonString("chat.lobby@localhost");

    private VertoServer _server = null!;
    private VertoConnection _sender = null!;

    /// <summary>Subscribers of the channel the broadcast goes to (the sender is one of them).</summary>
    [Params(1, 10, 100)]
    public int Subscribers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var settings = new ServerSettings
        {
            ConfDirectory = ".",
            DataDirectory = ".",
            Directory = new UserDirectory("localhost", [new DirectoryUser { Id = "1000", Domain = "localhost", Name = "Alice", Password = "pw" }]),
            Limits = new SignallingLimits { MessagesPerSecond = int.MaxValue / 2, MessageBurst = int.MaxValue / 2 },
        };
        _server = new VertoServer(settings, null, NullLogger.Instance);
        for (var i = 0; i < Subscribers; i++)
        {
            var connection = _server.Open(new SinkTransport());
            var sessid = i == 0 ? "3f1e0b6a-8d1c-4c55-9a55-0b4c3f2a9e01" : Guid.NewGuid().ToString();
            connection.OnTextFrame(Encoding.UTF8.GetBytes($$"""{"jsonrpc":"2.0","method":"login","params":{"login":"1000@localhost","passwd":"pw","sessid":"{{sessid}}"},"id":1}"""));
            connection.OnTextFrame(Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","method":"verto.subscribe","params":{"eventChannel":"chat.lobby@localhost"},"id":2}"""));
            if (i == 0)
            {
                _sender = connection;
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _server.Dispose();

    /// <summary>The whole path of one broadcast frame: parse, dispatch, answer, fan-out.</summary>
    [Benchmark]
    public void BroadcastFrame() => _sender.OnTextFrame(Broadcast);

    /// <summary>Framing alone: parse the frame and classify it.</summary>
    [Benchmark]
    public JsonRpcMessageKind ParseAndClassify()
    {
        JsonRpcFrame.TryParse(Broadcast, out var document);
        using (document)
        {
            return JsonRpcMessage.Classify(document!.RootElement).Kind;
        }
    }

    /// <summary>One subscriber's copy of an event: envelope with id, eventSerno and subscribedChannel.</summary>
    [Benchmark]
    public int EventEnvelope() => VertoEventEnvelope.Subscribed(4711, EventObject, 12, ChannelJson).Length;

    /// <summary>A result with the connection's sessid.</summary>
    [Benchmark]
    public int PongResult()
    {
        JsonRpcFrame.TryParse("""{"id":7}"""u8.ToArray(), out var document);
        using (document)
        {
            return JsonRpcWriter.Result(document!.RootElement.GetProperty("id"), new JsonObject { ["message"] = "PONG" }, "3f1e0b6a").Length;
        }
    }
}
