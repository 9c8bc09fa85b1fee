using MediaServer.Protocol.Sip;

namespace MediaServer.Protocol.Tests.Sip;

/// <summary>Message equality as the stack sees it: start line, every header, the typed values and the body.</summary>
internal static class SipAssert
{
    public static void SameMessage(SipMessage expected, SipMessage actual)
    {
        Assert.Equal(expected.IsRequest, actual.IsRequest);
        Assert.Equal(expected.Method, actual.Method);
        Assert.Equal(expected.RequestUri?.ToString(), actual.RequestUri?.ToString());
        Assert.Equal(expected.StatusCode, actual.StatusCode);
        Assert.Equal(expected.ReasonPhrase, actual.ReasonPhrase);
        Assert.Equal(
            expected.Headers.Where(h => h.Key != SipHeaderNames.ContentLength),
            actual.Headers.Where(h => h.Key != SipHeaderNames.ContentLength));
        Assert.Equal(expected.Vias, actual.Vias);
        Assert.Equal(expected.From, actual.From);
        Assert.Equal(expected.To, actual.To);
        Assert.Equal(expected.Contacts, actual.Contacts);
        Assert.Equal(expected.Routes, actual.Routes);
        Assert.Equal(expected.RecordRoutes, actual.RecordRoutes);
        Assert.Equal(expected.CSeq, actual.CSeq);
        Assert.Equal(expected.Body, actual.Body);
    }
}
