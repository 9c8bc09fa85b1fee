using System.Buffers.Binary;
using System.Security.Cryptography;
using MediaServer.Media.Dtls;

namespace MediaServer.Tests.Media.Srtp;

/// <summary>
/// An independent, managed SRTP/SRTCP sender written from the RFCs, to check libsrtp's output
/// byte for byte: the AES-CM key derivation (RFC 3711 §4.3), AES-CM encryption with
/// HMAC-SHA1-80 (§4.1.1, §4.2, §3.4), and AEAD AES-128-GCM (RFC 7714 §8, §9, §11).
/// Slow and allocating on purpose: clarity over speed.
/// </summary>
internal static class SrtpReference
{
    public const byte RtpEncryptionLabel = 0x00;
    public const byte RtpAuthenticationLabel = 0x01;
    public const byte RtpSaltLabel = 0x02;
    public const byte RtcpEncryptionLabel = 0x03;
    public const byte RtcpAuthenticationLabel = 0x04;
    public const byte RtcpSaltLabel = 0x05;

    /// <summary>
    /// RFC 3711 §4.3.1 with key_derivation_rate 0 (r = 0): x = (label || r) XOR master_salt,
    /// both right-aligned in 112 bits, and the key is the AES-CM keystream for IV = x * 2^16.
    /// A 96-bit GCM salt (RFC 7714 §11) is extended with two zero octets, as libsrtp does.
    /// </summary>
    public static byte[] Derive(byte[] masterKey, byte[] masterSalt, byte label, int length)
    {
        var iv = new byte[16];
        masterSalt.CopyTo(iv, 0);
        iv[7] ^= label;
        return Keystream(masterKey, iv, length);
    }

    /// <summary>AES in counter mode: E(k, IV + n) for n = 0, 1, ... where the counter is the block's last 16 bits.</summary>
    public static byte[] Keystream(byte[] key, byte[] iv, int length)
    {
        using var aes = Aes.Create();
        aes.Key = key;
        var blocks = (length + 15) / 16;
        var counters = new byte[blocks * 16];
        for (var n = 0; n < blocks; n++)
        {
            iv.CopyTo(counters, n * 16);
            var counter = (ushort)(BinaryPrimitives.ReadUInt16BigEndian(iv.AsSpan(14)) + n);
            BinaryPrimitives.WriteUInt16BigEndian(counters.AsSpan((n * 16) + 14), counter);
        }

        return aes.EncryptEcb(counters, PaddingMode.None)[..length];
    }

    /// <summary>
    /// Protects one RTP packet (fixed 12-byte header, roll-over counter 0) the way an
    /// SRTP_AES128_CM_HMAC_SHA1_80 or SRTP_AEAD_AES_128_GCM sender must.
    /// </summary>
    public static byte[] ProtectRtp(SrtpProfile profile, byte[] masterKey, byte[] masterSalt, byte[] packet, uint rolloverCounter = 0)
    {
        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet.AsSpan(8));
        var sequence = BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(2));
        var index = ((ulong)rolloverCounter << 16) | sequence;
        var header = packet[..12];
        var payload = packet[12..];
        var key = Derive(masterKey, masterSalt, RtpEncryptionLabel, 16);
        if (profile == SrtpProfile.AeadAes128Gcm)
        {
            // RFC 7714 §8.1: IV = (00 00 || SSRC || ROC || SEQ) XOR salt; AAD = the header.
            var salt = Derive(masterKey, masterSalt, RtpSaltLabel, 12);
            var iv = new byte[12];
            BinaryPrimitives.WriteUInt32BigEndian(iv.AsSpan(2), ssrc);
            BinaryPrimitives.WriteUInt32BigEndian(iv.AsSpan(6), rolloverCounter);
            BinaryPrimitives.WriteUInt16BigEndian(iv.AsSpan(10), sequence);
            Xor(iv, salt);
            return [.. header, .. Seal(key, iv, payload, header)];
        }

        // RFC 3711 §4.1.1: IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16).
        var sessionSalt = Derive(masterKey, masterSalt, RtpSaltLabel, 14);
        var counter = new byte[16];
        sessionSalt.CopyTo(counter, 0);
        XorBigEndian(counter.AsSpan(4, 4), ssrc);
        XorBigEndian48(counter.AsSpan(8, 6), index);
        var encrypted = payload.ToArray();
        Xor(encrypted, Keystream(key, counter, encrypted.Length));

        // RFC 3711 §4.2: tag = HMAC-SHA1(k_a, header || encrypted payload || ROC), 80 bits.
        var authKey = Derive(masterKey, masterSalt, RtpAuthenticationLabel, 20);
        var roc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(roc, rolloverCounter);
        byte[] authenticated = [.. header, .. encrypted, .. roc];
        var tag = HMACSHA1.HashData(authKey, authenticated)[..10];
        return [.. header, .. encrypted, .. tag];
    }

    /// <summary>Protects one RTCP packet with the given SRTCP index (RFC 3711 §3.4, RFC 7714 §9).</summary>
    public static byte[] ProtectRtcp(SrtpProfile profile, byte[] masterKey, byte[] masterSalt, byte[] packet, uint srtcpIndex)
    {
        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet.AsSpan(4));
        var header = packet[..8];
        var body = packet[8..];
        var key = Derive(masterKey, masterSalt, RtcpEncryptionLabel, 16);
        var eAndIndex = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(eAndIndex, 0x8000_0000u | srtcpIndex);
        if (profile == SrtpProfile.AeadAes128Gcm)
        {
            // RFC 7714 §9.1: IV = (00 00 || SSRC || 00 00 || 0 || index) XOR salt;
            // AAD = header || E || index; the E|index word follows the tag.
            var salt = Derive(masterKey, masterSalt, RtcpSaltLabel, 12);
            var iv = new byte[12];
            BinaryPrimitives.WriteUInt32BigEndian(iv.AsSpan(2), ssrc);
            BinaryPrimitives.WriteUInt32BigEndian(iv.AsSpan(8), srtcpIndex);
            Xor(iv, salt);
            return [.. header, .. Seal(key, iv, body, [.. header, .. eAndIndex]), .. eAndIndex];
        }

        var sessionSalt = Derive(masterKey, masterSalt, RtcpSaltLabel, 14);
        var counter = new byte[16];
        sessionSalt.CopyTo(counter, 0);
        XorBigEndian(counter.AsSpan(4, 4), ssrc);
        XorBigEndian48(counter.AsSpan(8, 6), srtcpIndex);
        var encrypted = body.ToArray();
        Xor(encrypted, Keystream(key, counter, encrypted.Length));
        var authKey = Derive(masterKey, masterSalt, RtcpAuthenticationLabel, 20);
        byte[] authenticated = [.. header, .. encrypted, .. eAndIndex];
        return [.. authenticated, .. HMACSHA1.HashData(authKey, authenticated)[..10]];
    }

    private static byte[] Seal(byte[] key, byte[] nonce, byte[] plaintext, byte[] associatedData)
    {
        using var gcm = new AesGcm(key, 16);
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[16];
        gcm.Encrypt(nonce, plaintext, ciphertext, tag, associatedData);
        return [.. ciphertext, .. tag];
    }

    private static void Xor(Span<byte> target, ReadOnlySpan<byte> with)
    {
        for (var i = 0; i < target.Length; i++)
        {
            target[i] ^= with[i];
        }
    }

    private static void XorBigEndian(Span<byte> target, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        Xor(target, bytes);
    }

    private static void XorBigEndian48(Span<byte> target, ulong value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        Xor(target, bytes[2..]);
    }
}
