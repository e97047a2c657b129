using NfDtls.Dtls.Handshake;
using NfDtls.Wire;

namespace NfDtls.Dtls.KeyExchange
{
    /// <summary>
    /// The per-suite part of the handshake: which messages carry key material and how the premaster secret is made.
    /// One instance per engine and suite holds what all handshakes share (credentials, the P-256 engine); what one
    /// handshake needs of its own (an ephemeral key, the peer's key, a certificate verifier) is a
    /// <see cref="KeyExchangeState"/> made once per pooled <see cref="DtlsHandshake"/> (<see cref="CreateState"/>) and
    /// reached through <see cref="DtlsHandshake.KeyExchangeState"/>. Hooks return 0 for success or the alert description
    /// to fail the handshake with; writers return false to omit an optional message. The handshake's transcript hash and
    /// both randoms are available to a suite that signs (ECDHE_ECDSA, RFC 8422 §5.4). The hooks are internal: they make
    /// premaster secrets and signatures, which no application should be able to ask for (issue 16, finding 12).
    /// </summary>
    public abstract class DtlsKeyExchange
    {
        public abstract int CipherSuite { get; }

        /// <summary>Per-handshake state for one pooled handshake; null when the suite needs none (PSK).</summary>
        internal virtual KeyExchangeState CreateState()
        {
            return null;
        }

        /// <summary>
        /// Whether a suite-dependent message of the peer's flight is <see cref="ExpectedFlights.Required"/>,
        /// <see cref="ExpectedFlights.Optional"/> or <see cref="ExpectedFlights.Forbidden"/> in this handshake
        /// (Certificate, ServerKeyExchange, CertificateRequest, CertificateVerify).
        /// </summary>
        internal abstract int MessageRule(DtlsHandshake handshake, int type);

        // ---- server side (flight 4, then the client's flight 5)

        /// <summary>Writes the server Certificate body; false = no Certificate message (PSK).</summary>
        internal virtual bool WriteServerCertificate(DtlsHandshake handshake, FlightBuffer flight, ref WireWriter body)
        {
            return false;
        }

        /// <summary>Writes the ServerKeyExchange body; false = no ServerKeyExchange.</summary>
        internal abstract bool WriteServerKeyExchange(DtlsHandshake handshake, ref WireWriter body);

        /// <summary>Writes a CertificateRequest body; false = none (no client authentication).</summary>
        internal virtual bool WriteCertificateRequest(DtlsHandshake handshake, ref WireWriter body)
        {
            return false;
        }

        /// <summary>Reads the ClientKeyExchange and writes the premaster secret into <paramref name="premaster"/>.</summary>
        internal abstract int ReadClientKeyExchange(DtlsHandshake handshake, byte[] buffer, int offset, int length,
                                                    byte[] premaster, out int premasterLength);

        // ---- client side

        internal virtual int ReadServerCertificate(DtlsHandshake handshake, byte[] buffer, int offset, int length)
        {
            return AlertDescription.UnexpectedMessage;
        }

        internal abstract int ReadServerKeyExchange(DtlsHandshake handshake, byte[] buffer, int offset, int length);

        internal virtual int ReadCertificateRequest(DtlsHandshake handshake, byte[] buffer, int offset, int length)
        {
            return AlertDescription.UnexpectedMessage;
        }

        /// <summary>Writes the ClientKeyExchange body and the premaster secret.</summary>
        internal abstract int WriteClientKeyExchange(DtlsHandshake handshake, ref WireWriter body,
                                                     byte[] premaster, out int premasterLength);

        // ---- hello extensions and client authentication (ECDHE_ECDSA; PSK leaves them all at their defaults)

        /// <summary>Server: whether this suite can serve this ClientHello (groups, signature algorithms, certificate types).</summary>
        internal virtual bool AcceptsClientHello(DtlsHandshake handshake, KeyExchangeState state, byte[] buffer, ref ClientHelloView view)
        {
            return true;
        }

        /// <summary>Client: extensions this suite adds to the ClientHello (inside the extensions vector).</summary>
        internal virtual void WriteClientHelloExtensions(ref WireWriter w)
        {
        }

        /// <summary>Server: true when <see cref="WriteServerHelloExtensions"/> will write something.</summary>
        internal virtual bool HasServerHelloExtensions(DtlsHandshake handshake)
        {
            return false;
        }

        /// <summary>Server: extensions this suite adds to the ServerHello (inside the extensions vector).</summary>
        internal virtual void WriteServerHelloExtensions(DtlsHandshake handshake, ref WireWriter w)
        {
        }

        /// <summary>Client: one ServerHello extension the engine itself does not handle; 0 or an alert.</summary>
        internal virtual int ReadServerHelloExtension(DtlsHandshake handshake, int type, byte[] buffer, int offset, int length)
        {
            return 0;
        }

        /// <summary>Client: writes the client Certificate body (flight 5, before ClientKeyExchange); false = none.</summary>
        internal virtual bool WriteClientCertificate(DtlsHandshake handshake, FlightBuffer flight, ref WireWriter body)
        {
            return false;
        }

        /// <summary>Client: writes CertificateVerify over the transcript so far (after ClientKeyExchange); false = none.</summary>
        internal virtual bool WriteCertificateVerify(DtlsHandshake handshake, ref WireWriter body)
        {
            return false;
        }

        internal virtual int ReadClientCertificate(DtlsHandshake handshake, byte[] buffer, int offset, int length)
        {
            return AlertDescription.UnexpectedMessage;
        }

        /// <summary>Server: checks CertificateVerify; called before the message enters the transcript.</summary>
        internal virtual int ReadCertificateVerify(DtlsHandshake handshake, byte[] buffer, int offset, int length)
        {
            return AlertDescription.UnexpectedMessage;
        }

        // ---- resumption (RFC 5246 §7.3): who the peer was, remembered with the master secret

        /// <summary>
        /// Writes what identifies the peer of this handshake for a resumable session (at most <paramref name="max"/>
        /// bytes) and returns its length; -1 when this suite does not resume.
        /// </summary>
        internal virtual int WritePeerIdentity(DtlsHandshake handshake, byte[] output, int offset, int max)
        {
            return -1;
        }

        /// <summary>
        /// Whether a session with this remembered peer identity may be resumed with today's credentials (never across a
        /// change of identity or trust); with <paramref name="apply"/> the session and handshake take the identity back,
        /// so a resumed session shows the same peer as the full one did.
        /// </summary>
        internal virtual bool RestorePeerIdentity(DtlsHandshake handshake, byte[] record, int offset, int length, bool apply)
        {
            return false;
        }

        /// <summary>Wipes one handshake's state of this suite (<see cref="CreateState"/>) when the handshake goes back to the pool.</summary>
        internal virtual void WipeState(KeyExchangeState state)
        {
            state.Wipe();
        }

        /// <summary>
        /// The peer's Certificate is about to be read, whole or streamed: true when what reading it needs is at hand (the
        /// ECDHE suite lends the handshake a certificate verifier here). False: every verifier is lent to another
        /// handshake, and the message is left unread as if lost, the handshake unchanged; the peer retransmits its flight
        /// (RFC 6347 §4.2.4) and it is read then.
        /// </summary>
        internal virtual bool ReadyForPeerCertificate(DtlsHandshake handshake)
        {
            return true;
        }

        // ---- a peer Certificate larger than the reassembly buffer, streamed as its in-order bytes arrive

        /// <summary>
        /// A peer Certificate message of <paramref name="length"/> bytes will be streamed (it does not fit the handshake
        /// buffer). 0 to accept, or the alert that refuses it.
        /// </summary>
        internal virtual int BeginPeerCertificate(DtlsHandshake handshake, int length)
        {
            return AlertDescription.UnexpectedMessage;
        }

        /// <summary>The next in-order bytes of the streamed Certificate body; 0, or an alert to stop at once.</summary>
        internal virtual int FeedPeerCertificate(DtlsHandshake handshake, byte[] buffer, int offset, int count)
        {
            return 0;
        }

        /// <summary>The streamed Certificate is complete: 0 when the peer is authenticated, or the alert.</summary>
        internal virtual int EndPeerCertificate(DtlsHandshake handshake)
        {
            return AlertDescription.UnexpectedMessage;
        }
    }
}
