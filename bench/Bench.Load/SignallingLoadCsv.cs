using System.Globalization;
using System.Text;

namespace MediaServer.Bench.Load;

/// <summary>
/// The signalling run as CSV (<c>--report DIR</c> writes it as results.csv): a header and one
/// row, so runs at several rates append into one sheet. Same rules as <see cref="AudioLoadCsv"/>.
/// </summary>
internal static class SignallingLoadCsv
{
    private static readonly IFormatProvider Inv = CultureInfo.InvariantCulture;

    private static readonly string[] Columns =
    [
        "connections", "ready", "rooms", "room_size_min", "room_size_max", "rate_per_connection", "seconds",
        "broadcasts_per_s", "delivered_per_s", "delivered", "expected", "sequence_gaps", "rejected",
        "latency_p50_ms", "latency_p90_ms", "latency_p99_ms", "latency_p99_9_ms", "latency_max_ms",
        "server_cpu_percent", "cores", "client_cpu_percent", "errors", "dropped", "goal_met",
    ];

    public static string ToCsv(LoadResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var csv = new StringBuilder();
        AudioLoadCsv.AppendRow(csv, Columns);
        AudioLoadCsv.AppendRow(csv,
        [
            r.Connections.ToString(Inv), r.Ready.ToString(Inv), r.Rooms.ToString(Inv),
            r.RoomSizeMin.ToString(Inv), r.RoomSizeMax.ToString(Inv), AudioLoadCsv.Number(r.Rate), AudioLoadCsv.Number(r.DurationSeconds),
            AudioLoadCsv.Number(r.BroadcastsPerSecond), AudioLoadCsv.Number(r.EventsPerSecond),
            r.EventsInWindow.ToString(Inv), r.EventsExpected.ToString(Inv), r.SequenceGaps.ToString(Inv), r.BroadcastsRejectedInWindow.ToString(Inv),
            AudioLoadCsv.Number(r.LatencyP50Milliseconds), AudioLoadCsv.Number(r.LatencyP90Milliseconds), AudioLoadCsv.Number(r.LatencyP99Milliseconds),
            AudioLoadCsv.Number(r.LatencyP999Milliseconds), AudioLoadCsv.Number(r.LatencyMaxMilliseconds),
            AudioLoadCsv.Number(r.ServerCpuPercent), r.Cores.ToString(Inv), AudioLoadCsv.Number(r.Client.CpuPercent),
            r.ErrorTotal.ToString(Inv), r.Dropped.ToString(Inv), r.GoalMet ? "true" : "false",
        ]);
        return csv.ToString();
    }
}
