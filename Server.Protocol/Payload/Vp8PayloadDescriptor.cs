using System.Buffers.Binary;

namespace MediaServer.Protocol.Payload;

/// <summary>
/// The VP8 payload descriptor that starts every VP8 RTP payload (RFC 7741 §4.2), and a look at
/// the VP8 payload header behind it (§4.3).
/// <code>
///       0 1 2 3 4 5 6 7
///      +-+-+-+-+-+-+-+-+
///      |X|R|N|S|R| PID | (REQUIRED)   X: extension byte follows; N: non-reference frame;
///      +-+-+-+-+-+-+-+-+              S: start of a partition; PID: partition index
/// X:   |I|L|T|K| RSV   | (OPTIONAL)   which of the fields below are present
///      +-+-+-+-+-+-+-+-+
/// I:   |M| PictureID   | (OPTIONAL)   M = 1: PictureID is 15 bits over two bytes
///      +-+-+-+-+-+-+-+-+
/// M:   | PictureID     | (OPTIONAL)
///      +-+-+-+-+-+-+-+-+
/// L:   |   TL0PICIDX   | (OPTIONAL)
///      +-+-+-+-+-+-+-+-+
/// T/K: |TID|Y| KEYIDX  | (OPTIONAL)   present if T or K is set
///      +-+-+-+-+-+-+-+-+
///
/// VP8 payload header (§4.3), at the start of the first partition of a frame:
///       0 1 2 3 4 5 6 7
///      +-+-+-+-+-+-+-+-+
///      |Size0|H| VER |P|   P = 0: key frame (an inverse key frame flag)
///      +-+-+-+-+-+-+-+-+
///      |     Size1     |
///      +-+-+-+-+-+-+-+-+
///      |     Size2     |
///      +-+-+-+-+-+-+-+-+
///      | 9d | 01 | 2a | width (14 bits + 2 scale, LE) | height (same) |   key frames only (RFC 6386 §9.1)
/// </code>
/// A plain value: parsing copies the fields out, so it outlives the packet.
/// </summary>
public readonly struct Vp8PayloadDescriptor : IEquatable<Vp8PayloadDescriptor>
{
    private readonly bool _hasTl0PicIdx;
    private readonly bool _hasTemporalLayerIndex;
    private readonly bool _hasKeyIndex;

    /// <summary>X was set with I, L, T and K all clear: legal, and the byte still takes space.</summary>
    private readonly bool _emptyExtension;

    /// <summary>
    /// Describes a descriptor to write. A null optional field is left out; PictureID is 7 bits
    /// (0-127) unless <paramref name="pictureId15Bit"/>, then 0-32767; TID 0-3; KEYIDX 0-31.
    /// Out-of-range values throw.
    /// </summary>
    public Vp8PayloadDescriptor(
        bool startOfPartition,
        byte partitionIndex,
        bool nonReference = false,
        int? pictureId = null,
        bool pictureId15Bit = true,
        byte? tl0PicIdx = null,
        int? temporalLayerIndex = null,
        bool layerSync = false,
        int? keyIndex = null)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(partitionIndex, (byte)7);
        if (pictureId is { } id)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(id, nameof(pictureId));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(id, pictureId15Bit ? 0x7FFF : 0x7F, nameof(pictureId));
        }

        if (temporalLayerIndex is { } tid)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(tid, nameof(temporalLayerIndex));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(tid, 3, nameof(temporalLayerIndex));
        }

        if (keyIndex is { } key)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(key, nameof(keyIndex));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(key, 31, nameof(keyIndex));
        }

        IsStartOfPartition = startOfPartition;
        PartitionIndex = partitionIndex;
        IsNonReference = nonReference;
        HasPictureId = pictureId.HasValue;
        IsPictureId15Bit = pictureId.HasValue && pictureId15Bit;
        PictureId = pictureId ?? 0;
        _hasTl0PicIdx = tl0PicIdx.HasValue;
        Tl0PicIdx = tl0PicIdx ?? 0;
        _hasTemporalLayerIndex = temporalLayerIndex.HasValue;
        TemporalLayerIndex = temporalLayerIndex ?? 0;
        LayerSync = temporalLayerIndex.HasValue && layerSync;
        _hasKeyIndex = keyIndex.HasValue;
        KeyIndex = keyIndex ?? 0;
    }

    private Vp8PayloadDescriptor(Vp8PayloadDescriptor fields, bool emptyExtension)
    {
        this = fields;
        _emptyExtension = emptyExtension && !fields.HasExtension;
    }

    /// <summary>X: the extension byte is present.</summary>
    public bool HasExtension => _emptyExtension || HasPictureId || _hasTl0PicIdx || _hasTemporalLayerIndex || _hasKeyIndex;

    /// <summary>N: no other frame references this one, so it may be dropped.</summary>
    public bool IsNonReference { get; }

    /// <summary>S: the payload starts a VP8 partition.</summary>
    public bool IsStartOfPartition { get; }

    /// <summary>PID: 0-7; with S, 0 means the start of a frame.</summary>
    public byte PartitionIndex { get; }

    /// <summary>I.</summary>
    public bool HasPictureId { get; }

    /// <summary>M: the PictureID field is 15 bits wide.</summary>
    public bool IsPictureId15Bit { get; }

    /// <summary>7 or 15 bits (see <see cref="IsPictureId15Bit"/>); 0 without I.</summary>
    public int PictureId { get; }

    /// <summary>L.</summary>
    public bool HasTl0PicIdx => _hasTl0PicIdx;

    /// <summary>Running index of the temporal base layer frames; 0 without L.</summary>
    public byte Tl0PicIdx { get; }

    /// <summary>T.</summary>
    public bool HasTemporalLayerIndex => _hasTemporalLayerIndex;

    /// <summary>TID: 0-3; 0 without T.</summary>
    public int TemporalLayerIndex { get; }

    /// <summary>Y: the frame depends only on the base layer; false without T.</summary>
    public bool LayerSync { get; }

    /// <summary>K.</summary>
    public bool HasKeyIndex => _hasKeyIndex;

    /// <summary>KEYIDX: 0-31; 0 without K.</summary>
    public int KeyIndex { get; }

    /// <summary>Bytes the descriptor takes at the start of the payload: 1 to 6.</summary>
    public int HeaderLength =>
        1
        + (HasExtension ? 1 : 0)
        + (HasPictureId ? (IsPictureId15Bit ? 2 : 1) : 0)
        + (_hasTl0PicIdx ? 1 : 0)
        + (_hasTemporalLayerIndex || _hasKeyIndex ? 1 : 0);

    /// <summary>S = 1 and PID = 0: the first packet of a frame (§4.2).</summary>
    public bool IsStartOfFrame => IsStartOfPartition && PartitionIndex == 0;

    public static bool operator ==(Vp8PayloadDescriptor left, Vp8PayloadDescriptor right) => left.Equals(right);

    public static bool operator !=(Vp8PayloadDescriptor left, Vp8PayloadDescriptor right) => !left.Equals(right);

    /// <summary>
    /// Reads the descriptor at the start of <paramref name="payload"/>. False when the payload
    /// ends inside the descriptor; the VP8 data that follows starts at <see cref="HeaderLength"/>.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> payload, out Vp8PayloadDescriptor d)
    {
        d = default;
        if (payload.IsEmpty)
        {
            return false;
        }

        var first = payload[0];
        var offset = 1;
        int? pictureId = null;
        var pictureId15Bit = false;
        byte? tl0PicIdx = null;
        int? temporalLayerIndex = null;
        var layerSync = false;
        int? keyIndex = null;
        if ((first & 0x80) != 0)
        {
            if (payload.Length < 2)
            {
                return false;
            }

            var extension = payload[1];
            offset = 2;
            if ((extension & 0x80) != 0)
            {
                if (payload.Length <= offset)
                {
                    return false;
                }

                pictureId15Bit = (payload[offset] & 0x80) != 0;
                if (pictureId15Bit)
                {
                    if (payload.Length < offset + 2)
                    {
                        return false;
                    }

                    pictureId = BinaryPrimitives.ReadUInt16BigEndian(payload[offset..]) & 0x7FFF;
                    offset += 2;
                }
                else
                {
                    pictureId = payload[offset] & 0x7F;
                    offset++;
                }
            }

            if ((extension & 0x40) != 0)
            {
                if (payload.Length <= offset)
                {
                    return false;
                }

                tl0PicIdx = payload[offset++];
            }

            var hasT = (extension & 0x20) != 0;
            var hasK = (extension & 0x10) != 0;
            if (hasT || hasK)
            {
                if (payload.Length <= offset)
                {
                    return false;
                }

                var tk = payload[offset++];
                if (hasT)
                {
                    temporalLayerIndex = tk >> 6;
                    layerSync = (tk & 0x20) != 0;
                }

                if (hasK)
                {
                    keyIndex = tk & 0x1F;
                }
            }
        }

        var fields = new Vp8PayloadDescriptor(
            (first & 0x10) != 0,
            (byte)(first & 0x07),
            (first & 0x20) != 0,
            pictureId,
            pictureId15Bit,
            tl0PicIdx,
            temporalLayerIndex,
            layerSync,
            keyIndex);
        d = new Vp8PayloadDescriptor(fields, (first & 0x80) != 0);
        return true;
    }

    /// <summary>
    /// The descriptor most senders put on simple (non-layered) VP8: S, PID, N and an optional
    /// 15-bit PictureID. See <see cref="TryWrite(Span{byte}, out int)"/> for everything else.
    /// </summary>
    public static bool TryWrite(Span<byte> destination, bool startOfPartition, byte partitionIndex, bool nonReference, int? pictureId15Bit, out int written) =>
        new Vp8PayloadDescriptor(startOfPartition, partitionIndex, nonReference, pictureId15Bit).TryWrite(destination, out written);

    /// <summary>
    /// Whether the VP8 data after the descriptor starts a key frame: its payload header's P bit is
    /// 0 (§4.3). Only meaningful for the first packet of a frame (<see cref="IsStartOfFrame"/>).
    /// </summary>
    public static bool IsKeyFrame(ReadOnlySpan<byte> vp8PayloadAfterDescriptor) =>
        !vp8PayloadAfterDescriptor.IsEmpty && (vp8PayloadAfterDescriptor[0] & 0x01) == 0;

    /// <summary>
    /// A key frame's dimensions from its uncompressed header (RFC 6386 §9.1): after the 3-byte
    /// frame tag, the start code 9d 01 2a and two little-endian 16-bit fields whose low 14 bits
    /// are width and height. False unless the data is a key frame with a valid start code.
    /// </summary>
    public static bool TryGetKeyFrameSize(ReadOnlySpan<byte> vp8PayloadAfterDescriptor, out int width, out int height)
    {
        width = 0;
        height = 0;
        var data = vp8PayloadAfterDescriptor;
        if (data.Length < 10 || !IsKeyFrame(data) || data[3] != 0x9D || data[4] != 0x01 || data[5] != 0x2A)
        {
            return false;
        }

        width = BinaryPrimitives.ReadUInt16LittleEndian(data[6..]) & 0x3FFF;
        height = BinaryPrimitives.ReadUInt16LittleEndian(data[8..]) & 0x3FFF;
        return true;
    }

    /// <summary>Same as <see cref="HeaderLength"/>: the bytes <see cref="TryWrite(Span{byte}, out int)"/> needs.</summary>
    public int GetSize() => HeaderLength;

    /// <summary>Writes this descriptor; reserved bits are 0. False if <paramref name="destination"/> is shorter than <see cref="HeaderLength"/>.</summary>
    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        var length = HeaderLength;
        if (destination.Length < length)
        {
            return false;
        }

        var hasTk = _hasTemporalLayerIndex || _hasKeyIndex;
        destination[0] = (byte)((HasExtension ? 0x80 : 0)
            | (IsNonReference ? 0x20 : 0)
            | (IsStartOfPartition ? 0x10 : 0)
            | PartitionIndex);
        var offset = 1;
        if (HasExtension)
        {
            destination[offset++] = (byte)((HasPictureId ? 0x80 : 0)
                | (_hasTl0PicIdx ? 0x40 : 0)
                | (_hasTemporalLayerIndex ? 0x20 : 0)
                | (_hasKeyIndex ? 0x10 : 0));
        }

        if (HasPictureId)
        {
            if (IsPictureId15Bit)
            {
                BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], (ushort)(0x8000 | PictureId));
                offset += 2;
            }
            else
            {
                destination[offset++] = (byte)PictureId;
            }
        }

        if (_hasTl0PicIdx)
        {
            destination[offset++] = Tl0PicIdx;
        }

        if (hasTk)
        {
            destination[offset++] = (byte)((TemporalLayerIndex << 6) | (LayerSync ? 0x20 : 0) | KeyIndex);
        }

        written = offset;
        return true;
    }

    public bool Equals(Vp8PayloadDescriptor other) =>
        IsNonReference == other.IsNonReference
        && IsStartOfPartition == other.IsStartOfPartition
        && PartitionIndex == other.PartitionIndex
        && HasPictureId == other.HasPictureId
        && IsPictureId15Bit == other.IsPictureId15Bit
        && PictureId == other.PictureId
        && _hasTl0PicIdx == other._hasTl0PicIdx
        && Tl0PicIdx == other.Tl0PicIdx
        && _hasTemporalLayerIndex == other._hasTemporalLayerIndex
        && TemporalLayerIndex == other.TemporalLayerIndex
        && LayerSync == other.LayerSync
        && _hasKeyIndex == other._hasKeyIndex
        && _emptyExtension == other._emptyExtension
        && KeyIndex == other.KeyIndex;

    public override bool Equals(object? obj) => obj is Vp8PayloadDescriptor other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(PartitionIndex, PictureId, Tl0PicIdx, TemporalLayerIndex, KeyIndex, HeaderLength);
}
