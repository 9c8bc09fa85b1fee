using System.Globalization;
using System.Text;

namespace MediaServer.Protocol.Sdp;

/// <summary>
/// One a=candidate attribute (RFC 8839 §5.1):
/// <code>
/// candidate-attribute = "candidate" ":" foundation SP component-id SP transport SP
///                       priority SP connection-address SP port SP "typ" SP cand-type
///                       [SP "raddr" SP connection-address] [SP "rport" SP port]
///                       *(SP extension-att-name SP extension-att-value)
/// </code>
/// Browsers add extensions such as "generation 0", "network-id 1", "tcptype active"; they are
/// kept in <see cref="Extensions"/> in order so the candidate writes back as it came.
/// Addresses are kept as text: Chromium and Firefox hide local addresses behind mDNS names (*.local).
/// </summary>
public sealed class IceCandidate
{
    public string Foundation { get; set; } = "1";

    /// <summary>1 for RTP (the only component with rtcp-mux), 2 for RTCP.</summary>
    public int Component { get; set; } = 1;

    /// <summary>As written: Chromium says "udp", Firefox "UDP".</summary>
    public string Transport { get; set; } = "udp";

    public uint Priority { get; set; }

    public string Address { get; set; } = string.Empty;

    public int Port { get; set; }

    /// <summary>host, srflx, prflx or relay.</summary>
    public string Type { get; set; } = "host";

    public string? RelatedAddress { get; set; }

    public int? RelatedPort { get; set; }

    /// <summary>Extension attributes after the fixed fields, e.g. ("generation", "0").</summary>
    public List<KeyValuePair<string, string>> Extensions { get; set; } = [];

    /// <summary>True when <see cref="Transport"/> is UDP, the only one an ICE-lite UDP server can reach.</summary>
    public bool IsUdp => string.Equals(Transport, "udp", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Parses the attribute value (the text after "candidate:"; a leading "candidate:" as in
    /// RTCIceCandidate.candidate is accepted too). Never throws.
    /// </summary>
    public static bool TryParse(string attributeValue, out IceCandidate? candidate)
    {
        candidate = null;
        if (attributeValue is null || attributeValue.Length > SessionDescription.MaxLength)
        {
            return false;
        }

        var text = attributeValue.Trim();
        if (text.StartsWith("candidate:", StringComparison.OrdinalIgnoreCase))
        {
            text = text["candidate:".Length..];
        }

        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // Eight fixed tokens, then name/value pairs.
        if (parts.Length < 8 || parts.Length % 2 != 0 || !parts[6].Equals("typ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (parts[0].Length > 32
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var component) || component is < 1 or > 256
            || !uint.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var priority)
            || !TryParsePort(parts[5], out var port))
        {
            return false;
        }

        var result = new IceCandidate
        {
            Foundation = parts[0],
            Component = component,
            Transport = parts[2],
            Priority = priority,
            Address = parts[4],
            Port = port,
            Type = parts[7],
        };

        for (var i = 8; i < parts.Length; i += 2)
        {
            var name = parts[i];
            var value = parts[i + 1];
            if (name == "raddr" && result.RelatedAddress is null)
            {
                result.RelatedAddress = value;
            }
            else if (name == "rport" && result.RelatedPort is null)
            {
                if (!TryParsePort(value, out var relatedPort))
                {
                    return false;
                }

                result.RelatedPort = relatedPort;
            }
            else
            {
                result.Extensions.Add(new(name, value));
            }
        }

        candidate = result;
        return true;
    }

    /// <summary>The value of the extension <paramref name="name"/> (e.g. "generation"), or null.</summary>
    public string? GetExtension(string name)
    {
        foreach (var pair in Extensions)
        {
            if (pair.Key == name)
            {
                return pair.Value;
            }
        }

        return null;
    }

    /// <summary>The attribute value, without the "candidate:" prefix.</summary>
    public override string ToString()
    {
        var text = new StringBuilder(96);
        text.Append(Foundation).Append(' ')
            .Append(Component.ToString(CultureInfo.InvariantCulture)).Append(' ')
            .Append(Transport).Append(' ')
            .Append(Priority.ToString(CultureInfo.InvariantCulture)).Append(' ')
            .Append(Address).Append(' ')
            .Append(Port.ToString(CultureInfo.InvariantCulture)).Append(" typ ")
            .Append(Type);
        if (RelatedAddress is not null)
        {
            text.Append(" raddr ").Append(RelatedAddress);
        }

        if (RelatedPort is { } relatedPort)
        {
            text.Append(" rport ").Append(relatedPort.ToString(CultureInfo.InvariantCulture));
        }

        foreach (var pair in Extensions)
        {
            text.Append(' ').Append(pair.Key).Append(' ').Append(pair.Value);
        }

        return text.ToString();
    }

    private static bool TryParsePort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port <= 65535;
}
