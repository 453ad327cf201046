using System.Buffers.Binary;
using OrleansML.Errors;

namespace OrleansML.Serving;

/// <summary>Where each batch row of an output starts in its buffer, so a batch's outputs split back per request.</summary>
public static class RowSplit
{
    /// <summary><paramref name="rows"/> + 1 byte offsets: row r is [offsets[r], offsets[r + 1]).</summary>
    public static int[] Offsets(TensorData output, long rows)
    {
        var offsets = new int[rows + 1];
        if (output.DataType != TensorDataType.Bytes)
        {
            var rowBytes = (int)(output.Data.Length / rows);
            for (var r = 1; r <= rows; r++)
            {
                offsets[r] = offsets[r - 1] + rowBytes;
            }

            return offsets;
        }

        // BYTES elements vary in length: walk the length prefixes, a row's worth of elements at a time.
        var perRow = output.ElementCount / rows;
        var position = 0;
        for (var r = 1; r <= rows; r++)
        {
            for (var e = 0; e < perRow; e++)
            {
                if (position + 4 > output.Data.Length)
                {
                    throw PlatformException.Invalid($"the model's BYTES output '{output.Name}' holds fewer elements than its shape says.");
                }

                position += 4 + BinaryPrimitives.ReadInt32LittleEndian(output.Data.AsSpan(position));
            }

            offsets[r] = position;
        }

        return offsets;
    }
}
