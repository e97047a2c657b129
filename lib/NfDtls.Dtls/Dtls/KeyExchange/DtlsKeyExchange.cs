using NfDtls.Dtls.Handshake;
using NfDtls.Wire;

namespace NfDtls.Dtls.KeyExchange
{
    /// <summary>
    /// The per-suite part of the handshake: which messages carry key material and how the premaster secret is made.
    /// The session's state machine calls these hooks; a suite overrides only what it uses. Hooks return 0 for
    /// success or the alert description to fail the handshake with. Writers return false to omit an optional
    /// message. The session's transcript hash (<see cref="DtlsSession.TranscriptHash"/>) and both randoms are
    /// available to a suite that signs (ECDHE_ECDSA, RFC 8422 §5.4). The hooks are internal: they make premaster
    /// secrets and signatures, which no application should be able to ask for (issue 16, finding 12).
    /// </summary>
    public abstract class DtlsKeyExchange
    {
        public abstract int CipherSuite { get; }

        // ---- server side (flight 4, then the client's flight 5)

        /// <summary>Writes the server Certificate body; false = no Certificate message (PSK).</summary>
        internal virtual bool WriteServerCertificate(DtlsSession session, ref WireWriter body)
        {
            return false;
        }

        /// <summary>Writes the ServerKeyExchange body; false = no ServerKeyExchange.</summary>
        internal abstract bool WriteServerKeyExchange(DtlsSession session, ref WireWriter body);

        /// <summary>Writes a CertificateRequest body; false = none (no client authentication).</summary>
        internal virtual bool WriteCertificateRequest(DtlsSession session, ref WireWriter body)
        {
            return false;
        }

        /// <summary>Reads the ClientKeyExchange and writes the premaster secret into <paramref name="premaster"/>.</summary>
        internal abstract int ReadClientKeyExchange(DtlsSession session, byte[] buffer, int offset, int length,
                                                  byte[] premaster, out int premasterLength);

        // ---- client side

        internal virtual int ReadServerCertificate(DtlsSession session, byte[] buffer, int offset, int length)
        {
            return AlertDescription.UnexpectedMessage;
        }

        internal abstract int ReadServerKeyExchange(DtlsSession session, byte[] buffer, int offset, int length);

        internal virtual int ReadCertificateRequest(DtlsSession session, byte[] buffer, int offset, int length)
        {
            return AlertDescription.UnexpectedMessage;
        }

        /// <summary>True when ServerHelloDone without a ServerKeyExchange is an error (ECDHE).</summary>
        internal virtual bool RequiresServerKeyExchange { get { return false; } }

        /// <summary>Writes the ClientKeyExchange body and the premaster secret.</summary>
        internal abstract int WriteClientKeyExchange(DtlsSession session, ref WireWriter body,
                                                   byte[] premaster, out int premasterLength);

        // ---- hello extensions and client authentication (ECDHE_ECDSA; PSK leaves them all at their defaults)

        /// <summary>Server: whether this suite can serve this ClientHello (groups, signature algorithms, certificate types).</summary>
        internal virtual bool AcceptsClientHello(DtlsSession session, byte[] buffer, ref ClientHelloView view)
        {
            return true;
        }

        /// <summary>Client: extensions this suite adds to the ClientHello (inside the extensions vector).</summary>
        internal virtual void WriteClientHelloExtensions(DtlsSession session, ref WireWriter w)
        {
        }

        /// <summary>Server: true when <see cref="WriteServerHelloExtensions"/> will write something.</summary>
        internal virtual bool HasServerHelloExtensions(DtlsSession session)
        {
            return false;
        }

        /// <summary>Server: extensions this suite adds to the ServerHello (inside the extensions vector).</summary>
        internal virtual void WriteServerHelloExtensions(DtlsSession session, ref WireWriter w)
        {
        }

        /// <summary>Client: one ServerHello extension the engine itself does not handle; 0 or an alert.</summary>
        internal virtual int ReadServerHelloExtension(DtlsSession session, int type, byte[] buffer, int offset, int length)
        {
            return 0;
        }

        /// <summary>Client: writes the client Certificate body (flight 5, before ClientKeyExchange); false = none.</summary>
        internal virtual bool WriteClientCertificate(DtlsSession session, ref WireWriter body)
        {
            return false;
        }

        /// <summary>Client: writes CertificateVerify over the transcript so far (after ClientKeyExchange); false = none.</summary>
        internal virtual bool WriteCertificateVerify(DtlsSession session, ref WireWriter body)
        {
            return false;
        }

        /// <summary>Server: a client Certificate must precede ClientKeyExchange (we sent CertificateRequest).</summary>
        internal virtual bool ExpectsClientCertificate(DtlsSession session)
        {
            return false;
        }

        internal virtual int ReadClientCertificate(DtlsSession session, byte[] buffer, int offset, int length)
        {
            return AlertDescription.UnexpectedMessage;
        }

        /// <summary>Server: a CertificateVerify must follow ClientKeyExchange (the client sent a certificate).</summary>
        internal virtual bool ExpectsCertificateVerify(DtlsSession session)
        {
            return false;
        }

        /// <summary>Server: checks CertificateVerify; called before the message enters the transcript.</summary>
        internal virtual int ReadCertificateVerify(DtlsSession session, byte[] buffer, int offset, int length)
        {
            return AlertDescription.UnexpectedMessage;
        }

        // ---- a peer Certificate larger than the reassembly buffer, streamed as its in-order bytes arrive

        /// <summary>
        /// A peer Certificate message of <paramref name="length"/> bytes will be streamed (it does not fit the handshake
        /// buffer). 0 to accept, or the alert that refuses it.
        /// </summary>
        internal virtual int BeginPeerCertificate(DtlsSession session, int length)
        {
            return AlertDescription.UnexpectedMessage;
        }

        /// <summary>The next in-order bytes of the streamed Certificate body; 0, or an alert to stop at once.</summary>
        internal virtual int FeedPeerCertificate(DtlsSession session, byte[] buffer, int offset, int count)
        {
            return 0;
        }

        /// <summary>The streamed Certificate is complete: 0 when the peer is authenticated, or the alert.</summary>
        internal virtual int EndPeerCertificate(DtlsSession session)
        {
            return AlertDescription.UnexpectedMessage;
        }

        /// <summary>Called when a session ends or restarts: wipe per-session secrets (ephemeral keys).</summary>
        internal virtual void Reset(DtlsSession session)
        {
        }
    }
}
