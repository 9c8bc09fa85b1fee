namespace MediaServer.Protocol.Sdp;

/// <summary>
/// Where one attribute line stood in a parsed description: its kind and which one of that kind
/// (an ordinal, or for codec lines the payload type, shifted left 32 bits for rtcp-fb with the
/// ordinal within the codec below). Keyed this way, edits to the model still write sensibly:
/// slots whose item is gone are skipped and new items follow in canonical order.
/// </summary>
internal readonly record struct SdpLayoutSlot(SdpAttributeKind Kind, long Key);
