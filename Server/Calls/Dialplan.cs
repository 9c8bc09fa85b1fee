using System.Text.RegularExpressions;

namespace MediaServer.Calls;

/// <summary>
/// The ordered rules of conf/dialplan.json: the first rule whose expression matches the
/// whole destination number wins. Immutable; shared by every call.
/// </summary>
public sealed class Dialplan
{
    /// <summary>Expressions run on client input, so each match is bounded in time.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    public Dialplan(IReadOnlyList<DialplanRule> rules)
    {
        Rules = rules;
    }

    /// <summary>What ships in conf/dialplan.json, for servers built without a conf folder (tests).</summary>
    public static Dialplan Default { get; } = new(
    [
        new DialplanRule("echo", Compile("^9196$"), DialplanAction.Echo, null),
        new DialplanRule("conference-screen", Compile("^(3[0-9]{3})-screen$"), DialplanAction.Conference, "$1"),
        new DialplanRule("conference-name-screen", Compile("^conf-(.+)-screen$"), DialplanAction.Conference, "$1"),
        new DialplanRule("conference-large", Compile("^(39[0-9]{2})$"), DialplanAction.Conference, "$1", "large-room"),
        new DialplanRule("conference-number", Compile("^(3[0-9]{3})$"), DialplanAction.Conference, "$1"),
        new DialplanRule("conference-name", Compile("^conf-(.+)$"), DialplanAction.Conference, "$1"),
        new DialplanRule("directory-user", Compile("^(.+)$"), DialplanAction.User, "$1"),
    ]);

    public IReadOnlyList<DialplanRule> Rules { get; }

    public static Regex Compile(string pattern) =>
        new(pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled, MatchTimeout);

    /// <summary>The route for a destination, or null when no rule matches (NO_ROUTE_DESTINATION).</summary>
    public DialplanRoute? Route(string destination)
    {
        foreach (var rule in Rules)
        {
            Match match;
            try
            {
                match = rule.Match.Match(destination);
            }
            catch (RegexMatchTimeoutException)
            {
                continue;
            }

            if (match.Success)
            {
                return new DialplanRoute(rule, rule.Target is null ? null : match.Result(rule.Target));
            }
        }

        return null;
    }
}
