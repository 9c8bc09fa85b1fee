using MediaServer.Media;
using MediaServer.Media.Dtls;

namespace MediaServer.Tests.Media.Dtls;

/// <summary>
/// An in-memory datagram path: what one transport sends is handed straight to the other's
/// Receive, on the sender's thread, the way the UDP receive thread would. Can drop datagrams
/// to simulate loss.
/// </summary>
internal sealed class LoopbackDatagramSink : IDatagramSink
{
    private readonly Func<int, byte[], bool>? _drop;
    private int _sent;

    public LoopbackDatagramSink(Func<int, byte[], bool>? drop = null)
    {
        _drop = drop;
    }

    public DtlsTransport? Peer { get; set; }

    public int Sent => Volatile.Read(ref _sent);

    public int Dropped { get; private set; }

    public List<byte[]> Log { get; } = [];

    public void Send(ReadOnlySpan<byte> datagram)
    {
        var index = Interlocked.Increment(ref _sent) - 1;
        var copy = datagram.ToArray();
        lock (Log)
        {
            Log.Add(copy);
        }

        if (_drop?.Invoke(index, copy) == true)
        {
            Dropped++;
            return;
        }

        Peer?.Receive(datagram);
    }
}
