using System;
using NfDtls.Crypto;
using NfDtls.Crypto.P256;

namespace NfDtls.Pki
{
    /// <summary>
    /// Streams one DER X.509 certificate (RFC 5280 §4.1) in pieces of any size, as a handshake reassembles it, and keeps
    /// only a <see cref="CertificateInfo"/>: the tbsCertificate and the two names are hashed as their bytes pass, the
    /// key, times, signature and the few extensions that matter are copied into small bounded buffers, everything else is
    /// skipped. So a certificate of any size costs the same ~1.6 KB (two SHA-256 states, one 256-byte capture buffer).
    /// The structure is checked as it goes (tags in order, DER lengths, every element inside its parent); an unknown
    /// critical extension is refused. Not thread-safe.
    /// </summary>
    public sealed class CertificateParser
    {
        /// <summary>Largest element copied whole (a subjectAltName DNS name may be up to 253 bytes).</summary>
        public const int CaptureCapacity = 256;

        /// <summary>
        /// Enough for everything but a long subjectAltName DNS name: a P-256 key's SPKI (91 bytes with its header), an
        /// ECDSA P-256 signature (73). Where no DNS name is expected (a server reading client chains) names are only
        /// counted, so this is all a parser needs.
        /// </summary>
        public const int CaptureCapacityWithoutNames = 96;
        private const int MaxDepth = 10;

        // what a parent element is (the stack holds these)
        private const int CtxCertificate = 1;
        private const int CtxTbs = 2;
        private const int CtxValidity = 3;
        private const int CtxExtensionsWrapper = 4;
        private const int CtxExtensions = 5;
        private const int CtxExtension = 6;
        private const int CtxSanOctets = 7;
        private const int CtxSanNames = 8;

        // what to do with an element's content
        private const int ActEnter = 1;
        private const int ActSkip = 2;
        private const int ActCapture = 3;
        private const int ActHashName = 4;

        // captured element kinds
        private const int CapVersion = 1;
        private const int CapSignatureAlgorithm = 2;
        private const int CapSignatureValue = 3;
        private const int CapSpki = 4;
        private const int CapNotBefore = 5;
        private const int CapNotAfter = 6;
        private const int CapExtensionId = 7;
        private const int CapCritical = 8;
        private const int CapBasicConstraints = 9;
        private const int CapKeyUsage = 10;
        private const int CapDnsName = 11;
        private const int CapIpAddress = 12;

        private const int ExtOther = 0;
        private const int ExtBasicConstraints = 1;
        private const int ExtKeyUsage = 2;
        private const int ExtSubjectAltName = 3;

        private const int StateTag = 0;
        private const int StateLength = 1;
        private const int StateLengthMore = 2;
        private const int StateContent = 3;

        // ecdsa-with-SHA256 (RFC 5758 §3.2) AlgorithmIdentifier content: the OID, parameters absent
        private static readonly byte[] EcdsaWithSha256 = { 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02 };

        private readonly Sha256 _tbsHash = new Sha256(false);
        private readonly Sha256 _nameHash = new Sha256(false);
        private readonly byte[] _header = new byte[5];
        private readonly byte[] _capture;
        /// <summary>Per open element: where it ends (0..), what it is (<see cref="ContextsAt"/>..), children seen (<see cref="ChildrenAt"/>..).</summary>
        private readonly int[] _stack = new int[3 * MaxDepth];
        private const int ContextsAt = MaxDepth;
        private const int ChildrenAt = 2 * MaxDepth;
        // The expected name and address are the caller's bytes, referenced, not copied (no 269-byte copy per parser).
        private byte[] _expectedName;
        private byte[] _expectedIp;
        private int _expectedNameOffset;
        private int _expectedNameLength;
        private int _expectedIpOffset;
        private int _expectedIpLength;

        private int _depth;
        private int _pos;
        private int _state;
        private int _headerLength;
        private int _tag;
        private int _length;
        private int _lengthBytesLeft;
        private int _action;
        private int _remaining;
        private int _captureKind;
        private int _captureLength;
        private int _tbsField;
        private int _extension;

        public readonly CertificateInfo Info = new CertificateInfo();

        /// <summary>A <see cref="CertificateError"/> code; once set, further input is ignored.</summary>
        public int Error { get; private set; }

        /// <summary>The whole certificate has been read without error.</summary>
        public bool IsComplete { get { return (_bits & BitComplete) != 0; } private set { SetBit(BitComplete, value); } }

        // The yes/no state shares one int (on nanoCLR every field costs a 12-byte block).
        private int _bits;
        private const int BitComplete = 1;
        private const int BitHashingTbs = 2;
        private const int BitNameIsSubject = 4;
        private const int BitExtensionCritical = 8;

        /// <summary>The tbsCertificate is being hashed.</summary>
        private bool HashingTbs { get { return (_bits & BitHashingTbs) != 0; } set { SetBit(BitHashingTbs, value); } }

        /// <summary>The name being hashed is the subject (else the issuer).</summary>
        private bool NameIsSubject { get { return (_bits & BitNameIsSubject) != 0; } set { SetBit(BitNameIsSubject, value); } }

        private bool ExtensionCritical { get { return (_bits & BitExtensionCritical) != 0; } set { SetBit(BitExtensionCritical, value); } }

        private void SetBit(int bit, bool on)
        {
            _bits = on ? _bits | bit : _bits & ~bit;
        }

        public CertificateParser() : this(CaptureCapacity)
        {
        }

        /// <summary>
        /// <paramref name="captureCapacity"/>: the largest element copied whole (at least
        /// <see cref="CaptureCapacityWithoutNames"/>); a longer DNS name is counted but cannot match.
        /// </summary>
        public CertificateParser(int captureCapacity)
        {
            _capture = new byte[captureCapacity > CaptureCapacityWithoutNames ? captureCapacity : CaptureCapacityWithoutNames];
            Reset();
        }

        /// <summary>
        /// The DNS name (ASCII, compared case-insensitively; a SAN "*.rest" matches one leftmost label) or IP address
        /// (4 or 16 bytes) that a subjectAltName entry must match for <see cref="CertificateInfo.NameMatched"/>.
        /// Either may be null/empty. The bytes are referenced, not copied: they must stay unchanged while in use.
        /// </summary>
        public void SetExpectedName(byte[] dnsName, int dnsOffset, int dnsLength, byte[] ip, int ipOffset, int ipLength)
        {
            _expectedName = null;
            _expectedIp = null;
            _expectedNameLength = 0;
            _expectedIpLength = 0;
            if (dnsName != null && dnsLength > 0 && dnsLength <= 253)
            {
                _expectedName = dnsName;
                _expectedNameOffset = dnsOffset;
                _expectedNameLength = dnsLength;
            }
            if (ip != null && (ipLength == 4 || ipLength == 16))
            {
                _expectedIp = ip;
                _expectedIpOffset = ipOffset;
                _expectedIpLength = ipLength;
            }
        }

        /// <summary>Starts a new certificate.</summary>
        public void Reset()
        {
            Info.Reset();
            Error = CertificateError.None;
            IsComplete = false;
            _depth = 0;
            _pos = 0;
            _state = StateTag;
            HashingTbs = false;
            _tbsField = 0;
            _stack[ChildrenAt] = 0;
            _tbsHash.Reset();
        }

        /// <summary>
        /// Parses the next <paramref name="count"/> bytes. Returns false once an error is found (see <see cref="Error"/>),
        /// or when bytes arrive after the end of the certificate.
        /// </summary>
        public bool Feed(byte[] data, int offset, int count)
        {
            while (count > 0)
            {
                if (Error != CertificateError.None)
                {
                    return false;
                }
                if (IsComplete)
                {
                    Fail(CertificateError.Malformed);
                    return false;
                }
                if (_state == StateContent)
                {
                    int n = _remaining < count ? _remaining : count;
                    Content(data, offset, n);
                    offset += n;
                    count -= n;
                    if (_remaining == 0)
                    {
                        EndElement();
                    }
                    continue;
                }

                int b = data[offset++];
                count--;
                _pos++;
                if (_state == StateTag)
                {
                    if ((b & 0x1F) == 0x1F)
                    {
                        Fail(CertificateError.Malformed);
                        continue;
                    }
                    _tag = b;
                    _header[0] = (byte)b;
                    _headerLength = 1;
                    _state = StateLength;
                }
                else if (_state == StateLength)
                {
                    _header[_headerLength++] = (byte)b;
                    if (b < 0x80)
                    {
                        _length = b;
                        HeaderDone();
                    }
                    else
                    {
                        _lengthBytesLeft = b & 0x7F;
                        if (_lengthBytesLeft < 1 || _lengthBytesLeft > 3)
                        {
                            Fail(CertificateError.Malformed); // indefinite, or 16 MB and more
                            continue;
                        }
                        _length = 0;
                        _state = StateLengthMore;
                    }
                }
                else
                {
                    _header[_headerLength++] = (byte)b;
                    _length = (_length << 8) | b;
                    if (--_lengthBytesLeft == 0)
                    {
                        if (_length < DerReader.MinimumForLengthBytes(_headerLength - 2))
                        {
                            Fail(CertificateError.Malformed);
                            continue;
                        }
                        HeaderDone();
                    }
                }
            }
            return Error == CertificateError.None;
        }

        private void Fail(int error)
        {
            IsComplete = false; // "read whole without error": bytes after the end make a complete certificate a refused one
            if (Error == CertificateError.None)
            {
                Error = error;
            }
        }

        private void HeaderDone()
        {
            // every element lies inside its parent; the first is the whole certificate
            if (_depth > 0 && _length > _stack[_depth - 1] - _pos)
            {
                Fail(CertificateError.Malformed);
                return;
            }
            if (_depth == 0 && _stack[ChildrenAt] > 0)
            {
                Fail(CertificateError.Malformed);
                return;
            }
            if (HashingTbs)
            {
                _tbsHash.Update(_header, 0, _headerLength);
            }
            int parent = _depth == 0 ? 0 : _stack[ContextsAt + _depth - 1];
            int index = _stack[ChildrenAt + _depth];
            _stack[ChildrenAt + _depth] = index + 1;
            Classify(parent, index);
            if (Error != CertificateError.None)
            {
                return;
            }
            _remaining = _length;
            if (_action == ActEnter)
            {
                if (_depth == MaxDepth - 1)
                {
                    Fail(CertificateError.Malformed);
                    return;
                }
                _stack[ContextsAt + _depth] = _contextToEnter;
                _stack[_depth] = _pos + _length;
                _depth++;
                _stack[ChildrenAt + _depth] = 0;
                _state = StateTag;
                if (_contextToEnter == CtxTbs)
                {
                    _tbsHash.Reset();
                    _tbsHash.Update(_header, 0, _headerLength);
                    HashingTbs = true;
                }
                else if (_contextToEnter == CtxExtension)
                {
                    _extension = ExtOther;
                    ExtensionCritical = false;
                }
                CloseFinished();
                return;
            }
            if (_action == ActCapture)
            {
                _captureLength = 0;
                if (_captureKind == CapSpki)
                {
                    Array.Copy(_header, 0, _capture, 0, _headerLength); // the SPKI is compared whole
                    _captureLength = _headerLength;
                }
                if (_captureLength + _length > _capture.Length)
                {
                    // too big to keep: a non-P-256 key is "unsupported"; an over-long DNS name just cannot match; a
                    // signature that a full-size buffer would hold is not ECDSA P-256 ("unsupported" as it would be)
                    if (_captureKind == CapSpki || _captureKind == CapDnsName
                        || (_captureKind == CapSignatureValue && _length <= CaptureCapacity))
                    {
                        _action = ActSkip;
                        if (_captureKind == CapDnsName)
                        {
                            Info.DnsNameCount++;
                        }
                    }
                    else
                    {
                        Fail(CertificateError.TooLarge);
                        return;
                    }
                }
            }
            else if (_action == ActHashName)
            {
                _nameHash.Reset();
                _nameHash.Update(_header, 0, _headerLength);
            }
            _state = StateContent;
            if (_remaining == 0)
            {
                EndElement();
            }
        }

        private int _contextToEnter;

        private void Enter(int context)
        {
            _action = ActEnter;
            _contextToEnter = context;
        }

        private void Capture(int kind)
        {
            _action = ActCapture;
            _captureKind = kind;
        }

        // The X.509 schema, one parent at a time (RFC 5280 §4.1, §4.2.1.2-§4.2.1.9).
        private void Classify(int parent, int index)
        {
            int tag = _tag;
            _action = ActSkip;
            switch (parent)
            {
                case 0:
                    if (tag != 0x30)
                    {
                        Fail(CertificateError.Malformed);
                        return;
                    }
                    Enter(CtxCertificate);
                    return;
                case CtxCertificate:
                    if (index == 0 && tag == 0x30)
                    {
                        Enter(CtxTbs);
                    }
                    else if (index == 1 && tag == 0x30)
                    {
                        Capture(CapSignatureAlgorithm);
                    }
                    else if (index == 2 && tag == 0x03)
                    {
                        Capture(CapSignatureValue);
                    }
                    else
                    {
                        Fail(CertificateError.Malformed);
                    }
                    return;
                case CtxTbs:
                    ClassifyTbsField(tag);
                    return;
                case CtxValidity:
                    if (index > 1 || (tag != DerTime.UtcTimeTag && tag != DerTime.GeneralizedTimeTag))
                    {
                        Fail(CertificateError.Malformed);
                        return;
                    }
                    Capture(index == 0 ? CapNotBefore : CapNotAfter);
                    return;
                case CtxExtensionsWrapper:
                    if (index != 0 || tag != 0x30)
                    {
                        Fail(CertificateError.Malformed);
                        return;
                    }
                    Enter(CtxExtensions);
                    return;
                case CtxExtensions:
                    if (tag != 0x30)
                    {
                        Fail(CertificateError.Malformed);
                        return;
                    }
                    Enter(CtxExtension);
                    return;
                case CtxExtension:
                    if (index == 0 && tag == 0x06)
                    {
                        Capture(CapExtensionId);
                    }
                    else if (index == 1 && tag == 0x01)
                    {
                        Capture(CapCritical);
                    }
                    else if (index >= 1 && tag == 0x04)
                    {
                        if (_extension == ExtSubjectAltName)
                        {
                            Enter(CtxSanOctets);
                        }
                        else if (_extension == ExtBasicConstraints)
                        {
                            Capture(CapBasicConstraints);
                        }
                        else if (_extension == ExtKeyUsage)
                        {
                            Capture(CapKeyUsage);
                        }
                        else if (ExtensionCritical)
                        {
                            Fail(CertificateError.UnsupportedCriticalExtension);
                        }
                    }
                    else
                    {
                        Fail(CertificateError.Malformed);
                    }
                    return;
                case CtxSanOctets:
                    if (index != 0 || tag != 0x30)
                    {
                        Fail(CertificateError.Malformed);
                        return;
                    }
                    Enter(CtxSanNames);
                    return;
                case CtxSanNames:
                    if (tag == 0x82)
                    {
                        Capture(CapDnsName);        // [2] dNSName IA5String
                    }
                    else if (tag == 0x87)
                    {
                        Capture(CapIpAddress);      // [7] iPAddress OCTET STRING
                    }
                    return;
            }
        }

        private void ClassifyTbsField(int tag)
        {
            int field = _tbsField;
            if (tag == 0xA0 && field == 0)
            {
                Capture(CapVersion);
                _tbsField = 1;
            }
            else if (tag == 0x02 && field <= 1)
            {
                _tbsField = 2;                          // serialNumber: skipped
            }
            else if (tag == 0x30 && field == 2)
            {
                _tbsField = 3;                          // signature (inner algorithm): skipped, the outer one is checked
            }
            else if (tag == 0x30 && field == 3)
            {
                _action = ActHashName;                  // issuer
                NameIsSubject = false;
                _tbsField = 4;
            }
            else if (tag == 0x30 && field == 4)
            {
                Enter(CtxValidity);
                _tbsField = 5;
            }
            else if (tag == 0x30 && field == 5)
            {
                _action = ActHashName;                  // subject
                NameIsSubject = true;
                _tbsField = 6;
            }
            else if (tag == 0x30 && field == 6)
            {
                Capture(CapSpki);
                _tbsField = 7;
            }
            else if ((tag == 0x81 || tag == 0xA1 || tag == 0x82 || tag == 0xA2) && field == 7)
            {
                // issuerUniqueID / subjectUniqueID: skipped
            }
            else if (tag == 0xA3 && field == 7)
            {
                Enter(CtxExtensionsWrapper);
                _tbsField = 8;
            }
            else
            {
                Fail(CertificateError.Malformed);
            }
        }

        private void Content(byte[] data, int offset, int n)
        {
            if (HashingTbs)
            {
                _tbsHash.Update(data, offset, n);
            }
            if (_action == ActCapture)
            {
                Array.Copy(data, offset, _capture, _captureLength, n);
                _captureLength += n;
            }
            else if (_action == ActHashName)
            {
                _nameHash.Update(data, offset, n);
            }
            _pos += n;
            _remaining -= n;
        }

        private void EndElement()
        {
            _state = StateTag;
            if (_action == ActCapture)
            {
                Captured();
            }
            else if (_action == ActHashName)
            {
                _nameHash.Finish(NameIsSubject ? Info.SubjectHash : Info.IssuerHash, 0);
            }
            CloseFinished();
        }

        // Pops every constructed element that ends here.
        private void CloseFinished()
        {
            while (_depth > 0 && _pos == _stack[_depth - 1] && Error == CertificateError.None)
            {
                _depth--;
                int context = _stack[ContextsAt + _depth];
                if (context == CtxTbs)
                {
                    HashingTbs = false;
                    _tbsHash.Finish(Info.TbsHash, 0);
                    if (_tbsField < 7)
                    {
                        Fail(CertificateError.Malformed);
                    }
                }
                else if (context == CtxCertificate)
                {
                    if (_stack[ChildrenAt + 1] != 3)
                    {
                        Fail(CertificateError.Malformed);
                    }
                    else
                    {
                        IsComplete = true;
                    }
                }
                else if (context == CtxValidity && _stack[ChildrenAt + _depth + 1] != 2)
                {
                    Fail(CertificateError.Malformed);
                }
            }
        }

        private void Captured()
        {
            byte[] c = _capture;
            int length = _captureLength;
            int tag;
            int o;
            int n;
            switch (_captureKind)
            {
                case CapVersion:
                    // [0] EXPLICIT INTEGER: v2 (1) or v3 (2)
                    if (!DerReader.ReadHeader(c, 0, length, out tag, out o, out n) || tag != 0x02 || n != 1 || c[o] > 2)
                    {
                        Fail(CertificateError.Malformed);
                    }
                    return;
                case CapSignatureAlgorithm:
                    if (length == EcdsaWithSha256.Length && ConstantTime.Equals(c, 0, EcdsaWithSha256, 0, length))
                    {
                        Info.HasSignature = true;
                    }
                    return;
                case CapSignatureValue:
                    // BIT STRING: no unused bits, then the DER ECDSA-Sig-Value
                    if (!Info.HasSignature || length < 1 || c[0] != 0 || !EcdsaDer.Decode(c, 1, length - 1, Info.Signature, 0))
                    {
                        Info.HasSignature = false;
                    }
                    return;
                case CapSpki:
                    int pointOffset;
                    if (P256Spki.TryFindPoint(c, 0, length, out pointOffset))
                    {
                        Array.Copy(c, pointOffset, Info.PublicKey, 0, 65);
                        Info.HasP256Key = true;
                    }
                    return;
                case CapNotBefore:
                    if (!DerTime.TryParse(_tag, c, 0, length, out Info.NotBefore))
                    {
                        Fail(CertificateError.Malformed);
                    }
                    return;
                case CapNotAfter:
                    if (!DerTime.TryParse(_tag, c, 0, length, out Info.NotAfter))
                    {
                        Fail(CertificateError.Malformed);
                    }
                    return;
                case CapExtensionId:
                    // id-ce 2.5.29.x: 55 1d x
                    _extension = ExtOther;
                    if (length == 3 && c[0] == 0x55 && c[1] == 0x1d)
                    {
                        if (c[2] == 19)
                        {
                            _extension = ExtBasicConstraints;
                        }
                        else if (c[2] == 15)
                        {
                            _extension = ExtKeyUsage;
                        }
                        else if (c[2] == 17)
                        {
                            _extension = ExtSubjectAltName;
                        }
                    }
                    return;
                case CapCritical:
                    if (length != 1)
                    {
                        Fail(CertificateError.Malformed);
                    }
                    ExtensionCritical = length == 1 && c[0] != 0;
                    return;
                case CapBasicConstraints:
                    ParseBasicConstraints(c, length);
                    return;
                case CapKeyUsage:
                    // KeyUsage BIT STRING: unused-bit count, then one or two bytes of flags
                    if (!DerReader.ReadHeader(c, 0, length, out tag, out o, out n) || tag != 0x03 || n < 2 || n > 3 || o + n != length || c[o] > 7)
                    {
                        Fail(CertificateError.Malformed);
                        return;
                    }
                    Info.HasKeyUsage = true;
                    Info.KeyUsage = (c[o + 1] << 8) | (n == 3 ? c[o + 2] : 0);
                    return;
                case CapDnsName:
                    Info.DnsNameCount++;
                    if (_expectedNameLength > 0 && DnsNameMatches(c, length))
                    {
                        Info.NameMatched = true;
                    }
                    return;
                case CapIpAddress:
                    Info.IpAddressCount++;
                    if (_expectedIpLength > 0 && length == _expectedIpLength && ConstantTime.Equals(c, 0, _expectedIp, _expectedIpOffset, length))
                    {
                        Info.NameMatched = true;
                    }
                    return;
            }
        }

        // BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER (0..MAX) OPTIONAL }
        private void ParseBasicConstraints(byte[] c, int length)
        {
            int tag;
            int o;
            int n;
            if (!DerReader.ReadHeader(c, 0, length, out tag, out o, out n) || tag != 0x30 || o + n != length)
            {
                Fail(CertificateError.Malformed);
                return;
            }
            int end = length;
            int at = o;
            if (at < end && c[at] == 0x01)
            {
                if (!DerReader.ReadHeader(c, at, end, out tag, out o, out n) || n != 1)
                {
                    Fail(CertificateError.Malformed);
                    return;
                }
                Info.IsCa = c[o] != 0;
                at = o + n;
            }
            if (at < end)
            {
                if (!DerReader.ReadHeader(c, at, end, out tag, out o, out n) || tag != 0x02 || n < 1 || n > 2 || (c[o] & 0x80) != 0 || o + n != end)
                {
                    Fail(CertificateError.Malformed);
                    return;
                }
                Info.PathLength = n == 1 ? c[o] : (c[o] << 8) | c[o + 1];
            }
        }

        // RFC 6125 §6.4: case-insensitive ASCII; a wildcard only as the whole leftmost label, matching exactly one label.
        private bool DnsNameMatches(byte[] san, int length)
        {
            byte[] want = _expectedName;
            int start = _expectedNameOffset;
            int wantLength = _expectedNameLength;
            if (length >= 3 && san[0] == (byte)'*' && san[1] == (byte)'.')
            {
                int dot = 0;
                while (dot < wantLength && want[start + dot] != (byte)'.')
                {
                    dot++;
                }
                if (dot == 0 || dot == wantLength)
                {
                    return false;
                }
                return EqualsIgnoreCase(san, 1, want, start + dot, length - 1, wantLength - dot);
            }
            return EqualsIgnoreCase(san, 0, want, start, length, wantLength);
        }


        private static bool EqualsIgnoreCase(byte[] a, int ao, byte[] b, int bo, int aLength, int bLength)
        {
            if (aLength != bLength)
            {
                return false;
            }
            for (int i = 0; i < aLength; i++)
            {
                int x = a[ao + i];
                int y = b[bo + i];
                if (x >= 'A' && x <= 'Z')
                {
                    x += 32;
                }
                if (y >= 'A' && y <= 'Z')
                {
                    y += 32;
                }
                if (x != y)
                {
                    return false;
                }
            }
            return true;
        }
    }
}
