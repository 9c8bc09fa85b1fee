using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using MediaServer.Bench.Load;

namespace MediaServer.Tests.Load;

/// <summary>
/// The audio load report's arithmetic and renderers (bench/Bench.Load --report): percentiles,
/// members per core, the ramp's stop rule, the goals, CSV quoting and the offline HTML page.
/// No server: the windows and results are built by hand.
/// </summary>
public sealed class LoadReportTests
{
    private static readonly ReportStatistics.Limits DefaultLimits = new(MaxCpuPercent: 70, MaxLatenessMilliseconds: 5, MaxLossPercent: 1);

    [Fact]
    public void PercentileOfNoSamplesIsNull()
    {
        Assert.Null(ReportStatistics.Percentile([], 50));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(50)]
    [InlineData(99)]
    [InlineData(100)]
    public void PercentileOfOneSampleIsThatSample(double percent)
    {
        Assert.Equal(7.5, ReportStatistics.Percentile([7.5], percent));
    }

    [Theory]
    // 1, 2, 3, 4, 5: rank = p/100 × 4, interpolated between neighbours (R-7, NumPy's default).
    [InlineData(0, 1)]
    [InlineData(25, 2)]
    [InlineData(50, 3)]
    [InlineData(10, 1.4)]
    [InlineData(90, 4.6)]
    [InlineData(99, 4.96)]
    [InlineData(100, 5)]
    public void PercentileInterpolatesBetweenRanks(double percent, double expected)
    {
        Assert.Equal(expected, ReportStatistics.Percentile([1, 2, 3, 4, 5], percent)!.Value, 9);
    }

    [Fact]
    public void PercentileOfTwoSamplesIsLinearBetweenThem()
    {
        // numpy.percentile([10, 20], [50, 75]) = [15, 17.5]
        Assert.Equal(15, ReportStatistics.Percentile([10, 20], 50)!.Value, 9);
        Assert.Equal(17.5, ReportStatistics.Percentile([10, 20], 75)!.Value, 9);
    }

    [Fact]
    public void PercentileOfEqualSamplesAndInfinityStaysExact()
    {
        Assert.Equal(3, ReportStatistics.Percentile([3, 3, 3], 37));
        Assert.Equal(double.PositiveInfinity, ReportStatistics.Percentile([1, double.PositiveInfinity], 100));
        Assert.Equal(1, ReportStatistics.Percentile([1, double.PositiveInfinity], 0));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(100.5)]
    [InlineData(double.NaN)]
    public void PercentileOutsideZeroToHundredIsRejected(double percent)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ReportStatistics.Percentile([1, 2], percent));
    }

    [Fact]
    public void MembersPerCoreDividesByTheMachinesCores()
    {
        Assert.Equal(50, ReportStatistics.MembersPerCore(100, 2));
        Assert.Equal(37.5, ReportStatistics.MembersPerCore(300, 8));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReportStatistics.MembersPerCore(10, 0));
    }

    [Fact]
    public void MembersPerBusyCoreDividesByTheCoresTheServerUsed()
    {
        // 120 members at 30 % of a 4-core machine: 1.2 cores busy, 100 members per busy core.
        Assert.Equal(100, ReportStatistics.MembersPerBusyCore(120, 30, 4)!.Value, 9);
        // 60 members at 100 % of 2 cores.
        Assert.Equal(30, ReportStatistics.MembersPerBusyCore(60, 100, 2)!.Value, 9);
        Assert.Null(ReportStatistics.MembersPerBusyCore(60, null, 2));
        Assert.Null(ReportStatistics.MembersPerBusyCore(60, 0, 2));
        Assert.Null(ReportStatistics.MembersPerBusyCore(60, double.NaN, 2));
    }

    [Fact]
    public void StopRulePassesAWindowInsideEveryLimit()
    {
        Assert.Null(ReportStatistics.CrossedLimit(Window(), DefaultLimits));
    }

    [Fact]
    public void StopRulePassesAWindowExactlyAtEveryLimit()
    {
        AudioWindow atLimits = Window() with { ServerCpuPercent = 70, TickLatenessP99Milliseconds = 5, LossPercent = 1, MissingPercent = 1 };
        Assert.Null(ReportStatistics.CrossedLimit(atLimits, DefaultLimits));
    }

    [Fact]
    public void StopRuleIgnoresFiguresTheServerDidNotReport()
    {
        AudioWindow unknown = Window() with { ServerCpuPercent = null, TickLatenessP99Milliseconds = null };
        Assert.Null(ReportStatistics.CrossedLimit(unknown, DefaultLimits));
    }

    [Fact]
    public void StopRuleStopsOnCpuAlone()
    {
        string? reason = ReportStatistics.CrossedLimit(Window() with { ServerCpuPercent = 70.01 }, DefaultLimits);
        Assert.NotNull(reason);
        Assert.Contains("server CPU", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void StopRuleStopsOnLatenessAlone()
    {
        string? reason = ReportStatistics.CrossedLimit(Window() with { TickLatenessP99Milliseconds = 10 }, DefaultLimits);
        Assert.NotNull(reason);
        Assert.Contains("tick lateness", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void StopRuleStopsOnLatenessPastTheLastBucket()
    {
        string? reason = ReportStatistics.CrossedLimit(Window() with { TickLatenessP99Milliseconds = double.PositiveInfinity }, DefaultLimits);
        Assert.Equal("tick lateness p99 past the last histogram bucket", reason);
    }

    [Fact]
    public void StopRuleStopsOnLossAlone()
    {
        string? reason = ReportStatistics.CrossedLimit(Window() with { LossPercent = 1.5 }, DefaultLimits);
        Assert.NotNull(reason);
        Assert.StartsWith("loss", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void StopRuleStopsOnMissingMixFramesAlone()
    {
        string? reason = ReportStatistics.CrossedLimit(Window() with { MissingPercent = 2 }, DefaultLimits);
        Assert.NotNull(reason);
        Assert.Contains("missing", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(5, 5, 50.0)]
    [InlineData(30, 4, 300.0)]
    [InlineData(60, 2, 300.0)]
    [InlineData(5, 2, null)]
    [InlineData(30, 5, null)]
    [InlineData(10, 10, null)]
    public void GoalFollowsRoomSizeAndTalkers(int roomSize, int talkers, double? membersPerCore)
    {
        Assert.Equal(membersPerCore, ReportStatistics.GoalFor(roomSize, talkers)?.MembersPerCore);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("", "")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("cr\rhere", "\"cr\rhere\"")]
    public void CsvFieldsAreQuotedAsRfc4180Says(string value, string expected)
    {
        Assert.Equal(expected, AudioLoadCsv.Field(value));
    }

    [Fact]
    public void CsvHasAHeaderAndOneRowPerStepInInvariantCulture()
    {
        AudioLoadResult result = Result(RampOptions("3"));
        CultureInfo previous = CultureInfo.CurrentCulture;
        try
        {
            // A decimal comma culture must not leak into the file. (Built by hand: the tests run
            // with invariant globalization, where named cultures such as de-DE do not exist.)
            var decimalComma = (CultureInfo)CultureInfo.InvariantCulture.Clone();
            decimalComma.NumberFormat.NumberDecimalSeparator = ",";
            CultureInfo.CurrentCulture = decimalComma;
            string csv = AudioLoadCsv.ToCsv(result);
            string[] lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(1 + result.Steps.Count, lines.Length);
            Assert.StartsWith("step,rooms,members,", lines[0], StringComparison.Ordinal);
            Assert.StartsWith("1,2,10,", lines[1], StringComparison.Ordinal);
            Assert.Contains(",35.5,", lines[1], StringComparison.Ordinal);
            Assert.Contains(",result,", lines[2], StringComparison.Ordinal);
            Assert.Contains(",+Inf,", lines[3], StringComparison.Ordinal);
            Assert.Contains(",crossed,", lines[3], StringComparison.Ordinal);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void HtmlHasBothChartsTheGoalAndNoNetwork()
    {
        string html = AudioLoadHtml.ToHtml(Result(RampOptions("3")), new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));

        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("2025-01-02 03:04:05 UTC", html, StringComparison.Ordinal);
        Assert.Contains("chart-cpu", html, StringComparison.Ordinal);
        Assert.Contains("chart-lateness", html, StringComparison.Ordinal);
        Assert.Contains("chart-latency", html, StringComparison.Ordinal);
        Assert.True(CountOf(html, "<svg") >= 3);
        Assert.Contains("class=\"limit\"", html, StringComparison.Ordinal);
        Assert.Contains("5-member rooms, everyone talks", html, StringComparison.Ordinal);
        Assert.Contains("not met", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void HtmlEscapesTextFromTheRun()
    {
        AudioLoadResult result = Result(RampOptions("<script>alert(1)</script>"), stopReason: "a & b <b>");
        string html = AudioLoadHtml.ToHtml(result, DateTimeOffset.UnixEpoch);

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("a &amp; b &lt;b&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void HtmlDrawsLatencyBarsWhenGivenThem()
    {
        IReadOnlyList<(string Label, double Milliseconds)> bars = AudioLoadHtml.LatencyBars([40.0, 10, 20, 30, 50]);
        Assert.Equal([("p50", 30.0), ("p90", 46.0), ("p99", 49.6), ("p99.9", 49.96), ("max", 50.0)],
            bars.Select(b => (b.Label, Math.Round(b.Milliseconds, 6))).ToArray());

        string html = AudioLoadHtml.ToHtml(Result(RampOptions("3")), DateTimeOffset.UnixEpoch, bars);
        Assert.Contains("End-to-end audio latency percentiles", html, StringComparison.Ordinal);
        Assert.Contains("49.96 ms", html, StringComparison.Ordinal);
    }

    [Fact]
    public void HtmlDrawsTheLatencyProbesSamplesOfTheResultStep()
    {
        AudioLoadResult result = Result(RampOptions("3"));
        AudioLoadResult withLatency = Result(RampOptions("3"), resultStep: Window() with
        {
            Members = 20,
            Rooms = 4,
            LatencyCount = 5,
            LatencyMilliseconds = [62.0, 58, 60, 70, 64],
            LatencyP50Milliseconds = 62,
        });

        Assert.Contains("Call set-up latency", AudioLoadHtml.ToHtml(result, DateTimeOffset.UnixEpoch), StringComparison.Ordinal);
        string html = AudioLoadHtml.ToHtml(withLatency, DateTimeOffset.UnixEpoch);
        Assert.Contains("End-to-end audio latency percentiles", html, StringComparison.Ordinal);
        Assert.Contains(">70 ms<", html, StringComparison.Ordinal);
        Assert.Contains("5 chirp markers found", html, StringComparison.Ordinal);
    }

    [Fact]
    public void HistogramLatencyBarsAreInMilliseconds()
    {
        var histogram = new LatencyHistogram();
        for (int micros = 1000; micros <= 100_000; micros += 1000)
        {
            histogram.Record(micros);
        }
        IReadOnlyList<(string Label, double Milliseconds)> bars = AudioLoadHtml.LatencyBars(histogram);
        Assert.Equal("p50", bars[0].Label);
        Assert.Equal(50, bars[0].Milliseconds, 0);
        Assert.Equal(100, bars[^1].Milliseconds, 3);
        Assert.Empty(AudioLoadHtml.LatencyBars(new LatencyHistogram()));
    }

    private static int CountOf(string text, string part)
    {
        int count = 0;
        for (int at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + 1, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }

    private static AudioLoadOptions RampOptions(string roomPrefix)
    {
        bool ok = AudioLoadOptions.TryParse(
            ["--scenario", "audio", "--url", "wss://127.0.0.1:18443/", "--ramp", "--room-size", "5", "--talkers", "5",
             "--members", "40", "--room-prefix", roomPrefix, "--cores", "2"],
            out AudioLoadOptions? options, out string? error);
        Assert.True(ok, error);
        return options!;
    }

    /// <summary>
    /// A window inside the default limits. Built with <c>with</c> from an empty instance rather
    /// than an object initialiser, so figures added to AudioWindow later need no change here.
    /// </summary>
    private static AudioWindow Window() =>
        (AudioWindow)RuntimeHelpers.GetUninitializedObject(typeof(AudioWindow)) with
        {
            Seconds = 4,
            Members = 10,
            Rooms = 2,
            ServerMembers = 10,
            ServerCpuPercent = 35.5,
            ServerCpuPeakPercent = 40,
            ServerCores = 0.71,
            TickLatenessP50Milliseconds = 0.5,
            TickLatenessP99Milliseconds = 2,
            Ticks = 400,
            TickOverruns = 0,
            SentPerSecond = 500,
            ReceivedPerSecond = 500,
            LossPercent = 0,
            MissingPercent = 0,
            JitterMeanMilliseconds = 0.8,
            JitterMaxMilliseconds = 2.5,
            Decoded = 40,
            AudiblePercent = 60,
            ClientCpuPercent = 12,
            // Its initialiser does not run on an uninitialised instance.
            LatencyMilliseconds = [],
        };

    /// <summary>
    /// A three-step ramp: 10 members fine, 20 members fine (the result), 30 members past the
    /// last lateness bucket and over the CPU limit (the crossing step). Init-only properties
    /// are set by reflection on an empty instance for the same reason as <see cref="Window"/>.
    /// </summary>
    private static AudioLoadResult Result(AudioLoadOptions options, string stopReason = "tick lateness p99 past the last histogram bucket",
        AudioWindow? resultStep = null)
    {
        AudioWindow first = Window();
        AudioWindow second = resultStep ?? Window() with { Members = 20, Rooms = 4, ServerCpuPercent = 55, TickLatenessP99Milliseconds = 5 };
        AudioWindow third = Window() with { Members = 30, Rooms = 6, ServerCpuPercent = 80, TickLatenessP99Milliseconds = double.PositiveInfinity };
        var result = (AudioLoadResult)RuntimeHelpers.GetUninitializedObject(typeof(AudioLoadResult));
        Set(result, nameof(AudioLoadResult.Options), options);
        Set(result, nameof(AudioLoadResult.StopReason), stopReason);
        Set(result, nameof(AudioLoadResult.Result), second);
        Set(result, nameof(AudioLoadResult.FailedStep), third);
        Set(result, nameof(AudioLoadResult.Steps), new[] { first, second, third });
        Set(result, nameof(AudioLoadResult.Attempted), 30);
        Set(result, nameof(AudioLoadResult.Joined), 30);
        Set(result, nameof(AudioLoadResult.JoinP50Milliseconds), 180.0);
        Set(result, nameof(AudioLoadResult.JoinP99Milliseconds), 420.0);
        Set(result, nameof(AudioLoadResult.AnswerP50Milliseconds), 60.0);
        Set(result, nameof(AudioLoadResult.DtlsP50Milliseconds), 90.0);
        Set(result, nameof(AudioLoadResult.SrtpProfiles), new Dictionary<string, int> { ["AEAD_AES_128_GCM"] = 30 });
        Set(result, nameof(AudioLoadResult.HungUpCleanly), 30);
        Set(result, nameof(AudioLoadResult.VideoClips), Array.Empty<VideoClip>());
        Set(result, nameof(AudioLoadResult.Warnings), Array.Empty<string>());
        Set(result, nameof(AudioLoadResult.Errors), Array.Empty<ErrorCount>());
        Set(result, nameof(AudioLoadResult.ElapsedSeconds), 40.0);
        return result;
    }

    private static void Set(AudioLoadResult result, string property, object value) =>
        typeof(AudioLoadResult).GetProperty(property, BindingFlags.Public | BindingFlags.Instance)!.SetValue(result, value);
}
