using System.Runtime.InteropServices;

namespace MediaServer.Media.Srtp;

/// <summary>
/// libsrtp2's <c>srtp_policy_t</c> as laid out by libsrtp 2.5.0 on LP64 Linux (the only
/// platform we load it on: Debian's libsrtp2-1). <c>unsigned long</c> is 8 bytes there, and
/// the compiler pads <c>allow_repeat_tx</c> and <c>enc_xtn_hdr_count</c> to the next pointer.
/// <code>
///   0 srtp_ssrc_t ssrc              { int type; unsigned int value; }
///   8 srtp_crypto_policy_t rtp      24 bytes
///  32 srtp_crypto_policy_t rtcp     24 bytes
///  56 unsigned char *key
///  64 srtp_master_key_t **keys      (MKI; unused)
///  72 unsigned long num_master_keys
///  80 void *deprecated_ekt
///  88 unsigned long window_size
///  96 int allow_repeat_tx           (+4 padding)
/// 104 int *enc_xtn_hdr
/// 112 int enc_xtn_hdr_count         (+4 padding)
/// 120 struct srtp_policy_t *next
/// 128
/// </code>
/// A test pins the size; if libsrtp ever changes the struct, srtp_create would read garbage.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 128)]
internal unsafe struct SrtpPolicy
{
    /// <summary><c>ssrc_any_inbound</c>: a template cloned for every SSRC that unprotects.</summary>
    public const int SsrcAnyInbound = 2;

    /// <summary><c>ssrc_any_outbound</c>: a template cloned for every SSRC that protects.</summary>
    public const int SsrcAnyOutbound = 3;

    [FieldOffset(0)] public int SsrcType;
    [FieldOffset(4)] public uint SsrcValue;
    [FieldOffset(8)] public SrtpCryptoPolicy Rtp;
    [FieldOffset(32)] public SrtpCryptoPolicy Rtcp;
    [FieldOffset(56)] public byte* Key;
    [FieldOffset(64)] public void* Keys;
    [FieldOffset(72)] public nuint NumMasterKeys;
    [FieldOffset(80)] public void* DeprecatedEkt;
    [FieldOffset(88)] public nuint WindowSize;
    [FieldOffset(96)] public int AllowRepeatTx;
    [FieldOffset(104)] public int* EncryptedHeaderExtensionIds;
    [FieldOffset(112)] public int EncryptedHeaderExtensionCount;
    [FieldOffset(120)] public SrtpPolicy* Next;
}
