using System.Threading.Channels;
using MediaServer.Observability;
using MediaServer.Storage;
using Microsoft.Extensions.Logging;

namespace MediaServer.Records;

/// <summary>
/// Takes call detail records from the call and conference registries (which hold their locks
/// when a call ends) and stores them on one worker task, so ending a call never waits on the
/// disk. The queue is bounded: when the database cannot keep up, later records are dropped
/// with a warning rather than letting memory grow. Owned by the host; disposing it stores
/// what is queued (bounded by a timeout) before the database closes.
/// </summary>
internal sealed class CdrWriter : IDisposable
{
    /// <summary>Records that may wait for the database; at signalling speed this is minutes of hangups.</summary>
    public const int QueueCapacity = 10_000;

    private readonly Channel<CallDetailRecord> _queue = Channel.CreateBounded<CallDetailRecord>(new BoundedChannelOptions(QueueCapacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly CdrStore _store;
    private readonly ILogger _log;
    private readonly Task _worker;
    private long _stored;
    private long _dropped;

    public CdrWriter(CdrStore store, ILogger log)
    {
        _store = store;
        _log = log;
        _worker = Task.Run(RunAsync);
    }

    public CdrStore Store => _store;

    public long Stored => Interlocked.Read(ref _stored);

    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Queues a record; never blocks. False when the queue is full or the writer is closed (the record is lost and logged).</summary>
    public bool Enqueue(CallDetailRecord record)
    {
        if (_queue.Writer.TryWrite(record))
        {
            return true;
        }

        Interlocked.Increment(ref _dropped);
        CdrLog.QueueFull(_log, record.CallId, _queue.Reader.Count);
        return false;
    }

    /// <summary>Stores what is queued (waiting at most five seconds), then stops.</summary>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _worker.Wait(TimeSpan.FromSeconds(5));
    }

    private async Task RunAsync()
    {
        await foreach (var record in _queue.Reader.ReadAllAsync())
        {
            try
            {
                _store.Insert(record);
                Interlocked.Increment(ref _stored);
            }
            catch (Exception error) when (error is Microsoft.Data.Sqlite.SqliteException or InvalidOperationException or ObjectDisposedException)
            {
                CdrLog.StoreFailed(_log, record.CallId, error.Message);
            }
        }
    }
}
