using System.Runtime.InteropServices;

namespace MediaServer.Media.Srtp;

/// <summary>
/// libsrtp2's <c>srtp_crypto_policy_t</c> (include/srtp.h, 2.5.0): six 32-bit fields. We never
/// fill it by hand; <c>srtp_crypto_policy_set_*</c> does, so only the size has to be right.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 24)]
internal struct SrtpCryptoPolicy
{
    [FieldOffset(0)] public uint CipherType;
    [FieldOffset(4)] public int CipherKeyLength;
    [FieldOffset(8)] public uint AuthType;
    [FieldOffset(12)] public int AuthKeyLength;
    [FieldOffset(16)] public int AuthTagLength;
    [FieldOffset(20)] public int SecurityServices;
}
