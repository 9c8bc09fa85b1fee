namespace MediaServer.Mixer.Codecs;

/// <summary>
/// Packet loss concealment for G.711 at 8 kHz, in the spirit of ITU-T G.711 Appendix I but
/// simpler: on the first lost sample it finds the pitch period of the last 10 ms of good audio
/// (the lag of highest normalised autocorrelation between 5 and 15 ms, i.e. 66-200 Hz) and
/// repeats that last period; the repeat plays at full level for 10 ms, then fades linearly to
/// silence at 60 ms, because an unchanging buzz is worse than a gap once a loss runs long.
/// The first 4 ms of audio after a loss are cross-faded from the continued concealment into
/// the real signal so recovery has no step. The splice inside the repeated period is left as
/// is: the chosen lag makes it close to continuous, and a voice sounds plausible with it.
/// Owned by one <see cref="G711AudioDecoder"/>; never allocates after construction.
/// </summary>
internal sealed class G711Concealment
{
    private const int MinPeriod = 40;
    private const int MaxPeriod = 120;

    /// <summary>The stretch of recent audio the pitch is matched over (10 ms).</summary>
    private const int MatchLength = 80;

    private const int HistoryLength = MaxPeriod + MatchLength;
    private const int FullLevelSamples = 80;
    private const int FadeSamples = 400;
    private const int CrossFadeSamples = 32;

    /// <summary>The most recent output, oldest first: good audio and any concealment after it.</summary>
    private readonly short[] _history = new short[HistoryLength];

    /// <summary>The last pitch period before the loss began, repeated while it lasts.</summary>
    private readonly short[] _pitch = new short[MaxPeriod];

    /// <summary>Lost samples so far in the current loss run; 0 when the last frame arrived.</summary>
    private int _lostSamples;
    private int _period;

    /// <summary>Where the repeat stands within <see cref="_pitch"/> (0 .. period−1).</summary>
    private int _cursor;

    /// <summary>Records good audio, first blending it in from the concealment when a loss just ended.</summary>
    public void Receive(Span<short> samples)
    {
        if (_lostSamples > 0)
        {
            var blend = Math.Min(CrossFadeSamples, samples.Length);
            for (var i = 0; i < blend; i++)
            {
                var continued = NextConcealed();
                var weight = (i + 1) / (float)(blend + 1);
                samples[i] = (short)((samples[i] * weight) + (continued * (1 - weight)));
            }

            _lostSamples = 0;
        }

        Remember(samples);
    }

    /// <summary>Fills <paramref name="samples"/> with concealment for lost audio.</summary>
    public void Conceal(Span<short> samples)
    {
        if (_lostSamples == 0)
        {
            _period = FindPeriod(_history);
            _history.AsSpan(HistoryLength - _period).CopyTo(_pitch);
            _cursor = 0;
        }

        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = NextConcealed();
            _lostSamples++;
        }

        // The history follows what was played, so a loss soon after a short recovery matches against real output.
        Remember(samples);
    }

    /// <summary>The pitch-matching lag in <paramref name="history"/>; any lag for silence.</summary>
    internal static int FindPeriod(ReadOnlySpan<short> history)
    {
        var recent = history[^MatchLength..];
        var best = MaxPeriod;
        var bestScore = double.NegativeInfinity;
        for (var lag = MinPeriod; lag <= MaxPeriod; lag++)
        {
            var earlier = history.Slice(history.Length - MatchLength - lag, MatchLength);
            long correlation = 0;
            long energy = 0;
            for (var i = 0; i < MatchLength; i++)
            {
                correlation += recent[i] * earlier[i];
                energy += earlier[i] * earlier[i];
            }

            // Normalised by the earlier stretch's energy only (the recent one is common to all lags).
            var score = energy == 0 ? 0 : correlation / Math.Sqrt(energy);
            if (score > bestScore)
            {
                bestScore = score;
                best = lag;
            }
        }

        return best;
    }

    private short NextConcealed()
    {
        var sample = _pitch[_cursor];
        _cursor = _cursor + 1 == _period ? 0 : _cursor + 1;
        var gain = _lostSamples < FullLevelSamples ? 1f : Math.Max(0f, 1f - ((_lostSamples - FullLevelSamples) / (float)FadeSamples));
        return (short)(sample * gain);
    }

    private void Remember(ReadOnlySpan<short> samples)
    {
        if (samples.Length >= HistoryLength)
        {
            samples[^HistoryLength..].CopyTo(_history);
            return;
        }

        _history.AsSpan(samples.Length).CopyTo(_history);
        samples.CopyTo(_history.AsSpan(HistoryLength - samples.Length));
    }
}
