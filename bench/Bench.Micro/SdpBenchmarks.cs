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
