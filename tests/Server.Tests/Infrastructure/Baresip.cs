using System.Diagnostics;

namespace MediaServer.Tests.Infrastructure;

/// <summary>
/// Debian's baresip as a SIP phone for tests: registers a directory user with the test
/// server over UDP on 127.0.0.1, answers calls by itself, sends a WAV file as its
/// microphone and dumps what it hears to WAV files (module sndfile). Quits on its own
/// after a bounded time; Dispose kills it earlier.
/// </summary>
public sealed class Baresip : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/baresip";

    private readonly Process _process;
    private readonly Task<string> _output;

    private Baresip(Process process, string directory)
    {
        _process = process;
        Directory = directory;
        _output = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
    }

    public string Directory { get; }

    /// <summary>WAV files sndfile wrote: "-dec" holds what baresip heard (decoded), "-enc" what it sent.</summary>
    public string[] Dumps => System.IO.Directory.GetFiles(Directory, "dump-*.wav");

    /// <summary>Stops baresip and returns what it printed (its SIP trace included), to explain a failure.</summary>
    public async Task<string> StopAndReadAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        var text = await _output;
        return text.Length > 6000 ? text[^6000..] : text;
    }

    public static Baresip Start(string user, string password, int sipPort, string microphoneWav, int quitAfterSeconds = 90)
    {
        Assert.True(File.Exists(ExecutablePath), $"{ExecutablePath} is missing: install Debian's baresip package (./test.sh does)");
        var directory = System.IO.Directory.CreateTempSubdirectory("baresip-").FullName;
        var listen = Sipp.FreeUdpPort();
        File.WriteAllText(Path.Combine(directory, "accounts"),
            $"<sip:{user}@localhost>;auth_pass={password};outbound=\"sip:127.0.0.1:{sipPort};transport=udp\";regint=120;answermode=auto;audio_codecs=PCMU,PCMA;medianat=\n");
        File.WriteAllText(Path.Combine(directory, "config"), string.Join('\n',
            "poll_method\t\tepoll",
            $"sip_listen\t\t127.0.0.1:{listen}",
            "audio_player\t\taubridge,speaker",
            $"audio_source\t\taufile,{microphoneWav}",
            "audio_alert\t\taubridge,speaker",
            "ausrc_srate\t\t8000",
            "auplay_srate\t\t8000",
            "ausrc_channels\t\t1",
            "auplay_channels\t\t1",
            "rtp_ports\t\t40000-40999",
            "module_path\t\t/usr/lib/baresip/modules",
            "module\t\t\tg711.so",
            "module\t\t\taufile.so",
            "module\t\t\taubridge.so",
            "module\t\t\tsndfile.so",
            $"snd_path\t\t{directory}",
            "module_app\t\taccount.so",
            string.Empty));
        var start = new ProcessStartInfo(ExecutablePath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = directory,
        };
        foreach (var argument in new[] { "-4", "-s", "-f", directory, "-t", quitAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        return new Baresip(Process.Start(start)!, directory);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
