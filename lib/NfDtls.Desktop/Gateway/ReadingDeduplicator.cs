namespace NfDtls.Desktop.Gateway;

/// <summary>
/// Makes delivery to the application at-most-once per reading. CoAP de-duplicates retransmissions of one message
/// (RFC 7252 §4.5), but a node that never got the ACK resends the reading in a new message after it reconnects, and a
/// restarted gateway has forgotten every Message ID; so readings carry a sequence number ("seq") and the gateway keeps,
/// per node, the highest one seen and a 64-bit window below it (the shape of the DTLS replay window, RFC 6347
/// §4.1.2.6). A number far below the window means the node started counting again (a reboot without persistent
/// state): accepted, and the window restarts there.
/// </summary>
public sealed class ReadingDeduplicator
{
    private const int Window = 64;
    private readonly Dictionary<string, State> _nodes = new(StringComparer.Ordinal);

    public long Suppressed { get; private set; }

    /// <summary>True the first time (<paramref name="node"/>, <paramref name="sequence"/>) is seen (within the window).</summary>
    public bool FirstTime(string node, long sequence)
    {
        if (!_nodes.TryGetValue(node, out var s))
        {
            _nodes[node] = new State { Highest = sequence, Seen = 1 };
            return true;
        }
        if (sequence > s.Highest)
        {
            long shift = sequence - s.Highest;
            s.Seen = shift >= Window ? 1 : (s.Seen << (int)shift) | 1;
            s.Highest = sequence;
            return true;
        }
        long back = s.Highest - sequence;
        if (back >= Window * 16)
        {
            // Far behind: the node restarted its count.
            s.Highest = sequence;
            s.Seen = 1;
            return true;
        }
        if (back >= Window)
        {
            Suppressed++;
            return false; // too old to tell: treat as a replay
        }
        ulong bit = 1UL << (int)back;
        if ((s.Seen & bit) != 0)
        {
            Suppressed++;
            return false;
        }
        s.Seen |= bit;
        return true;
    }

    public void Forget(string node) => _nodes.Remove(node);

    private sealed class State
    {
        public long Highest;
        public ulong Seen;
    }
}
