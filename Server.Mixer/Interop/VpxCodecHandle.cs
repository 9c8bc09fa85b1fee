using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace MediaServer.Mixer.Interop;

/// <summary>
/// A <c>vpx_codec_ctx_t</c> in native memory we allocate, with room behind it for the
/// configuration struct the context was initialised with (libvpx reads that one through a
/// pointer, so it must not move and must live as long as the context). Released with
/// <c>vpx_codec_destroy</c>, then the memory is freed. Destroying a context whose init failed
/// is harmless: libvpx sees no private state and returns an error we ignore.
/// </summary>
internal sealed unsafe class VpxCodecHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    /// <summary>The configuration starts here, 8-aligned after the context.</summary>
    private static readonly int ConfigOffset = (sizeof(VpxCodecContext) + 7) & ~7;

    public VpxCodecHandle()
        : base(ownsHandle: true)
    {
    }

    /// <summary>The configuration area behind the context (<see cref="Allocate"/>'s <c>configSize</c> bytes, zeroed).</summary>
    public void* Config => (byte*)handle + ConfigOffset;

    /// <summary>A zeroed context followed by <paramref name="configSize"/> zeroed bytes for its configuration.</summary>
    public static VpxCodecHandle Allocate(int configSize)
    {
        var codec = new VpxCodecHandle();
        codec.SetHandle((nint)NativeMemory.AllocZeroed((nuint)(ConfigOffset + configSize)));
        return codec;
    }

    protected override bool ReleaseHandle()
    {
        LibVpxNative.Destroy(handle);
        NativeMemory.Free((void*)handle);
        return true;
    }
}
