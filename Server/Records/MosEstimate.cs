namespace MediaServer.Records;

/// <summary>
/// A listening-quality MOS estimate from what RTP and RTCP tell us, with the ITU-T G.107
/// E-model reduced to the two impairments a media server can measure: delay and packet loss.
/// Every other input keeps its G.107 default, so with no delay and no loss R = 93.2 and the
/// estimate is about 4.4, the best a narrowband call can score.
/// <code>
///   d       = RTT/2 + 2·jitter + 20 ms              one-way mouth-to-ear delay: half the round
///                                                    trip, a jitter buffer twice the jitter deep,
///                                                    one 20 ms frame of packetisation
///   Id      = 0.024·d + 0.11·(d − 177.3)·H(d − 177.3) delay impairment (G.107 simplified, Cole &amp;
///                                                    Rosenbluth 2001); H is the unit step
///   Ie,eff  = Ie + (95 − Ie)·Ppl / (Ppl + Bpl)       G.107 §3.7 loss impairment, Ppl in percent;
///                                                    Ie = 0, Bpl = 25.1 (G.113 Appendix I: G.711
///                                                    with packet loss concealment, random loss)
///   R       = 93.2 − Id − Ie,eff
///   MOS     = 1                                       R ≤ 0
///             1 + 0.035·R + R·(R − 60)·(100 − R)·7·10⁻⁶  0 &lt; R &lt; 100   (G.107 Annex B)
///             4.5                                     R ≥ 100
/// </code>
/// Opus conceals loss at least as well as G.711 with PLC, so the G.711 figures err on the
/// cautious side for it. The result falls as loss, jitter or round-trip time grow.
/// </summary>
internal static class MosEstimate
{
    /// <summary>G.107's default R with no impairment other than the basic signal-to-noise (Ro − Is).</summary>
    public const double BaseR = 93.2;

    /// <summary>Packet-loss robustness of G.711 with concealment (G.113 Appendix I).</summary>
    public const double LossRobustness = 25.1;

    /// <summary>Packetisation delay of one 20 ms frame.</summary>
    public const double FrameDelayMs = 20;

    /// <summary>The transmission rating R; inputs below zero count as zero, loss above 100 % as 100 %.</summary>
    public static double RatingFactor(double lossPercent, double jitterMs, double roundTripMs)
    {
        var loss = Math.Clamp(double.IsNaN(lossPercent) ? 0 : lossPercent, 0, 100);
        var delay = (Math.Max(0, roundTripMs) / 2) + (2 * Math.Max(0, jitterMs)) + FrameDelayMs;
        var delayImpairment = (0.024 * delay) + (delay > 177.3 ? 0.11 * (delay - 177.3) : 0);
        var lossImpairment = 95 * loss / (loss + LossRobustness);
        return BaseR - delayImpairment - lossImpairment;
    }

    /// <summary>G.107 Annex B: R to the estimated mean opinion score, 1 to 4.5.</summary>
    public static double FromRatingFactor(double r)
    {
        if (r <= 0)
        {
            return 1;
        }

        if (r >= 100)
        {
            return 4.5;
        }

        // The cubic dips just under 1 for R below about 6.5; the scale's floor is 1.
        return Math.Max(1, 1 + (0.035 * r) + (r * (r - 60) * (100 - r) * 7e-6));
    }

    /// <summary>The MOS estimate for a loss percentage, jitter (ms) and round-trip time (ms), rounded to two decimals.</summary>
    public static double Estimate(double lossPercent, double jitterMs, double roundTripMs) =>
        Math.Round(FromRatingFactor(RatingFactor(lossPercent, jitterMs, roundTripMs)), 2);
}
