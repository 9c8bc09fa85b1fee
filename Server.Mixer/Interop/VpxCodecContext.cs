using System.Runtime.InteropServices;

namespace MediaServer.Mixer.Interop;

/// <summary>
/// <c>vpx_codec_ctx_t</c> (vpx_codec.h, libvpx 1.12): 56 bytes on x86-64. The caller allocates
/// it and libvpx fills it on init; we only need its size (see <see cref="VpxCodecHandle"/>) and,
/// for diagnostics, the last error code. Layout checked by Vp8InteropLayoutTests.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct VpxCodecContext
{
    public byte* Name;             // 0  name
    public void* Interface;        // 8  iface
    public int Error;              // 16 err (vpx_codec_err_t); 4 bytes of padding follow
    public byte* ErrorDetail;      // 24 err_detail
    public CLong InitFlags;        // 32 init_flags (vpx_codec_flags_t = long)
    public void* Config;           // 40 config (union of the dec/enc config pointers)
    public void* Private;          // 48 priv
}
