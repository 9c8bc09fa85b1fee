using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using MediaServer.Protocol.Sdp;

namespace MediaServer.Bench.Micro;

/// <summary>
/// Call setup cost of SDP: parse the Chromium audio+video offer (captured, 6 KB, 23 video
/// formats), answer it, and write the answer. Once per call, not per packet, so allocation is
/// expected; the figures are here to keep it from growing unnoticed.
/// </summary>
[MemoryDiagnoser]
public class SdpBenchmarks
{
    private static readonly string Offer = File.ReadAllText(FindCapture("chromium-audio-video-maxcompat.sdp"));

    private static readonly string LargestRtcpFbWildcard = MakeLargestRtcpFbWildcard();

    private SessionDescription _offer = null!;
    private SessionDescription _answer = null!;
    private AnswerOptions _options = null!;

    [GlobalSetup]
    public void Setup()
    {
        _options = new AnswerOptions
        {
            Transport = new LocalTransport
            {
                IceUfrag = "srv1",
                IcePwd = "0123456789abcdefghijklmn",
                Fingerprint = SdpFingerprint.FromDigest("sha-256", SHA256.HashData("bench"u8)),
                CandidateAddress = "198.51.100.10",
                CandidatePort = 40000,
            },
            Codecs = CodecList.Default,
            LocalSsrc = (index, kind) => (uint)(1000 + index),
            SessionId = 1,
        };
        _offer = Parse();
        _answer = CreateAnswer();
    }

    [Benchmark]
    public SessionDescription Parse()
    {
        SessionDescription.TryParse(Offer, out var offer, out _);
        return offer!;
    }

    [Benchmark]
    public SessionDescription CreateAnswer()
    {
        OfferAnswer.TryCreateAnswer(_offer, _options, out var answer, out _, out _, out _);
        return answer!;
    }

    [Benchmark]
    public string WriteAnswer() => _answer.ToString();

    /// <summary>
    /// The worst input the parser is known to meet: an offer at the size limit made of
    /// <c>a=rtcp-fb:*</c> lines over 128 payload types, so every line fans out to every format.
    /// It must stay linear in the input; a quadratic step shows here as seconds, not milliseconds.
    /// </summary>
    [Benchmark]
    public bool ParseAnswerLargestRtcpFbWildcard()
    {
        SessionDescription.TryParse(LargestRtcpFbWildcard, out var offer, out _);
        return OfferAnswer.TryCreateAnswer(offer!, _options, out _, out _, out _, out _);
    }

    [Benchmark]
    public string ParseAnswerWrite()
    {
        SessionDescription.TryParse(Offer, out var offer, out _);
        OfferAnswer.TryCreateAnswer(offer!, _options, out var answer, out _, out _, out _);
        return answer!.ToString();
    }

    /// <summary>
    /// The captures live in the test tree; BenchmarkDotNet runs from a generated directory
    /// somewhere below the repository, so walk up until the folder is found.
    /// </summary>
    private static string MakeLargestRtcpFbWildcard()
    {
        const string repeated = "a=rtcp-fb:* nack\n";
        var head = "v=0\no=- 1 1 IN IP4 1.2.3.4\ns=-\nt=0 0\na=group:BUNDLE 0\nm=video 9 UDP/TLS/RTP/SAVPF "
            + string.Join(' ', Enumerable.Range(0, 128))
            + "\na=mid:0\na=rtcp-mux\na=ice-ufrag:u\na=ice-pwd:p\na=fingerprint:sha-256 AB:CD\n";
        return head + string.Concat(Enumerable.Repeat(repeated, (SessionDescription.MaxLength * 9 / 10 - head.Length) / repeated.Length));
    }

    private static string FindCapture(string name)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var path = Path.Combine(directory.FullName, "tests", "Server.Protocol.Tests", "Sdp", "Captures", name);
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new FileNotFoundException("SDP capture not found above " + AppContext.BaseDirectory, name);
    }
}
