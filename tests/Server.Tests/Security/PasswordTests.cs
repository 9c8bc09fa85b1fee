using MediaServer.Configuration;
using MediaServer.Security;

namespace MediaServer.Tests.Security;

public sealed class PasswordTests
{
    [Fact]
    public void AHashVerifiesItsPasswordOnly()
    {
        var hash = PasswordHasher.Hash("correct horse", PasswordHasher.MinIterations);

        Assert.StartsWith("pbkdf2-sha256$100000$", hash, StringComparison.Ordinal);
        Assert.True(PasswordHasher.Verify("correct horse", hash));
        Assert.False(PasswordHasher.Verify("correct horse ", hash));
        Assert.NotEqual(hash, PasswordHasher.Hash("correct horse", PasswordHasher.MinIterations));
    }

    [Theory]
    [InlineData("pbkdf2-sha256$1000$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==")]
    [InlineData("pbkdf2-sha1$310000$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==")]
    [InlineData("pbkdf2-sha256$310000$***$aGFzaA==")]
    [InlineData("plain")]
    public void MalformedOrWeakHashesNeverMatch(string hash)
    {
        Assert.False(PasswordHasher.IsWellFormed(hash));
        Assert.False(PasswordHasher.Verify("anything", hash));
    }

    [Fact]
    public void UsersWithoutPasswordsGetGeneratedOnesOnceAndOnlyHashesAreKept()
    {
        var data = Directory.CreateTempSubdirectory("mediaserver-data-").FullName;
        try
        {
            var directory = new UserDirectory("localhost", [new DirectoryUser { Id = "1000", Domain = "localhost" }, new DirectoryUser { Id = "1001", Domain = "localhost", Password = "given" }]);
            var printed = new List<string>();

            var first = GeneratedPasswords.Apply(directory, data, printed.Add);
            var line = Assert.Single(printed, l => l.StartsWith("Generated password for user 1000@localhost", StringComparison.Ordinal));
            var password = line[(line.LastIndexOf(' ') + 1)..];
            Assert.True(PasswordHasher.Verify(password, first.Find("1000", "localhost")!.PasswordHash!));
            Assert.Equal("given", first.Find("1001", "localhost")!.Password);
            Assert.DoesNotContain(password, File.ReadAllText(Path.Combine(data, GeneratedPasswords.FileName)), StringComparison.Ordinal);

            // SIP digest works from the kept H(A1): a phone answering with the printed password is let in.
            var challenge = new MediaServer.Protocol.Sip.SipDigestChallenge("localhost", "n0nce", "MD5", null, false, "auth");
            var answer = MediaServer.Protocol.Sip.SipDigest.Answer(challenge, "1000", password, "REGISTER", "sip:localhost");
            Assert.True(MediaServer.Protocol.Sip.SipDigest.VerifyWithHa1(answer, "REGISTER", first.Find("1000", "localhost")!.SipHa1Md5!));
            Assert.False(MediaServer.Protocol.Sip.SipDigest.VerifyWithHa1(answer, "INVITE", first.Find("1000", "localhost")!.SipHa1Md5!));
            Assert.Null(first.Find("1001", "localhost")!.SipHa1Md5);

            printed.Clear();
            var second = GeneratedPasswords.Apply(directory, data, printed.Add);
            Assert.Empty(printed);
            Assert.True(PasswordHasher.Verify(password, second.Find("1000", "localhost")!.PasswordHash!));
            Assert.Equal(first.Find("1000", "localhost")!.SipHa1Sha256, second.Find("1000", "localhost")!.SipHa1Sha256);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public void TheLockoutCountsFailuresPerAddressAndExpires()
    {
        var throttle = new LoginThrottle(maxFailures: 3, windowSeconds: 10, lockoutSeconds: 5);
        var a = System.Net.IPAddress.Parse("192.0.2.1");
        var b = System.Net.IPAddress.Parse("192.0.2.2");

        Assert.False(throttle.RecordFailure(a, 0));
        Assert.False(throttle.RecordFailure(a, 1));
        Assert.True(throttle.RecordFailure(a, 2));
        Assert.True(throttle.IsLocked(a, 3));
        Assert.False(throttle.IsLocked(b, 3));
        Assert.False(throttle.IsLocked(a, 5003));
    }
}
