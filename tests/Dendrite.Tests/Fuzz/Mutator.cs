using System.Buffers.Binary;
using System.Text;

namespace Dendrite.Tests.Fuzz;

/// <summary>
/// Seeded mutations of a valid input, for the parser fuzz tests: bit flips, interesting bytes and integers, cuts,
/// insertions, duplications and deletions of byte runs, and (for text) swaps of JSON tokens and numbers. The same
/// seed gives the same inputs, so a failure names a reproducible case.
/// </summary>
internal sealed class Mutator(int seed)
{
    private static readonly byte[] InterestingBytes = [0, 1, 0x7F, 0x80, 0xFF, (byte)'{', (byte)'}', (byte)'"', (byte)'[', (byte)',', (byte)'\\', 0xC3, 0xED];
    private static readonly long[] InterestingInts = [0, 1, -1, 2, 255, 256, 65535, 46340, int.MaxValue, int.MinValue, uint.MaxValue, long.MaxValue, long.MinValue];
    private static readonly string[] Tokens =
    [
        "null", "true", "false", "0", "-1", "1e400", "-0", "NaN", "\"NaN\"", "\"\"", "\"abc\"", "[]", "{}", "[1,2]", "{\"a\":1}", "1.5",
        "99999999999999999999", "2147483648", "\"\\ud800\"", "\"\\u0000\"", "\"18446744073709551616\"", "\"-1\"", "[[[[[[[[", "]]]]", ",", ":", "\"",
    ];

    private readonly Random _rng = new(seed);

    /// <summary>A mutated copy of <paramref name="input"/> (one to four mutations).</summary>
    public byte[] Mutate(byte[] input)
    {
        var data = new List<byte>(input);
        int n = 1 + _rng.Next(4);
        for (int i = 0; i < n; i++)
            MutateOnce(data);
        return [.. data];
    }

    /// <summary>A mutated copy of a JSON text: token-level edits most of the time, byte-level otherwise.</summary>
    public string MutateJson(string json)
    {
        if (_rng.Next(4) == 0)
            return Encoding.UTF8.GetString(Mutate(Encoding.UTF8.GetBytes(json)));
        var sb = new StringBuilder(json);
        int n = 1 + _rng.Next(3);
        for (int i = 0; i < n && sb.Length > 0; i++)
        {
            int at = _rng.Next(sb.Length);
            switch (_rng.Next(5))
            {
                case 0: // replace the value after a colon
                {
                    int colon = sb.ToString().IndexOf(':', at);
                    if (colon < 0)
                        goto case 1;
                    int end = colon + 1;
                    while (end < sb.Length && sb[end] is not (',' or '}' or ']'))
                        end++;
                    sb.Remove(colon + 1, end - colon - 1).Insert(colon + 1, Pick(Tokens));
                    break;
                }
                case 1:
                    sb.Insert(at, Pick(Tokens));
                    break;
                case 2:
                    sb.Remove(at, Math.Min(sb.Length - at, 1 + _rng.Next(8)));
                    break;
                case 3: // a digit for another
                {
                    int digit = IndexOfDigit(sb, at);
                    if (digit >= 0)
                        sb[digit] = (char)('0' + _rng.Next(10));
                    else
                        sb.Insert(at, '9');
                    break;
                }
                default: // drop a key: value pair
                {
                    int comma = sb.ToString().IndexOf(',', at);
                    if (comma < 0)
                        goto case 2;
                    int end = comma + 1;
                    while (end < sb.Length && sb[end] is not (',' or '}'))
                        end++;
                    sb.Remove(comma, end - comma);
                    break;
                }
            }
        }
        return sb.ToString();
    }

    private static int IndexOfDigit(StringBuilder sb, int from)
    {
        for (int i = 0; i < sb.Length; i++)
        {
            int j = (from + i) % sb.Length;
            if (char.IsAsciiDigit(sb[j]))
                return j;
        }
        return -1;
    }

    private T Pick<T>(T[] items) => items[_rng.Next(items.Length)];

    private void MutateOnce(List<byte> data)
    {
        if (data.Count == 0)
        {
            data.Add(Pick(InterestingBytes));
            return;
        }
        int at = _rng.Next(data.Count);
        switch (_rng.Next(8))
        {
            case 0:
                data[at] ^= (byte)(1 << _rng.Next(8));
                break;
            case 1:
                data[at] = Pick(InterestingBytes);
                break;
            case 2: // an interesting integer, either endianness, 4 or 8 bytes wide
            {
                Span<byte> b = stackalloc byte[8];
                long v = Pick(InterestingInts);
                bool little = _rng.Next(2) == 0;
                int width = _rng.Next(2) == 0 ? 4 : 8;
                if (little) BinaryPrimitives.WriteInt64LittleEndian(b, v);
                else BinaryPrimitives.WriteInt64BigEndian(b, v);
                var slice = width == 8 ? b : little ? b[..4] : b[4..];
                for (int i = 0; i < slice.Length && at + i < data.Count; i++)
                    data[at + i] = slice[i];
                break;
            }
            case 3:
                data.RemoveRange(at, data.Count - at);
                break;
            case 4:
                data.RemoveRange(at, Math.Min(data.Count - at, 1 + _rng.Next(16)));
                break;
            case 5:
            {
                int len = Math.Min(data.Count - at, 1 + _rng.Next(32));
                data.InsertRange(_rng.Next(data.Count + 1), data.GetRange(at, len));
                break;
            }
            case 6:
            {
                var junk = new byte[1 + _rng.Next(16)];
                _rng.NextBytes(junk);
                data.InsertRange(at, junk);
                break;
            }
            default:
                data.AddRange(Enumerable.Repeat(Pick(InterestingBytes), 1 + _rng.Next(64)));
                break;
        }
    }
}
