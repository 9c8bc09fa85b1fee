using MediaServer.Protocol.Verto;

namespace MediaServer.Protocol.Tests.Verto;

public class EventChannelTests
{
    [Theory]
    [InlineData("conference-liveArray.3500@example.com", "conference-liveArray", true)]
    [InlineData("presence", "presence", false)]
    [InlineData("chat.lobby", "chat", true)]
    [InlineData("chat.", "chat", false)]
    [InlineData(".x", "", false)]
    public void FamilyIsTheTextBeforeTheFirstDot(string channel, string family, bool hasFamily)
    {
        Assert.Equal(family, EventChannel.Family(channel).ToString());
        Assert.Equal(hasFamily, EventChannel.HasFamily(channel));
    }

    [Theory]
    [InlineData("conference-mod", true)]
    [InlineData("conference", true)]
    [InlineData("FSevent", true)]
    [InlineData("chat", false)]
    [InlineData("Conference-mod", false)]
    public void KnowsTheServersFamilies(string family, bool server) => Assert.Equal(server, EventChannel.IsServerFamily(family));

    [Fact]
    public void NamesAreBounded()
    {
        Assert.False(EventChannel.IsValidName(string.Empty));
        Assert.False(EventChannel.IsValidName(new string('a', EventChannel.MaxNameLength + 1)));
        Assert.False(EventChannel.IsValidName("a\nb"));
        Assert.True(EventChannel.IsValidName("app.scores@example.com"));
    }

    [Fact]
    public void DomainIsAfterTheLastAt()
    {
        Assert.Equal("example.com", EventChannel.Domain("conference-chat.3500@example.com").ToString());
        Assert.Equal(string.Empty, EventChannel.Domain("chat.lobby").ToString());
    }
}
