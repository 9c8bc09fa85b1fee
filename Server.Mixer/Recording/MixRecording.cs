using MediaServer.Mixer.Audio;
using MediaServer.Mixer.Codecs;
using MediaServer.Mixer.Video;

namespace MediaServer.Mixer.Recording;

/// <summary>
/// One recording of a room: the encoded mix (an <see cref="IAudioMixSink"/> of the audio
/// mixer) and, for a room with a canvas, the encoded canvas frames (an
/// <see cref="ICanvasFrameSink"/>) written as they are, without re-encoding, to a WebM file,
/// or to an Ogg Opus file when there is no video. The conference owns it; the mixer thread and
/// the canvas thread feed it and signalling threads pause, resume and stop it, so every entry
/// takes one short lock (the file is written through a 64 KiB buffer; a cluster or page goes
/// to the kernel at most a few times a second).
/// <para>
/// The timeline: audio packets are laid end to end (20 ms each), video frames at the wall
/// time since the start minus the time spent paused. A pause writes nothing and the file's
/// timeline skips the paused span (no silence is stored); after a resume, and at the start,
/// video waits for a keyframe so the file always decodes. A failure to write (disk full) stops
/// writing and is kept in <see cref="Failure"/>; the media path is never disturbed.
/// </para>
/// </summary>
public sealed class MixRecording : IAudioMixSink, ICanvasFrameSink, IDisposable
{
    private readonly Lock _gate = new();
    private readonly FileStream _file;
    private readonly WebmWriter? _webm;
    private readonly OggOpusWriter? _ogg;
    private readonly int _videoFrameMs;
    private readonly long _startMs;
    private long _audioFrames;
    private long _pausedMs;
    private long _pauseStartedMs = -1;
    private bool _waitForKeyframe = true;
    private bool _stopped;

    /// <summary>Creates the file (refusing to overwrite one) and writes its headers.</summary>
    /// <param name="path">The file; <c>.webm</c> when a video size is given, else <c>.ogg</c> is the caller's choice of name.</param>
    /// <param name="audio">The Opus settings the mix is encoded with (a listener's, so the encode is shared).</param>
    /// <param name="videoWidth">The canvas width; 0 for an audio-only (Ogg Opus) recording.</param>
    /// <param name="videoHeight">The canvas height; 0 for an audio-only recording.</param>
    /// <param name="videoFps">The canvas frame rate (how long each frame shows).</param>
    /// <param name="nowMs">The clock the canvas ticks with (Environment.TickCount64), now.</param>
    public MixRecording(string path, AudioCodecSettings audio, int videoWidth, int videoHeight, int videoFps, long nowMs)
    {
        if (audio.Kind != AudioCodecKind.Opus)
        {
            throw new ArgumentException("A recording stores Opus audio.", nameof(audio));
        }

        Path = path;
        Settings = audio;
        HasVideo = videoWidth > 0 && videoHeight > 0;
        _videoFrameMs = 1000 / Math.Max(1, videoFps);
        _startMs = nowMs;
        _file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, bufferSize: 1 << 16);
        try
        {
            if (HasVideo)
            {
                _webm = new WebmWriter(_file, audio.Channels, OpusHeader.EncoderPreSkip, videoWidth, videoHeight);
            }
            else
            {
                _ogg = new OggOpusWriter(_file, audio.Channels, OpusHeader.EncoderPreSkip, (uint)Random.Shared.Next());
            }
        }
        catch
        {
            _file.Dispose();
            throw;
        }
    }

    public string Path { get; }

    public AudioCodecSettings Settings { get; }

    public bool HasVideo { get; }

    public bool Paused
    {
        get
        {
            lock (_gate)
            {
                return _pauseStartedMs >= 0;
            }
        }
    }

    public bool Stopped
    {
        get
        {
            lock (_gate)
            {
                return _stopped;
            }
        }
    }

    /// <summary>Why writing stopped early (an I/O error), or null.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>The audio recorded so far, ms (the paused spans not counted).</summary>
    public long RecordedMs
    {
        get
        {
            lock (_gate)
            {
                return _audioFrames * MixerFormat.FrameMs;
            }
        }
    }

    /// <summary>Mixer thread: one packet of the whole mix.</summary>
    public void OnMixPacket(ReadOnlySpan<byte> payload)
    {
        lock (_gate)
        {
            if (_stopped || _pauseStartedMs >= 0 || Failure is not null)
            {
                return;
            }

            try
            {
                if (_webm is not null)
                {
                    _webm.WriteAudio(payload, _audioFrames * MixerFormat.FrameMs, MixerFormat.FrameMs);
                }
                else
                {
                    _ogg!.WritePacket(payload, MixerFormat.FrameSamples);
                }

                _audioFrames++;
            }
            catch (IOException e)
            {
                Failure = e;
            }
        }
    }

    /// <summary>Canvas thread: one encoded canvas frame.</summary>
    public void OnCanvasFrame(ReadOnlySpan<byte> frame, bool keyframe, long nowMs)
    {
        lock (_gate)
        {
            if (_webm is null || _stopped || _pauseStartedMs >= 0 || Failure is not null || (_waitForKeyframe && !keyframe))
            {
                return;
            }

            _waitForKeyframe = false;
            try
            {
                _webm.WriteVideo(frame, Math.Max(0, nowMs - _startMs - _pausedMs), _videoFrameMs, keyframe);
            }
            catch (IOException e)
            {
                Failure = e;
            }
        }
    }

    /// <summary>Stops writing until <see cref="Resume"/>; false when already paused or stopped.</summary>
    public bool Pause(long nowMs)
    {
        lock (_gate)
        {
            if (_stopped || _pauseStartedMs >= 0)
            {
                return false;
            }

            _pauseStartedMs = nowMs;
            return true;
        }
    }

    /// <summary>Writes again, the timeline continuing where it paused; video waits for a keyframe (the caller asks the canvas for one). False when not paused.</summary>
    public bool Resume(long nowMs)
    {
        lock (_gate)
        {
            if (_stopped || _pauseStartedMs < 0)
            {
                return false;
            }

            _pausedMs += Math.Max(0, nowMs - _pauseStartedMs);
            _pauseStartedMs = -1;
            _waitForKeyframe = true;
            return true;
        }
    }

    /// <summary>Finishes the file (sizes, duration, cues, end of stream) and closes it; later packets are ignored. False when already stopped.</summary>
    public bool Stop()
    {
        lock (_gate)
        {
            if (_stopped)
            {
                return false;
            }

            _stopped = true;
            try
            {
                _webm?.Finish();
                _ogg?.Finish();
            }
            catch (IOException e)
            {
                Failure ??= e;
            }
            finally
            {
                _file.Dispose();
            }

            return true;
        }
    }

    public void Dispose() => Stop();
}
