namespace NfDtls.Coap.Server
{
    /// <summary>
    /// What a resource handler fills in: code, Content-Format, Max-Age, ETag and the body, which may be any
    /// byte range (the endpoint slices it into Block2 blocks, RFC 7959 §2.4) or text written into
    /// <see cref="PayloadSpace"/>. Reused for every request.
    /// </summary>
    public sealed class CoapResponse
    {
        private readonly CoapEndpoint _endpoint;

        public int Code;
        public int ContentFormat = -1;
        /// <summary>Max-Age seconds (§5.10.5); -1 to leave it out (default 60).</summary>
        public long MaxAge = -1;
        public readonly byte[] ETag = new byte[8];
        public int ETagLength;
        public byte[] Payload;
        public int PayloadOffset;
        public int PayloadLength;
        /// <summary>Scratch for a generated body (ResponseBufferSize bytes).</summary>
        public readonly byte[] PayloadSpace;
        internal int DeferredHandle = -1;
        internal int Block1 = -1;
        internal int Size1 = -1;

        internal CoapResponse(CoapEndpoint endpoint, int bufferSize)
        {
            _endpoint = endpoint;
            PayloadSpace = new byte[bufferSize];
        }

        internal void Reset(int code)
        {
            Code = code;
            ContentFormat = -1;
            MaxAge = -1;
            ETagLength = 0;
            Payload = null;
            PayloadOffset = 0;
            PayloadLength = 0;
            DeferredHandle = -1;
            Block1 = -1;
            Size1 = -1;
        }

        public void SetPayload(byte[] buffer, int offset, int length)
        {
            Payload = buffer;
            PayloadOffset = offset;
            PayloadLength = buffer == null ? 0 : length;
        }

        /// <summary>Writes <paramref name="text"/> as UTF-8 into <see cref="PayloadSpace"/> and makes it the body; false if too long.</summary>
        public bool SetText(string text)
        {
            int n = NfDtls.Text.Utf8Bytes.TryWrite(text, PayloadSpace, 0, PayloadSpace.Length);
            if (n < 0)
            {
                return false;
            }
            SetPayload(PayloadSpace, 0, n);
            return true;
        }

        public void SetETag(byte[] tag, int offset, int length)
        {
            ETagLength = length > 8 ? 8 : length;
            System.Array.Copy(tag, offset, ETag, 0, ETagLength);
        }

        /// <summary>
        /// Answers later (a separate response, RFC 7252 §5.2.2): the request is acknowledged now; later fill
        /// <see cref="CoapEndpoint.DeferredResponse"/> and call <see cref="CoapEndpoint.SendDeferred"/> with the handle.
        /// Returns -1 when no deferred slot is free (then answer now, e.g. 5.03).
        /// </summary>
        public int Defer()
        {
            DeferredHandle = _endpoint.AllocateDeferred();
            return DeferredHandle;
        }
    }
}
