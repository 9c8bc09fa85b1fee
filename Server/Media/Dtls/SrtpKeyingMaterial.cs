namespace MediaServer.Media.Dtls;

/// <summary>
/// The SRTP master keys and salts a DTLS handshake exported, already split into ours and the
/// peer's. <see cref="LocalKey"/>/<see cref="LocalSalt"/> protect what we send (the server write
/// key when we are the DTLS server); <see cref="RemoteKey"/>/<see cref="RemoteSalt"/> unprotect
/// what the peer sends. Immutable after the handshake; handed to the leg that made it.
/// </summary>
public sealed class SrtpKeyingMaterial
{
    /// <summary>Master key length of both profiles we support.</summary>
    public const int KeyLength = 16;

    public SrtpKeyingMaterial(SrtpProfile profile, byte[] localKey, byte[] localSalt, byte[] remoteKey, byte[] remoteSalt)
    {
        ArgumentNullException.ThrowIfNull(localKey);
        ArgumentNullException.ThrowIfNull(localSalt);
        ArgumentNullException.ThrowIfNull(remoteKey);
        ArgumentNullException.ThrowIfNull(remoteSalt);
        var saltLength = SaltLength(profile);
        if (localKey.Length != KeyLength || remoteKey.Length != KeyLength)
        {
            throw new ArgumentException($"SRTP master keys are {KeyLength} bytes.");
        }

        if (localSalt.Length != saltLength || remoteSalt.Length != saltLength)
        {
            throw new ArgumentException($"SRTP master salts for {profile} are {saltLength} bytes.");
        }

        Profile = profile;
        LocalKey = localKey;
        LocalSalt = localSalt;
        RemoteKey = remoteKey;
        RemoteSalt = remoteSalt;
    }

    public SrtpProfile Profile { get; }

    public byte[] LocalKey { get; }

    public byte[] LocalSalt { get; }

    public byte[] RemoteKey { get; }

    public byte[] RemoteSalt { get; }

    /// <summary>Master salt length: 14 bytes for AES-CM (RFC 3711 §8.2), 12 for AEAD GCM (RFC 7714 §12).</summary>
    public static int SaltLength(SrtpProfile profile) => profile switch
    {
        SrtpProfile.AesCm128HmacSha1_80 => 14,
        SrtpProfile.AeadAes128Gcm => 12,
        _ => throw new ArgumentOutOfRangeException(nameof(profile), profile, "Unsupported SRTP profile."),
    };

    /// <summary>
    /// Splits the exporter output, laid out as RFC 5764 §4.2 says:
    /// client_write_key | server_write_key | client_write_salt | server_write_salt.
    /// </summary>
    internal static SrtpKeyingMaterial FromExporter(SrtpProfile profile, ReadOnlySpan<byte> exported, DtlsRole role)
    {
        var saltLength = SaltLength(profile);
        if (exported.Length != 2 * (KeyLength + saltLength))
        {
            throw new ArgumentException("Exporter output has the wrong length for the profile.", nameof(exported));
        }

        var clientKey = exported[..KeyLength].ToArray();
        var serverKey = exported.Slice(KeyLength, KeyLength).ToArray();
        var clientSalt = exported.Slice(2 * KeyLength, saltLength).ToArray();
        var serverSalt = exported.Slice((2 * KeyLength) + saltLength, saltLength).ToArray();
        return role == DtlsRole.Server
            ? new SrtpKeyingMaterial(profile, serverKey, serverSalt, clientKey, clientSalt)
            : new SrtpKeyingMaterial(profile, clientKey, clientSalt, serverKey, serverSalt);
    }
}
