using System.Buffers.Binary;

namespace MediaServer.Protocol.Rtcp;

/// <summary>
/// Iterates the items of every chunk of an SDES packet (RFC 3550 §6.5) in order; usable with
/// foreach. Stops at the end, or at the first malformed chunk with <see cref="IsMalformed"/> set.
/// Borrows the packet's buffer; allocates nothing.
/// </summary>
public ref struct RtcpSdesItemEnumerator
{
    private readonly ReadOnlySpan<byte> _body;
    private int _chunksLeft;
    private int _offset;
    private bool _inChunk;
    private uint _ssrc;

    internal RtcpSdesItemEnumerator(ReadOnlySpan<byte> body, int chunkCount)
    {
        _body = body;
        _chunksLeft = chunkCount;
        _offset = 0;
        _inChunk = false;
        _ssrc = 0;
        Current = default;
        IsMalformed = false;
    }

    public RtcpSdesItem Current { get; private set; }

    public bool IsMalformed { get; private set; }

    public readonly RtcpSdesItemEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        while (true)
        {
            if (!_inChunk)
            {
                if (_chunksLeft == 0)
                {
                    return false;
                }

                if (_body.Length - _offset < 4)
                {
                    return Fail();
                }

                _ssrc = BinaryPrimitives.ReadUInt32BigEndian(_body[_offset..]);
                _offset += 4;
                _chunksLeft--;
                _inChunk = true;
            }

            if (_offset >= _body.Length)
            {
                // Every item list ends with a null octet; running out first is a truncation.
                return Fail();
            }

            var type = _body[_offset];
            if (type == RtcpSdesItemType.End)
            {
                // The null octet plus padding up to the next 32-bit boundary end the chunk.
                _offset = (_offset + 4) & ~3;
                if (_offset > _body.Length)
                {
                    return Fail();
                }

                _inChunk = false;
                continue;
            }

            if (_body.Length - _offset < 2 || _body.Length - _offset - 2 < _body[_offset + 1])
            {
                return Fail();
            }

            int length = _body[_offset + 1];
            Current = new RtcpSdesItem(_ssrc, type, _body.Slice(_offset + 2, length));
            _offset += 2 + length;
            return true;
        }
    }

    private bool Fail()
    {
        IsMalformed = true;
        _chunksLeft = 0;
        _inChunk = false;
        return false;
    }
}
