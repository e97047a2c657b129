namespace NfDtls.Coap.Client
{
    /// <summary>
    /// A request body written where it is sent: the endpoint asks for it each time the request goes out (first send
    /// and each retransmission, RFC 7252 §4.2), straight into the space the connector lends (a DTLS record's plaintext),
    /// so the application keeps no copy of it. The body must fit one message (no Block1), and come out the same each
    /// time. Called between the connector's BeginSend and EndSend: it must not call into the endpoint.
    /// </summary>
    public interface ICoapBodyWriter
    {
        /// <summary>
        /// Writes the body of exchange <paramref name="exchange"/> at <paramref name="buffer"/>[<paramref name="offset"/> ..
        /// + <paramref name="capacity"/>); returns its length (0: no body), or -1 when it does not fit (the exchange then
        /// fails with <see cref="CoapFailure.TooLarge"/>).
        /// </summary>
        int WriteBody(int exchange, byte[] buffer, int offset, int capacity);
    }
}
