using System.Net;
using System.Security.Cryptography;
using System.Text;
using MediaServer.Protocol.Stun;
using MediaServer.Protocol.Tests.Support;

namespace MediaServer.Protocol.Tests.Stun;

public class StunMessageTests
{
    private static readonly byte[] Password = Encoding.ASCII.GetBytes(StunVectors.Password);
    private static readonly byte[] RfcTransactionId = Hex.Parse("b7 e7 a7 01 bc 34 d6 86 fa 87 df ae");

    /// <summary>RFC 5769 §2.4: MD5("username:realm:SASLprep(password)"); "TheMatrIX" is already prepped.</summary>
    private static byte[] LongTermKey() => MD5.HashData(Encoding.UTF8.GetBytes("マトリックス:example.org:TheMatrIX"));

    [Fact]
    public void SampleRequestFields()
    {
        Assert.True(StunMessage.IsStun(StunVectors.SampleRequest));
        Assert.True(StunMessage.TryParse(StunVectors.SampleRequest, out var message));

        Assert.Equal(StunMethod.Binding, message.Method);
        Assert.Equal(StunClass.Request, message.Class);
        Assert.Equal(RfcTransactionId, message.TransactionId.ToArray());
        Assert.True(message.TryGetAttribute(StunAttributeType.Software, out var software));
        Assert.Equal("STUN test client", Encoding.UTF8.GetString(software));
        Assert.True(message.TryGetUsername(out var username));
        Assert.Equal("evtj:h6vY", Encoding.UTF8.GetString(username));
        Assert.True(message.TryGetPriority(out var priority));
        Assert.Equal(0x6e0001ffu, priority);
        Assert.True(message.TryGetIceControlled(out var tieBreaker));
        Assert.Equal(0x932ff9b151263b36ul, tieBreaker);
        Assert.False(message.TryGetIceControlling(out _));
        Assert.False(message.HasUseCandidate);
        Assert.True(message.HasMessageIntegrity);
        Assert.True(message.HasFingerprint);
        Assert.True(message.VerifyMessageIntegrity(Password));
        Assert.False(message.VerifyMessageIntegrity("wrong"u8));
        Assert.True(message.VerifyFingerprint());
    }

    [Fact]
    public void SampleRequestIsWrittenBackByteForByte()
    {
        var buffer = new byte[200];
        var writer = new StunWriter(buffer, StunMethod.Binding, StunClass.Request, RfcTransactionId) { PaddingByte = 0x20 };
        writer.AddSoftware("STUN test client"u8);
        writer.AddPriority(0x6e0001ff);
        writer.AddIceControlled(0x932ff9b151263b36);
        writer.AddUsername("evtj:h6vY"u8);
        writer.AddMessageIntegrity(Password);
        writer.AddFingerprint();

        Assert.Equal(Hex.Format(StunVectors.SampleRequest), Hex.Format(writer.Written));
        Assert.Equal(StunVectors.SampleRequest.Length, writer.Length);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ResponsesCarryTheMappedAddress(bool ipv6)
    {
        var vector = ipv6 ? StunVectors.Ipv6Response : StunVectors.Ipv4Response;
        var expected = IPAddress.Parse(ipv6 ? "2001:db8:1234:5678:11:2233:4455:6677" : "192.0.2.1").GetAddressBytes();

        Assert.True(StunMessage.TryParse(vector, out var message));
        Assert.Equal(StunClass.SuccessResponse, message.Class);
        Assert.Equal(StunMethod.Binding, message.Method);
        Span<byte> address = stackalloc byte[16];
        Assert.True(message.TryGetXorMappedAddress(address, out var length, out var port));
        Assert.Equal(expected, address[..length].ToArray());
        Assert.Equal(32853, port);
        Assert.True(message.TryGetAttribute(StunAttributeType.Software, out var software));
        Assert.Equal("test vector", Encoding.UTF8.GetString(software));
        Assert.True(message.VerifyMessageIntegrity(Password));
        Assert.True(message.VerifyFingerprint());

        var buffer = new byte[200];
        var writer = new StunWriter(buffer, StunMethod.Binding, StunClass.SuccessResponse, RfcTransactionId) { PaddingByte = 0x20 };
        writer.AddSoftware("test vector"u8);
        writer.AddXorMappedAddress(expected, 32853);
        writer.AddMessageIntegrity(Password);
        writer.AddFingerprint();
        Assert.Equal(Hex.Format(vector), Hex.Format(writer.Written));
    }

    [Fact]
    public void XorMappedAddressNeedsRoomForTheFamily()
    {
        Assert.True(StunMessage.TryParse(StunVectors.Ipv6Response, out var message));
        Span<byte> small = stackalloc byte[4];
        Assert.False(message.TryGetXorMappedAddress(small, out _, out _));
    }

    [Fact]
    public void LongTermRequest()
    {
        Assert.True(StunMessage.TryParse(StunVectors.LongTermRequest, out var message));
        Assert.True(message.TryGetUsername(out var username));
        Assert.Equal("マトリックス", Encoding.UTF8.GetString(username));
        Assert.True(message.TryGetAttribute(StunAttributeType.Nonce, out var nonce));
        Assert.Equal("f//499k954d6OL34oL9FSTvy64sA", Encoding.UTF8.GetString(nonce));
        Assert.True(message.TryGetAttribute(StunAttributeType.Realm, out var realm));
        Assert.Equal("example.org", Encoding.UTF8.GetString(realm));
        Assert.False(message.HasFingerprint);
        Assert.False(message.VerifyFingerprint());
        Assert.True(message.VerifyMessageIntegrity(LongTermKey()));
        Assert.False(message.VerifyMessageIntegrity(MD5.HashData(Encoding.UTF8.GetBytes("マトリックス:example.org:thematrix"))));

        var buffer = new byte[200];
        var writer = new StunWriter(buffer, StunMethod.Binding, StunClass.Request, message.TransactionId);
        writer.AddUsername(Encoding.UTF8.GetBytes("マトリックス"));
        writer.AddAttribute(StunAttributeType.Nonce, "f//499k954d6OL34oL9FSTvy64sA"u8);
        writer.AddAttribute(StunAttributeType.Realm, "example.org"u8);
        writer.AddMessageIntegrity(LongTermKey());
        Assert.Equal(Hex.Format(StunVectors.LongTermRequest), Hex.Format(writer.Written));
    }

    [Fact]
    public void ChromeStyleRequest()
    {
        Assert.True(StunMessage.TryParse(StunVectors.ChromeRequest, out var message));
        Assert.True(message.HasUseCandidate);
        Assert.True(message.TryGetIceControlling(out var tieBreaker));
        Assert.Equal(0x1122334455667788ul, tieBreaker);
        Assert.True(message.TryGetPriority(out var priority));
        Assert.Equal(1845501695u, priority);
        Assert.True(message.VerifyMessageIntegrity(StunVectors.LocalPassword));
        Assert.True(message.VerifyFingerprint());
    }

    public static TheoryData<int> VectorIndexes => new() { 0, 1, 2, 3, 4 };

    [Theory]
    [MemberData(nameof(VectorIndexes))]
    public void EveryTamperedByteFailsIntegrityOrFingerprint(int index)
    {
        var vector = StunVectors.All[index];
        var key = index switch
        {
            3 => LongTermKey(),
            4 => StunVectors.LocalPassword,
            _ => Password,
        };

        for (var i = 0; i < vector.Length; i++)
        {
            var tampered = (byte[])vector.Clone();
            tampered[i] ^= 0x01;
            if (!StunMessage.TryParse(tampered, out var message))
            {
                continue;
            }

            // A flip inside FINGERPRINT's own value leaves the integrity intact, and one inside the
            // covered part breaks both; either way at least one check catches it.
            var integrity = message.HasMessageIntegrity && message.VerifyMessageIntegrity(key);
            var fingerprint = message.HasFingerprint && message.VerifyFingerprint();
            var hasFingerprint = index != 3;
            Assert.False(integrity && (fingerprint || !hasFingerprint), $"byte {i} flipped went unnoticed");
            if (hasFingerprint)
            {
                Assert.False(fingerprint, $"byte {i} flipped kept the fingerprint valid");
            }
        }
    }

    [Theory]
    [MemberData(nameof(VectorIndexes))]
    public void EveryTruncationIsRefused(int index)
    {
        var vector = StunVectors.All[index];
        for (var length = 0; length < vector.Length; length++)
        {
            Assert.False(StunMessage.IsStun(vector.AsSpan(0, length)));
            Assert.False(StunMessage.TryParse(vector.AsSpan(0, length), out _));
        }
    }

    [Fact]
    public void RefusesBadHeaders()
    {
        var vector = (byte[])StunVectors.SampleRequest.Clone();

        vector[0] |= 0x80;
        Assert.False(StunMessage.TryParse(vector, out _));
        vector[0] &= 0x3F;

        vector[4] ^= 0xFF;
        Assert.False(StunMessage.TryParse(vector, out _));
        vector[4] ^= 0xFF;

        vector[3] += 2;
        Assert.False(StunMessage.TryParse(vector, out _));
        vector[3] -= 2;

        // An attribute whose length runs past the end of the message.
        vector[22] = 0x01;
        Assert.False(StunMessage.TryParse(vector, out _));
    }

    [Fact]
    public void AttributesAfterIntegrityAreIgnored()
    {
        var buffer = new byte[200];
        var writer = new StunWriter(buffer, StunMethod.Binding, StunClass.Request, RfcTransactionId);
        writer.AddUsername("a:b"u8);
        writer.AddMessageIntegrity(Password);
        writer.AddPriority(7);
        writer.AddFingerprint();

        Assert.True(StunMessage.TryParse(writer.Written, out var message));
        Assert.True(message.TryGetUsername(out _));
        Assert.False(message.TryGetPriority(out _));
        Assert.True(message.VerifyMessageIntegrity(Password));
        Assert.True(message.VerifyFingerprint());
    }

    [Fact]
    public void FingerprintMustBeLast()
    {
        Assert.Throws<InvalidOperationException>(() =>
        {
            var buffer = new byte[200];
            var again = new StunWriter(buffer, StunMethod.Binding, StunClass.Request, RfcTransactionId);
            again.AddFingerprint();
            again.AddPriority(1);
        });
    }

    [Fact]
    public void ErrorCodeRoundTrips()
    {
        var buffer = new byte[200];
        var writer = new StunWriter(buffer, StunMethod.Binding, StunClass.ErrorResponse, RfcTransactionId);
        writer.AddErrorCode(487, "Role Conflict"u8);
        writer.AddFingerprint();

        Assert.True(StunMessage.TryParse(writer.Written, out var message));
        Assert.Equal(StunClass.ErrorResponse, message.Class);
        Assert.True(message.TryGetErrorCode(out var code, out var reason));
        Assert.Equal(487, code);
        Assert.Equal("Role Conflict", Encoding.UTF8.GetString(reason));
        Assert.True(message.VerifyFingerprint());
    }

    [Theory]
    [InlineData((ushort)0x0001, StunClass.Request, (ushort)0x0001)]
    [InlineData((ushort)0x0001, StunClass.Indication, (ushort)0x0011)]
    [InlineData((ushort)0x0001, StunClass.SuccessResponse, (ushort)0x0101)]
    [InlineData((ushort)0x0001, StunClass.ErrorResponse, (ushort)0x0111)]
    [InlineData((ushort)0x0003, StunClass.SuccessResponse, (ushort)0x0103)]
    [InlineData((ushort)0x0FFF, StunClass.ErrorResponse, (ushort)0x3FFF)]
    public void MessageTypeInterleavesMethodAndClass(ushort method, StunClass stunClass, ushort type)
    {
        Assert.Equal(type, StunMessage.EncodeMessageType(method, stunClass));
        Assert.Equal(method, StunMessage.DecodeMethod(type));
        Assert.Equal(stunClass, StunMessage.DecodeClass(type));
    }

    [Fact]
    public void WriterRefusesATooSmallBuffer()
    {
        Assert.Throws<ArgumentException>(() =>
        {
            var buffer = new byte[24];
            var writer = new StunWriter(buffer, StunMethod.Binding, StunClass.Request, RfcTransactionId);
            writer.AddPriority(1);
            writer.AddPriority(2);
        });
    }
}
