using NfDtls.Coap.Client;
using NfDtls.Coap.Message;
using NfDtls.Coap;
using NfDtls.Simulation;
using Xunit.Abstractions;
using Xunit;

namespace NfDtls.Tests.Coap;

/// <summary>What RFC 7252's default parameters achieve on a 30% lossy link (the seeded network makes it exact).</summary>
public class CoapLossMeasurementTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(4, 0.93, 0.99)]   // RFC default: an exchange fails when 5 attempts all lose request or response, 0.51^5 ≈ 3.5%
    [InlineData(8, 0.995, 1.0)]   // 0.51^9 ≈ 0.2%
    public void CompletionRateAtThirtyPercentLoss(int maxRetransmit, double low, double high)
    {
        var bed = new CoapTestBed(77, LinkProfile.Lossy(0.3), cfg => { cfg.MaxRetransmit = maxRetransmit; cfg.PendingCapacity = 8; cfg.NStart = 8; cfg.DedupCapacity = 1024; });
        var res = new TextResource("r", "ok");
        bed.Server.AddResource(res);
        var c = new Collector();
        const int requests = 1000;
        int submitted = 0;
        while (submitted < requests)
        {
            if (bed.Client.OpenExchanges < 8)
            {
                bed.Send(CoapCode.Post, "/r", c, new byte[] { 1 });
                submitted++;
            }
            else
            {
                bed.Net.RunUntil(bed.Net.Now + 200);
            }
        }
        bed.Net.RunUntil(bed.Net.Now + 100_000_000, () => c.Done == requests);
        double rate = c.Responses.Count / (double)requests;
        output.WriteLine("MAX_RETRANSMIT " + maxRetransmit + ": " + c.Responses.Count + "/" + requests + " completed (" + (rate * 100).ToString("F1") + "%), "
            + bed.Client.Retransmissions + " retransmissions, " + bed.Server.DuplicatesReceived + " duplicates caught, " + res.Posts + " executions, " + bed.Server.DedupEvictions + " dedup evictions, " + bed.Server.RepliesLost + " replies lost");
        Assert.Equal(requests, c.Done);
        Assert.InRange(rate, low, high);
        Assert.All(c.Failures, f => Assert.Equal(CoapFailure.Timeout, f.Reason));
        // Each executed request is one the server saw at least once; never twice.
        Assert.InRange(res.Posts, c.Responses.Count, requests);
    }

    [Fact]
    public void DefaultConfigurationFitsTheBoardBudget()
    {
        int bytes = new CoapConfig().EstimateBytes();
        output.WriteLine("default CoapConfig buffers: about " + bytes + " bytes");
        Assert.InRange(bytes, 5_000, 30_000);
    }
}
