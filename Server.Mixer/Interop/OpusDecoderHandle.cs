using Microsoft.Win32.SafeHandles;

namespace MediaServer.Mixer.Interop;

/// <summary>An <c>OpusDecoder*</c>; freed with <c>opus_decoder_destroy</c> once nothing is using it.</summary>
internal sealed class OpusDecoderHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public OpusDecoderHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        LibOpusNative.DecoderDestroy(handle);
        return true;
    }
}
