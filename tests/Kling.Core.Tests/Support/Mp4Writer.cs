using System.Text;
using Kling.Core;
using Kling.Core.Media;
using Xunit;

namespace Kling.Core.Tests;

/// <summary>Builds MP4/MOV files box by box, the way encoders lay them out, for the header reader.</summary>
internal sealed class Mp4Writer
{
    public string Brand { get; set; } = "isom";
    public bool WithFtyp { get; set; } = true;
    public int Width { get; set; } = 1280;
    public int Height { get; set; } = 720;
    public double Seconds { get; set; } = 5;
    public double Fps { get; set; } = 30;
    public int Version { get; set; }
    public bool AudioTrackFirst { get; set; }
    public bool VideoTrack { get; set; } = true;
    public bool MoovAtEnd { get; set; }
    public long MdatBytes { get; set; } = 1024;

    /// <summary>A 64-bit (largesize) mdat header, as files over 4 GB have.</summary>
    public bool LargeMdat { get; set; }

    public void Write(string path)
    {
        byte[] ftyp = Box("ftyp", Ascii(Brand), U32(512), Ascii(Brand), Ascii("mp41"));
        byte[] moov = Moov();
        using var file = new FileStream(path, FileMode.Create);
        if (WithFtyp)
        {
            file.Write(ftyp);
        }

        if (!MoovAtEnd)
        {
            file.Write(moov);
        }

        // mdat: only its header is written; the body is left sparse (never read by the reader anyway).
        if (LargeMdat)
        {
            file.Write(Concat(U32(1), Ascii("mdat"), U64((ulong)(16 + MdatBytes))));
            file.Position += MdatBytes;
        }
        else
        {
            file.Write(Concat(U32((uint)(8 + MdatBytes)), Ascii("mdat")));
            file.Position += MdatBytes;
        }

        if (MoovAtEnd)
        {
            file.Write(moov);
        }

        file.SetLength(file.Position);
    }

    private byte[] Moov()
    {
        const uint movieScale = 1000;
        const uint mediaScale = 90000;
        var tracks = new List<byte[]>();
        if (AudioTrackFirst)
        {
            tracks.Add(Track("soun", 0, 0, 48000, (ulong)(Seconds * 48000), 1024, (uint)(Seconds * 48000 / 1024)));
        }

        if (VideoTrack)
        {
            uint frames = (uint)Math.Round(Seconds * Fps);
            uint delta = (uint)Math.Round(mediaScale / Fps);
            tracks.Add(Track("vide", Width, Height, mediaScale, (ulong)frames * delta, delta, frames));
        }

        byte[] mvhd = Version == 1
            ? Box("mvhd", U32(0x01000000), U64(0), U64(0), U32(movieScale), U64((ulong)(Seconds * movieScale)), new byte[80])
            : Box("mvhd", U32(0), U32(0), U32(0), U32(movieScale), U32((uint)(Seconds * movieScale)), new byte[80]);
        return Box("moov", new[] { mvhd }.Concat(tracks).ToArray());
    }

    private byte[] Track(string handler, int width, int height, uint timescale, ulong duration, uint delta, uint samples)
    {
        byte[] matrixEtc = Concat(new byte[8], new byte[8], new byte[36]);
        byte[] tkhd = Version == 1
            ? Box("tkhd", U32(0x01000003), U64(0), U64(0), U32(1), U32(0), U64(duration), matrixEtc, U32((uint)width << 16), U32((uint)height << 16))
            : Box("tkhd", U32(3), U32(0), U32(0), U32(1), U32(0), U32((uint)duration), matrixEtc, U32((uint)width << 16), U32((uint)height << 16));
        byte[] mdhd = Version == 1
            ? Box("mdhd", U32(0x01000000), U64(0), U64(0), U32(timescale), U64(duration), U32(0))
            : Box("mdhd", U32(0), U32(0), U32(0), U32(timescale), U32((uint)duration), U32(0));
        byte[] hdlr = Box("hdlr", U32(0), U32(0), Ascii(handler), new byte[12], Ascii("handler\0"));
        byte[] stts = Box("stts", U32(0), U32(2), U32(samples - 1), U32(delta), U32(1), U32(delta));
        byte[] stbl = Box("stbl", stts);
        byte[] minf = Box("minf", stbl);
        return Box("trak", tkhd, Box("mdia", mdhd, hdlr, minf));
    }

    private static byte[] Box(string type, params byte[][] parts)
    {
        byte[] body = Concat(parts);
        return Concat(U32((uint)(8 + body.Length)), Ascii(type), body);
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    private static byte[] Ascii(string s) => Encoding.ASCII.GetBytes(s);

    private static byte[] U32(uint v) => new[] { (byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v };

    private static byte[] U64(ulong v) => Concat(U32((uint)(v >> 32)), U32((uint)v));
}
