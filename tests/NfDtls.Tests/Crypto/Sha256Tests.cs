using NfDtls.Crypto;
using Xunit;

namespace NfDtls.Tests.Crypto;

public class Sha256Tests
{
    // FIPS 180-4 examples / NIST CSRC "SHA256.pdf" and the long-message vector (one million 'a').
    [Theory]
    [InlineData("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")]
    [InlineData("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
                "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")]
    public void NistVectors(string message, string digest)
    {
        byte[] data = Hex.Ascii(message);
        var sha = new Sha256();
        sha.Update(data, 0, data.Length);
        byte[] output = new byte[40];
        sha.Finish(output, 3);
        Assert.Equal(digest, Hex.Of(output, 3, 32));
        Assert.Equal(0, output[0]);
        Assert.Equal(0, output[35]);

        // Finish resets: the same instance gives the same digest again.
        sha.Update(data, 0, data.Length);
        byte[] again = new byte[32];
        sha.Finish(again, 0);
        Assert.Equal(digest, Hex.Of(again));
    }

    [Fact]
    public void OneMillionA()
    {
        byte[] chunk = new byte[1000];
        Array.Fill(chunk, (byte)'a');
        var sha = new Sha256();
        for (int i = 0; i < 1000; i++)
        {
            sha.Update(chunk, 0, chunk.Length);
        }
        byte[] output = new byte[32];
        sha.Finish(output, 0);
        Assert.Equal("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", Hex.Of(output));
    }

    [Fact]
    public void AnySplitOfTheInputGivesTheSameDigest()
    {
        var rng = new Random(1234);
        byte[] data = new byte[300];
        rng.NextBytes(data);
        byte[] expected = System.Security.Cryptography.SHA256.HashData(data);
        var sha = new Sha256();
        byte[] output = new byte[32];
        for (int trial = 0; trial < 200; trial++)
        {
            int pos = 0;
            while (pos < data.Length)
            {
                int n = Math.Min(rng.Next(0, 130), data.Length - pos);
                sha.Update(data, pos, n);
                pos += n;
            }
            sha.Finish(output, 0);
            Assert.Equal(expected, output);
        }
    }

    [Fact]
    public void PeekHashKeepsTheRunningState()
    {
        byte[] data = Hex.Ascii("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"); // 56 bytes: padding spills into a 2nd block
        var sha = new Sha256();
        byte[] peek = new byte[32];
        sha.Update(data, 0, 3);
        sha.PeekHash(peek, 0);
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Hex.Of(peek)); // "abc"
        sha.PeekHash(peek, 0); // twice in a row is the same
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Hex.Of(peek));
        sha.Update(data, 3, data.Length - 3);
        sha.PeekHash(peek, 0);
        Assert.Equal("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1", Hex.Of(peek));
        byte[] final = new byte[32];
        sha.Finish(final, 0);
        Assert.Equal(peek, final);
    }

    [Fact]
    public void ResetDiscardsInput()
    {
        var sha = new Sha256();
        byte[] junk = new byte[100];
        sha.Update(junk, 0, junk.Length);
        sha.Reset();
        byte[] output = new byte[32];
        sha.Finish(output, 0);
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Hex.Of(output));
    }
}
