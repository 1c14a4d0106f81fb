using System.Buffers.Binary;
using System.Text;

namespace SpikeInit.Tests;

/// <summary>One summary value of a TensorBoard event: tag, step, and a scalar or a histogram (count, sum, min, max, buckets).</summary>
internal sealed record TensorBoardValue(string Tag, long Step, double? Scalar, double HistogramCount, double HistogramSum, double HistogramMin,
                                        double HistogramMax, IReadOnlyList<double> BucketCounts);

/// <summary>
/// An independent reader of TensorBoard event files, written from the formats' specifications: TFRecord framing (uint64
/// length, masked CRC-32C of the length, the record, masked CRC-32C of the record; both checked) around an <c>Event</c>
/// protobuf (wall_time = 1, step = 2, file_version = 3, summary = 5) whose <c>Summary.Value</c>s (tag = 1, simple_value = 2,
/// histo = 5) are decoded from the protobuf wire format by hand.
/// </summary>
internal static class TensorBoardEvents
{
    private static readonly uint[] Table = [.. Enumerable.Range(0, 256).Select(n =>
    {
        uint c = (uint)n;
        for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0x82F63B78u ^ (c >> 1) : c >> 1;   // CRC-32C (Castagnoli), reflected
        return c;
    })];

    private static uint MaskedCrc(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (byte b in data) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        crc ^= 0xFFFFFFFFu;
        return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
    }

    /// <summary>Every summary value of every event file in <paramref name="folder"/>, and the file_version strings seen.</summary>
    public static (List<TensorBoardValue> Values, List<string> Versions) Read(string folder)
    {
        var values = new List<TensorBoardValue>();
        var versions = new List<string>();
        foreach (string file in Directory.GetFiles(folder, "events.out.tfevents.*").Order())
        {
            byte[] bytes = File.ReadAllBytes(file);
            int at = 0;
            while (at < bytes.Length)
            {
                ReadOnlySpan<byte> header = bytes.AsSpan(at, 8);
                long length = BinaryPrimitives.ReadInt64LittleEndian(header);
                Assert.Equal(MaskedCrc(header), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 8, 4)));
                ReadOnlySpan<byte> record = bytes.AsSpan(at + 12, (int)length);
                Assert.Equal(MaskedCrc(record), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 12 + (int)length, 4)));
                at += 16 + (int)length;
                long step = 0;
                var summaries = new List<byte[]>();
                foreach (var (field, wire, number, payload) in Fields(record.ToArray()))
                    if (field == 2) step = number;
                    else if (field == 3) versions.Add(Encoding.UTF8.GetString(payload));
                    else if (field == 5) summaries.Add(payload);
                foreach (byte[] summary in summaries)
                    foreach (var (_, _, _, value) in Fields(summary).Where(f => f.Field == 1))
                        values.Add(Value(value, step));
            }
        }
        return (values, versions);
    }

    private static TensorBoardValue Value(byte[] message, long step)
    {
        string tag = "";
        double? scalar = null;
        double count = 0, sum = 0, min = 0, max = 0;
        var buckets = new List<double>();
        foreach (var (field, _, number, payload) in Fields(message))
            if (field == 1) tag = Encoding.UTF8.GetString(payload);
            else if (field == 2) scalar = BitConverter.Int32BitsToSingle((int)number);
            else if (field == 5)
                foreach (var (f, wire, bits, data) in Fields(payload))
                    switch (f)
                    {
                        case 1: min = BitConverter.Int64BitsToDouble(bits); break;
                        case 2: max = BitConverter.Int64BitsToDouble(bits); break;
                        case 3: count = BitConverter.Int64BitsToDouble(bits); break;
                        case 4: sum = BitConverter.Int64BitsToDouble(bits); break;
                        case 7 when wire == 2:
                            for (int i = 0; i < data.Length; i += 8) buckets.Add(BitConverter.ToDouble(data, i));
                            break;
                        case 7: buckets.Add(BitConverter.Int64BitsToDouble(bits)); break;
                    }
        return new TensorBoardValue(tag, step, scalar, count, sum, min, max, buckets);
    }

    /// <summary>The fields of a protobuf message: number, wire type, the varint or fixed bits, and the bytes of a length-delimited field.</summary>
    private static IEnumerable<(int Field, int Wire, long Number, byte[] Payload)> Fields(byte[] message)
    {
        int at = 0;
        long Varint()
        {
            long v = 0;
            for (int shift = 0; ; shift += 7)
            {
                byte b = message[at++];
                v |= (long)(b & 0x7F) << shift;
                if (b < 0x80) return v;
            }
        }
        while (at < message.Length)
        {
            long key = Varint();
            int field = (int)(key >> 3), wire = (int)(key & 7);
            switch (wire)
            {
                case 0: yield return (field, wire, Varint(), []); break;
                case 1: yield return (field, wire, BinaryPrimitives.ReadInt64LittleEndian(message.AsSpan(at, 8)), []); at += 8; break;
                case 5: yield return (field, wire, BinaryPrimitives.ReadInt32LittleEndian(message.AsSpan(at, 4)), []); at += 4; break;
                case 2:
                    int length = (int)Varint();
                    yield return (field, wire, 0, message[at..(at + length)]);
                    at += length;
                    break;
                default: throw new InvalidDataException($"wire type {wire} of field {field}");
            }
        }
    }
}
