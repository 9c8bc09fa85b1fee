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
    public void TheLockoutCountsFailuresPerAccountForEveryAddressAndExpires()
    {
        var throttle = new LoginThrottle(maxFailures: 3, windowSeconds: 10, lockoutSeconds: 5, failuresPerSecondPerAddress: 1000);
        var a = System.Net.IPAddress.Parse("192.0.2.1");
        var b = System.Net.IPAddress.Parse("192.0.2.2");

        Assert.False(throttle.RecordFailure(a, "1000@localhost", 0));
        Assert.False(throttle.RecordFailure(b, "1000@localhost", 1));
        Assert.True(throttle.RecordFailure(a, "1000@localhost", 2));
        Assert.Equal(LoginRefusal.AccountLocked, throttle.Check(a, "1000@localhost", 3));
        Assert.Equal(LoginRefusal.AccountLocked, throttle.Check(b, "1000@localhost", 3));
        Assert.Equal(LoginRefusal.None, throttle.Check(a, "1001@localhost", 3));
        Assert.Equal(LoginRefusal.None, throttle.Check(a, "1000@localhost", 5003));
    }

    [Fact]
    public void TheOwnersSuccessClearsTheAccountCountButNotTheGuessersCount()
    {
        var throttle = new LoginThrottle(maxFailures: 3, windowSeconds: 10, lockoutSeconds: 5, failuresPerSecondPerAddress: 1000);
        var attacker = System.Net.IPAddress.Parse("192.0.2.1");
        var owner = System.Net.IPAddress.Parse("192.0.2.2");

        Assert.False(throttle.RecordFailure(attacker, "1000@localhost", 0));
        Assert.False(throttle.RecordFailure(attacker, "1000@localhost", 1));
        throttle.RecordSuccess(owner, "1000@localhost");
        Assert.True(throttle.RecordFailure(attacker, "1000@localhost", 2));
        Assert.Equal(LoginRefusal.AccountLocked, throttle.Check(attacker, "1000@localhost", 3));
        Assert.Equal(LoginRefusal.None, throttle.Check(owner, "1000@localhost", 3));
    }

    [Fact]
    public void AnAddressFailingFasterThanItsRateIsSlowedDownButNotLockedOut()
    {
        var throttle = new LoginThrottle(maxFailures: 1000, windowSeconds: 10, lockoutSeconds: 5, failuresPerSecondPerAddress: 4);
        var a = System.Net.IPAddress.Parse("192.0.2.1");
        var b = System.Net.IPAddress.Parse("192.0.2.2");
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(LoginRefusal.None, throttle.Check(a, $"u{i}@localhost", 0));
            throttle.RecordFailure(a, $"u{i}@localhost", 0);
        }

        Assert.Equal(LoginRefusal.AddressTooFast, throttle.Check(a, "1001@localhost", 0));
        Assert.Equal(LoginRefusal.None, throttle.Check(b, "1001@localhost", 0));

        // One failure's worth of tokens comes back every 250 ms.
        Assert.Equal(LoginRefusal.AddressTooFast, throttle.Check(a, "1001@localhost", 200));
        Assert.Equal(LoginRefusal.None, throttle.Check(a, "1001@localhost", 250));
        throttle.Sweep(250);
        Assert.Equal(1, throttle.TrackedAddresses);
        throttle.Sweep(20_000);
        Assert.Equal(0, throttle.TrackedAddresses);
        Assert.Equal(0, throttle.TrackedAccounts);
    }
}
