using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Kling.Core.Media
{
    /// <summary>
    /// Reads an MP4/MOV (ISO base media) file's boxes without decoding anything and without ffmpeg: only the box
    /// headers are read on the way to the moov box (mdat is seeked over, wherever moov sits), then moov itself.
    /// </summary>
    internal static class Mp4Header
    {
        private const long MaxMoovBytes = 64L * 1024 * 1024;
        private const int MaxTopLevelBoxes = 100000;

        /// <summary>Reads the header; throws InvalidDataException (plain words) for anything that is not a readable MP4/MOV.</summary>
        public static VideoInfo Read(string path)
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.RandomAccess);
            var info = new VideoInfo { Bytes = stream.Length };
            string? majorBrand = null;
            bool sawFtyp = false;
            byte[]? moov = null;
            long offset = 0;
            int boxes = 0;
            while (offset < stream.Length && moov == null)
            {
                if (++boxes > MaxTopLevelBoxes)
                {
                    throw new InvalidDataException($"not a readable MP4 or MOV file: no header (moov box) among its first {MaxTopLevelBoxes} boxes");
                }

                TopBox box = ReadTopBox(stream, offset, first: boxes == 1);
                if (box.Type == "ftyp" && box.Size >= box.HeaderLength + 4)
                {
                    majorBrand = Encoding.ASCII.GetString(ReadExactly(stream, 4));
                    sawFtyp = true;
                }
                else if (box.Type == "moov")
                {
                    moov = ReadMoov(stream, box, stream.Length - offset);
                }

                offset += box.Size;
            }

            if (moov == null)
            {
                throw new InvalidDataException(sawFtyp ? "not a readable MP4 or MOV file: it has no header (moov box); it may be cut off" : "not an MP4 or MOV file (no moov box)");
            }

            info.Container = majorBrand == null || majorBrand == "qt  " ? "MOV" : "MP4";
            try
            {
                ParseMoov(moov, info);
            }
            catch (Exception ex) when (ex is IndexOutOfRangeException || ex is ArgumentException || ex is OverflowException)
            {
                throw new InvalidDataException("not a readable MP4 or MOV file: its header (moov box) is malformed", ex);
            }

            return info;
        }

        /// <summary>The header of the top-level box at <paramref name="offset"/>; the stream is left just after it.</summary>
        private static TopBox ReadTopBox(Stream stream, long offset, bool first)
        {
            stream.Position = offset;
            long remaining = stream.Length - offset;
            if (remaining < 8)
            {
                throw new InvalidDataException("not an MP4 or MOV file: the file ends inside a box header");
            }

            byte[] header = ReadExactly(stream, 8);
            long size = BigEndian(header, 0, 4);
            string type = Encoding.ASCII.GetString(header, 4, 4);
            int headerLength = 8;
            if (!IsBoxType(header, 4))
            {
                throw new InvalidDataException(first
                    ? "not an MP4 or MOV file (no ISO media box at its start)"
                    : $"not a readable MP4 or MOV file: a box at byte {offset} has no valid type");
            }

            if (size == 1)
            {
                if (remaining < 16)
                {
                    throw new InvalidDataException("not a readable MP4 or MOV file: the file ends inside a box header");
                }

                size = BigEndian(ReadExactly(stream, 8), 0, 8);
                headerLength = 16;
            }
            else if (size == 0)
            {
                size = remaining;
            }

            if (size < headerLength)
            {
                throw new InvalidDataException($"not a readable MP4 or MOV file: the '{type}' box at byte {offset} has an impossible size");
            }

            if (first && type != "ftyp" && type != "moov" && type != "mdat" && type != "free" && type != "skip" && type != "wide" && type != "pnot")
            {
                throw new InvalidDataException("not an MP4 or MOV file (it does not start with an ftyp, moov or mdat box)");
            }

            return new TopBox(type, size, headerLength);
        }

        private static byte[] ReadMoov(Stream stream, TopBox box, long remaining)
        {
            long length = box.Size - box.HeaderLength;
            if (box.Size > remaining)
            {
                throw new InvalidDataException("not a readable MP4 or MOV file: it is cut off inside its header (moov box)");
            }

            if (length > MaxMoovBytes)
            {
                throw new InvalidDataException($"not a readable MP4 or MOV file: its header (moov box) claims {length} bytes");
            }

            return ReadExactly(stream, (int)length);
        }

        private static void ParseMoov(byte[] moov, VideoInfo info)
        {
            TimeSpan? movieDuration = null;
            foreach (Box box in Children(moov, 0, moov.Length))
            {
                if (box.Type == "mvhd")
                {
                    (long timescale, long duration) = ReadTimes(moov, box);
                    movieDuration = timescale > 0 ? TimeSpan.FromSeconds((double)duration / timescale) : (TimeSpan?)null;
                }
                else if (box.Type == "trak" && info.Width == null)
                {
                    ParseTrack(moov, box, info);
                }
            }

            info.Duration = movieDuration is TimeSpan d && d > TimeSpan.Zero ? d : info.Duration;
        }

        private static void ParseTrack(byte[] data, Box trak, VideoInfo info)
        {
            Box? tkhd = Find(data, trak, "tkhd");
            Box? mdia = Find(data, trak, "mdia");
            Box? hdlr = mdia == null ? null : Find(data, mdia.Value, "hdlr");
            if (tkhd == null || hdlr == null || hdlr.Value.Length < 12 || Encoding.ASCII.GetString(data, hdlr.Value.Start + 8, 4) != "vide")
            {
                return;
            }

            int at = data[tkhd.Value.Start] == 1 ? 88 : 76;
            Need(tkhd.Value, at + 8);
            info.Width = (int)(BigEndian(data, tkhd.Value.Start + at, 4) >> 16);
            info.Height = (int)(BigEndian(data, tkhd.Value.Start + at + 4, 4) >> 16);

            Box? mdhd = Find(data, mdia!.Value, "mdhd");
            if (mdhd == null)
            {
                return;
            }

            (long timescale, long duration) = ReadTimes(data, mdhd.Value);
            if (timescale <= 0 || duration <= 0)
            {
                return;
            }

            info.Duration ??= TimeSpan.FromSeconds((double)duration / timescale);
            Box? minf = Find(data, mdia.Value, "minf");
            Box? stbl = minf == null ? null : Find(data, minf.Value, "stbl");
            Box? stts = stbl == null ? null : Find(data, stbl.Value, "stts");
            if (stts == null)
            {
                return;
            }

            Need(stts.Value, 8);
            long entries = BigEndian(data, stts.Value.Start + 4, 4);
            Need(stts.Value, 8 + (entries * 8));
            long samples = 0;
            for (long i = 0; i < entries; i++)
            {
                samples += BigEndian(data, stts.Value.Start + 8 + (int)(i * 8), 4);
            }

            info.FrameRate = samples / ((double)duration / timescale);
        }

        /// <summary>
        /// The timescale and duration of an mvhd or mdhd box, which share a layout: version and flags, creation and
        /// modification times (32 bits in version 0, 64 in version 1), timescale, duration (32 or 64 bits).
        /// </summary>
        private static (long Timescale, long Duration) ReadTimes(byte[] data, Box box)
        {
            bool v1 = data[box.Start] == 1;
            int timescaleAt = 4 + (v1 ? 16 : 8);
            Need(box, timescaleAt + (v1 ? 12 : 8));
            return (BigEndian(data, box.Start + timescaleAt, 4), BigEndian(data, box.Start + timescaleAt + 4, v1 ? 8 : 4));
        }

        private static Box? Find(byte[] data, Box parent, string type)
        {
            foreach (Box child in Children(data, parent.Start, parent.Start + parent.Length))
            {
                if (child.Type == type)
                {
                    return child;
                }
            }

            return null;
        }

        /// <summary>The boxes inside [start, end) of a buffer; a box running past its parent is malformed.</summary>
        private static IEnumerable<Box> Children(byte[] data, int start, int end)
        {
            int at = start;
            while (at + 8 <= end)
            {
                long size = BigEndian(data, at, 4);
                int headerLength = 8;
                if (size == 1)
                {
                    if (at + 16 > end)
                    {
                        throw new InvalidDataException("not a readable MP4 or MOV file: its header (moov box) is malformed");
                    }

                    size = BigEndian(data, at + 8, 8);
                    headerLength = 16;
                }
                else if (size == 0)
                {
                    size = end - at;
                }

                if (size < headerLength || at + size > end)
                {
                    throw new InvalidDataException("not a readable MP4 or MOV file: its header (moov box) is malformed or cut off");
                }

                yield return new Box(Encoding.ASCII.GetString(data, at + 4, 4), at + headerLength, (int)size - headerLength);
                at += (int)size;
            }
        }

        private static void Need(Box box, long bytes)
        {
            if (box.Length < bytes)
            {
                throw new InvalidDataException($"not a readable MP4 or MOV file: its '{box.Type}' box is too short");
            }
        }

        private static bool IsBoxType(byte[] b, int at)
        {
            for (int i = at; i < at + 4; i++)
            {
                if (b[i] < 0x20 || b[i] > 0x7E)
                {
                    return false;
                }
            }

            return true;
        }

        private static long BigEndian(byte[] b, int at, int count)
        {
            long value = 0;
            for (int i = 0; i < count; i++)
            {
                value = (value << 8) | b[at + i];
            }

            return value;
        }

        private static byte[] ReadExactly(Stream stream, int count)
        {
            byte[] buffer = new byte[count];
            int done = 0;
            while (done < count)
            {
                int read = stream.Read(buffer, done, count - done);
                if (read == 0)
                {
                    throw new InvalidDataException("not a readable MP4 or MOV file: it ends early");
                }

                done += read;
            }

            return buffer;
        }

        private readonly struct Box
        {
            public Box(string type, int start, int length)
            {
                Type = type;
                Start = start;
                Length = length;
            }

            public string Type { get; }

            /// <summary>Where the payload starts (after the header).</summary>
            public int Start { get; }

            public int Length { get; }
        }

        private readonly struct TopBox
        {
            public TopBox(string type, long size, int headerLength)
            {
                Type = type;
                Size = size;
                HeaderLength = headerLength;
            }

            public string Type { get; }

            /// <summary>The whole box, header included.</summary>
            public long Size { get; }

            public int HeaderLength { get; }
        }
    }
}
