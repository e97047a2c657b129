using NfDtls.Dtls;
using NfDtls.Net;
using Xunit;

namespace NfDtls.Tests.Dtls;

public class SessionIndexTests
{
    private static PeerAddress[] Keys(int n)
    {
        var keys = new PeerAddress[n];
        for (int i = 0; i < n; i++)
        {
            keys[i] = new PeerAddress();
        }
        return keys;
    }

    /// <summary>Distinct addresses that all start probing at the same bucket (found by search, so real collisions).</summary>
    private static List<PeerAddress> Colliding(SessionIndex index, int count, out int home)
    {
        var probe = PeerAddress.FromIPv4(10, 1, 0, 0, 5000);
        home = index.HomeBucket(probe);
        var found = new List<PeerAddress>();
        for (int port = 5000; found.Count < count && port < 65536; port++)
        {
            var a = PeerAddress.FromIPv4(10, 1, 0, 0, port);
            if (index.HomeBucket(a) == home)
            {
                found.Add(a);
            }
        }
        Assert.Equal(count, found.Count);
        return found;
    }

    [Fact]
    public void TableIsAPowerOfTwoAtLeastTwiceTheSlots()
    {
        Assert.Equal(32, new SessionIndex(Keys(16)).BucketCount);
        Assert.Equal(8192, new SessionIndex(Keys(3000)).BucketCount);
        Assert.Equal(4, new SessionIndex(Keys(1)).BucketCount);
    }

    [Fact]
    public void CollidingKeysAreFoundRemovedAndReinsertedInAnyOrder()
    {
        var keys = Keys(8);
        var index = new SessionIndex(keys);
        var colliding = Colliding(index, 5, out _);
        for (int i = 0; i < 5; i++)
        {
            keys[i].CopyFrom(colliding[i]);
            Assert.True(index.Add(i));
        }
        Assert.Equal(5, index.Count);
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(i, index.Find(colliding[i]));
        }
        // Remove from the middle of the run: the later ones must stay reachable (backward shift).
        Assert.True(index.Remove(2));
        Assert.False(index.Remove(2));
        Assert.Equal(-1, index.Find(colliding[2]));
        Assert.Equal(0, index.Find(colliding[0]));
        Assert.Equal(1, index.Find(colliding[1]));
        Assert.Equal(3, index.Find(colliding[3]));
        Assert.Equal(4, index.Find(colliding[4]));
        // The head of the run too.
        Assert.True(index.Remove(0));
        Assert.Equal(1, index.Find(colliding[1]));
        Assert.Equal(4, index.Find(colliding[4]));
        // Reinsert in another order.
        Assert.True(index.Add(2));
        Assert.True(index.Add(0));
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(i, index.Find(colliding[i]));
        }
        Assert.Equal(5, index.Count);
    }

    [Fact]
    public void RunsThatWrapAroundTheEndOfTheTableSurviveRemoval()
    {
        var keys = Keys(8); // 16 buckets
        var index = new SessionIndex(keys);
        // Keys whose home is the last bucket spill over into bucket 0, 1, ...
        var last = new List<PeerAddress>();
        var first = new List<PeerAddress>();
        for (int port = 1; (last.Count < 3 || first.Count < 2) && port < 65536; port++)
        {
            var a = PeerAddress.FromIPv4(192, 168, 1, 1, port);
            int home = index.HomeBucket(a);
            if (home == index.BucketCount - 1 && last.Count < 3)
            {
                last.Add(a);
            }
            else if (home == 0 && first.Count < 2)
            {
                first.Add(a);
            }
        }
        var all = last.Concat(first).ToList();
        for (int i = 0; i < all.Count; i++)
        {
            keys[i].CopyFrom(all[i]);
            Assert.True(index.Add(i));
        }
        Assert.True(index.Remove(0)); // a hole at the last bucket: wrapped entries shift back across the end
        for (int i = 1; i < all.Count; i++)
        {
            Assert.Equal(i, index.Find(all[i]));
        }
        Assert.True(index.Remove(3));
        Assert.Equal(1, index.Find(all[1]));
        Assert.Equal(2, index.Find(all[2]));
        Assert.Equal(4, index.Find(all[4]));
    }

    [Fact]
    public void EverySlotFitsAndAReusedSlotMovesToItsNewAddress()
    {
        const int n = 64;
        var keys = Keys(n);
        var index = new SessionIndex(keys);
        for (int i = 0; i < n; i++)
        {
            keys[i].SetIPv4(10, 0, i >> 8, i & 0xFF, 5684);
            Assert.True(index.Add(i));
        }
        Assert.Equal(n, index.Count);
        Assert.False(index.Add(n)); // out of range
        Assert.False(index.Add(-1));
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(i, index.Find(PeerAddress.FromIPv4(10, 0, i >> 8, i & 0xFF, 5684)));
        }
        // Eviction: slot 7 goes to another peer. Remove under the old key, change the key, add.
        var old = PeerAddress.FromIPv4(10, 0, 0, 7, 5684);
        var fresh = PeerAddress.FromIPv4(172, 16, 0, 1, 6000);
        Assert.True(index.Remove(7));
        keys[7].CopyFrom(fresh);
        Assert.True(index.Add(7));
        Assert.Equal(-1, index.Find(old));
        Assert.Equal(7, index.Find(fresh));
        Assert.Equal(n, index.Count);
        // Another slot taking an address already indexed takes the entry over (one address, one slot).
        Assert.True(index.Remove(9));
        keys[9].CopyFrom(fresh);
        Assert.True(index.Add(9));
        Assert.Equal(9, index.Find(fresh));
        Assert.Equal(n - 1, index.Count);
        Assert.False(index.Remove(7)); // its entry belongs to slot 9 now
        Assert.Equal(9, index.Find(fresh));
        Assert.Equal(-1, index.Find(null!));
    }

    [Fact]
    public void RandomOperationsAgreeWithADictionary()
    {
        const int n = 12; // 32 buckets, few addresses: many collisions and long runs
        var keys = Keys(n);
        var index = new SessionIndex(keys);
        var model = new Dictionary<string, int>();
        var indexed = new bool[n];
        var rng = new Random(7);
        for (int step = 0; step < 20000; step++)
        {
            int slot = rng.Next(n);
            if (indexed[slot] && rng.Next(2) == 0)
            {
                Assert.True(index.Remove(slot));
                model.Remove(keys[slot].ToString());
                indexed[slot] = false;
            }
            else if (!indexed[slot])
            {
                keys[slot].SetIPv4(10, 0, 0, rng.Next(4), 5000 + rng.Next(8)); // 32 addresses for 12 slots
                string k = keys[slot].ToString();
                if (model.TryGetValue(k, out int other))
                {
                    indexed[other] = false; // taken over
                }
                Assert.True(index.Add(slot));
                model[k] = slot;
                indexed[slot] = true;
            }
            Assert.Equal(model.Count, index.Count);
            var q = PeerAddress.FromIPv4(10, 0, 0, rng.Next(4), 5000 + rng.Next(8));
            Assert.Equal(model.TryGetValue(q.ToString(), out int expected) ? expected : -1, index.Find(q));
        }
    }
}
