using System.Buffers.Binary;

namespace MediaServer.Protocol.Rtcp;

/// <summary>
/// Expands generic NACK PID/BLP pairs (RFC 4585 §6.2.1) into lost sequence numbers; usable
/// with foreach. Borrows the packet's buffer; allocates nothing.
/// </summary>
public ref struct RtcpNackEnumerator
{
    private readonly ReadOnlySpan<byte> _fci;
    private int _offset;
    private ushort _pid;
    private ushort _blp;

    /// <summary>-1 before a pair's PID is returned, then the next BLP bit to look at.</summary>
    private int _bit;

    internal RtcpNackEnumerator(ReadOnlySpan<byte> fci)
    {
        _fci = fci;
        _offset = 0;
        _pid = 0;
        _blp = 0;
        _bit = -1;
        Current = 0;
    }

    public ushort Current { get; private set; }

    public readonly RtcpNackEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        while (true)
        {
            if (_bit < 0)
            {
                if (_fci.Length - _offset < 4)
                {
                    return false;
                }

                _pid = BinaryPrimitives.ReadUInt16BigEndian(_fci[_offset..]);
                _blp = BinaryPrimitives.ReadUInt16BigEndian(_fci[(_offset + 2)..]);
                _offset += 4;
                _bit = 0;
                Current = _pid;
                return true;
            }

            while (_bit < 16)
            {
                var bit = _bit++;
                if ((_blp & (1 << bit)) != 0)
                {
                    Current = (ushort)(_pid + bit + 1);
                    return true;
                }
            }

            _bit = -1;
        }
    }
}
