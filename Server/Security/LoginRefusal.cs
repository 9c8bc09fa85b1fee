namespace MediaServer.Security;

/// <summary>Why <see cref="LoginThrottle.Check"/> refuses an attempt before its password is looked at.</summary>
public enum LoginRefusal
{
    None,

    /// <summary>The account is locked out (for everyone, or for this address), even for the right password.</summary>
    AccountLocked,

    /// <summary>The address has failed faster than its allowed rate; it may try again shortly.</summary>
    AddressTooFast,
}
