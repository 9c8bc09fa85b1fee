namespace MediaServer.Bench.Load;

/// <summary>
/// When one talker speaks: talk spurts and pauses of exponentially distributed length, the
/// classic on-off model of conversational speech (ITU-T P.59 uses the same shape). Each
/// talker also starts at its own place in the clip, so the mixer never sums identical
/// signals. Used by the pacer thread only.
/// </summary>
internal sealed class TalkSpurts
{
    private readonly Random _random;
    private readonly double _talkFrames;
    private readonly double _silenceFrames;
    private readonly int _clipOffset;
    private long _nextToggle;
    private bool _talking;
    private long _spokenFrames;

    public TalkSpurts(int seed, double talkMeanSeconds, double silenceMeanSeconds, int clipFrames)
    {
        _random = new Random(seed);
        _talkFrames = talkMeanSeconds * 50;
        _silenceFrames = silenceMeanSeconds * 50;
        _clipOffset = _random.Next(clipFrames);
        // Start anywhere in the cycle so talkers who join together do not talk together.
        _talking = _random.NextDouble() < talkMeanSeconds / (talkMeanSeconds + silenceMeanSeconds);
        _nextToggle = -1;
    }

    /// <summary>True while in a talk spurt; call once per frame with increasing frame numbers.</summary>
    public bool IsTalking(long frame, out bool spurtStarts)
    {
        spurtStarts = false;
        if (_nextToggle < 0)
        {
            _nextToggle = frame + Draw(_talking ? _talkFrames : _silenceFrames);
            spurtStarts = _talking;
        }
        while (frame >= _nextToggle)
        {
            _talking = !_talking;
            spurtStarts = _talking;
            _nextToggle += Draw(_talking ? _talkFrames : _silenceFrames);
        }
        if (_talking)
        {
            _spokenFrames++;
        }
        return _talking;
    }

    /// <summary>Where in the clip the next talking frame comes from.</summary>
    public int ClipFrame(int clipFrames) => (int)((_clipOffset + _spokenFrames) % clipFrames);

    // At least one frame, so a spurt always has sound in it.
    private long Draw(double meanFrames) => Math.Max(1, (long)Math.Round(-meanFrames * Math.Log(1 - _random.NextDouble())));
}
