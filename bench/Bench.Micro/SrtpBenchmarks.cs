using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using MediaServer.Media.Dtls;
using MediaServer.Media.Srtp;

namespace MediaServer.Bench.Micro;

/// <summary>
/// Per-packet SRTP cost through libsrtp2: protect with a fresh sequence number each time, and
/// unprotect from a ring of packets protected in advance with increasing sequence numbers, so
/// replay protection accepts every one (each iteration refills the ring from a pristine copy
/// and starts a fresh receiving session, outside the measurement). The Managed* methods do
/// the same cryptography with .NET's AesGcm / AES-ECB keystream + HMACSHA1, without replay
/// and roll-over bookkeeping, to show whether the native library is worth its interop.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(Ring)]
public class SrtpBenchmarks
{
    private const int Ring = 16384;
    private const int HeaderLength = 12;
    private const uint Ssrc = 0xCAFEBABE;

    private static readonly byte[] MasterKey = Convert.FromHexString("E1F97A0D3E018BE0D64FA32C06DE4139");
    private static readonly byte[] MasterSalt = Convert.FromHexString("0EC675AD498AFEEBB6960B3AABE6");

    private SrtpSession _sender = null!;
    private SrtpSession _receiver = null!;
    private byte[] _packet = null!;
    private byte[] _pristineRing = null!;
    private byte[] _ring = null!;
    private int[] _ringLengths = null!;
    private int _stride;
    private int _next;
    private ushort _sequence;

    private AesGcm _gcm = null!;
    private Aes _aes = null!;
    private byte[] _managedSalt = null!;
    private IncrementalHash _hmac = null!;
    private byte[] _counters = null!;

    [Params(SrtpProfile.AesCm128HmacSha1_80, SrtpProfile.AeadAes128Gcm)]
    public SrtpProfile Profile { get; set; }

    /// <summary>160: a 20 ms G.711/Opus-sized audio packet; 1200: a full video packet.</summary>
    [Params(160, 1200)]
    public int PayloadSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var salt = MasterSalt[..SrtpKeyingMaterial.SaltLength(Profile)];
        _sender = new SrtpSession(Profile, MasterKey, salt, SrtpDirection.Outbound);
        _packet = new byte[HeaderLength + PayloadSize + SrtpSession.MaxTrailer];
        WriteHeader(_packet, 0);

        // The ring of protected packets the unprotect benchmark consumes, one per invocation.
        _stride = _packet.Length;
        _pristineRing = new byte[Ring * _stride];
        _ringLengths = new int[Ring];
        using (var ringSender = new SrtpSession(Profile, MasterKey, salt, SrtpDirection.Outbound))
        {
            for (var i = 0; i < Ring; i++)
            {
                var slot = _pristineRing.AsSpan(i * _stride, _stride);
                WriteHeader(slot, (ushort)i);
                if (!ringSender.TryProtectRtp(slot, HeaderLength + PayloadSize, out _ringLengths[i]))
                {
                    throw new InvalidOperationException("libsrtp refused to protect the benchmark ring.");
                }
            }
        }

        _ring = new byte[_pristineRing.Length];
        _receiver = new SrtpSession(Profile, MasterKey, salt, SrtpDirection.Inbound);

        // Managed comparison: session keys derived once, as an implementation would.
        var key = Derive(MasterKey, salt, 0x00, 16);
        _managedSalt = Derive(MasterKey, salt, 0x02, salt.Length);
        _hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, Derive(MasterKey, salt, 0x01, 20));
        _gcm = new AesGcm(key, 16);
        _aes = Aes.Create();
        _aes.Key = key;
        _counters = new byte[(PayloadSize + 15) / 16 * 16];
    }

    [IterationSetup(Target = nameof(UnprotectRtp))]
    public void RefillRing()
    {
        _pristineRing.CopyTo(_ring, 0);
        _next = 0;
        _receiver.Dispose();
        _receiver = new SrtpSession(Profile, MasterKey, MasterSalt[..SrtpKeyingMaterial.SaltLength(Profile)], SrtpDirection.Inbound);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sender.Dispose();
        _receiver.Dispose();
        _gcm.Dispose();
        _aes.Dispose();
        _hmac.Dispose();
    }

    [Benchmark(Description = "libsrtp protect RTP")]
    public int ProtectRtp()
    {
        BinaryPrimitives.WriteUInt16BigEndian(_packet.AsSpan(2), ++_sequence);
        _sender.TryProtectRtp(_packet, HeaderLength + PayloadSize, out var length);
        return length;
    }

    [Benchmark(Description = "libsrtp unprotect RTP")]
    public int UnprotectRtp()
    {
        var i = _next++;
        _receiver.TryUnprotectRtp(_ring.AsSpan(i * _stride, _stride), _ringLengths[i], out var length);
        return length;
    }

    /// <summary>RFC 7714 §8 with AesGcm, or RFC 3711 §4.1.1/§4.2 with an AES-ECB keystream and HMAC-SHA1, in place.</summary>
    [Benchmark(Description = "managed protect RTP")]
    public int ManagedProtectRtp()
    {
        var sequence = ++_sequence;
        var packet = _packet.AsSpan();
        BinaryPrimitives.WriteUInt16BigEndian(packet[2..], sequence);
        var header = packet[..HeaderLength];
        var payload = packet.Slice(HeaderLength, PayloadSize);
        if (Profile == SrtpProfile.AeadAes128Gcm)
        {
            Span<byte> nonce = stackalloc byte[12];
            nonce.Clear();
            BinaryPrimitives.WriteUInt32BigEndian(nonce[2..], Ssrc);
            BinaryPrimitives.WriteUInt16BigEndian(nonce[10..], sequence);
            Xor(nonce, _managedSalt);
            _gcm.Encrypt(nonce, payload, payload, packet.Slice(HeaderLength + PayloadSize, 16), header);
            return HeaderLength + PayloadSize + 16;
        }

        Span<byte> iv = stackalloc byte[16];
        iv.Clear();
        _managedSalt.CopyTo(iv);
        Span<byte> ssrc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(ssrc, Ssrc);
        Xor(iv.Slice(4, 4), ssrc);
        iv[12] ^= (byte)(sequence >> 8);
        iv[13] ^= (byte)sequence;
        var counters = _counters.AsSpan();
        for (var n = 0; n < counters.Length / 16; n++)
        {
            iv.CopyTo(counters[(n * 16)..]);
            BinaryPrimitives.WriteUInt16BigEndian(counters[((n * 16) + 14)..], (ushort)n);
        }

        _aes.EncryptEcb(counters, counters, PaddingMode.None);
        Xor(payload, counters);

        // HMAC over header || payload || ROC (0), then the 80-bit tag replaces the ROC.
        var authenticated = packet[..(HeaderLength + PayloadSize + 4)];
        authenticated[^4..].Clear();
        Span<byte> tag = stackalloc byte[20];
        _hmac.AppendData(authenticated);
        _hmac.GetHashAndReset(tag);
        tag[..10].CopyTo(packet[(HeaderLength + PayloadSize)..]);
        return HeaderLength + PayloadSize + 10;
    }

    private void WriteHeader(Span<byte> packet, ushort sequence)
    {
        packet[0] = 0x80;
        packet[1] = 111;
        BinaryPrimitives.WriteUInt16BigEndian(packet[2..], sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet[4..], 0x0001E240);
        BinaryPrimitives.WriteUInt32BigEndian(packet[8..], Ssrc);
        for (var i = 0; i < PayloadSize; i++)
        {
            packet[HeaderLength + i] = (byte)i;
        }
    }

    private static void Xor(Span<byte> target, ReadOnlySpan<byte> with)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= target.Length - Vector<byte>.Count; i += Vector<byte>.Count)
            {
                (new Vector<byte>(target[i..]) ^ new Vector<byte>(with[i..])).CopyTo(target[i..]);
            }
        }

        for (; i < target.Length; i++)
        {
            target[i] ^= with[i];
        }
    }

    /// <summary>RFC 3711 §4.3.1 with r = 0: AES-CM keystream for IV = (label XOR salt) * 2^16.</summary>
    private static byte[] Derive(byte[] masterKey, byte[] masterSalt, byte label, int length)
    {
        using var aes = Aes.Create();
        aes.Key = masterKey;
        var blocks = new byte[(length + 15) / 16 * 16];
        for (var n = 0; n < blocks.Length / 16; n++)
        {
            masterSalt.CopyTo(blocks, n * 16);
            blocks[(n * 16) + 7] ^= label;
            blocks[(n * 16) + 15] = (byte)n;
        }

        return aes.EncryptEcb(blocks, PaddingMode.None)[..length];
    }
}
