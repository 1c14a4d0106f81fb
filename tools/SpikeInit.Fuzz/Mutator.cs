using System.Buffers.Binary;

namespace SpikeInit.Fuzz;

/// <summary>Seeded mutations of a valid file: bit flips, truncations, insertions, deletions, duplications and header-field overwrites with extreme values.</summary>
internal sealed class Mutator(int seed)
{
    private static readonly long[] Extremes = [0, 1, -1, 2, 255, 256, 0x7F, 0x80, 0xFFFF, 1 << 20, 1 << 30, int.MaxValue, int.MinValue, uint.MaxValue, long.MaxValue, long.MinValue, 1_000_000_000];
    private readonly Random random = new(seed);

    /// <summary>1 to 4 stacked mutations of <paramref name="input"/>; <paramref name="headerBytes"/> is where header fields live.</summary>
    public byte[] Mutate(byte[] input, int headerBytes)
    {
        byte[] b = [.. input];
        int rounds = 1 + random.Next(4);
        for (int r = 0; r < rounds; r++) b = Once(b, headerBytes);
        return b;
    }

    private byte[] Once(byte[] b, int headerBytes)
    {
        int at = b.Length == 0 ? 0 : random.Next(b.Length);
        switch (random.Next(8))
        {
            case 0:                                                   // bit flips
                for (int k = 0, n = 1 + random.Next(8); k < n && b.Length > 0; k++) b[random.Next(b.Length)] ^= (byte)(1 << random.Next(8));
                return b;
            case 1:                                                   // truncation
                return b[..at];
            case 2:                                                   // insertion of random bytes
            {
                var extra = new byte[1 + random.Next(random.Next(2) == 0 ? 16 : 4096)];
                random.NextBytes(extra);
                return [.. b[..at], .. extra, .. b[at..]];
            }
            case 3:                                                   // deletion of a range
                return [.. b[..at], .. b[Math.Min(b.Length, at + 1 + random.Next(64))..]];
            case 4:                                                   // duplication of a chunk
            {
                int len = Math.Min(b.Length - at, 1 + random.Next(512));
                return [.. b[..(at + len)], .. b[at..(at + len)], .. b[(at + len)..]];
            }
            case 5:                                                   // a byte set to an interesting value
                if (b.Length > 0) b[at] = (byte)Extremes[random.Next(Extremes.Length)];
                return b;
            default:                                                  // a header field (int16/32/64, either endianness) set to an extreme
            {
                int width = 2 << random.Next(3);
                int limit = Math.Min(b.Length, random.Next(4) == 0 ? b.Length : headerBytes) - width;
                if (limit <= 0) return b;
                int o = random.Next(limit + 1);
                if (random.Next(2) == 0) o &= ~(width - 1);
                long v = Extremes[random.Next(Extremes.Length)];
                bool big = random.Next(2) == 0;
                Span<byte> s = b.AsSpan(o, width);
                switch (width)
                {
                    case 2: if (big) BinaryPrimitives.WriteInt16BigEndian(s, (short)v); else BinaryPrimitives.WriteInt16LittleEndian(s, (short)v); break;
                    case 4: if (big) BinaryPrimitives.WriteInt32BigEndian(s, (int)v); else BinaryPrimitives.WriteInt32LittleEndian(s, (int)v); break;
                    default: if (big) BinaryPrimitives.WriteInt64BigEndian(s, v); else BinaryPrimitives.WriteInt64LittleEndian(s, v); break;
                }
                return b;
            }
        }
    }

    /// <summary>A coin with probability <paramref name="p"/>.</summary>
    public bool Chance(double p) => random.NextDouble() < p;
}
