using System.Runtime.InteropServices;

namespace MediaServer.Mixer.Interop;

/// <summary>
/// <c>vpx_codec_cx_pkt_t</c> (vpx_encoder.h, libvpx 1.12): a kind, then a union padded to
/// 128 - sizeof(kind) bytes whose most aligned member holds pointers, so the union starts at 8
/// and the whole is 136 bytes on x86-64. Only the <c>data.frame</c> variant is written out;
/// the other variants (stats, PSNR) are never requested. Offsets printed by a C program built
/// against the 1.12 headers and checked by Vp8InteropLayoutTests. Read-only: libvpx owns it
/// until the next encode call.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct VpxEncodedPacket
{
    public int Kind;                              // 0   kind (vpx_codec_cx_pkt_kind); 4 bytes of padding follow
    public byte* FrameBuffer;                     // 8   data.frame.buf
    public nuint FrameSize;                       // 16  data.frame.sz
    public long FramePts;                         // 24  data.frame.pts
    public CULong FrameDuration;                  // 32  data.frame.duration (unsigned long)
    public uint FrameFlags;                       // 40  data.frame.flags (vpx_codec_frame_flags_t)
    public int FramePartitionId;                  // 44  data.frame.partition_id
    public fixed uint FrameWidth[5];              // 48  data.frame.width[VPX_SS_MAX_LAYERS]
    public fixed uint FrameHeight[5];             // 68  data.frame.height[VPX_SS_MAX_LAYERS]
    public fixed byte FrameSpatialLayerEncoded[5]; // 88  data.frame.spatial_layer_encoded

    /// <summary>93..135: the rest of the union (its 124-byte pad member) and the tail padding.</summary>
    public fixed byte UnionTail[43];
}
