using System.Buffers.Text;

namespace MediaServer.Protocol.Verto;

/// <summary>
/// Reads the plain-text frames of Verto's bandwidth test (verto-protocol.md §1.7):
/// <code>
///   C->S  #SPU 262144        announce
///   C->S  #SPB .........     bytes/1024 blocks
///   C->S  #SPE               end of upload
///   S->C  #SPU &lt;ms&gt;          upload time
///   S->C  #SPB .........     download blocks
///   S->C  #SPD &lt;ms&gt;          download time; the client completes only on this
/// </code>
/// A frame starting with '#' is never JSON, so the first byte tells them apart.
/// </summary>
public static class SpeedTestFrame
{
    /// <summary>The reference server caps the announced size at 10 MB.</summary>
    public const long MaxBytes = 10 * 1024 * 1024;

    /// <summary>Size of one block frame, in both directions.</summary>
    public const int BlockSize = 1024;

    public static bool IsSpeedTest(ReadOnlySpan<byte> frame) => !frame.IsEmpty && frame[0] == (byte)'#';

    /// <summary>
    /// Classifies a '#' frame. For <see cref="SpeedTestFrameKind.Upload"/>, <paramref name="bytes"/>
    /// is the announced size, clamped to 0..<see cref="MaxBytes"/>.
    /// </summary>
    public static SpeedTestFrameKind Classify(ReadOnlySpan<byte> frame, out long bytes)
    {
        bytes = 0;
        if (frame.Length < 4 || frame[0] != (byte)'#')
        {
            return SpeedTestFrameKind.Ignored;
        }

        if (frame.StartsWith("#SPB"u8))
        {
            return SpeedTestFrameKind.Block;
        }

        if (frame.StartsWith("#SPE"u8))
        {
            return SpeedTestFrameKind.End;
        }

        if (frame.StartsWith("#SPU"u8))
        {
            var rest = frame[4..].Trim((byte)' ');
            if (Utf8Parser.TryParse(rest, out long announced, out _) && announced > 0)
            {
                bytes = Math.Min(announced, MaxBytes);
            }

            return SpeedTestFrameKind.Upload;
        }

        return SpeedTestFrameKind.Ignored;
    }

    /// <summary>The server's <c>#SPU &lt;ms&gt;</c> or <c>#SPD &lt;ms&gt;</c> frame.</summary>
    public static byte[] Report(bool download, long milliseconds)
    {
        return System.Text.Encoding.ASCII.GetBytes((download ? "#SPD " : "#SPU ") + Math.Max(0, milliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>One download block: "#SPB" followed by filler up to <see cref="BlockSize"/> bytes.</summary>
    public static byte[] DownloadBlock()
    {
        var block = new byte[BlockSize];
        "#SPB"u8.CopyTo(block);
        block.AsSpan(4).Fill((byte)'.');
        return block;
    }
}
