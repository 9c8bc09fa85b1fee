using System.Text.RegularExpressions;

namespace MediaServer.Calls;

/// <summary>
/// One ordered rule of conf/dialplan.json: a regular expression on the dialled number and
/// an action. <see cref="Target"/> may use the match's groups (<c>$1</c>) to name the user or
/// room; <see cref="Profile"/> names the conference profile of rooms a conference rule makes;
/// <see cref="Trunk"/> names the SIP trunk of a trunk rule.
/// </summary>
public sealed record DialplanRule(string Name, Regex Match, DialplanAction Action, string? Target, string? Profile = null, string? Trunk = null);
