using System.Buffers.Binary;
using System.IO.Compression;

namespace NfDtls.Simulation.Report;

/// <summary>An RGB raster with just the drawing the report charts need, saved as PNG (RFC 2083) with no image library.</summary>
public sealed class PngImage
{
    private readonly byte[] _pixels;

    public PngImage(int width, int height, uint background = 0xFFFFFF)
    {
        Width = width;
        Height = height;
        _pixels = new byte[width * height * 3];
        Fill(0, 0, width, height, background);
    }

    public int Width { get; }
    public int Height { get; }

    public uint GetPixel(int x, int y)
    {
        int i = (y * Width + x) * 3;
        return (uint)(_pixels[i] << 16 | _pixels[i + 1] << 8 | _pixels[i + 2]);
    }

    public void SetPixel(int x, int y, uint rgb)
    {
        if (x < 0 || y < 0 || x >= Width || y >= Height)
        {
            return;
        }
        int i = (y * Width + x) * 3;
        _pixels[i] = (byte)(rgb >> 16);
        _pixels[i + 1] = (byte)(rgb >> 8);
        _pixels[i + 2] = (byte)rgb;
    }

    public void Fill(int x, int y, int w, int h, uint rgb)
    {
        for (int j = y; j < y + h; j++)
        {
            for (int i = x; i < x + w; i++)
            {
                SetPixel(i, j, rgb);
            }
        }
    }

    /// <summary>Bresenham line, <paramref name="thickness"/> pixels wide.</summary>
    public void Line(int x0, int y0, int x1, int y1, uint rgb, int thickness = 1)
    {
        int dx = Math.Abs(x1 - x0), sx = x0 < x1 ? 1 : -1;
        int dy = -Math.Abs(y1 - y0), sy = y0 < y1 ? 1 : -1;
        int err = dx + dy;
        while (true)
        {
            Fill(x0 - thickness / 2, y0 - thickness / 2, thickness, thickness, rgb);
            if (x0 == x1 && y0 == y1)
            {
                break;
            }
            int e2 = 2 * err;
            if (e2 >= dy)
            {
                err += dy;
                x0 += sx;
            }
            if (e2 <= dx)
            {
                err += dx;
                y0 += sy;
            }
        }
    }

    /// <summary>Draws text in the built-in 5x7 font scaled by <paramref name="scale"/>; returns the width drawn.</summary>
    public int Text(int x, int y, string text, uint rgb, int scale = 1)
    {
        int cx = x;
        foreach (char c in text.ToUpperInvariant())
        {
            string[]? glyph = BitmapFont.Glyph(c);
            if (glyph != null)
            {
                for (int row = 0; row < 7; row++)
                {
                    for (int col = 0; col < 5; col++)
                    {
                        if (glyph[row][col] == '#')
                        {
                            Fill(cx + col * scale, y + row * scale, scale, scale, rgb);
                        }
                    }
                }
            }
            cx += 6 * scale;
        }
        return cx - x;
    }

    public static int TextWidth(string text, int scale = 1) => text.Length * 6 * scale;

    public void Save(string path)
    {
        using var file = File.Create(path);
        Save(file);
    }

    public void Save(Stream output)
    {
        output.Write(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, Width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), Height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // colour type: truecolour
        WriteChunk(output, "IHDR", ihdr);
        using (var raw = new MemoryStream())
        {
            using (var z = new ZLibStream(raw, CompressionLevel.Optimal, leaveOpen: true))
            {
                for (int y = 0; y < Height; y++)
                {
                    z.WriteByte(0); // filter: none
                    z.Write(_pixels, y * Width * 3, Width * 3);
                }
            }
            WriteChunk(output, "IDAT", raw.ToArray());
        }
        WriteChunk(output, "IEND", Array.Empty<byte>());
    }

    private static void WriteChunk(Stream output, string type, byte[] data)
    {
        var header = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(header, data.Length);
        for (int i = 0; i < 4; i++)
        {
            header[4 + i] = (byte)type[i];
        }
        output.Write(header);
        output.Write(data);
        uint crc = Crc32(header.AsSpan(4, 4), 0xFFFFFFFF);
        crc = Crc32(data, crc) ^ 0xFFFFFFFF;
        var tail = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(tail, crc);
        output.Write(tail);
    }

    private static readonly uint[] CrcTable = BuildCrcTable();

    private static uint[] BuildCrcTable()
    {
        var t = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            }
            t[n] = c;
        }
        return t;
    }

    private static uint Crc32(ReadOnlySpan<byte> data, uint crc)
    {
        foreach (byte b in data)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }
        return crc;
    }
}
