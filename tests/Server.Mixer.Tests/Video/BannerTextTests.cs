using MediaServer.Mixer.Video;

namespace MediaServer.Mixer.Tests.Video;

/// <summary>vid-banner text off the wire: JavaScript unescape(), the length cap, and the words that remove a banner.</summary>
public sealed class BannerTextTests
{
    [Theory]
    [InlineData("John%20Smith", "John Smith")]
    [InlineData("%u263A", "\u263A")]
    [InlineData("%u263a%20ok", "\u263A ok")]
    [InlineData("Caf%E9", "Caf\u00E9")]
    [InlineData("%uD83D%uDE00", "\U0001F600")]
    [InlineData("%zz", "%zz")]
    [InlineData("%u12", "%u12")]
    [InlineData("%u12zz", "%u12zz")]
    [InlineData("%4", "%4")]
    [InlineData("100%", "100%")]
    [InlineData("%%41", "%A")]
    [InlineData("%u%41", "%uA")]
    [InlineData("a+b%2Bc", "a+b+c")]
    [InlineData("", "")]
    public void UnescapeMatchesJavaScript(string escaped, string expected)
    {
        Assert.Equal(expected, BannerText.Unescape(escaped));
    }

    [Fact]
    public void TextWithNothingToDecodeComesBackAsIs()
    {
        var text = "Alice Liddell";
        Assert.Same(text, BannerText.Unescape(text));
    }

    [Fact]
    public void LongTextIsCutToTheLimit()
    {
        Assert.Equal(new string('a', BannerText.MaxLength), BannerText.Unescape(new string('a', 500)));
        Assert.Equal(new string(' ', BannerText.MaxLength), BannerText.Unescape(string.Concat(Enumerable.Repeat("%20", 500))));
    }

    [Fact]
    public void TheCutNeverSplitsASurrogatePair()
    {
        var plain = new string('a', BannerText.MaxLength - 1);
        Assert.Equal(plain, BannerText.Unescape(plain + "%uD83D%uDE00"));
        Assert.Equal(plain, BannerText.Unescape(plain + "\U0001F600"));
        Assert.Equal(plain + "b", BannerText.Unescape(plain + "b%uD83D%uDE00"));
    }

    [Theory]
    [InlineData("reset", true)]
    [InlineData(" RESET ", true)]
    [InlineData("Clear", true)]
    [InlineData("reset me", false)]
    [InlineData("", false)]
    [InlineData("Alice", false)]
    public void ResetAndClearRemoveTheBanner(string text, bool removal)
    {
        Assert.Equal(removal, BannerText.IsRemoval(text));
    }

    [Fact]
    public void TheModeratorsTextWinsOverTheName()
    {
        Assert.Equal("Alice", BannerText.Effective(null, "Alice"));
        Assert.Equal("Alice", BannerText.Effective(string.Empty, "Alice"));
        Assert.Equal("Speaker", BannerText.Effective("Speaker", "Alice"));
    }
}
