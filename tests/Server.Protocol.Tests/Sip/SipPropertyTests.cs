using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using MediaServer.Protocol.Sip;
using MediaServer.Protocol.Tests.Properties;

namespace MediaServer.Protocol.Tests.Sip;

/// <summary>
/// Fuzz-style properties over every SIP parser: random bytes and text, and valid messages damaged
/// at the byte and the line level. Nothing may throw; whatever parses must write back to bytes
/// that parse to the same message and write back identically (the canonical form is a fixed
/// point); typed values read back from their own text equal themselves. MEDIASERVER_PROPERTY_COUNT
/// overrides the number of cases except for the 10,000-mutation run, which is fixed.
/// </summary>
public class SipPropertyTests
{
    private static readonly int Count =
        int.TryParse(Environment.GetEnvironmentVariable("MEDIASERVER_PROPERTY_COUNT"), NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0
            ? count
            : 500;

    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(Count).WithQuietOnSuccess(true);

    /// <summary>The four typical messages and every torture message we accept.</summary>
    private static readonly byte[][] Seeds = [.. SipSamples.All, .. SipTorture.Accepted.Select(SipTorture.Bytes)];

    /// <summary>Latin-1 keeps every byte as one char, so line edits leave binary bodies intact.</summary>
    private static readonly string[][] SeedLines = [.. Seeds.Select(s => Encoding.Latin1.GetString(s).Split("\r\n"))];

    /// <summary>Characters that matter to the grammar, plus some that do not belong at all.</summary>
    private static readonly Gen<char> SipChar =
        Gen.Elements("INVITE sip:tel:@;=,<>\"\\ \t\r\n:/?&%0123456789abcdefxZ.-_*!~'()[]SIP/2.0UDPTCPviaftimlcbranchtagDigestrealmnonce\0\u007f\u00ff\u00e9\u4e2d\ufffd".ToCharArray());

    private static readonly Gen<string> Noise = Gen.ArrayOf(SipChar).Select(chars => new string(chars));

    [Fact]
    public void RandomBytesNeverThrow() =>
        Check.One(Config, Prop.ForAll(PacketGen.Bytes(0, 600).ToArbitrary(), (byte[] data) => Probe(data)));

    [Fact]
    public void RandomTextNeverThrows()
    {
        var text = Gen.OneOf(
            Noise,
            Noise.Select(s => "INVITE sip:a@b SIP/2.0\r\n" + s),
            Noise.Select(s => "SIP/2.0 200 OK\r\nVia: " + s),
            Noise.Select(s => "Digest realm=\"r\", nonce=\"n\", " + s));
        Check.One(Config, Prop.ForAll(text.ToArbitrary(), (string s) => Probe(Encoding.UTF8.GetBytes(s))));
    }

    [Fact]
    public void ByteMutationsNeverThrowAndRoundTrip() =>
        Check.One(Config, Prop.ForAll(PacketGen.Mutations(Seeds).ToArbitrary(), (byte[] data) => Probe(data)));

    [Fact]
    public void LineMutationsNeverThrowAndRoundTrip() =>
        Check.One(Config, Prop.ForAll(LineMutations().ToArbitrary(), (byte[] data) => Probe(data)));

    /// <summary>The 10,000 damaged messages, byte- and line-level mixed.</summary>
    [Fact]
    public void TenThousandMutationsNeverThrow() =>
        Check.One(
            Config.QuickThrowOnFailure.WithMaxTest(10_000).WithQuietOnSuccess(true),
            Prop.ForAll(Gen.OneOf(PacketGen.Mutations(Seeds), LineMutations()).ToArbitrary(), (byte[] data) => Probe(data)));

    [Fact]
    public void ValidMessagesRoundTrip() =>
        Check.One(Config, Prop.ForAll(Gen.Elements(Seeds).ToArbitrary(), (byte[] data) =>
        {
            Assert.True(SipMessage.TryParse(data, out _, out var error), error.ToString());
            Probe(data);
        }));

    /// <summary>A stream of valid messages and keep-alives cut at random points frames back into exactly those messages.</summary>
    [Fact]
    public void StreamsFrameIntoTheirMessages()
    {
        var gen =
            from picks in Gen.ListOf(Gen.Choose(0, SipSamples.All.Length), 1)
            from cuts in Gen.ListOf(Gen.Choose(1, 300), 1)
            select (picks, cuts);
        Check.One(Config, Prop.ForAll(gen.ToArbitrary(), input =>
        {
            var frames = input.picks.Select(i => i == SipSamples.All.Length ? "\r\n\r\n"u8.ToArray() : SipSamples.All[i]).ToList();
            byte[] stream = [.. frames.SelectMany(f => f)];
            var received = new List<byte>();
            var found = new List<byte[]>();
            var offset = 0;
            var cut = 0;
            while (offset < stream.Length)
            {
                var take = Math.Min(input.cuts[cut++ % input.cuts.Count], stream.Length - offset);
                received.AddRange(stream.AsSpan(offset, take).ToArray());
                offset += take;
                while (SipStreamFramer.TryFrame(received.ToArray(), 4096, out var length, out var kind, out var error))
                {
                    Assert.Null(error);
                    Assert.Equal(kind != SipFrameKind.Message, received[0] is (byte)'\r' or (byte)'\n');
                    found.Add(received.Take(length).ToArray());
                    received.RemoveRange(0, length);
                }
            }

            Assert.Empty(received);
            Assert.Equal(frames.Count, found.Count);
            for (var i = 0; i < frames.Count; i++)
            {
                Assert.Equal(frames[i], found[i]);
            }
        }));
    }

    /// <summary>Whatever credentials a UAC answers with verify against the password, and not against another.</summary>
    [Fact]
    public void DigestAnswersVerify()
    {
        var text = Gen.Elements("", "bob", "Mufasa", "pa\"ss", "wörd", "a\\b", "x:y", "中文", "sip:bob@example.com;transport=tcp");
        var gen =
            from user in text
            from realm in text
            from password in text
            from nonce in Gen.Elements("n", "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", "a,b")
            from algorithm in Gen.Elements("MD5", "md5", "SHA-256", "MD5-sess", "SHA-256-sess")
            from qop in Gen.Elements<string?>("auth", null)
            from nc in Gen.Choose(1, int.MaxValue)
            select (user, realm, password, nonce, algorithm, qop, nc);
        Check.One(Config, Prop.ForAll(gen.ToArbitrary(), c =>
        {
            var challenge = new SipDigestChallenge(c.realm, c.nonce, c.algorithm, "o", false, c.qop);
            Assert.True(SipDigestChallenge.TryParse(challenge.ToHeaderValue(), out var parsed));
            Assert.Equal(challenge, parsed);
            var credentials = SipDigest.Answer(parsed!, c.user, c.password, "REGISTER", "sip:example.com", nonceCount: (uint)c.nc);
            Assert.True(SipDigestCredentials.TryParse(credentials.ToHeaderValue(), out var received));
            Assert.Equal(credentials, received);
            Assert.True(SipDigest.Verify(received!, "REGISTER", c.password));
            Assert.False(SipDigest.Verify(received!, "REGISTER", c.password + "x"));
        }));
    }

    /// <summary>Runs everything that reads SIP; throws (fails the property) only when an invariant breaks.</summary>
    internal static void Probe(byte[] data)
    {
        if (SipMessageView.TryParse(data, out var view, out var viewError))
        {
            var fields = 0;
            foreach (var field in view.Headers)
            {
                Assert.False(field.Name.IsEmpty);
                var unfolded = new byte[field.Value.Length];
                Assert.InRange(field.CopyUnfolded(unfolded), 0, field.Value.Length);
                fields++;
            }

            Assert.True(fields >= 5);
            Assert.True(view.TryGetHeader("v"u8, out _));
            Assert.InRange(view.Length, 1, data.Length);
            Assert.InRange(view.Body.Length, 0, data.Length);
        }
        else
        {
            Assert.Contains(viewError.StatusCode, new[] { 400, 416, 505, 513 });
        }

        if (SipMessage.TryParse(data, out var message, out var error))
        {
            Assert.NotNull(message);
            ProbeMessage(message);
        }
        else
        {
            Assert.Null(message);
            Assert.Contains(error.StatusCode, new[] { 400, 416, 505, 513 });
        }

        var max = data.Length == 0 ? 0 : data[0] * 40;
        if (SipStreamFramer.TryFrame(data, max, out var frameLength, out _))
        {
            Assert.InRange(frameLength, 1, data.Length);
        }

        ProbeText(Encoding.UTF8.GetString(data));
    }

    private static void ProbeMessage(SipMessage message)
    {
        _ = (message.Method, message.CallId, message.CSeq, message.From, message.To, message.MaxForwards, message.Expires, message.ContentType);
        Assert.NotEmpty(message.Vias);
        Assert.NotNull(message.From);
        Assert.NotNull(message.To);
        Assert.NotNull(message.CSeq);
        _ = (message.Contacts, message.Routes, message.RecordRoutes);

        var written = message.ToArray();
        Assert.Equal(written.Length, message.GetSize());
        Assert.True(SipMessage.TryParse(written, out var again, out var error), error + "\n" + Encoding.UTF8.GetString(written));
        SipAssert.SameMessage(message, again!);
        Assert.Equal(written, again!.ToArray());

        if (message.IsRequest)
        {
            var response = SipMessage.CreateResponse(message, 200, "OK", "t1");
            Assert.True(SipMessage.TryParse(response.ToArray(), out var parsed, out error), error.ToString());
            Assert.Equal(message.Vias, parsed!.Vias);
            Assert.Equal(message.CSeq, parsed.CSeq);
        }
    }

    private static void ProbeText(string text)
    {
        if (SipUri.TryParse(text, out var uri))
        {
            Assert.True(SipUri.TryParse(uri!.ToString(), out var again), uri.ToString());
            Assert.Equal(uri, again);
            _ = uri.Transport;
        }

        if (SipNameAddr.TryParse(text, out var address))
        {
            Assert.True(SipNameAddr.TryParse(address!.ToString(), out var again), address.ToString());
            Assert.Equal(address, again);
            _ = address.Tag;
        }

        foreach (var entry in SipNameAddr.ParseList(text))
        {
            Assert.True(SipNameAddr.TryParse(entry.ToString(), out _), entry.ToString());
        }

        if (SipVia.TryParse(text, out var via))
        {
            Assert.True(SipVia.TryParse(via!.ToString(), out var again), via.ToString());
            Assert.Equal(via, again);
            _ = (via.Branch, via.Received, via.Rport, via.HasRport);
        }

        foreach (var entry in SipVia.ParseList(text))
        {
            Assert.True(SipVia.TryParse(entry.ToString(), out _), entry.ToString());
        }

        if (SipCSeq.TryParse(text, out var cseq))
        {
            Assert.True(SipCSeq.TryParse(cseq.ToString(), out var again));
            Assert.Equal(cseq, again);
        }

        if (SipDigestChallenge.TryParse(text, out var challenge))
        {
            Assert.True(SipDigestChallenge.TryParse(challenge!.ToHeaderValue(), out var again), challenge.ToHeaderValue());
            if (challenge.IsSupported)
            {
                SipDigest.Answer(challenge, "u", "p", "INVITE", "sip:x");
            }

            _ = again;
        }

        if (SipDigestCredentials.TryParse(text, out var credentials))
        {
            Assert.True(SipDigestCredentials.TryParse(credentials!.ToHeaderValue(), out var again), credentials.ToHeaderValue());
            SipDigest.Verify(credentials, "INVITE", "p");
            _ = again;
        }
    }

    /// <summary>A seed edited line by line: lines dropped, duplicated, swapped, cut, noise inserted, or the message cut short.</summary>
    private static Gen<byte[]> LineMutations() =>
        from seed in Gen.Choose(0, SeedLines.Length - 1)
        from steps in Gen.ListOf(LineMutation(), 3)
        select Encoding.Latin1.GetBytes(string.Join("\r\n", steps.Aggregate(SeedLines[seed].ToList(), (lines, step) => step(lines))));

    private static Gen<Func<List<string>, List<string>>> LineMutation() =>
        from kind in Gen.Choose(0, 7)
        from a in Gen.Choose(0, int.MaxValue)
        from b in Gen.Choose(0, int.MaxValue)
        from noise in Noise
        select (Func<List<string>, List<string>>)(lines =>
        {
            if (lines.Count == 0)
            {
                return lines;
            }

            var i = a % lines.Count;
            var j = b % lines.Count;
            switch (kind)
            {
                case 0:
                    lines.RemoveAt(i);
                    break;
                case 1:
                    lines.Insert(j, lines[i]);
                    break;
                case 2:
                    (lines[i], lines[j]) = (lines[j], lines[i]);
                    break;
                case 3:
                    lines[i] = lines[i][..(b % (lines[i].Length + 1))];
                    break;
                case 4:
                    lines[i] = lines[i].Insert(b % (lines[i].Length + 1), noise);
                    break;
                case 5:
                    lines.RemoveRange(i, lines.Count - i);
                    break;
                case 6:
                    // Fold a line: its tail moves to a continuation line.
                    var at = b % (lines[i].Length + 1);
                    lines[i] = lines[i][..at] + "\r\n " + lines[i][at..];
                    break;
                default:
                    lines.Insert(i, noise);
                    break;
            }

            return lines;
        });
}
