using OrleansML.Errors;

namespace OrleansML.Datasets;

/// <summary>The column rules every import follows, whatever the format: a label column named by the caller, and features besides it.</summary>
public static class DatasetColumns
{
    /// <summary>The label's index among <paramref name="names"/>; refused when the label is unnamed, absent or the only column.</summary>
    public static int LabelIndex(IReadOnlyList<string> names, string label)
    {
        if (string.IsNullOrWhiteSpace(label))
        {
            throw PlatformException.Invalid("the 'label' query parameter names the label column and is required.");
        }

        var index = names.ToList().FindIndex(c => string.Equals(c, label, StringComparison.Ordinal));
        if (index < 0)
        {
            throw PlatformException.Invalid($"label column '{label}' is not in the header; columns: {string.Join(", ", names.Take(20))}{(names.Count > 20 ? ", ..." : "")}.");
        }

        if (names.Count < 2)
        {
            throw PlatformException.Invalid("the dataset has no feature columns besides the label.");
        }

        return index;
    }
}
