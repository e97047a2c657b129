using System;
using NfDtls.Crypto;

namespace NfDtls.Pki
{
    /// <summary>
    /// Validates an X.509 chain as it streams in, end-entity first as TLS sends it (RFC 5246 §7.4.2), against the
    /// configured <see cref="TrustAnchorStore"/> and a supplied clock (RFC 5280 §6.1, the parts a constrained client
    /// needs): each certificate's ECDSA-SHA256 signature by the next one's key, issuer name = next subject, validity at
    /// <c>now</c>, basicConstraints cA and pathLenConstraint and keyUsage keyCertSign on issuers, an unknown critical
    /// extension refused, the end-entity name (subjectAltName) when one is expected. Only the current certificate's
    /// <see cref="CertificateInfo"/>, 128 bytes of the previous one (issuer hash, signed hash, signature) and the end
    /// entity's key are kept, so a chain of any length costs the same; <c>maxChainLength</c> bounds the work. A DTLS
    /// engine lends its few to handshakes while they read a Certificate; the ECDSA engine is the key exchange's.
    /// Not thread-safe.
    /// </summary>
    public sealed class CertificateChainVerifier
    {
        private readonly TrustAnchorStore _anchors;
        private readonly IEcdsaP256 _ecdsa;
        private readonly int _maxChainLength;
        /// <summary>
        /// What checking the next certificate needs of the one before: issuer hash (0), tbs hash (32), signature (64);
        /// then the end entity's key (128, 65 bytes) once its certificate passed.
        /// </summary>
        private readonly byte[] _previous = new byte[EndEntityKeyAt + 65];
        private const int EndEntityKeyAt = 128;
        private bool _nameRequired;
        private long _now;
        private int _index;
        private bool _anchored;

        // Certificate message framing state (uint24 list of uint24-prefixed certificates)
        private int _listHeaderRead;
        private int _listLength;
        private int _listConsumed;
        private int _certHeaderRead;
        private int _certLength;
        private int _certRemaining;

        public readonly CertificateParser Parser;

        /// <summary>The first <see cref="CertificateError"/> found, None while all is well.</summary>
        public int Error { get; private set; }

        public int CertificateCount { get { return _index; } }

        public CertificateChainVerifier(TrustAnchorStore anchors, IEcdsaP256 ecdsa, int maxChainLength)
            : this(anchors, ecdsa, maxChainLength, CertificateParser.CaptureCapacity)
        {
        }

        /// <summary>
        /// <paramref name="captureCapacity"/>: the parser's largest copied element (<see cref="CertificateParser"/>);
        /// <see cref="CertificateParser.CaptureCapacityWithoutNames"/> where no DNS name will be expected.
        /// </summary>
        public CertificateChainVerifier(TrustAnchorStore anchors, IEcdsaP256 ecdsa, int maxChainLength, int captureCapacity)
        {
            if (anchors == null || ecdsa == null || maxChainLength < 1)
            {
                throw new ArgumentException("anchors, ecdsa and maxChainLength >= 1 are required");
            }
            _anchors = anchors;
            _ecdsa = ecdsa;
            _maxChainLength = maxChainLength;
            Parser = new CertificateParser(captureCapacity);
        }

        /// <summary>The end entity's P-256 key (65 bytes, SEC 1 uncompressed) once its certificate passed; zeros before.</summary>
        public void CopyEndEntityKey(byte[] output, int offset)
        {
            Array.Copy(_previous, EndEntityKeyAt, output, offset, 65);
        }

        /// <summary>
        /// Starts a chain, judged at <paramref name="nowSeconds"/> (seconds since 1970, UTC). With a DNS name or an IP
        /// address, the end entity's subjectAltName must contain it.
        /// </summary>
        public void Start(long nowSeconds, byte[] dnsName, int dnsOffset, int dnsLength, byte[] ip, int ipOffset, int ipLength)
        {
            Reset();
            _now = nowSeconds;
            Parser.SetExpectedName(dnsName, dnsOffset, dnsLength, ip, ipOffset, ipLength);
            _nameRequired = (dnsName != null && dnsLength > 0) || (ip != null && ipLength > 0);
        }

        /// <summary>
        /// Forgets every trace of the last chain, framing counters included, so nothing of one peer's Certificate can
        /// reach the next one's (issue 16, finding 1: a leftover certificate length poisoned the next handshakes).
        /// </summary>
        public void Reset()
        {
            _now = 0;
            _index = 0;
            _anchored = false;
            _nameRequired = false;
            Error = CertificateError.None;
            Array.Clear(_previous, 0, _previous.Length);
            Parser.Reset();
            Parser.SetExpectedName(null, 0, 0, null, 0, 0);
            _listHeaderRead = 0;
            _listLength = 0;
            _listConsumed = 0;
            _certHeaderRead = 0;
            _certLength = 0;
            _certRemaining = 0;
        }

        public void BeginCertificate()
        {
            Parser.Reset();
        }

        public bool FeedCertificate(byte[] data, int offset, int count)
        {
            if (Error != CertificateError.None)
            {
                return false;
            }
            if (!Parser.Feed(data, offset, count))
            {
                Fail(Parser.Error);
                return false;
            }
            return true;
        }

        /// <summary>Checks the certificate just fed against the one before it. False once the chain is refused.</summary>
        public bool EndCertificate()
        {
            if (Error != CertificateError.None)
            {
                return false;
            }
            if (!Parser.IsComplete)
            {
                return Fail(Parser.Error != CertificateError.None ? Parser.Error : CertificateError.Malformed);
            }
            CertificateInfo current = Parser.Info;
            int index = _index++;
            if (_anchored)
            {
                return true; // beyond the anchor (e.g. the root itself sent along): parsed, not needed
            }
            if (index >= _maxChainLength)
            {
                return Fail(CertificateError.TooLarge);
            }
            if (!current.HasP256Key || !current.HasSignature)
            {
                return Fail(CertificateError.Unsupported);
            }
            if (_now < current.NotBefore)
            {
                return Fail(CertificateError.NotYetValid);
            }
            if (_now > current.NotAfter)
            {
                return Fail(CertificateError.Expired);
            }

            if (index == 0)
            {
                if (_nameRequired && !current.NameMatched)
                {
                    return Fail(CertificateError.NameMismatch);
                }
                if (current.HasKeyUsage && (current.KeyUsage & CertificateInfo.KeyUsageDigitalSignature) == 0)
                {
                    return Fail(CertificateError.KeyUsage);
                }
                Array.Copy(current.PublicKey, 0, _previous, EndEntityKeyAt, 65);
            }
            else
            {
                // current issued previous (RFC 5280 §6.1.3 a, §6.1.4 k, l, n)
                if (!Crypto.ConstantTime.Equals(_previous, 0, current.SubjectHash, 0, 32))
                {
                    return Fail(CertificateError.BrokenChain);
                }
                int result = CheckIssuer(current, index - 1);
                if (result != CertificateError.None)
                {
                    return Fail(result);
                }
                if (!_ecdsa.Verify(current.PublicKey, 0, 65, _previous, 32, _previous, 64))
                {
                    return Fail(CertificateError.BadSignature);
                }
            }

            // Does this certificate reach an anchor: is it one, or did one sign it?
            int anchor = -1;
            while ((anchor = _anchors.FindSubject(current.SubjectHash, 0, anchor + 1)) >= 0)
            {
                if (_anchors.KeyEquals(anchor, current.PublicKey, 0))
                {
                    _anchored = true;
                    break;
                }
            }
            anchor = -1;
            while (!_anchored && (anchor = _anchors.FindSubject(current.IssuerHash, 0, anchor + 1)) >= 0)
            {
                if (_ecdsa.Verify(_anchors.Keys, anchor * 65, 65, current.TbsHash, 0, current.Signature, 0))
                {
                    _anchored = true;
                }
            }
            Array.Copy(current.IssuerHash, 0, _previous, 0, 32);
            Array.Copy(current.TbsHash, 0, _previous, 32, 32);
            Array.Copy(current.Signature, 0, _previous, 64, 64);
            return true;
        }

        /// <summary>After the last certificate: None when the chain reached a trust anchor, else the error.</summary>
        public int Finish()
        {
            if (Error == CertificateError.None && _index == 0)
            {
                Fail(CertificateError.Empty);
            }
            if (Error == CertificateError.None && !_anchored)
            {
                Fail(CertificateError.UnknownCa);
            }
            return Error;
        }

        /// <summary>
        /// Feeds a TLS Certificate message body (RFC 5246 §7.4.2: a uint24-length list of uint24-length DER
        /// certificates) in pieces of any size, running Begin/Feed/EndCertificate for each certificate.
        /// </summary>
        public bool FeedCertificateList(byte[] data, int offset, int count)
        {
            while (count > 0 && Error == CertificateError.None)
            {
                if (_listHeaderRead < 3)
                {
                    _listLength = (_listLength << 8) | data[offset++];
                    count--;
                    _listHeaderRead++;
                    continue;
                }
                if (_listConsumed >= _listLength)
                {
                    return Fail(CertificateError.Malformed); // bytes after the list
                }
                if (_certHeaderRead < 3)
                {
                    _certLength = (_certLength << 8) | data[offset++];
                    count--;
                    _listConsumed++;
                    _certHeaderRead++;
                    if (_certHeaderRead == 3)
                    {
                        if (_certLength == 0 || _certLength > _listLength - _listConsumed)
                        {
                            return Fail(CertificateError.Malformed);
                        }
                        _certRemaining = _certLength;
                        BeginCertificate();
                    }
                    continue;
                }
                int n = _certRemaining < count ? _certRemaining : count;
                if (!FeedCertificate(data, offset, n))
                {
                    return false;
                }
                offset += n;
                count -= n;
                _listConsumed += n;
                _certRemaining -= n;
                if (_certRemaining == 0)
                {
                    _certHeaderRead = 0;
                    _certLength = 0;
                    if (!EndCertificate())
                    {
                        return false;
                    }
                }
            }
            return Error == CertificateError.None;
        }

        /// <summary>After the whole Certificate body: checks the framing was complete, then <see cref="Finish"/>.</summary>
        public int FinishCertificateList()
        {
            if (Error == CertificateError.None && (_listHeaderRead < 3 || _listConsumed != _listLength || _certHeaderRead != 0))
            {
                Fail(CertificateError.Malformed);
            }
            return Finish();
        }

        // An issuing certificate: a CA (basicConstraints), within its pathLenConstraint, allowed to sign certificates.
        private static int CheckIssuer(CertificateInfo issuer, int intermediatesBelow)
        {
            if (!issuer.IsCa)
            {
                return CertificateError.NotCa;
            }
            if (issuer.PathLength >= 0 && intermediatesBelow > issuer.PathLength)
            {
                return CertificateError.NotCa;
            }
            if (issuer.HasKeyUsage && (issuer.KeyUsage & CertificateInfo.KeyUsageKeyCertSign) == 0)
            {
                return CertificateError.NoKeyCertSign;
            }
            return CertificateError.None;
        }

        private bool Fail(int error)
        {
            if (Error == CertificateError.None)
            {
                Error = error;
            }
            return false;
        }
    }
}
