using NfDtls.Coap.Client;
using NfDtls.Coap.Message;
using NfDtls.Coap.Server;
using NfDtls.Coap;
using NfDtls.Net;
using NfDtls.Simulation;
using Xunit;

namespace NfDtls.Tests.Coap;

public class CoapMessagingTests
{
    [Fact]
    public void GetIsAnsweredPiggybacked()
    {
        var bed = new CoapTestBed(1, LinkProfile.Perfect());
        bed.Server.AddResource(new TextResource("hello", "world"));
        var c = new Collector();
        int h = bed.Send(CoapCode.Get, "/hello", c);
        Assert.True(h >= 0);
        bed.Net.RunUntil(10_000, () => c.Done > 0);
        Assert.Single(c.Responses);
        Assert.Equal(CoapCode.Content, c.Responses[0].Code);
        Assert.Equal("world", System.Text.Encoding.UTF8.GetString(c.Responses[0].Payload));
        Assert.Equal(2, bed.Net.Stats.Sent); // request + piggybacked ACK, nothing else
        Assert.Equal(0, bed.Client.OpenExchanges);
    }

    [Fact]
    public void NotFoundAndMethodNotAllowed()
    {
        var bed = new CoapTestBed(2, LinkProfile.Perfect());
        bed.Server.AddResource(new CounterResource("counter"));
        var c = new Collector();
        bed.Send(CoapCode.Get, "/nothing/here", c);
        bed.Send(CoapCode.Put, "/counter", c, new byte[] { 1 });
        bed.Net.RunUntil(10_000, () => c.Done == 2);
        Assert.Equal(new[] { CoapCode.NotFound, CoapCode.MethodNotAllowed }, c.Responses.Select(r => r.Code));
    }

    [Fact]
    public void NonRequestGetsNonResponse()
    {
        var bed = new CoapTestBed(3, LinkProfile.Perfect());
        bed.Server.AddResource(new TextResource("t", "x"));
        var c = new Collector();
        var types = new List<int>();
        bed.Net.Tap = (t, from, to, bytes) => types.Add((bytes.Span[0] >> 4) & 3);
        bed.Send(CoapCode.Get, "/t", c, con: false);
        bed.Net.RunUntil(10_000, () => c.Done > 0);
        Assert.Equal(CoapCode.Content, c.Responses.Single().Code);
        Assert.Equal(new[] { CoapType.NonConfirmable, CoapType.NonConfirmable }, types);
    }

    [Fact]
    public void ConRetransmitsWithDoublingTimeoutAndGivesUpAfterMaxRetransmit()
    {
        var bed = new CoapTestBed(4, LinkProfile.Perfect(), cfg => { cfg.AckTimeoutMs = 1000; cfg.AckRandomFactorPercent = 100; cfg.MaxRetransmit = 3; });
        bed.Net.Detach(bed.ServerAddress);
        var times = new List<long>();
        bed.Net.Tap = (t, from, to, bytes) => times.Add(t);
        var c = new Collector();
        bed.Send(CoapCode.Get, "/x", c);
        bed.Net.RunUntil(100_000, () => c.Done > 0);
        Assert.Equal(new long[] { 0, 1000, 3000, 7000 }, times); // §4.2: 1 + MAX_RETRANSMIT sends, timeout doubling
        Assert.Empty(c.Responses);
        Assert.Equal(CoapFailure.Timeout, c.Failures.Single().Reason);
        Assert.Equal(15_000, bed.Net.Now); // the last wait (8 s) ends in failure
    }

    [Fact]
    public void ConRequestsCompleteAtThirtyPercentLossAndExecuteOnce()
    {
        // At 30% loss each way an attempt succeeds with p = 0.49; MAX_RETRANSMIT 12 makes a failure ~1.6e-4 per request.
        var profile = LinkProfile.Lossy(0.3);
        var bed = new CoapTestBed(5, profile, cfg => { cfg.MaxRetransmit = 12; cfg.AckTimeoutMs = 500; cfg.PendingCapacity = 8; });
        var res = new TextResource("r", "ok");
        bed.Server.AddResource(res);
        var c = new Collector();
        const int requests = 200;
        int submitted = 0;
        while (submitted < requests)
        {
            if (bed.Client.OpenExchanges < 8)
            {
                bed.Send(CoapCode.Post, "/r", c, new byte[] { (byte)submitted });
                submitted++;
            }
            else
            {
                bed.Net.RunUntil(bed.Net.Now + 100);
            }
        }
        bed.Net.RunUntil(10_000_000, () => c.Done == requests);
        Assert.Equal(requests, c.Responses.Count);
        Assert.Empty(c.Failures);
        Assert.All(c.Responses, r => Assert.Equal(CoapCode.Changed, r.Code));
        Assert.Equal(requests, res.Posts);               // duplicates were never executed twice
        Assert.True(bed.Server.DuplicatesReceived > 0);  // and there were duplicates to catch
        Assert.True(bed.Client.Retransmissions > 0);
    }

    [Fact]
    public void DuplicatedConRequestsAreExecutedOnceAndAnsweredAgain()
    {
        var profile = new LinkProfile { Duplicate = 1.0, LatencyMs = 5 };
        var bed = new CoapTestBed(6, profile);
        var res = new TextResource("r", "ok");
        bed.Server.AddResource(res);
        var c = new Collector();
        for (int i = 0; i < 10; i++)
        {
            bed.Send(CoapCode.Post, "/r", c, new byte[] { 1 });
            bed.Net.RunUntil(bed.Net.Now + 1000);
        }
        Assert.Equal(10, c.Responses.Count);
        Assert.Equal(10, res.Posts);
        Assert.Equal(10, bed.Server.DuplicatesReceived);
    }

    [Fact]
    public void NstartOneSendsOneRequestAtATimePerPeer()
    {
        var bed = new CoapTestBed(7, new LinkProfile { LatencyMs = 50 });
        bed.Server.AddResource(new TextResource("r", "ok"));
        var c = new Collector();
        var requestTimes = new List<long>();
        bed.Net.Tap = (t, from, to, bytes) => { if (from.SameAs(bed.ClientAddress)) requestTimes.Add(t); };
        for (int i = 0; i < 3; i++)
        {
            bed.Send(CoapCode.Get, "/r", c);
        }
        Assert.Single(requestTimes); // the other two wait (§4.7)
        bed.Net.RunUntil(10_000, () => c.Done == 3);
        Assert.Equal(3, c.Responses.Count);
        Assert.Equal(new long[] { 0, 100, 200 }, requestTimes); // each after the previous round trip
    }

    [Fact]
    public void ResponsesMatchTheirRequestsByToken()
    {
        var bed = new CoapTestBed(8, new LinkProfile { LatencyMs = 10, JitterMs = 30 }, cfg => cfg.NStart = 4);
        for (int i = 0; i < 4; i++)
        {
            bed.Server.AddResource(new TextResource("r" + i, "body" + i));
        }
        var c = new Collector();
        var handles = new int[4];
        for (int i = 0; i < 4; i++)
        {
            handles[i] = bed.Send(CoapCode.Get, "/r" + i, c);
        }
        bed.Net.RunUntil(10_000, () => c.Done == 4);
        for (int i = 0; i < 4; i++)
        {
            var r = c.Responses.Single(x => x.Exchange == handles[i]);
            Assert.Equal("body" + i, System.Text.Encoding.UTF8.GetString(r.Payload));
        }
    }

    /// <summary>Answers later: acknowledges now, responds after 3 s of virtual time.</summary>
    private sealed class SlowResource(VirtualNetwork net, Func<CoapStack> server) : CoapResource("slow")
    {
        public int Executions;

        protected override void OnGet(CoapRequest request, CoapResponse response)
        {
            Executions++;
            int handle = response.Defer();
            Assert.True(handle >= 0);
            net.At(net.Now + 3000, () =>
            {
                var r = server().Coap.DeferredResponse(handle)!;
                r.Code = CoapCode.Content;
                r.SetText("late");
                server().Coap.SendDeferred(handle, net.Now);
                net.Poke(server());
            });
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.3)]
    public void SeparateResponsesArrive(double loss)
    {
        var profile = loss == 0 ? LinkProfile.Perfect() : LinkProfile.Lossy(loss);
        CoapTestBed bed = null!;
        bed = new CoapTestBed(9, profile, cfg => { cfg.MaxRetransmit = 12; cfg.AckTimeoutMs = 500; });
        var slow = new SlowResource(bed.Net, () => bed.ServerStack);
        bed.Server.AddResource(slow);
        var c = new Collector();
        int ok = 0;
        for (int i = 0; i < 20; i++)
        {
            int before = c.Done;
            bed.Send(CoapCode.Get, "/slow", c);
            bed.Net.RunUntil(bed.Net.Now + 600_000, () => c.Done > before);
            ok = c.Responses.Count(r => r.Code == CoapCode.Content && System.Text.Encoding.UTF8.GetString(r.Payload) == "late");
        }
        Assert.Equal(20, ok);
        Assert.Equal(20, slow.Executions);
    }

    [Fact]
    public void ObserveNotificationsKeepFlowingAtThirtyPercentLoss()
    {
        var bed = new CoapTestBed(10, LinkProfile.Lossy(0.3), cfg => { cfg.MaxRetransmit = 8; cfg.AckTimeoutMs = 500; });
        var counter = new CounterResource("counter");
        bed.Server.AddResource(counter);
        var c = new Collector();
        int h = bed.Send(CoapCode.Get, "/counter", c, observe: 0);
        bed.Net.RunUntil(120_000, () => c.Responses.Count > 0);
        Assert.Equal(1, bed.Server.ObserverCount);
        for (int i = 1; i <= 100; i++)
        {
            bed.Net.At(bed.Net.Now + 1000 * i, () => { counter.Value++; bed.Server.Notify(counter, bed.Net.Now); bed.Net.Poke(bed.ServerStack); });
        }
        bed.Net.RunUntil(bed.Net.Now + 130_000);
        int received = c.Responses.Count - 1;
        Assert.InRange(received, 50, 100); // ~70% of NONs plus every CON
        // §3.4: the client delivered only fresher notifications, in order.
        var values = c.Responses.Select(r => int.Parse(System.Text.Encoding.UTF8.GetString(r.Payload))).ToList();
        Assert.Equal(values.OrderBy(v => v).ToList(), values);
        Assert.Equal(values.Count, values.Distinct().Count());
        Assert.Equal(100, values[^1]); // the 100th notification is a CON (§4.5): it arrives
        Assert.Equal(1, bed.Server.ObserverCount);
        Assert.Equal(1, bed.Client.OpenExchanges);
        Assert.True(c.Responses.All(r => r.Exchange == h));
    }

    [Fact]
    public void ObservationEndsByResetOrByGetWithObserveOne()
    {
        var bed = new CoapTestBed(11, LinkProfile.Perfect());
        var counter = new CounterResource("counter");
        bed.Server.AddResource(counter);

        // Forgetting the exchange: the next notification is answered with a Reset, which deregisters (RFC 7641 §3.6).
        var c1 = new Collector();
        int h1 = bed.Send(CoapCode.Get, "/counter", c1, observe: 0);
        bed.Net.RunUntil(1000);
        Assert.Equal(1, bed.Server.ObserverCount);
        Assert.True(bed.Client.Cancel(h1, false, bed.Net.Now));
        counter.Value++;
        bed.Server.Notify(counter, bed.Net.Now);
        bed.Net.RunUntil(2000);
        Assert.Equal(0, bed.Server.ObserverCount);
        Assert.True(bed.Client.ResetsSent > 0);

        // Deregistering with GET Observe=1.
        var c2 = new Collector();
        int h2 = bed.Send(CoapCode.Get, "/counter", c2, observe: 0);
        bed.Net.RunUntil(3000);
        Assert.Equal(1, bed.Server.ObserverCount);
        Assert.True(bed.Client.Cancel(h2, true, bed.Net.Now));
        bed.Net.Poke(bed.ClientStack);
        bed.Net.RunUntil(4000);
        Assert.Equal(0, bed.Server.ObserverCount);
        Assert.Equal(2, c2.Responses.Count);
        Assert.Equal(-1, c2.Responses[1].Observe); // the final response carries no Observe
        Assert.Equal(0, bed.Client.OpenExchanges);
    }

    [Fact]
    public void EveryFifthNotificationIsConfirmable()
    {
        var bed = new CoapTestBed(12, LinkProfile.Perfect());
        var counter = new CounterResource("counter");
        bed.Server.AddResource(counter);
        var c = new Collector();
        bed.Send(CoapCode.Get, "/counter", c, observe: 0);
        bed.Net.RunUntil(1000);
        var types = new List<int>();
        bed.Net.Tap = (t, from, to, bytes) => { if (from.SameAs(bed.ServerAddress)) types.Add((bytes.Span[0] >> 4) & 3); };
        for (int i = 0; i < 10; i++)
        {
            counter.Value++;
            bed.Server.Notify(counter, bed.Net.Now);
            bed.Net.Poke(bed.ServerStack);
            bed.Net.RunUntil(bed.Net.Now + 1000);
        }
        Assert.Equal(2, types.Count(t => t == CoapType.Confirmable)); // §4.5
        Assert.Equal(8, types.Count(t => t == CoapType.NonConfirmable));
        Assert.Equal(11, c.Responses.Count);
    }

    [Fact]
    public void ObserverIsRemovedWhenConNotificationIsNeverAcknowledged()
    {
        var bed = new CoapTestBed(13, LinkProfile.Perfect(), cfg => { cfg.ObserveConEvery = 1; cfg.MaxRetransmit = 2; cfg.AckTimeoutMs = 100; });
        var counter = new CounterResource("counter");
        bed.Server.AddResource(counter);
        var c = new Collector();
        bed.Send(CoapCode.Get, "/counter", c, observe: 0);
        bed.Net.RunUntil(1000);
        bed.Net.Detach(bed.ClientAddress); // the client vanished
        bed.Server.Notify(counter, bed.Net.Now);
        bed.Net.Poke(bed.ServerStack);
        bed.Net.RunUntil(60_000);
        Assert.Equal(0, bed.Server.ObserverCount);
    }
}
