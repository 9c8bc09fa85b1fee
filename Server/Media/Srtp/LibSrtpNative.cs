using System.Runtime.InteropServices;

namespace MediaServer.Media.Srtp;

/// <summary>
/// The libsrtp2 entry points we call. Debian's libsrtp2-1 ships only the versioned soname
/// (the unversioned libsrtp2.so comes with -dev), so that is the name we import. Callers go
/// through <see cref="LibSrtp.EnsureAvailable"/> first so a missing package is one clear error.
/// </summary>
internal static unsafe partial class LibSrtpNative
{
    private const string Library = "libsrtp2.so.1";

    [LibraryImport(Library, EntryPoint = "srtp_init")]
    internal static partial SrtpErrorStatus Init();

    [LibraryImport(Library, EntryPoint = "srtp_get_version_string")]
    internal static partial nint GetVersionString();

    [LibraryImport(Library, EntryPoint = "srtp_create")]
    internal static partial SrtpErrorStatus Create(nint* session, SrtpPolicy* policy);

    [LibraryImport(Library, EntryPoint = "srtp_dealloc")]
    internal static partial SrtpErrorStatus Dealloc(nint session);

    [LibraryImport(Library, EntryPoint = "srtp_protect")]
    internal static partial SrtpErrorStatus Protect(nint session, byte* packet, int* length);

    [LibraryImport(Library, EntryPoint = "srtp_unprotect")]
    internal static partial SrtpErrorStatus Unprotect(nint session, byte* packet, int* length);

    [LibraryImport(Library, EntryPoint = "srtp_protect_rtcp")]
    internal static partial SrtpErrorStatus ProtectRtcp(nint session, byte* packet, int* length);

    [LibraryImport(Library, EntryPoint = "srtp_unprotect_rtcp")]
    internal static partial SrtpErrorStatus UnprotectRtcp(nint session, byte* packet, int* length);

    [LibraryImport(Library, EntryPoint = "srtp_crypto_policy_set_rtp_default")]
    internal static partial void SetRtpDefault(SrtpCryptoPolicy* policy);

    [LibraryImport(Library, EntryPoint = "srtp_crypto_policy_set_rtcp_default")]
    internal static partial void SetRtcpDefault(SrtpCryptoPolicy* policy);

    [LibraryImport(Library, EntryPoint = "srtp_crypto_policy_set_aes_gcm_128_16_auth")]
    internal static partial void SetAesGcm128With16ByteTag(SrtpCryptoPolicy* policy);
}
