namespace MediaServer.Observability;

/// <summary>What a raised log level applies to: one call id, one room name or one user id.</summary>
internal enum DebugTargetKind
{
    Call,
    Room,
    User,
}
