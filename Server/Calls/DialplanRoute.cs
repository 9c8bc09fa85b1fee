namespace MediaServer.Calls;

/// <summary>Where the dialplan sends one destination: the rule that matched and its expanded target.</summary>
public sealed record DialplanRoute(DialplanRule Rule, string? Target)
{
    public DialplanAction Action => Rule.Action;
}
