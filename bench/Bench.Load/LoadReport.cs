using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MediaServer.Bench.Load;

/// <summary>Renders a <see cref="LoadResult"/> as the plain-text summary and as JSON.</summary>
internal static class LoadReport
{
    public static string ToText(LoadResult r)
    {
        var text = new StringBuilder();
        IFormatProvider inv = CultureInfo.InvariantCulture;
        string roomSize = r.RoomSizeMin == r.RoomSizeMax
            ? r.RoomSizeMin.ToString(inv)
            : r.RoomSizeMin.ToString(inv) + "-" + r.RoomSizeMax.ToString(inv);
        double deliveredPercent = r.EventsExpected == 0 ? 0 : 100.0 * r.EventsInWindow / r.EventsExpected;

        text.AppendLine(inv, $"url                {r.Url}");
        text.AppendLine(inv, $"connections        {r.Connections} (ready {r.Ready})");
        text.AppendLine(inv, $"rooms              {r.Rooms} (room size {roomSize})");
        text.AppendLine(inv, $"rate               {r.Rate:0.##}/s per connection, warmup {r.WarmupSeconds:0.##} s, measured {r.DurationSeconds:0.##} s");
        text.AppendLine(inv, $"setup              {r.SetupSeconds:0.00} s for all; login p50 {r.LoginP50Milliseconds:0.0} ms, p99 {r.LoginP99Milliseconds:0.0} ms, max {r.LoginMaxMilliseconds:0.0} ms");
        text.AppendLine(inv, $"broadcasts sent    {r.BroadcastsPerSecond:0.0}/s ({r.BroadcastsInWindow} in window, {r.BroadcastsRejectedInWindow} rejected, {r.BroadcastsSkipped} slots skipped, {r.BroadcastResponsesTotal}/{r.BroadcastsSentTotal} answered)");
        text.AppendLine(inv, $"events delivered   {r.EventsPerSecond:0.0}/s ({r.EventsInWindow} of {r.EventsExpected} expected, {deliveredPercent:0.00} %, {r.SequenceGaps} sequence gaps)");
        text.AppendLine(inv, $"latency ms         p50 {r.LatencyP50Milliseconds:0.000}  p90 {r.LatencyP90Milliseconds:0.000}  p99 {r.LatencyP99Milliseconds:0.000}  max {r.LatencyMaxMilliseconds:0.000}  mean {r.LatencyMeanMilliseconds:0.000} ({r.LatencySamples} samples)");
        text.AppendLine(inv, $"goal               {(r.GoalMet ? "met" : "not met")}: {r.EventsPerSecond:#,0} msgs/s with p99 {r.LatencyP99Milliseconds:0.0} ms (goal >= {LoadResult.GoalMessagesPerSecond:#,0} msgs/s, p99 <= {LoadResult.GoalP99Milliseconds:0} ms, nothing lost)");
        if (r.ServerCpuPercent is { } serverCpu)
        {
            text.AppendLine(inv, $"server cpu         {serverCpu:0.0} % of the machine ({serverCpu / 100 * r.Cores:0.00} of {r.Cores} cores)");
        }
        ClientCost c = r.Client;
        text.AppendLine(inv, $"client cost        cpu {c.CpuPercent:0.0} % of one core, alloc {c.AllocatedMegabytesPerSecond:0.0} MB/s, gc {c.Gen0}/{c.Gen1}/{c.Gen2} (gen0/1/2), gc pause {c.GcPauseMilliseconds:0.0} ms");
        text.AppendLine(inv, $"server requests    {r.ServerRequestsIgnored} ignored (clientReady, ping)");
        text.AppendLine(inv, $"dropped            {r.Dropped}; closed cleanly {r.ClosedCleanly}/{r.Ready}; without events {r.ConnectionsWithoutEvents}");
        AppendErrors(text, r.Errors, r.HitTimeLimit);
        return text.ToString();
    }

    public static string ToJson(LoadResult r, bool check)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("scenario", "signalling");
            json.WriteString("url", r.Url);
            json.WriteNumber("connections", r.Connections);
            json.WriteNumber("ready", r.Ready);
            json.WriteNumber("rooms", r.Rooms);
            json.WriteNumber("roomSizeMin", r.RoomSizeMin);
            json.WriteNumber("roomSizeMax", r.RoomSizeMax);
            json.WriteNumber("ratePerConnection", r.Rate);
            json.WriteNumber("warmupSeconds", r.WarmupSeconds);
            json.WriteNumber("durationSeconds", r.DurationSeconds);
            json.WriteNumber("setupSeconds", Round(r.SetupSeconds));
            json.WriteStartObject("loginMilliseconds");
            json.WriteNumber("p50", Round(r.LoginP50Milliseconds));
            json.WriteNumber("p99", Round(r.LoginP99Milliseconds));
            json.WriteNumber("max", Round(r.LoginMaxMilliseconds));
            json.WriteEndObject();
            json.WriteNumber("broadcastsInWindow", r.BroadcastsInWindow);
            json.WriteNumber("broadcastsPerSecond", Round(r.BroadcastsPerSecond));
            json.WriteNumber("broadcastsSkipped", r.BroadcastsSkipped);
            json.WriteNumber("broadcastsRejectedInWindow", r.BroadcastsRejectedInWindow);
            json.WriteNumber("broadcastsSentTotal", r.BroadcastsSentTotal);
            json.WriteNumber("broadcastResponsesTotal", r.BroadcastResponsesTotal);
            json.WriteNumber("eventsInWindow", r.EventsInWindow);
            json.WriteNumber("eventsExpected", r.EventsExpected);
            json.WriteNumber("eventsPerSecond", Round(r.EventsPerSecond));
            json.WriteNumber("eventsReceivedTotal", r.EventsReceivedTotal);
            json.WriteNumber("sequenceGaps", r.SequenceGaps);
            json.WriteStartObject("latencyMilliseconds");
            json.WriteNumber("samples", r.LatencySamples);
            json.WriteNumber("p50", Round(r.LatencyP50Milliseconds));
            json.WriteNumber("p90", Round(r.LatencyP90Milliseconds));
            json.WriteNumber("p99", Round(r.LatencyP99Milliseconds));
            json.WriteNumber("p99_9", Round(r.LatencyP999Milliseconds));
            json.WriteNumber("max", Round(r.LatencyMaxMilliseconds));
            json.WriteNumber("mean", Round(r.LatencyMeanMilliseconds));
            json.WriteEndObject();
            json.WriteStartObject("goal");
            json.WriteNumber("messagesPerSecond", LoadResult.GoalMessagesPerSecond);
            json.WriteNumber("p99Milliseconds", LoadResult.GoalP99Milliseconds);
            json.WriteBoolean("met", r.GoalMet);
            json.WriteEndObject();
            json.WriteNumber("cores", r.Cores);
            if (r.ServerCpuPercent is { } cpu)
            {
                json.WriteNumber("serverCpuPercent", Round(cpu));
            }
            else
            {
                json.WriteNull("serverCpuPercent");
            }
            json.WriteStartObject("client");
            json.WriteNumber("cpuPercent", Round(r.Client.CpuPercent));
            json.WriteNumber("allocatedMegabytesPerSecond", Round(r.Client.AllocatedMegabytesPerSecond));
            json.WriteNumber("gen0Collections", r.Client.Gen0);
            json.WriteNumber("gen1Collections", r.Client.Gen1);
            json.WriteNumber("gen2Collections", r.Client.Gen2);
            json.WriteNumber("gcPauseMilliseconds", Round(r.Client.GcPauseMilliseconds));
            json.WriteEndObject();
            json.WriteNumber("serverRequestsIgnored", r.ServerRequestsIgnored);
            json.WriteNumber("dropped", r.Dropped);
            json.WriteNumber("closedCleanly", r.ClosedCleanly);
            json.WriteNumber("connectionsWithoutEvents", r.ConnectionsWithoutEvents);
            json.WriteNumber("errorTotal", r.ErrorTotal);
            LoadReport.WriteErrors(json, r.Errors, r.HitTimeLimit);
            IReadOnlyList<string> failures = r.CheckFailures();
            json.WriteBoolean("checkRequested", check);
            json.WriteBoolean("checkPassed", failures.Count == 0);
            json.WriteStartArray("checkFailures");
            foreach (string failure in failures)
            {
                json.WriteStringValue(failure);
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static double Round(double value) => Math.Round(value, 3);

    /// <summary>The closing lines both scenarios print: errors by kind with a sample each, and whether the time limit cut the run.</summary>
    internal static void AppendErrors(StringBuilder text, IReadOnlyList<ErrorCount> errors, bool hitTimeLimit)
    {
        var inv = CultureInfo.InvariantCulture;
        if (errors.Count == 0)
        {
            text.AppendLine("errors             none");
        }
        else
        {
            text.AppendLine(inv, $"errors             {errors.Sum(e => e.Count)}");
            foreach (ErrorCount error in errors)
            {
                text.AppendLine(inv, $"  {error.Count,8}  {error.Kind}");
                if (error.Sample is not null)
                {
                    text.AppendLine(inv, $"            e.g. {error.Sample}");
                }
            }
        }

        if (hitTimeLimit)
        {
            text.AppendLine("time limit         HIT: the run was cut short");
        }
    }

    /// <summary>The errors (kind, count, a sample) and the time-limit flag, as both scenarios' JSON has them.</summary>
    internal static void WriteErrors(Utf8JsonWriter json, IReadOnlyList<ErrorCount> errors, bool hitTimeLimit)
    {
        json.WriteStartArray("errors");
        foreach (ErrorCount error in errors)
        {
            json.WriteStartObject();
            json.WriteString("kind", error.Kind);
            json.WriteNumber("count", error.Count);
            if (error.Sample is not null)
            {
                json.WriteString("sample", error.Sample);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteBoolean("hitTimeLimit", hitTimeLimit);
    }
}
