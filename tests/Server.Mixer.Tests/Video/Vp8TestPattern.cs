using MediaServer.Mixer.Video;

namespace MediaServer.Mixer.Tests.Video;

/// <summary>
/// A synthetic picture that moves: a diagonal luma gradient sliding right, two boxes crossing
/// it in opposite directions, and chroma ramps. Enough texture and motion that the encoder has
/// to spend bits, deterministic so results repeat.
/// </summary>
internal static class Vp8TestPattern
{
    public static I420Frame Create(int width, int height, int index)
    {
        var frame = new I420Frame(width, height);
        Draw(frame, index);
        return frame;
    }

    public static void Draw(I420Frame frame, int index)
    {
        // Rows are slices of one long ramp and of a tile of blocky noise, so drawing is a few
        // span copies per row even in a Debug build.
        var ramp = Ramp(frame.Width + frame.Height + (index * 4));
        var shift = index * 4;
        var textureTop = frame.Height / 3;
        var textureBottom = textureTop + (frame.Height / 3);
        var textureLeft = frame.Width / 4;
        var textureWidth = Math.Min(frame.Width / 2, TileSize);
        for (var row = 0; row < frame.Height; row++)
        {
            var line = frame.Y.Slice(row * frame.StrideY, frame.Width);
            ramp.AsSpan(shift + (row / 2), frame.Width).CopyTo(line);
            if (row >= textureTop && row < textureBottom)
            {
                // The texture pans left 3 pixels a frame, wrapping around the tile.
                var tileRow = Tile.AsSpan((row % TileSize) * TileSize, TileSize);
                var from = (index * 3) % TileSize;
                var first = Math.Min(textureWidth, TileSize - from);
                tileRow.Slice(from, first).CopyTo(line[textureLeft..]);
                tileRow[..(textureWidth - first)].CopyTo(line[(textureLeft + first)..]);
            }
        }

        var box = Math.Max(8, frame.Height / 5);
        FillBox(frame, (index * 7) % Math.Max(1, frame.Width - box), frame.Height / 8, box, 235);
        FillBox(frame, frame.Width - box - ((index * 5) % Math.Max(1, frame.Width - box)), frame.Height * 3 / 4 - 4, box, 40);

        var chroma = Ramp(frame.ChromaWidth + frame.ChromaHeight + index);
        for (var row = 0; row < frame.ChromaHeight; row++)
        {
            chroma.AsSpan(index + row, frame.ChromaWidth).CopyTo(frame.U.Slice(row * frame.StrideUV, frame.ChromaWidth));
            frame.V.Slice(row * frame.StrideUV, frame.ChromaWidth).Fill((byte)(64 + (row * 128 / frame.ChromaHeight)));
        }
    }

    /// <summary>Luma PSNR in dB between two pictures of one size (99 when identical).</summary>
    public static double PsnrY(I420Frame a, I420Frame b)
    {
        Assert.Equal(a.Width, b.Width);
        Assert.Equal(a.Height, b.Height);
        double sum = 0;
        for (var row = 0; row < a.Height; row++)
        {
            var x = a.Y.Slice(row * a.StrideY, a.Width);
            var z = b.Y.Slice(row * b.StrideY, b.Width);
            for (var col = 0; col < x.Length; col++)
            {
                var d = x[col] - z[col];
                sum += d * d;
            }
        }

        var mse = sum / (a.Width * a.Height);
        return mse == 0 ? 99 : 10 * Math.Log10(255.0 * 255.0 / mse);
    }

    private const int TileSize = 256;

    /// <summary>256 x 256 luma of random 4 x 4 cells: detail the encoder has to spend bits on.</summary>
    private static readonly byte[] Tile = CreateTile();

    /// <summary>Values 16-235 climbing across 640 pixels and repeating, as long as asked.</summary>
    private static byte[] Ramp(int length)
    {
        var ramp = new byte[length];
        for (var i = 0; i < ramp.Length; i++)
        {
            ramp[i] = (byte)(16 + (i * 219 / 640 % 220));
        }

        return ramp;
    }

    private static byte[] CreateTile()
    {
        var random = new Random(7);
        var cells = new byte[(TileSize / 4) * (TileSize / 4)];
        for (var i = 0; i < cells.Length; i++)
        {
            cells[i] = (byte)random.Next(40, 216);
        }

        var tile = new byte[TileSize * TileSize];
        for (var i = 0; i < tile.Length; i++)
        {
            tile[i] = cells[((i / TileSize / 4) * (TileSize / 4)) + (i % TileSize / 4)];
        }

        return tile;
    }

    private static void FillBox(I420Frame frame, int left, int top, int size, byte luma)
    {
        for (var row = top; row < Math.Min(frame.Height, top + size); row++)
        {
            frame.Y.Slice((row * frame.StrideY) + left, Math.Min(size, frame.Width - left)).Fill(luma);
        }
    }
}
