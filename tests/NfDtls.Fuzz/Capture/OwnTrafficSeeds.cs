using NfDtls.Coap;
using NfDtls.Coap.Blockwise;
using NfDtls.Coap.Client;
using NfDtls.Coap.Message;
using NfDtls.Coap.Server;
using NfDtls.Fuzz.Coap;
using NfDtls.Fuzz.Dtls;
using NfDtls.Fuzz.Harness;
using NfDtls.Senml;

namespace NfDtls.Fuzz.Capture;

/// <summary>
/// `seed-own DIR`: seeds for every DTLS setup from our own client harness against our own server harness in memory
/// (each side's incoming datagrams as its target's script): the modes real peers do not reach (Connection IDs with
/// raw public keys, small buffers, refused client certificates...). Also SenML packs from SenmlWriter in both formats,
/// and responses to the CoAP harness's own request (its message ID and token come from its fixed seed).
/// </summary>
public static class OwnTrafficSeeds
{
    public static readonly int[] Setups = { 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x08, 0x09, 0x11, 0x19, 0x20, 0x21, 0x22, 0x24, 0x40, 0x42 };

    public static void Write(string corpusDir)
    {
        WriteDtls(corpusDir);
        WriteSenml(corpusDir);
        WriteCoapResponses(corpusDir);
    }

    private static void WriteDtls(string corpusDir)
    {
        foreach (int setup in Setups)
        {
            var toServer = new Queue<byte[]>();
            var toClient = new Queue<byte[]>();
            var server = new DtlsServerHarness(setup);
            server.Output = (b, o, n, _) => toClient.Enqueue(b.AsSpan(o, n).ToArray());
            var client = new DtlsClientHarness(setup, (b, o, n, _) => toServer.Enqueue(b.AsSpan(o, n).ToArray()));
            var serverScript = new MemoryStream();
            var clientScript = new MemoryStream();
            serverScript.WriteByte((byte)setup);
            clientScript.WriteByte((byte)setup);
            for (int round = 0; round < 20 && (toServer.Count > 0 || toClient.Count > 0); round++)
            {
                Deliver(toServer, serverScript, (in DatagramScript s, byte[] e) => server.Deliver(s, e));
                Deliver(toClient, clientScript, (in DatagramScript s, byte[] e) => client.Deliver(s, e));
            }
            string name = "own-setup-" + setup.ToString("x2");
            Save(Path.Combine(corpusDir, "dtls-server", name), serverScript);
            Save(Path.Combine(corpusDir, "dtls-client", name), clientScript);
            Console.Error.WriteLine(name + ": server connected " + server.Connected + ", client connected " + client.Connected);
        }
    }

    private delegate void Step(in DatagramScript step, byte[] entry);

    private static void Deliver(Queue<byte[]> queue, MemoryStream script, Step deliver)
    {
        while (queue.Count > 0)
        {
            byte[] d = queue.Dequeue();
            var entry = new MemoryStream();
            DatagramScript.Write(entry, 0, d, 0, d.Length);
            byte[] e = entry.ToArray();
            var step = new DatagramScript(e, 0, e.Length);
            step.Next();
            deliver(step, e);
            script.Write(e, 0, e.Length);
        }
    }

    private static void Save(string path, MemoryStream script)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, script.ToArray());
    }

    private static void WriteSenml(string corpusDir)
    {
        foreach (int format in new[] { SenmlFormat.Json, SenmlFormat.Cbor })
        {
            string dir = Path.Combine(corpusDir, format == SenmlFormat.Json ? "senml-json" : "senml-cbor");
            var w = new SenmlWriter();
            byte[] buffer = new byte[4096];
            // What a sensor node sends (SensorNode's reading pack).
            w.Begin(format, buffer, 0, buffer.Length);
            w.BeginRecord(); w.BaseName("node-001/"); w.BaseTime(1796083200); w.Name("temperature"); w.Unit("Cel"); w.Value(21.5); w.EndRecord();
            w.BeginRecord(); w.Name("humidity"); w.Unit("%RH"); w.Value(40.25); w.EndRecord();
            w.BeginRecord(); w.Name("seq"); w.Value(42); w.EndRecord();
            Save(Path.Combine(dir, "writer-node-reading"), buffer, w.End());
            // Every field.
            w.Begin(format, buffer, 0, buffer.Length);
            w.BeginRecord(); w.BaseVersion(10); w.BaseName("urn:dev:x:"); w.BaseUnit("V"); w.BaseValue(0.5); w.BaseTime(-3); w.Name("a"); w.Value(-1.25e-9); w.Sum(3); w.Time(1); w.UpdateTime(30); w.EndRecord();
            w.BeginRecord(); w.Name("label"); w.StringValue("Machine Room \u00e9"); w.EndRecord();
            w.BeginRecord(); w.Name("open"); w.BoolValue(true); w.EndRecord();
            w.BeginRecord(); w.Name("blob"); w.DataValue(new byte[] { 0, 1, 2, 250, 255 }, 0, 5); w.EndRecord();
            w.BeginRecord(); w.Name("big"); w.Value(1.5e300); w.Time(4294967296.5); w.EndRecord();
            Save(Path.Combine(dir, "writer-all-fields"), buffer, w.End());
            // As many records as the reader holds.
            w.Begin(format, buffer, 0, buffer.Length);
            for (int i = 0; i < 16; i++)
            {
                w.BeginRecord(); w.Name("r" + i); w.Value(i * 1000 - 7); w.EndRecord();
            }
            Save(Path.Combine(dir, "writer-16-records"), buffer, w.End());
        }
    }

    private static void WriteCoapResponses(string corpusDir)
    {
        var twin = new CoapRequestCapture();
        byte[] request = twin.Request;
        var m = new CoapMessage(16, 320);
        FuzzFailure.Check(CoapCodec.Decode(request, 0, request.Length, m) == CoapCodec.Ok, "the harness request decodes");
        byte[] token = m.Token.AsSpan(0, m.TokenLength).ToArray();
        // Piggybacked 2.05 (RFC 7252 §5.2.1).
        var r = new CoapMessage(16, 320) { Type = CoapType.Acknowledgement, Code = CoapCode.Content, MessageId = m.MessageId };
        r.SetToken(token, 0, token.Length);
        r.AddOptionUInt(CoapOption.ContentFormat, 0);
        byte[] payload = System.Text.Encoding.ASCII.GetBytes("21.5");
        r.SetPayload(payload, 0, payload.Length);
        SaveScript(Path.Combine(corpusDir, "coap-server", "own-piggybacked"), Encode(r));
        // Empty ACK, then a separate CON 2.05 with Observe and Block2 (§5.2.2, RFC 7641, RFC 7959).
        var ack = new CoapMessage(4, 16) { Type = CoapType.Acknowledgement, Code = CoapCode.Empty, MessageId = m.MessageId };
        var separate = new CoapMessage(16, 320) { Type = CoapType.Confirmable, Code = CoapCode.Content, MessageId = 0x7777 };
        separate.SetToken(token, 0, token.Length);
        separate.AddOptionUInt(CoapOption.Observe, 12);
        separate.AddOptionUInt(CoapOption.Block2, BlockOption.Encode(0, true, 2));
        byte[] block = new byte[64];
        separate.SetPayload(block, 0, block.Length);
        SaveScript(Path.Combine(corpusDir, "coap-server", "own-separate-block"), Encode(ack), Encode(separate));
    }

    private static byte[] Encode(CoapMessage m)
    {
        byte[] b = new byte[1500];
        int n = CoapCodec.Encode(m, b, 0, b.Length);
        return b.AsSpan(0, n).ToArray();
    }

    private static void SaveScript(string path, params byte[][] datagrams)
    {
        var script = new MemoryStream();
        foreach (byte[] d in datagrams)
        {
            DatagramScript.Write(script, 0, d, 0, d.Length);
        }
        Save(path, script);
    }

    private static void Save(string path, byte[] buffer, int length)
    {
        FuzzFailure.Check(length > 0, "seed written");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, buffer.AsSpan(0, length).ToArray());
    }

    /// <summary>The request a fresh <see cref="CoapServerHarness"/> sends at construction.</summary>
    private sealed class CoapRequestCapture
    {
        public readonly byte[] Request;

        public CoapRequestCapture()
        {
            byte[] captured = null;
            CoapServerHarness.BeforeRequest = h => h.Output = (b, o, n, _) => captured ??= b.AsSpan(o, n).ToArray();
            try
            {
                _ = new CoapServerHarness();
            }
            finally
            {
                CoapServerHarness.BeforeRequest = null;
            }
            Request = captured ?? throw new FuzzFailure("the CoAP harness sent no request");
        }
    }
}
