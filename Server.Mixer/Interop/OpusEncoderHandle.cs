using Microsoft.Win32.SafeHandles;

namespace MediaServer.Mixer.Interop;

/// <summary>An <c>OpusEncoder*</c>; freed with <c>opus_encoder_destroy</c> once nothing is using it.</summary>
internal sealed class OpusEncoderHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public OpusEncoderHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        LibOpusNative.EncoderDestroy(handle);
        return true;
    }
}
