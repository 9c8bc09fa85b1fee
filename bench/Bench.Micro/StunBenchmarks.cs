using BenchmarkDotNet.Attributes;
using MediaServer.Protocol.Stun;

namespace MediaServer.Bench.Micro;

/// <summary>
/// The ICE-lite connectivity check path: a Chrome-like binding request is parsed, its
/// MESSAGE-INTEGRITY and FINGERPRINT checked, and the success response with XOR-MAPPED-ADDRESS,
/// MESSAGE-INTEGRITY and FINGERPRINT written; and its parts alone.
/// </summary>
[MemoryDiagnoser]
public class StunBenchmarks
{
    private static readonly byte[] LocalPassword = "uXmlN3jvb8uGBT8GiMH0iJUo"u8.ToArray();
    private static readonly byte[] RemoteAddress = [203, 0, 113, 7];

    private readonly byte[] _request = BuildRequest();
    private readonly byte[] _response = new byte[128];

    /// <summary>Parse, verify both checks, read the ICE attributes, write the response.</summary>
    [Benchmark]
    public int BindingCheckAndResponse()
    {
        if (!StunMessage.TryParse(_request, out var request)
            || !request.VerifyFingerprint()
            || !request.VerifyMessageIntegrity(LocalPassword)
            || !request.TryGetUsername(out _)
            || !request.TryGetPriority(out _))
        {
            return -1;
        }

        var writer = new StunWriter(_response, StunMethod.Binding, StunClass.SuccessResponse, request.TransactionId);
        writer.AddXorMappedAddress(RemoteAddress, 54321);
        writer.AddMessageIntegrity(LocalPassword);
        writer.AddFingerprint();
        return writer.Length + (request.HasUseCandidate ? 1 : 0);
    }

    /// <summary>Header check and attribute walk only.</summary>
    [Benchmark]
    public bool Parse() => StunMessage.TryParse(_request, out _);

    [Benchmark]
    public bool VerifyMessageIntegrity()
    {
        StunMessage.TryParse(_request, out var request);
        return request.VerifyMessageIntegrity(LocalPassword);
    }

    [Benchmark]
    public bool VerifyFingerprint()
    {
        StunMessage.TryParse(_request, out var request);
        return request.VerifyFingerprint();
    }

    /// <summary>
    /// What Chrome sends in a connectivity check: USERNAME, GOOG-NETWORK-INFO (0xC057),
    /// ICE-CONTROLLING, USE-CANDIDATE, PRIORITY, MESSAGE-INTEGRITY, FINGERPRINT.
    /// </summary>
    private static byte[] BuildRequest()
    {
        var buffer = new byte[256];
        var writer = new StunWriter(buffer, StunMethod.Binding, StunClass.Request, "JohnSmith123"u8);
        writer.AddUsername("x9Kq:Ab3dEfGh"u8);
        writer.AddAttribute(0xC057, [0x00, 0x01, 0x00, 0x0a]);
        writer.AddIceControlling(0x1122334455667788);
        writer.AddUseCandidate();
        writer.AddPriority(1845501695);
        writer.AddMessageIntegrity(LocalPassword);
        writer.AddFingerprint();
        return buffer[..writer.Length];
    }
}
