using System.Runtime.InteropServices;

namespace MediaServer.Mixer.Interop;

/// <summary>
/// <c>vpx_image_t</c> (vpx_image.h, libvpx 1.12): 136 bytes on x86-64, offsets in the comments
/// printed by a C program built against the 1.12 headers and checked by Vp8InteropLayoutTests.
/// The encoder fills one on the stack per frame to point at an <see cref="Video.I420Frame"/>; the
/// decoder reads the one libvpx returns, which stays valid until the next decode call.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct VpxImage
{
    public int Format;               // 0   fmt (vpx_img_fmt_t)
    public int ColorSpace;           // 4   cs (vpx_color_space_t)
    public int Range;                // 8   range (vpx_color_range_t)
    public uint Width;               // 12  w: stored width (the display width rounded up to the chroma subsampling)
    public uint Height;              // 16  h
    public uint BitDepth;            // 20  bit_depth
    public uint DisplayWidth;        // 24  d_w: the picture's width
    public uint DisplayHeight;       // 28  d_h
    public uint RenderWidth;         // 32  r_w
    public uint RenderHeight;        // 36  r_h
    public uint ChromaShiftX;        // 40  x_chroma_shift
    public uint ChromaShiftY;        // 44  y_chroma_shift
    public byte* PlaneY;             // 48  planes[VPX_PLANE_Y]
    public byte* PlaneU;             // 56  planes[VPX_PLANE_U]
    public byte* PlaneV;             // 64  planes[VPX_PLANE_V]
    public byte* PlaneAlpha;         // 72  planes[VPX_PLANE_ALPHA]
    public fixed int Stride[4];      // 80  stride, bytes per row of each plane
    public int BitsPerSample;        // 96  bps; 4 bytes of padding follow
    public void* UserPrivate;        // 104 user_priv
    public byte* ImageData;          // 112 img_data (private)
    public int ImageDataOwner;       // 120 img_data_owner (private)
    public int SelfAllocated;        // 124 self_allocd (private)
    public void* FrameBufferPrivate; // 128 fb_priv
}
