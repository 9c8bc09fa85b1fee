namespace MediaServer.Tests.Sip;

/// <summary>SIP tests run one at a time: each starts SIPp or baresip processes, and the machine has two cores.</summary>
[CollectionDefinition(nameof(SipCollection), DisableParallelization = true)]
public sealed class SipCollection
{
}
