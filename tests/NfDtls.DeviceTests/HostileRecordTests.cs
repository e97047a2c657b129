using nanoFramework.TestFramework;

namespace NfDtls.DeviceTests
{
    /// <summary>
    /// Records an attacker on the path can make from one it saw: cut short, with flipped bits (ciphertext, tag or
    /// the header the tag covers), written from nothing, and replayed. Each is dropped without an exception, without
    /// data reaching the application and without ending the session (RFC 6347 §4.1.2.7: invalid records are
    /// discarded; §4.1.2.6: replays are detected); the session carries data both ways afterwards.
    /// </summary>
    [TestClass]
    public class HostileRecordTests
    {
        private const int HeaderLength = 13;
        private int _thrown;

        [TestMethod]
        public void TruncatedForgedAndReplayedRecordsAreDropped()
        {
            DtlsPair pair = new DtlsPair(DtlsTestConfigs.Psk(61), DtlsTestConfigs.Psk(62),
                DtlsTestConfigs.PskIdentity(), DtlsTestConfigs.PskKey());
            Assert.IsTrue(pair.Handshake(60000), "handshake");

            // A record to the server, seen on the path before it arrives (so no variant is refused as a mere replay).
            Assert.IsTrue(pair.Client.Send(new byte[] { 0x67, 0x6f, 0x6f, 0x64 }, 0, 4, pair.Net.NowMs), "record sent");
            byte[] good = pair.ClientOut.CopyOfLast(pair.ClientOut.LastLength);
            Attack(pair, true, good);
            Assert.AreEqual(0, pair.ServerEvents.DataRecords, "no tampered record reached the server application");
            pair.Net.RunUntil(pair.Net.NowMs); // now the real one arrives
            Assert.AreEqual(1, pair.ServerEvents.DataRecords, "the real record arrived");
            Assert.IsTrue(pair.ServerEvents.LastDataIs("good"), "with its data");
            // Byte-identical copies of a record the server just accepted (records are opened in place, so each
            // replay gets a fresh copy): only the replay window can refuse them (RFC 6347 §4.1.2.6).
            for (int i = 0; i < 3; i++)
            {
                Feed(pair, true, Copy(good), good.Length);
            }
            Assert.AreEqual(1, pair.ServerEvents.DataRecords, "replays were dropped");

            // The same the other way: the client is attacked with the server's record.
            Assert.IsTrue(pair.Server.Send(pair.Net.AddressOf(DtlsPair.ClientIndex), new byte[] { 0x6f, 0x6b }, 0, 2, pair.Net.NowMs), "reply sent");
            byte[] reply = pair.ServerOut.CopyOfLast(pair.ServerOut.LastLength);
            Attack(pair, false, reply);
            Assert.AreEqual(0, pair.ClientEvents.DataRecords, "no tampered record reached the client application");
            pair.Net.RunUntil(pair.Net.NowMs);
            Feed(pair, false, Copy(reply), reply.Length);
            Assert.AreEqual(1, pair.ClientEvents.DataRecords, "the real reply arrived once");

            Assert.AreEqual(0, _thrown, "nothing was thrown");
            Assert.AreEqual(0, pair.ServerEvents.Closed + pair.ClientEvents.Closed, "no session closed");
            Assert.IsTrue(pair.BothConnected, "both still connected");
            Assert.IsTrue(pair.Deliver(true, "after the attack", 1), "data to the server afterwards");
            Assert.IsTrue(pair.Deliver(false, "still fine", 1), "data to the client afterwards");
        }

        /// <summary>Every variant of <paramref name="record"/> an attacker can make without the keys.</summary>
        private void Attack(DtlsPair pair, bool toServer, byte[] record)
        {
            // Truncated: inside the header, just after it, and one byte short.
            int[] cuts = { 1, 5, HeaderLength - 1, HeaderLength, HeaderLength + 8, record.Length - 1 };
            for (int i = 0; i < cuts.Length; i++)
            {
                Feed(pair, toServer, Copy(record), cuts[i]);
            }
            // Truncated with the header's length made to match: too short for the nonce and tag.
            byte[] shortRecord = Copy(record);
            shortRecord[11] = 0;
            shortRecord[12] = 4;
            Feed(pair, toServer, shortRecord, HeaderLength + 4);
            // One bit flipped: in the type, version, epoch and sequence number (all covered by the tag, RFC 6347
            // §4.1.2.1), then in every byte of nonce, ciphertext and tag.
            for (int at = 0; at < record.Length; at++)
            {
                if (at == 11 || at == 12)
                {
                    continue; // length bytes: a wrong length is a truncation, tried above
                }
                byte[] flipped = Copy(record);
                flipped[at] ^= (byte)(1 << (at % 8));
                Feed(pair, toServer, flipped, flipped.Length);
            }
            // A length longer than the datagram.
            byte[] longer = Copy(record);
            longer[12] = (byte)(longer[12] + 40);
            Feed(pair, toServer, longer, longer.Length);
            // Written from nothing: a plausible header (epoch 1, a fresh sequence number) over noise.
            byte[] noise = new byte[HeaderLength + 40];
            System.Array.Copy(record, 0, noise, 0, 5);
            noise[10] = 0x7f;
            noise[12] = 40;
            for (int i = HeaderLength; i < noise.Length; i++)
            {
                noise[i] = (byte)(i * 37 + 11);
            }
            Feed(pair, toServer, noise, noise.Length);
            // The record as application data of epoch 0 (before encryption: must not be taken as plaintext).
            byte[] epochZero = Copy(record);
            epochZero[3] = 0;
            epochZero[4] = 0;
            Feed(pair, toServer, epochZero, epochZero.Length);
        }

        private void Feed(DtlsPair pair, bool toServer, byte[] datagram, int count)
        {
            try
            {
                if (toServer)
                {
                    pair.Server.Receive(datagram, 0, count, pair.Net.AddressOf(DtlsPair.ClientIndex), pair.Net.NowMs);
                }
                else
                {
                    pair.Client.Receive(datagram, 0, count, pair.Net.AddressOf(DtlsPair.ServerIndex), pair.Net.NowMs);
                }
            }
            catch (System.Exception)
            {
                _thrown++;
            }
        }

        private static byte[] Copy(byte[] source)
        {
            byte[] copy = new byte[source.Length];
            System.Array.Copy(source, 0, copy, 0, source.Length);
            return copy;
        }
    }
}
