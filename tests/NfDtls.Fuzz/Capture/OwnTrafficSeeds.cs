using NfDtls.Fuzz.Dtls;
using NfDtls.Fuzz.Harness;

namespace NfDtls.Fuzz.Capture;

/// <summary>
/// `seed-own DIR`: seeds for every DTLS setup from our own client harness against our own server harness in memory
/// (each side's incoming datagrams as its target's script): the modes real peers do not reach (Connection IDs with
/// raw public keys, small buffers, refused client certificates...).
/// </summary>
public static class OwnTrafficSeeds
{
    public static readonly int[] Setups = { 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x08, 0x09, 0x11, 0x19, 0x20, 0x21, 0x22, 0x24 };

    public static void Write(string corpusDir)
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
}
