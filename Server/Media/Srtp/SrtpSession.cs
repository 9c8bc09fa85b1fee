using MediaServer.Media.Dtls;

namespace MediaServer.Media.Srtp;

/// <summary>
/// One libsrtp2 session (<c>srtp_t</c>) for one direction of one leg: outbound protects RTP
/// and RTCP we send, inbound unprotects what the peer sends. The stream template matches any
/// SSRC, so every SSRC of the leg (audio, video, RTX) shares the master key, as DTLS-SRTP wants.
/// Owned by the leg that made the keys; any thread may call it (libsrtp contexts are not
/// thread-safe, so a lock serialises calls; the protect path of a leg is normally one thread
/// and the lock is uncontended). Bad packets never throw: they return false and are counted.
/// </summary>
public sealed unsafe class SrtpSession : IDisposable
{
    /// <summary>
    /// Worst-case bytes protect appends: RTP gets a 10-byte (AES-CM) or 16-byte (GCM) tag,
    /// RTCP adds the 4-byte E|SRTCP index before its tag. We never use MKI.
    /// </summary>
    public const int MaxTrailer = 16 + 4;

    /// <summary>
    /// Inbound RTP replay window, in packets. Video bursts and NACK retransmissions arrive far
    /// out of order; libsrtp's default of 128 drops late but genuine packets at high rates.
    /// </summary>
    public const int ReplayWindowSize = 1024;

    private const int RtpHeaderLength = 12;
    private const int RtcpHeaderLength = 8;

    private readonly Lock _lock = new();
    private nint _session;
    private long _authenticationFailures;
    private long _replayDrops;
    private long _otherErrors;

    public SrtpSession(SrtpProfile profile, ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt, SrtpDirection direction)
    {
        var saltLength = SrtpKeyingMaterial.SaltLength(profile);
        if (masterKey.Length != SrtpKeyingMaterial.KeyLength)
        {
            throw new ArgumentException($"The SRTP master key is {SrtpKeyingMaterial.KeyLength} bytes.", nameof(masterKey));
        }

        if (masterSalt.Length != saltLength)
        {
            throw new ArgumentException($"The SRTP master salt for {profile} is {saltLength} bytes.", nameof(masterSalt));
        }

        LibSrtp.EnsureAvailable();
        Profile = profile;
        Direction = direction;

        var policy = default(SrtpPolicy);
        if (profile == SrtpProfile.AeadAes128Gcm)
        {
            LibSrtpNative.SetAesGcm128With16ByteTag(&policy.Rtp);
            LibSrtpNative.SetAesGcm128With16ByteTag(&policy.Rtcp);
        }
        else
        {
            LibSrtpNative.SetRtpDefault(&policy.Rtp);
            LibSrtpNative.SetRtcpDefault(&policy.Rtcp);
        }

        policy.SsrcType = direction == SrtpDirection.Inbound ? SrtpPolicy.SsrcAnyInbound : SrtpPolicy.SsrcAnyOutbound;
        policy.WindowSize = ReplayWindowSize;

        // A NACK-driven retransmission re-protects a packet whose sequence number the outbound
        // stream has already seen; libsrtp refuses that unless repeats are allowed. Safe here
        // because a retransmission carries the same payload as the original.
        policy.AllowRepeatTx = direction == SrtpDirection.Outbound ? 1 : 0;

        // libsrtp wants key and salt as one buffer; it derives its session keys in srtp_create
        // and keeps no pointer to this one, which is wiped straight after.
        Span<byte> keyAndSalt = stackalloc byte[SrtpKeyingMaterial.KeyLength + 14];
        masterKey.CopyTo(keyAndSalt);
        masterSalt.CopyTo(keyAndSalt[SrtpKeyingMaterial.KeyLength..]);
        try
        {
            fixed (byte* key = keyAndSalt)
            {
                policy.Key = key;
                nint session;
                var status = LibSrtpNative.Create(&session, &policy);
                if (status != SrtpErrorStatus.Ok)
                {
                    throw new InvalidOperationException($"srtp_create failed with status {(int)status}.");
                }

                _session = session;
            }
        }
        finally
        {
            keyAndSalt.Clear();
        }
    }

    ~SrtpSession() => Free();

    public SrtpProfile Profile { get; }

    public SrtpDirection Direction { get; }

    /// <summary>Packets whose authentication tag did not verify (forged, corrupted, or keyed for someone else).</summary>
    public long AuthenticationFailures => Interlocked.Read(ref _authenticationFailures);

    /// <summary>Packets refused as replays or as older than the replay window.</summary>
    public long ReplayDrops => Interlocked.Read(ref _replayDrops);

    /// <summary>Everything else libsrtp refused (malformed headers, buffer too small, used after dispose).</summary>
    public long OtherErrors => Interlocked.Read(ref _otherErrors);

    /// <summary>Protects the RTP packet in <c>buffer[..length]</c> in place; the buffer needs <see cref="MaxTrailer"/> spare bytes.</summary>
    public bool TryProtectRtp(Span<byte> buffer, int length, out int protectedLength) =>
        Run(&LibSrtpNative.Protect, buffer, length, RtpHeaderLength, MaxTrailer, out protectedLength);

    /// <summary>Verifies and decrypts the SRTP packet in <c>buffer[..length]</c> in place.</summary>
    public bool TryUnprotectRtp(Span<byte> buffer, int length, out int plainLength) =>
        Run(&LibSrtpNative.Unprotect, buffer, length, RtpHeaderLength, 0, out plainLength);

    /// <summary>Protects the (compound) RTCP packet in <c>buffer[..length]</c> in place; the buffer needs <see cref="MaxTrailer"/> spare bytes.</summary>
    public bool TryProtectRtcp(Span<byte> buffer, int length, out int protectedLength) =>
        Run(&LibSrtpNative.ProtectRtcp, buffer, length, RtcpHeaderLength, MaxTrailer, out protectedLength);

    /// <summary>Verifies and decrypts the SRTCP packet in <c>buffer[..length]</c> in place.</summary>
    public bool TryUnprotectRtcp(Span<byte> buffer, int length, out int plainLength) =>
        Run(&LibSrtpNative.UnprotectRtcp, buffer, length, RtcpHeaderLength, 0, out plainLength);

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    private bool Run(
        delegate*<nint, byte*, int*, SrtpErrorStatus> operation,
        Span<byte> buffer,
        int length,
        int minimumLength,
        int spareNeeded,
        out int resultLength)
    {
        resultLength = 0;
        if (length < minimumLength || length > buffer.Length - spareNeeded)
        {
            Interlocked.Increment(ref _otherErrors);
            return false;
        }

        SrtpErrorStatus status;
        var octets = length;
        lock (_lock)
        {
            if (_session == 0)
            {
                status = SrtpErrorStatus.NoContext;
            }
            else
            {
                fixed (byte* packet = buffer)
                {
                    status = operation(_session, packet, &octets);
                }
            }
        }

        switch (status)
        {
            case SrtpErrorStatus.Ok:
                resultLength = octets;
                return true;
            case SrtpErrorStatus.AuthFail:
                Interlocked.Increment(ref _authenticationFailures);
                return false;
            case SrtpErrorStatus.ReplayFail:
            case SrtpErrorStatus.ReplayOld:
                Interlocked.Increment(ref _replayDrops);
                return false;
            default:
                Interlocked.Increment(ref _otherErrors);
                return false;
        }
    }

    private void Free()
    {
        lock (_lock)
        {
            if (_session != 0)
            {
                _ = LibSrtpNative.Dealloc(_session);
                _session = 0;
            }
        }
    }
}
