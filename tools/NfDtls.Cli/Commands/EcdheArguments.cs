using System.Net;
using NfDtls.Crypto.P256;
using NfDtls.Desktop.Pki;
using NfDtls.Dtls;
using NfDtls.Dtls.KeyExchange;
using NfDtls.Pki;

namespace NfDtls.Cli.Commands;

/// <summary>
/// The certificate options dtls-client and dtls-server share: --cert/--key (PEM, P-256), --ca (trust anchors),
/// --rpk with --trust-key (RFC 7250 raw public keys), --require-client-auth, --suite psk|ecdhe.
/// </summary>
internal static class EcdheArguments
{
    /// <summary>Adds the certificate options to a command's syntax.</summary>
    public static CommandSyntax Declare(CommandSyntax syntax) => syntax
        .Values("--cert", "--key", "--ca", "--trust-key", "--suite", "--server-name")
        .Switches("--rpk", "--require-client-auth")
        .Completes("--suite", () => new[] { "psk", "ecdhe" });

    public static void PrintHelp(TextWriter w, bool server)
    {
        w.WriteLine("  --suite psk|ecdhe     restrict the offer to one suite (default: every suite with credentials given)");
        w.WriteLine("  --cert FILE           our certificate chain, PEM, end entity first (TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8)");
        w.WriteLine("  --key FILE            our P-256 private key, PEM (SEC 1 or PKCS#8)");
        w.WriteLine("  --ca FILE             trust anchors (PEM certificates): the peer must present a chain to one of them");
        w.WriteLine("  --rpk                 raw public keys (RFC 7250) instead of certificates, both ways");
        w.WriteLine("  --trust-key FILE      a peer public key we accept with --rpk (PEM/DER SPKI or a certificate); repeatable");
        if (server)
        {
            w.WriteLine("  --require-client-auth ask for and require a client certificate (or raw public key)");
        }
        else
        {
            w.WriteLine("  --server-name NAME    the name the server certificate must carry (default: the --connect host)");
        }
    }

    /// <summary>True when any ECDHE option was given (and --suite, if given, is psk or ecdhe).</summary>
    public static bool Wanted(ParsedArguments o)
    {
        string? suite = o.Get("--suite");
        if (suite != null && suite != "psk" && suite != "ecdhe")
        {
            throw new UsageException("--suite wants psk or ecdhe");
        }
        return o.Has("--cert") || o.Has("--key") || o.Has("--ca") || o.Has("--rpk") || o.Has("--trust-key") || suite == "ecdhe";
    }

    /// <summary>
    /// Sets config.CipherSuites and config.Ecdhe from the options. <paramref name="pskGiven"/>: PSK credentials exist.
    /// Returns whether PSK stays in the offer.
    /// </summary>
    /// <paramref name="fromFile"/>: ECDHE credentials from a settings file, used when no ECDHE option is given.
    public static bool Apply(ParsedArguments o, DtlsConfig config, bool isServer, bool pskGiven, string? connectHost, EcdheCredentials? fromFile = null)
    {
        string? suite = o.Get("--suite");
        if (suite != null && suite != "psk" && suite != "ecdhe")
        {
            throw new UsageException("--suite wants psk or ecdhe");
        }
        bool ecdhe = suite == "ecdhe" || (suite == null && (Wanted(o) || fromFile != null));
        bool psk = suite == "psk" || (suite == null && pskGiven);
        if (psk && !pskGiven)
        {
            throw new UsageException("--suite psk needs --psk-identity and --psk-key");
        }
        if (!psk && !ecdhe)
        {
            throw new UsageException("give --psk-identity/--psk-key, or --cert/--key/--ca/--rpk for ECDHE");
        }
        var suites = new List<int>();
        if (ecdhe)
        {
            suites.Add(CipherSuite.TlsEcdheEcdsaWithAes128Ccm8);
            config.Ecdhe = fromFile != null && !Wanted(o) ? fromFile : Credentials(o, isServer, connectHost);
            // certificate chains: room for a few KB of handshake
            config.HandshakeBufferSize = Math.Max(config.HandshakeBufferSize, 4096);
            config.FlightBufferSize = Math.Max(config.FlightBufferSize, 4096);
        }
        if (psk)
        {
            suites.Add(CipherSuite.TlsPskWithAes128Ccm8);
        }
        config.CipherSuites = suites.ToArray();
        return psk;
    }

    private static EcdheCredentials Credentials(ParsedArguments o, bool isServer, string? connectHost)
    {
        var c = new EcdheCredentials { RawPublicKeys = o.Has("--rpk"), Clock = SystemWallClock.Instance };
        try
        {
            if (o.Get("--key") is string keyFile)
            {
                c.PrivateKey = PemFiles.ReadP256PrivateKey(keyFile);
            }
            if (o.Get("--cert") is string certFile)
            {
                c.CertificateChain = PemFiles.ReadCertificates(certFile).ToArray();
            }
            if (c.PrivateKey == null && (isServer || c.CertificateChain != null))
            {
                throw new UsageException(isServer ? "an ECDHE server needs --key (and --cert unless --rpk)" : "--cert needs --key");
            }
            if (c.PrivateKey != null && !c.RawPublicKeys && c.CertificateChain == null)
            {
                throw new UsageException("--key needs --cert (or --rpk for a raw public key)");
            }
            var ca = o.GetAll("--ca");
            var anchors = new TrustAnchorStore(Math.Max(1, ca.Sum(f => PemFiles.ReadCertificates(f).Count)));
            foreach (string f in ca)
            {
                foreach (byte[] der in PemFiles.ReadCertificates(f))
                {
                    int error = anchors.AddCertificate(der, 0, der.Length);
                    if (error != CertificateError.None)
                    {
                        throw new UsageException(f + ": not usable as a P-256 trust anchor (" + CertificateError.Name(error) + ")");
                    }
                }
            }
            c.TrustAnchors = anchors;
            var keys = o.GetAll("--trust-key");
            var allow = new RpkAllowList(Math.Max(1, keys.Count));
            foreach (string f in keys)
            {
                byte[] spki = PemFiles.ReadSpki(f);
                if (!allow.AddSpki(spki, 0, spki.Length))
                {
                    throw new UsageException(f + ": not a P-256 public key");
                }
            }
            c.TrustedKeys = allow;
        }
        catch (InvalidDataException e)
        {
            throw new UsageException(e.Message);
        }
        catch (IOException e)
        {
            throw new UsageException(e.Message); // a missing or unreadable --cert/--key/--ca/--trust-key file
        }
        catch (UnauthorizedAccessException e)
        {
            throw new UsageException(e.Message);
        }
        if (isServer)
        {
            c.RequestClientCertificate = c.RequireClientCertificate = o.Has("--require-client-auth");
        }
        else
        {
            string? name = o.Get("--server-name") ?? connectHost;
            if (name != null && IPAddress.TryParse(name.Trim('[', ']'), out IPAddress? ip))
            {
                c.ExpectedServerAddress = ip.GetAddressBytes();
            }
            else if (name != null)
            {
                c.ExpectedServerName = System.Text.Encoding.ASCII.GetBytes(name);
            }
        }
        return c;
    }
}
