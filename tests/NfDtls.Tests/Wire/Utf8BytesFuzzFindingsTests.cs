using System.Text;
using NfDtls.Text;
using Xunit;

namespace NfDtls.Tests.Wire;

/// <summary>
/// The senml-json fuzz target's round-trip invariant (read, write, read again: the same records) broke on a name
/// holding F6 B7 B7 B7: a four-byte form of a value past U+10FFFF, which <see cref="Utf8Bytes.ToText"/> turned into a
/// lone surrogate that encodes back as EF BF BD. Malformed sequences must all decode to U+FFFD (RFC 3629 §3).
/// </summary>
public class Utf8BytesFuzzFindingsTests
{
    [Theory]
    [InlineData(new byte[] { 0xF6, 0xB7, 0xB7, 0xB7 })]       // past U+10FFFF
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 })]       // U+110000
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]             // a surrogate, U+D800
    [InlineData(new byte[] { 0xED, 0xBF, 0xBF })]             // a surrogate, U+DFFF
    [InlineData(new byte[] { 0xC0, 0xAF })]                   // overlong '/'
    [InlineData(new byte[] { 0xE0, 0x80, 0xAF })]             // overlong '/'
    [InlineData(new byte[] { 0xF0, 0x80, 0x80, 0xAF })]       // overlong '/'
    public void MalformedFormsDecodeToTheReplacementCharacter(byte[] bytes)
    {
        Assert.Equal("\uFFFD", Utf8Bytes.ToText(bytes, 0, bytes.Length));
    }

    [Fact]
    public void WhatIsDecodedEncodesBackAndDecodesTheSame()
    {
        byte[] input = Encoding.ASCII.GetBytes("ab").Concat(new byte[] { 0xD7, 0xF6, 0xF6, 0xB7, 0xB7, 0xB7, 0xB3, 0x94, 0xF0, 0x9F, 0x98, 0x80, 0x7A }).ToArray();
        string once = Utf8Bytes.ToText(input, 0, input.Length);
        byte[] written = new byte[Utf8Bytes.Count(once)];
        Utf8Bytes.Write(once, written, 0);
        Assert.Equal(once, Utf8Bytes.ToText(written, 0, written.Length));
        Assert.Equal("ab\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\U0001F600z", once);
    }

    [Fact]
    public void ValidTextStillDecodes()
    {
        const string text = "temp \u00B0C \u20AC \U0001F600 \uFFFD";
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        Assert.Equal(text, Utf8Bytes.ToText(bytes, 0, bytes.Length));
    }
}
