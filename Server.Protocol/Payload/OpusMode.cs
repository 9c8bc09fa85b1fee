namespace MediaServer.Protocol.Payload;

/// <summary>The Opus coding mode a TOC byte's configuration selects (RFC 6716 §3.1, Table 2).</summary>
public enum OpusMode
{
    Silk,
    Hybrid,
    Celt,
}
