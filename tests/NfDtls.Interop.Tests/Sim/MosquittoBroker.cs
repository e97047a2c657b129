using System.Net.Sockets;
using NfDtls.Interop.Tests.Peers;

namespace NfDtls.Interop.Tests.Sim;

/// <summary>A real Mosquitto on a free loopback port with a tiny config (anonymous, no persistence); killed on dispose.</summary>
public sealed class MosquittoBroker : IDisposable
{
    private readonly string _directory;
    private readonly PeerProcess _process;

    public MosquittoBroker()
    {
        Port = PeerProcess.FreeTcpPort();
        _directory = Path.Combine(Path.GetTempPath(), "nfdtls-mosquitto-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        string config = Path.Combine(_directory, "mosquitto.conf");
        File.WriteAllText(config, "listener " + Port + " 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest stdout\n");
        _process = PeerProcess.Start("mosquitto", new[] { "-c", config }, _directory, redirectStdin: false);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!Accepts())
        {
            if (DateTime.UtcNow > deadline || _process.HasExited)
            {
                string output = _process.Output;
                Dispose();
                throw new InvalidOperationException("mosquitto did not start on port " + Port + ": " + output);
            }
            Thread.Sleep(50);
        }
    }

    public int Port { get; }

    public string Output => _process.Output;

    /// <summary>Starts `mosquitto_sub` on <paramref name="topic"/>, printing "topic payload" lines; waits until it is subscribed.</summary>
    public PeerProcess Subscribe(string topic, int expected)
    {
        var sub = PeerProcess.Start("mosquitto_sub", new[]
        {
            "-h", "127.0.0.1", "-p", Port.ToString(), "-t", topic, "-v", "-q", "1", "-C", expected.ToString(), "-d",
        }, _directory, redirectStdin: false);
        if (!sub.WaitFor("SUBACK", TimeSpan.FromSeconds(10)))
        {
            string output = sub.Output;
            sub.Dispose();
            throw new InvalidOperationException("mosquitto_sub did not subscribe: " + output);
        }
        return sub;
    }

    private bool Accepts()
    {
        try
        {
            using var c = new TcpClient();
            c.Connect("127.0.0.1", Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        _process.Dispose();
        try
        {
            Directory.Delete(_directory, true);
        }
        catch (IOException)
        {
        }
    }
}
