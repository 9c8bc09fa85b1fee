namespace MediaServer.Protocol.Tests.Sip;

/// <summary>
/// The RFC 4475 torture messages of Sip/Torture (see the README there), copied next to the test
/// assembly byte for byte, and what we answer to each.
/// </summary>
internal static class SipTorture
{
    public static readonly string Directory = Path.Combine(AppContext.BaseDirectory, "Sip", "Torture");

    /// <summary>Messages that parse: RFC 4475 §3.1.1 and those §3.2-3.4 leave to later layers.</summary>
    public static readonly string[] Accepted =
    [
        // §3.1.1 valid messages.
        "wsinv", "intmeth", "esc01", "escnull", "esc02", "lwsdisp", "longreq", "dblreq", "semiuri", "transports",
        "mpart01", "unreason", "noreason",

        // §3.1.2.12: a Date with a non-GMT zone; we never read Date, so we take it (see README).
        "baddate",

        // §3.2.1: a bare "z9hG4bK" branch is the transaction layer's concern.
        "badbranch",

        // §3.3: syntactically valid; the application answers (420, 415, 401, 483, 406, 400 from a registrar ...).
        "unksm2", "bext01", "invut", "regaut01", "bcast", "zeromf", "cparam01", "cparam02", "regescrt", "sdp01",

        // §3.4.1: RFC 2543 syntax (no branch, no Max-Forwards, no Content-Length).
        "inv2543",
    ];

    /// <summary>Messages refused, with the status a UAS answers.</summary>
    public static readonly (string Name, int Status)[] Rejected =
    [
        // §3.1.2 invalid messages.
        ("badinv01", 400), ("clerr", 400), ("ncl", 400), ("scalar02", 400), ("scalarlg", 400), ("quotbal", 400),
        ("ltgtruri", 400), ("lwsruri", 400), ("lwsstart", 400), ("trws", 400), ("escruri", 400), ("regbadct", 400),
        ("badaspec", 400), ("baddn", 400), ("badvers", 505), ("mismatch01", 400), ("mismatch02", 400), ("bigcode", 400),

        // §3.3: missing mandatory headers, schemes we do not serve, repeated single-valued headers.
        ("insuf", 400), ("unkscm", 416), ("novelsc", 416), ("multi01", 400), ("mcl01", 400),
    ];

    public static TheoryData<string> AcceptedNames() => [.. Accepted];

    public static TheoryData<string, int> RejectedNames()
    {
        var data = new TheoryData<string, int>();
        foreach (var (name, status) in Rejected)
        {
            data.Add(name, status);
        }

        return data;
    }

    public static byte[] Bytes(string name) => File.ReadAllBytes(Path.Combine(Directory, name + ".dat"));

    public static IEnumerable<string> Names() =>
        System.IO.Directory.GetFiles(Directory, "*.dat").Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal);
}
