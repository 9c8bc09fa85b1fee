using System.Runtime.InteropServices;

namespace MediaServer.Mixer.Interop;

/// <summary><c>vpx_codec_dec_cfg_t</c> (vpx_decoder.h, libvpx 1.12): 12 bytes. Width and height 0 let the stream decide.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct VpxDecoderConfig
{
    public uint Threads; // 0 threads
    public uint Width;   // 4 w
    public uint Height;  // 8 h
}
