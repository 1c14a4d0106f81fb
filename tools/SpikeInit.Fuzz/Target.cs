namespace SpikeInit.Fuzz;

/// <summary>
/// One reader under fuzzing: valid seed files, how many leading bytes hold header fields, whether the file is a gzip whose
/// inner bytes should also be mutated (then recompressed, so the parser behind the checksum is reached), the read, and an
/// oracle for inputs the reader accepts (null: no oracle; otherwise the reason the accepted result is wrong).
/// </summary>
internal sealed record Target(string Name, string Extension, IReadOnlyList<byte[]> Seeds, int HeaderBytes, Func<byte[], byte[]>? Inner,
                              Func<byte[], byte[]>? Outer, Action<string, string> Read, Func<string, byte[], string?>? Oracle = null);
