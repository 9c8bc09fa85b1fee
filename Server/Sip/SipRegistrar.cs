using System.Globalization;
using MediaServer.Protocol.Sip;
using Microsoft.Extensions.Logging;

namespace MediaServer.Sip;

/// <summary>
/// The registrar (RFC 3261 §10.3): REGISTER with digest credentials of a directory user adds,
/// refreshes or removes that user's contacts; Verto users calling that user then ring the
/// phone too. Bindings live in memory (a phone re-registers within its interval after a
/// restart). Requests go to the address the REGISTER came from, which is what reaches a phone
/// behind NAT. Runs on the SIP worker.
/// </summary>
internal sealed class SipRegistrar
{
    public const int DefaultExpires = 3600;
    public const int MinExpires = 60;
    public const int MaxExpires = 7200;
    public const int MaxBindingsPerUser = 10;

    // Written on the SIP worker, read by calls ringing a user from other threads.
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<SipBinding>> _bindings = new(StringComparer.Ordinal);
    private readonly SipAuthenticator _authenticator;
    private readonly SipMetrics _metrics;
    private readonly ILogger _log;

    public SipRegistrar(SipAuthenticator authenticator, SipMetrics metrics, ILogger log)
    {
        _authenticator = authenticator;
        _metrics = metrics;
        _log = log;
    }

    /// <summary>Live contacts of a user (uid = id@domain), newest first.</summary>
    public IReadOnlyList<SipBinding> BindingsOf(string uid, long nowMs)
    {
        lock (_gate)
        {
            return _bindings.TryGetValue(uid, out var list) ? list.Where(b => b.ExpiresAtMs > nowMs).OrderByDescending(b => b.ExpiresAtMs).ToList() : [];
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _bindings.Values.Sum(l => l.Count);
            }
        }
    }

    public void OnRegister(SipMessage request, SipServerTransaction transaction, SipEndPoint source, long nowMs)
    {
        var user = _authenticator.Authenticate(request, transaction, source, proxy: false);
        if (user is null)
        {
            return;
        }

        // §10.3 step 5: the To must name the user who authenticated; no registering for others.
        if (request.To?.Uri.User is { } toUser && !string.Equals(toUser, user.Entry.Id, StringComparison.Ordinal))
        {
            transaction.Respond(SipMessage.CreateResponse(request, 403, "Forbidden (To is not the authenticated user)"));
            return;
        }

        lock (_gate)
        {
            Update(request, transaction, source, nowMs, user.Uid);
        }
    }

    private void Update(SipMessage request, SipServerTransaction transaction, SipEndPoint source, long nowMs, string uid)
    {
        if (!_bindings.TryGetValue(uid, out var list))
        {
            list = [];
            _bindings[uid] = list;
        }

        list.RemoveAll(b => b.ExpiresAtMs <= nowMs);
        var contacts = request.Contacts;
        var callId = request.CallId ?? string.Empty;
        var sequence = request.CSeq?.Number ?? 0;
        if (contacts.Any(c => c.IsWildcard))
        {
            // §10.3 step 6: "*" only with Expires: 0, and it removes every binding.
            if (request.Expires != 0 || contacts.Count != 1)
            {
                transaction.Respond(SipMessage.CreateResponse(request, 400, "Bad Request (Contact * needs Expires: 0)"));
                return;
            }

            list.Clear();
        }
        else
        {
            foreach (var contact in contacts)
            {
                var expires = ContactExpires(contact, request.Expires);
                if (expires > 0 && expires < MinExpires)
                {
                    var tooBrief = SipMessage.CreateResponse(request, 423, "Interval Too Brief");
                    tooBrief.Headers.Add("Min-Expires", MinExpires.ToString(CultureInfo.InvariantCulture));
                    transaction.Respond(tooBrief);
                    return;
                }

                var existing = list.FindIndex(b => SameContact(b.Contact, contact.Uri));
                if (existing >= 0 && list[existing].CallId == callId && list[existing].Sequence >= sequence)
                {
                    // §10.3 step 7: an older or repeated REGISTER of the same registration changes nothing.
                    continue;
                }

                if (existing >= 0)
                {
                    list.RemoveAt(existing);
                }

                if (expires == 0)
                {
                    continue;
                }

                if (list.Count >= MaxBindingsPerUser)
                {
                    list.RemoveAt(0);
                }

                list.Add(new SipBinding(uid, contact.Uri, source, callId, sequence, nowMs + (Math.Min(expires, MaxExpires) * 1000L)));
                SipLog.Registered(_log, uid, contact.Uri.ToString(), Math.Min(expires, MaxExpires));
            }
        }

        Interlocked.Exchange(ref _metrics.Registrations, _bindings.Values.Sum(l => l.Count));
        var ok = SipMessage.CreateResponse(request, 200, "OK", SipStack.NewTag());
        foreach (var binding in list)
        {
            var remaining = Math.Max(0, (binding.ExpiresAtMs - nowMs) / 1000);
            ok.Headers.Add("Contact", string.Create(CultureInfo.InvariantCulture, $"<{binding.Contact}>;expires={remaining}"));
        }

        ok.Headers.Add("Date", DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture));
        transaction.Respond(ok);
    }

    /// <summary>Drops expired bindings (called from the worker's tick now and then).</summary>
    public void Sweep(long nowMs)
    {
        lock (_gate)
        {
            SweepLocked(nowMs);
        }
    }

    private void SweepLocked(long nowMs)
    {
        foreach (var list in _bindings.Values)
        {
            list.RemoveAll(b => b.ExpiresAtMs <= nowMs);
        }

        foreach (var empty in _bindings.Where(p => p.Value.Count == 0).Select(p => p.Key).ToList())
        {
            _bindings.Remove(empty);
        }

        Interlocked.Exchange(ref _metrics.Registrations, _bindings.Values.Sum(l => l.Count));
    }

    private static int ContactExpires(SipNameAddr contact, int? headerExpires)
    {
        if (contact.Parameters.TryGetValue("expires", out var value) && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var own))
        {
            return own;
        }

        return headerExpires ?? DefaultExpires;
    }

    private static bool SameContact(SipUri a, SipUri b) =>
        string.Equals(a.User, b.User, StringComparison.Ordinal) && string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) && (a.Port ?? 5060) == (b.Port ?? 5060);
}
