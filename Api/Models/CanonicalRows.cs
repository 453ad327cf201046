using System.Buffers.Text;
using System.Runtime.InteropServices;
using OrleansML.Api.Http;
using OrleansML.Serving;

namespace OrleansML.Api.Models;

/// <summary>
/// The body almost every native predict request sends, <c>{"inputs": [[numbers], ...]}</c> or
/// <c>{"inputs": [numbers]}</c> and nothing else, scanned in one pass over the bytes into the tensor's buffer, sized
/// from the body's commas (in this body there is one comma fewer than values). A profile of the native path at
/// concurrency 64 put a quarter of the Api's CPU into <see cref="System.Text.Json.Utf8JsonReader"/> tokenizing and
/// parsing these numbers (docs/benchmarks-serving.md). Numbers follow JSON's grammar exactly; their values come
/// from Clinger's exact fast path (at most 19 significant digits forming an integer below 2^53 times an exact power
/// of ten up to 10^22: one correctly rounded operation, the double the reader's parser gives), else from
/// <see cref="Utf8Parser"/>, the reader's own parser. Any other body, any byte it does not expect, or a value not
/// finite: null, and <see cref="NumericPredictBody"/> reads it with the reader.
/// </summary>
public static class CanonicalRows
{
    private static readonly double[] ExactPowersOfTen =
        [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

    public static TensorData? TryScan(ReadOnlySpan<byte> body, ApiLimits limits)
    {
        var at = 0;
        if (!Expect(body, ref at, (byte)'{') || !Expect(body, ref at, "\"inputs\""u8) || !Expect(body, ref at, (byte)':')
            || !Expect(body, ref at, (byte)'['))
        {
            return null;
        }

        var count = body.Count((byte)',') + 1;
        if (count > Math.Min(limits.MaxPredictElements, Array.MaxLength / sizeof(double)))
        {
            return null;
        }

        var data = new byte[count * sizeof(double)];
        var scan = new Scan(data);
        var nested = Peek(body, ref at) == '[';
        var rows = 0;
        var width = -1;
        do
        {
            if (nested && !Expect(body, ref at, (byte)'['))
            {
                return null;
            }

            var start = scan.Count;
            do
            {
                if (!scan.TryNumber(body, ref at))
                {
                    return null;
                }
            }
            while (Expect(body, ref at, (byte)','));

            if (!Expect(body, ref at, (byte)']'))
            {
                return null;
            }

            var rowWidth = scan.Count - start;
            if (!nested)
            {
                (rows, width) = (1, rowWidth);
                break;
            }

            if ((width >= 0 && rowWidth != width) || ++rows > limits.MaxPredictRows)
            {
                return null;
            }

            width = rowWidth;
        }
        while (Expect(body, ref at, (byte)','));

        if ((nested && !Expect(body, ref at, (byte)']')) || !Expect(body, ref at, (byte)'}') || Peek(body, ref at) != -1
            || scan.Count != count)
        {
            return null;
        }

        long[] shape = [rows, width];
        return scan.AllIntegers
            ? new TensorData("", TensorDataType.Int64, shape, data)
            : new TensorData("", TensorDataType.FP64, shape, data);
    }

    /// <summary>The next byte after whitespace, or -1 at the end.</summary>
    private static int Peek(ReadOnlySpan<byte> body, ref int at)
    {
        while (at < body.Length && body[at] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
        {
            at++;
        }

        return at < body.Length ? body[at] : -1;
    }

    private static bool Expect(ReadOnlySpan<byte> body, ref int at, byte token)
    {
        if (Peek(body, ref at) != token)
        {
            return false;
        }

        at++;
        return true;
    }

    private static bool Expect(ReadOnlySpan<byte> body, ref int at, ReadOnlySpan<byte> token)
    {
        Peek(body, ref at);
        if (!body[at..].StartsWith(token))
        {
            return false;
        }

        at += token.Length;
        return true;
    }

    /// <summary>
    /// The values read so far, in one buffer: as INT64 while every literal is an integer (the document reader's rule:
    /// no fraction or exponent, and within ±9.2e18), turned to FP64 in place at the first that is not.
    /// </summary>
    private ref struct Scan(byte[] data)
    {
        private readonly Span<long> _integers = MemoryMarshal.Cast<byte, long>(data.AsSpan());
        private readonly Span<double> _values = MemoryMarshal.Cast<byte, double>(data.AsSpan());
        private List<int>? _negativeZeros;

        public int Count { get; private set; }

        public bool AllIntegers { get; private set; } = true;

        public bool TryNumber(ReadOnlySpan<byte> body, ref int at)
        {
            if (Count == _values.Length || Peek(body, ref at) < 0)
            {
                return false;
            }

            var start = at;
            var negative = body[at] == '-';
            if (negative)
            {
                at++;
            }

            // Integer part: 0, or a digit 1-9 and more digits.
            ulong mantissa = 0;
            int digits = 0, scale = 0;
            if (at < body.Length && body[at] == '0')
            {
                at++;
            }
            else if (at < body.Length && IsDigit(body[at]))
            {
                while (at < body.Length && IsDigit(body[at]))
                {
                    Accumulate(body[at++], ref mantissa, ref digits, ref scale, fraction: false);
                }
            }
            else
            {
                return false;
            }

            var integer = true;
            if (at < body.Length && body[at] == '.')
            {
                integer = false;
                if (++at >= body.Length || !IsDigit(body[at]))
                {
                    return false;
                }

                while (at < body.Length && IsDigit(body[at]))
                {
                    Accumulate(body[at++], ref mantissa, ref digits, ref scale, fraction: true);
                }
            }

            var exponent = 0;
            if (at < body.Length && body[at] is (byte)'e' or (byte)'E')
            {
                integer = false;
                var negativeExponent = ++at < body.Length && body[at] == '-';
                if (at < body.Length && body[at] is (byte)'-' or (byte)'+')
                {
                    at++;
                }

                if (at >= body.Length || !IsDigit(body[at]))
                {
                    return false;
                }

                while (at < body.Length && IsDigit(body[at]))
                {
                    exponent = Math.Min(exponent * 10 + (body[at++] - '0'), 100_000);
                }

                exponent = negativeExponent ? -exponent : exponent;
            }

            var literal = body[start..at];
            if (integer && AllIntegers && digits <= 18)
            {
                if (negative && mantissa == 0)
                {
                    // INT64 0 while the row is integers; -0.0 if it turns out not to be.
                    (_negativeZeros ??= []).Add(Count);
                }

                _integers[Count++] = negative ? -(long)mantissa : (long)mantissa;
                return true;
            }

            var power = scale + exponent;
            double value;
            if (digits <= 19 && mantissa <= 1UL << 53 && power is >= -22 and <= 22)
            {
                value = power >= 0 ? mantissa * ExactPowersOfTen[power] : mantissa / ExactPowersOfTen[-power];
                value = negative ? -value : value;
            }
            else if (!Utf8Parser.TryParse(literal, out value, out var consumed) || consumed != literal.Length)
            {
                return false;
            }

            if (!double.IsFinite(value))
            {
                return false;
            }

            if (AllIntegers && integer && Utf8Parser.TryParse(literal, out long whole, out var used) && used == literal.Length
                && Math.Abs(value) <= 9.2e18)
            {
                _integers[Count++] = whole;
                return true;
            }

            if (AllIntegers)
            {
                AllIntegers = false;
                for (var i = 0; i < Count; i++)
                {
                    _values[i] = _integers[i];
                }

                foreach (var zero in _negativeZeros ?? [])
                {
                    _values[zero] = -0.0;
                }
            }

            _values[Count++] = value;
            return true;
        }

        private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

        /// <summary>
        /// Adds a digit to the significant digits (leading zeros are not significant); past 19 they no longer fit,
        /// and <c>digits</c> over 19 sends the literal to the full parser.
        /// </summary>
        private static void Accumulate(byte digit, ref ulong mantissa, ref int digits, ref int scale, bool fraction)
        {
            if (mantissa == 0 && digit == '0')
            {
                scale -= fraction ? 1 : 0;
                return;
            }

            if (++digits <= 19)
            {
                mantissa = mantissa * 10 + (ulong)(digit - '0');
                scale -= fraction ? 1 : 0;
            }
            else
            {
                scale += fraction ? 0 : 1;
            }
        }
    }
}
