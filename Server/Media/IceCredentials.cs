using System.Security.Cryptography;
using System.Text;

namespace MediaServer.Media;

/// <summary>
/// Our ICE username fragment and password for one transport (RFC 8445 §5.3: ufrag at least
/// 24 bits and password at least 128 bits of randomness; the ice-char set). A fresh pair
/// per transport also marks a re-attach as a new ICE session for the browser.
/// </summary>
internal sealed class IceCredentials
{
    private const string IceChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private IceCredentials(string ufrag, string password)
    {
        Ufrag = ufrag;
        Password = password;
        PasswordBytes = Encoding.ASCII.GetBytes(password);
    }

    public string Ufrag { get; }

    public string Password { get; }

    /// <summary>The MESSAGE-INTEGRITY key of checks sent to us (RFC 8445 §7.2.2: short-term credential = our password).</summary>
    public byte[] PasswordBytes { get; }

    public static IceCredentials Generate() => new(Random(8), Random(24));

    private static string Random(int length)
    {
        // Ufrags are looked up as dictionary keys, so '+' and '/' are kept out of them for
        // readability in logs; 62 symbols x 8 still gives 47 bits.
        Span<char> text = stackalloc char[length];
        for (var i = 0; i < length; i++)
        {
            text[i] = IceChars[RandomNumberGenerator.GetInt32(62)];
        }

        return new string(text);
    }
}
