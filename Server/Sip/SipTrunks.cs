using System.Globalization;
using System.Net;
using MediaServer.Configuration;
using MediaServer.Protocol.Sip;
using Microsoft.Extensions.Logging;

namespace MediaServer.Sip;

/// <summary>
/// The trunks of conf/sip-trunks.json at run time: inbound INVITEs are recognised by source
/// address (IP-ACL), calls out go to the trunk's proxy with its credentials, and trunks that
/// ask for it are kept registered (REGISTER answered with digest, refreshed at half its
/// lifetime, retried after a minute when it fails). Runs on the SIP worker.
/// </summary>
internal sealed class SipTrunks : ISipClientTransactionUser
{
    private const long RetryMs = 60_000;
    private readonly SipUserAgent _agent;
    private readonly ILogger _log;
    private readonly Dictionary<string, TrunkState> _states = new(StringComparer.Ordinal);

    public SipTrunks(SipUserAgent agent, IReadOnlyList<SipTrunk> trunks, ILogger log)
    {
        _agent = agent;
        _log = log;
        foreach (var trunk in trunks)
        {
            _states[trunk.Name] = new TrunkState(trunk);
        }
    }

    public SipTrunk? Find(string name) => _states.TryGetValue(name, out var state) ? state.Trunk : null;

    /// <summary>Whether the trunk's registration currently stands (for /health and tests).</summary>
    public bool IsRegistered(string name) => _states.TryGetValue(name, out var state) && state.Registered;

    /// <summary>The trunk whose inbound networks hold <paramref name="address"/>.</summary>
    public SipTrunk? Match(IPAddress address) =>
        _states.Values.Select(s => s.Trunk).FirstOrDefault(t => t.InboundNetworks.Any(n => n.Contains(address)));

    /// <summary>Where requests to the trunk go.</summary>
    public static SipEndPoint? Destination(SipTrunk trunk)
    {
        var uri = new SipUri("sip", null, trunk.Host, trunk.Port, new Dictionary<string, string?> { ["transport"] = trunk.Transport }, new Dictionary<string, string>());
        return SipStack.Resolve(uri);
    }

    /// <summary>The Request-URI for a number on the trunk.</summary>
    public static SipUri NumberUri(SipTrunk trunk, string number) =>
        new("sip", number, trunk.Host, trunk.Port, trunk.Transport == "tcp" ? new Dictionary<string, string?> { ["transport"] = "tcp" } : new Dictionary<string, string?>(), new Dictionary<string, string>());

    public void Tick(long nowMs)
    {
        foreach (var state in _states.Values)
        {
            if (state.Trunk.Register && nowMs >= state.NextRegisterMs && state.Pending is null)
            {
                SendRegister(state, authorization: null);
            }
        }
    }

    public void OnProvisional(SipClientTransaction transaction, SipMessage response)
    {
    }

    public void OnFinal(SipClientTransaction transaction, SipMessage response)
    {
        var state = _states.Values.FirstOrDefault(s => s.Pending == transaction);
        if (state is null)
        {
            return;
        }

        state.Pending = null;
        var now = _agent.Stack.NowMs;
        if (response.StatusCode is 401 or 407 && !state.Challenged
            && response.Headers.Get(response.StatusCode == 401 ? "WWW-Authenticate" : "Proxy-Authenticate") is { } header
            && SipDigestChallenge.TryParse(header, out var challenge) && challenge is not null)
        {
            state.Challenged = true;
            var credentials = SipDigest.Answer(challenge, state.Trunk.Username!, state.Trunk.Password!, "REGISTER", RegistrarUri(state.Trunk).ToString());
            SendRegister(state, (response.StatusCode == 401 ? "Authorization" : "Proxy-Authorization", credentials.ToHeaderValue()));
            return;
        }

        state.Challenged = false;
        if (response.StatusCode is >= 200 and < 300)
        {
            var granted = response.Contacts.Select(c => c.Parameters.TryGetValue("expires", out var e) && int.TryParse(e, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : (int?)null)
                .FirstOrDefault(v => v is not null) ?? response.Expires ?? state.Trunk.RegisterExpires;
            state.Registered = true;
            state.NextRegisterMs = now + (Math.Max(granted, 60) * 500L);
            SipLog.Trunk(_log, state.Trunk.Name, $"registered for {granted} s");
            return;
        }

        state.Registered = false;
        state.NextRegisterMs = now + RetryMs;
        SipLog.Trunk(_log, state.Trunk.Name, $"registration failed: {response.StatusCode} {response.ReasonPhrase}; retrying in {RetryMs / 1000} s");
    }

    private void SendRegister(TrunkState state, (string Name, string Value)? authorization)
    {
        var trunk = state.Trunk;
        if (Destination(trunk) is not { } destination)
        {
            state.NextRegisterMs = _agent.Stack.NowMs + RetryMs;
            SipLog.Trunk(_log, trunk.Name, $"cannot resolve {trunk.Host}; retrying in {RetryMs / 1000} s");
            return;
        }

        state.Sequence++;
        var aor = $"<sip:{trunk.Username}@{trunk.Host}>";
        var register = SipMessage.CreateRequest("REGISTER", RegistrarUri(trunk));
        register.Headers.Add("Max-Forwards", "70");
        register.Headers.Add("From", $"{aor};tag={state.Tag}");
        register.Headers.Add("To", aor);
        register.Headers.Add("Call-ID", state.CallId);
        register.Headers.Add("CSeq", string.Create(CultureInfo.InvariantCulture, $"{state.Sequence} REGISTER"));
        register.Headers.Add("Contact", $"<sip:{trunk.Username}@{_agent.Stack.HostPort()}{(trunk.Transport == "tcp" ? ";transport=tcp" : string.Empty)}>");
        register.Headers.Add("Expires", trunk.RegisterExpires.ToString(CultureInfo.InvariantCulture));
        if (authorization is { } auth)
        {
            register.Headers.Add(auth.Name, auth.Value);
        }

        state.Pending = _agent.Stack.SendRequest(register, destination, this);
    }

    private static SipUri RegistrarUri(SipTrunk trunk) =>
        new("sip", null, trunk.Host, trunk.Port, trunk.Transport == "tcp" ? new Dictionary<string, string?> { ["transport"] = "tcp" } : new Dictionary<string, string?>(), new Dictionary<string, string>());

    /// <summary>A trunk's registration: one Call-ID and From tag for its lifetime (RFC 3261 §10.2.4), a rising CSeq.</summary>
    private sealed class TrunkState(SipTrunk trunk)
    {
        public SipTrunk Trunk { get; } = trunk;

        public string CallId { get; } = SipStack.NewCallId();

        public string Tag { get; } = SipStack.NewTag();

        public uint Sequence { get; set; }

        public long NextRegisterMs { get; set; }

        public SipClientTransaction? Pending { get; set; }

        public bool Challenged { get; set; }

        public bool Registered { get; set; }
    }
}
