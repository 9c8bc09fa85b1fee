using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using MediaServer.Protocol.Sdp;

namespace MediaServer.Protocol.Tests.Sdp;

/// <summary>
/// Fuzz-style properties: random text and line-level mutations of the captures go through the
/// parser and the answerer; nothing may throw, and whatever parses must write back to text
/// that parses to the same model. MEDIASERVER_PROPERTY_COUNT overrides the number of cases.
/// </summary>
public class SdpPropertyTests
{
    private static readonly int Count =
        int.TryParse(Environment.GetEnvironmentVariable("MEDIASERVER_PROPERTY_COUNT"), NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0
            ? count
            : 300;

    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(Count).WithQuietOnSuccess(true);

    private static readonly string[][] Captures =
        [.. SdpCapture.Names().Select(name => SdpCapture.Text(name).Split("\r\n"))];

    /// <summary>Characters that matter to the grammar, plus some that do not belong at all.</summary>
    private static readonly Gen<char> SdpChar = Gen.Elements("v=0oscmtab:/ ;-*\r\n\t0123456789IPNaudiovideortpmapfmtcandidateUDP\0\u00e9\uffff".ToCharArray());

    private static readonly Gen<string> Noise = Gen.ArrayOf(SdpChar).Select(chars => new string(chars));

    [Fact]
    public void RandomTextNeverThrows()
    {
        var text = Gen.OneOf(ArbMap.Default.GeneratorFor<string>().Where(s => s is not null), Noise, Noise.Select(s => "v=0\r\n" + s));
        Check.One(Config, Prop.ForAll(text.ToArbitrary(), Survives));
    }

    [Fact]
    public void MutatedCapturesNeverThrowAndRoundTrip()
    {
        var mutated =
            from capture in Gen.Choose(0, Captures.Length - 1)
            from steps in Gen.ListOf(Mutation(), 3)
            select string.Join("\r\n", steps.Aggregate(Captures[capture].ToList(), (lines, step) => step(lines)));
        Check.One(Config, Prop.ForAll(mutated.ToArbitrary(), Survives));
    }

    private static bool Survives(string text)
    {
        if (!SessionDescription.TryParse(text, out var sdp, out var error))
        {
            Assert.StartsWith(error!.StartsWith("line ", StringComparison.Ordinal) ? "line " : "SDP is", error, StringComparison.Ordinal);
            return true;
        }

        var written = sdp!.ToString();
        Assert.True(SessionDescription.TryParse(written, out var again, out error), error + "\n" + written);
        Assert.Equal(sdp.ToCanonicalString(), again!.ToCanonicalString());

        if (OfferAnswer.TryCreateAnswer(sdp, OfferAnswerTests.Options(), out var answer, out var media, out _, out _))
        {
            Assert.Equal(sdp.Media.Count, media!.Count);
            Assert.True(SessionDescription.TryParse(answer!.ToString(), out _, out error), error);
            OfferAnswer.TryApplyAnswer(sdp, answer, out _, out _, out _);
        }

        OfferAnswer.GetRemoteTransport(sdp);
        OfferAnswer.TryApplyAnswer(sdp, sdp, out _, out _, out _);
        return true;
    }

    /// <summary>One edit of the line list: drop, duplicate, swap, truncate a line, insert noise, or cut the text short.</summary>
    private static Gen<Func<List<string>, List<string>>> Mutation() =>
        from kind in Gen.Choose(0, 6)
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
                default:
                    lines.Insert(i, noise);
                    break;
            }

            return lines;
        });
}
