using System.Buffers.Binary;

namespace MediaServer.Protocol.Rtcp;

/// <summary>Iterates the 8-byte FCI entries of a FIR (RFC 5104 §4.3.1.1); usable with foreach. Allocates nothing.</summary>
public ref struct RtcpFirEnumerator
{
    public const int EntrySize = 8;

    private readonly ReadOnlySpan<byte> _fci;
    private int _offset;

    internal RtcpFirEnumerator(ReadOnlySpan<byte> fci)
    {
        _fci = fci;
        _offset = 0;
        Current = default;
    }

    public RtcpFirEntry Current { get; private set; }

    public readonly RtcpFirEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_fci.Length - _offset < EntrySize)
        {
            return false;
        }

        Current = new RtcpFirEntry(BinaryPrimitives.ReadUInt32BigEndian(_fci[_offset..]), _fci[_offset + 4]);
        _offset += EntrySize;
        return true;
    }
}
