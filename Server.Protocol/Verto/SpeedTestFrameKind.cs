namespace MediaServer.Protocol.Verto;

/// <summary>The frames of the speed-test sub-protocol (verto-protocol.md §1.7).</summary>
public enum SpeedTestFrameKind
{
    /// <summary>Starts with '#' but is too short or unknown: ignored.</summary>
    Ignored,

    /// <summary><c>#SPU &lt;bytes&gt;</c>: the client announces an upload.</summary>
    Upload,

    /// <summary><c>#SPB ...</c>: one upload block.</summary>
    Block,

    /// <summary><c>#SPE</c>: the upload ended.</summary>
    End,
}
