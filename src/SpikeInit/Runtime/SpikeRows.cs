using System.Numerics;
using System.Runtime.Intrinsics;

namespace SpikeInit.Runtime;

/// <summary>
/// A binary matrix <c>[rows, cols]</c> (spikes: every entry 0 or 1) as the column indices of its ones, row by row
/// (compressed sparse rows: the ones of row r are <c>Columns[RowStart[r] .. RowStart[r + 1])</c>, increasing), and on
/// demand by column (<see cref="ByColumn"/>). Built by <see cref="TryIndex"/> in one read of the matrix, or, for
/// kernels that index a band of rows at every time step, refilled in place by <see cref="Load"/> (a <see cref="Scratch"/>
/// index: no allocation per step; its arrays may be longer than its rows and ones).
/// </summary>
internal sealed class SpikeRows
{
    private SpikeRows(int rows, int cols, int[] rowStart, int[] columns)
    {
        Rows = rows;
        Cols = cols;
        RowStart = rowStart;
        Columns = columns;
    }

    /// <summary>Number of rows.</summary>
    public int Rows { get; private set; }

    /// <summary>Number of columns.</summary>
    public int Cols { get; }

    /// <summary>Row r's ones are <c>Columns[RowStart[r] .. RowStart[r + 1])</c>; length Rows + 1.</summary>
    public int[] RowStart { get; }

    /// <summary>The column of every one, row by row (the first <see cref="Ones"/> entries).</summary>
    public int[] Columns { get; }

    private int[]? columnStart, columnRows;

    /// <summary>Number of ones.</summary>
    public int Ones => RowStart[Rows];

    /// <summary>An empty index with room for any binary matrix of up to <paramref name="maxRows"/> rows of <paramref name="cols"/> columns.</summary>
    public static SpikeRows Scratch(int maxRows, int cols) => new(0, cols, new int[maxRows + 1], new int[(long)maxRows * cols]);

    /// <summary>
    /// Refills this index from a binary matrix (<c>[rows, Cols]</c>, rows within the capacity; entries other than 1
    /// count as 0) on the calling thread.
    /// </summary>
    public void Load(FloatView matrix, int rows)
    {
        if (rows + 1 > RowStart.Length || (long)rows * Cols != matrix.Length) throw new ArgumentException($"a [{rows}, {Cols}] matrix does not fit this index", nameof(matrix));
        Rows = rows;
        for (int r = 0; r < rows; r++) RowStart[r + 1] = RowStart[r] + FillRow(matrix.Slice(r * Cols, Cols), Columns.AsSpan(RowStart[r], Cols));
    }

    /// <summary>
    /// The index of <paramref name="matrix"/> (<c>[rows, cols]</c>, row-major) when every entry is 0 or 1 and at most
    /// <paramref name="maxDensity"/> of them are 1; null otherwise (the scan stops at the first entry that is neither,
    /// or as soon as a row band holds too many ones).
    /// </summary>
    public static SpikeRows? TryIndex(FloatView matrix, int rows, int cols, double maxDensity)
    {
        if ((long)rows * cols != matrix.Length) throw new ArgumentException($"a [{rows}, {cols}] index needs {(long)rows * cols} floats, got {matrix.Length}", nameof(matrix));
        var rowStart = new int[rows + 1];
        int bands = Math.Clamp((int)((long)rows * cols / (1 << 16)), 1, Math.Min(rows, 4 * TorchSharp.torch.get_num_threads()));
        long bandLimit = (long)Math.Floor(maxDensity * cols * ((rows + bands - 1) / bands));
        int failed = 0;
        HostKernel.ForBands(rows, bands, (first, end) =>
        {
            long ones = 0;
            for (int r = first; r < end && Volatile.Read(ref failed) == 0; r++)
            {
                int count = CountRow(matrix.Slice(r * cols, cols));
                if (count < 0 || (ones += count) > bandLimit)
                {
                    Volatile.Write(ref failed, 1);
                    return;
                }
                rowStart[r + 1] = count;
            }
        });
        if (failed != 0) return null;
        for (int r = 0; r < rows; r++) rowStart[r + 1] += rowStart[r];
        var columns = new int[rowStart[rows]];
        HostKernel.ForBands(rows, bands, (first, end) =>
        {
            for (int r = first; r < end; r++) FillRow(matrix.Slice(r * cols, cols), columns.AsSpan(rowStart[r], rowStart[r + 1] - rowStart[r]));
        });
        return new SpikeRows(rows, cols, rowStart, columns);
    }

    /// <summary>The ones of a row, or −1 when an entry is neither 0 nor 1.</summary>
    private static int CountRow(ReadOnlySpan<float> row)
    {
        int count = 0, j = 0, w = Vector<float>.Count;
        Vector<float> one = Vector<float>.One;
        for (; j <= row.Length - w; j += w)
        {
            var v = new Vector<float>(row[j..]);
            Vector<int> isOne = Vector.Equals(v, one), isZero = Vector.Equals(v, Vector<float>.Zero);
            if (!Vector.EqualsAll(isOne | isZero, -Vector<int>.One)) return -1;
            count -= Vector.Sum(isOne);                        // true lanes are −1
        }
        for (; j < row.Length; j++)
        {
            if (row[j] == 1) count++;
            else if (row[j] != 0) return -1;
        }
        return count;
    }

    /// <summary>Writes the columns of a row's ones (checked binary by <see cref="CountRow"/>) into <paramref name="target"/>; returns their number.</summary>
    private static int FillRow(ReadOnlySpan<float> row, Span<int> target)
    {
        int k = 0, j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; j <= row.Length - 8; j += 8)
            {
                uint bits = Vector256.Equals(Vector256.Create(row.Slice(j, 8)), Vector256<float>.One).ExtractMostSignificantBits();
                while (bits != 0)
                {
                    target[k++] = j + BitOperations.TrailingZeroCount(bits);
                    bits &= bits - 1;
                }
            }
        }
        for (; j < row.Length; j++)
            if (row[j] == 1) target[k++] = j;
        return k;
    }

    /// <summary>
    /// The same ones by column: for column c, the rows <c>Rows[Start[c] .. Start[c + 1])</c>, increasing (arrays kept and
    /// reused by the next call: valid until then).
    /// </summary>
    public (int[] Start, int[] Rows) ByColumn()
    {
        int[] start = columnStart ??= new int[Cols + 1];
        int[] rows = columnRows is { } kept && kept.Length >= Ones ? kept : columnRows = new int[Math.Max(Ones, Columns.Length)];
        Array.Clear(start);
        for (int k = 0; k < Ones; k++) start[Columns[k] + 1]++;
        for (int c = 0; c < Cols; c++) start[c + 1] += start[c];
        for (int r = 0; r < Rows; r++)
            for (int k = RowStart[r]; k < RowStart[r + 1]; k++) rows[start[Columns[k]]++] = r;
        for (int c = Cols; c > 0; c--) start[c] = start[c - 1];        // each start moved to its column's end: shift back
        start[0] = 0;
        return (start, rows);
    }
}
