using MediaServer.Protocol.Tests.Support;

namespace MediaServer.Protocol.Tests.Stun;

/// <summary>
/// RFC 5769 §2 test vectors, verbatim (padding in §2.1-2.3 is 0x20 on purpose), and a binding
/// request shaped like the connectivity checks Chrome sends.
/// </summary>
public static class StunVectors
{
    /// <summary>Short-term password of §2.1-2.3.</summary>
    public const string Password = "VOkJxbRl1RmTxUk/WvJxBt";

    /// <summary>RFC 5769 §2.1 Sample Request.</summary>
    public static readonly byte[] SampleRequest = Hex.Parse("""
        00 01 00 58  // Request type (Binding request) and message length (88)
        21 12 a4 42  // Magic cookie
        b7 e7 a7 01  // Transaction ID
        bc 34 d6 86  //   ...
        fa 87 df ae  //   ...
        80 22 00 10  // SOFTWARE attribute header (16 bytes)
        53 54 55 4e  //   "STUN"
        20 74 65 73  //   " tes"
        74 20 63 6c  //   "t cl"
        69 65 6e 74  //   "ient"
        00 24 00 04  // PRIORITY attribute header
        6e 00 01 ff  //   ICE priority value
        80 29 00 08  // ICE-CONTROLLED attribute header
        93 2f f9 b1  //   pseudo-random tie breaker...
        51 26 3b 36  //   ...for ICE control
        00 06 00 09  // USERNAME attribute header (9 bytes)
        65 76 74 6a  //   "evtj"
        3a 68 36 76  //   ":h6v"
        59 20 20 20  //   "Y" and 3 bytes of padding (spaces)
        00 08 00 14  // MESSAGE-INTEGRITY attribute header
        9a ea a7 0c  //   HMAC-SHA1
        bf d8 cb 56  //   ...
        78 1e f2 b5  //   ...
        b2 d3 f2 49  //   ...
        c1 b5 71 a2  //   ...
        80 28 00 04  // FINGERPRINT attribute header
        e5 7a 3b cf  //   CRC-32 ^ 0x5354554e
        """);

    /// <summary>RFC 5769 §2.2 Sample IPv4 Response: 192.0.2.1 port 32853.</summary>
    public static readonly byte[] Ipv4Response = Hex.Parse("""
        01 01 00 3c  // Response type (Binding success) and message length (60)
        21 12 a4 42  // Magic cookie
        b7 e7 a7 01  // Transaction ID
        bc 34 d6 86  //   ...
        fa 87 df ae  //   ...
        80 22 00 0b  // SOFTWARE attribute header (11 bytes)
        74 65 73 74  //   "test"
        20 76 65 63  //   " vec"
        74 6f 72 20  //   "tor" and 1 byte of padding (space)
        00 20 00 08  // XOR-MAPPED-ADDRESS attribute header
        00 01 a1 47  //   family IPv4, port 32853 ^ 0x2112
        e1 12 a6 43  //   192.0.2.1 ^ magic cookie
        00 08 00 14  // MESSAGE-INTEGRITY attribute header
        2b 91 f5 99  //   HMAC-SHA1
        fd 9e 90 c3  //   ...
        8c 74 89 f9  //   ...
        2a f9 ba 53  //   ...
        f0 6b e7 d7  //   ...
        80 28 00 04  // FINGERPRINT attribute header
        c0 7d 4c 96  //   CRC-32 ^ 0x5354554e
        """);

    /// <summary>RFC 5769 §2.3 Sample IPv6 Response: 2001:db8:1234:5678:11:2233:4455:6677 port 32853.</summary>
    public static readonly byte[] Ipv6Response = Hex.Parse("""
        01 01 00 48  // Response type (Binding success) and message length (72)
        21 12 a4 42  // Magic cookie
        b7 e7 a7 01  // Transaction ID
        bc 34 d6 86  //   ...
        fa 87 df ae  //   ...
        80 22 00 0b  // SOFTWARE attribute header (11 bytes)
        74 65 73 74  //   "test"
        20 76 65 63  //   " vec"
        74 6f 72 20  //   "tor" and 1 byte of padding (space)
        00 20 00 14  // XOR-MAPPED-ADDRESS attribute header
        00 02 a1 47  //   family IPv6, port 32853 ^ 0x2112
        01 13 a9 fa  //   address ^ (magic cookie + transaction id)
        a5 d3 f1 79  //   ...
        bc 25 f4 b5  //   ...
        be d2 b9 d9  //   ...
        00 08 00 14  // MESSAGE-INTEGRITY attribute header
        a3 82 95 4e  //   HMAC-SHA1
        4b e6 7b f1  //   ...
        17 84 c9 7c  //   ...
        82 92 c2 75  //   ...
        bf e3 ed 41  //   ...
        80 28 00 04  // FINGERPRINT attribute header
        c8 fb 0b 4c  //   CRC-32 ^ 0x5354554e
        """);

    /// <summary>
    /// RFC 5769 §2.4 Sample Request with Long-Term Authentication: username "マトリックス",
    /// password "The&lt;U+00AD&gt;M&lt;U+00AA&gt;tr&lt;U+2168&gt;" ("TheMatrIX" after SASLprep), realm "example.org".
    /// </summary>
    public static readonly byte[] LongTermRequest = Hex.Parse("""
        00 01 00 60  // Request type (Binding request) and message length (96)
        21 12 a4 42  // Magic cookie
        78 ad 34 33  // Transaction ID
        c6 ad 72 c0  //   ...
        29 da 41 2e  //   ...
        00 06 00 12  // USERNAME attribute header (18 bytes)
        e3 83 9e e3  //   UTF-8 "マトリックス"
        83 88 e3 83  //   ...
        aa e3 83 83  //   ...
        e3 82 af e3  //   ...
        82 b9 00 00  //   ... and 2 bytes of padding
        00 15 00 1c  // NONCE attribute header (28 bytes)
        66 2f 2f 34  //   "f//4"
        39 39 6b 39  //   "99k9"
        35 34 64 36  //   "54d6"
        4f 4c 33 34  //   "OL34"
        6f 4c 39 46  //   "oL9F"
        53 54 76 79  //   "STvy"
        36 34 73 41  //   "64sA"
        00 14 00 0b  // REALM attribute header (11 bytes)
        65 78 61 6d  //   "exam"
        70 6c 65 2e  //   "ple."
        6f 72 67 00  //   "org" and 1 byte of padding
        00 08 00 14  // MESSAGE-INTEGRITY attribute header
        f6 70 24 65  //   HMAC-SHA1
        6d d6 4a 3e  //   ...
        02 b8 e0 71  //   ...
        2e 85 c9 a2  //   ...
        8c a8 96 66  //   ...
        """);

    /// <summary>
    /// A Chrome-style ICE connectivity check, built by <see cref="BuildChromeRequest"/>:
    /// USERNAME, ICE-CONTROLLING, USE-CANDIDATE, PRIORITY, MESSAGE-INTEGRITY, FINGERPRINT.
    /// </summary>
    public static readonly byte[] ChromeRequest = BuildChromeRequest();

    public static readonly byte[] ChromeTransactionId = Hex.Parse("4a 6f 68 6e 53 6d 69 74 68 31 32 33");

    public static readonly byte[] LocalPassword = "uXmlN3jvb8uGBT8GiMH0iJUo"u8.ToArray();

    public static readonly byte[][] All = [SampleRequest, Ipv4Response, Ipv6Response, LongTermRequest, ChromeRequest];

    private static byte[] BuildChromeRequest()
    {
        var buffer = new byte[256];
        var writer = new MediaServer.Protocol.Stun.StunWriter(buffer, MediaServer.Protocol.Stun.StunMethod.Binding, MediaServer.Protocol.Stun.StunClass.Request, Hex.Parse("4a 6f 68 6e 53 6d 69 74 68 31 32 33"));
        writer.AddUsername("x9Kq:Ab3d"u8);
        writer.AddIceControlling(0x1122334455667788);
        writer.AddUseCandidate();
        writer.AddPriority(1845501695);
        writer.AddMessageIntegrity("uXmlN3jvb8uGBT8GiMH0iJUo"u8);
        writer.AddFingerprint();
        return buffer[..writer.Length];
    }
}
