using System.Globalization;
using System.Text;

namespace Dendrite.Cli.Runs;

/// <summary>
/// Per-epoch numbers of one run, possibly for several series (one per model or setting compared). Stored as
/// history.csv with the columns <c>series,epoch,&lt;metric&gt;...</c>; metrics named <c>train_loss</c>,
/// <c>dev_acc</c>, ... are drawn as curves, grouped by the part after the first underscore.
/// </summary>
public sealed class RunHistory
{
    /// <summary>One row: a series name, an epoch and its metric values.</summary>
    public sealed record Row(string Series, double Epoch, IReadOnlyDictionary<string, double> Values);

    private readonly List<Row> _rows = [];
    private readonly List<string> _columns = [];

    /// <summary>The rows in the order they were logged.</summary>
    public IReadOnlyList<Row> Rows => _rows;

    /// <summary>The metric columns in the order they first appeared.</summary>
    public IReadOnlyList<string> Columns => _columns;

    /// <summary>The distinct series names in order of appearance.</summary>
    public IReadOnlyList<string> Series => _rows.Select(r => r.Series).Distinct().ToList();

    /// <summary>Logs the metrics of one epoch of one series.</summary>
    public void Log(string series, double epoch, params (string Name, double Value)[] values)
    {
        if (series.Contains(',') || series.Contains('"') || series.Contains('\n'))
            throw new ArgumentException($"RunHistory.Log: series name '{series}' may not contain commas, quotes or newlines");
        var dict = new Dictionary<string, double>();
        foreach (var (name, value) in values)
        {
            if (!_columns.Contains(name)) _columns.Add(name);
            dict[name] = value;
        }
        _rows.Add(new Row(series, epoch, dict));
    }

    /// <summary>The (epoch, value) points of one metric of one series.</summary>
    public (double[] X, double[] Y) Curve(string series, string metric)
    {
        var rows = _rows.Where(r => r.Series == series && r.Values.ContainsKey(metric)).ToList();
        return (rows.Select(r => r.Epoch).ToArray(), rows.Select(r => r.Values[metric]).ToArray());
    }

    /// <summary>Formats the history as CSV.</summary>
    public string ToCsv()
    {
        var sb = new StringBuilder();
        sb.Append("series,epoch");
        foreach (var c in _columns) sb.Append(',').Append(c);
        sb.Append('\n');
        foreach (var row in _rows)
        {
            sb.Append(row.Series).Append(',').Append(row.Epoch.ToString("R", CultureInfo.InvariantCulture));
            foreach (var c in _columns)
            {
                sb.Append(',');
                if (row.Values.TryGetValue(c, out double v)) sb.Append(v.ToString("R", CultureInfo.InvariantCulture));
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Parses history.csv text.</summary>
    public static RunHistory FromCsv(string csv, string source = "history.csv")
    {
        var history = new RunHistory();
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length == 0) return history;
        var header = lines[0].Split(',');
        if (header.Length < 2 || header[0] != "series" || header[1] != "epoch")
            throw new InvalidDataException($"{source}: the header must start with 'series,epoch' but is '{lines[0]}'");
        for (int i = 1; i < lines.Length; i++)
        {
            var cells = lines[i].Split(',');
            if (cells.Length != header.Length)
                throw new InvalidDataException($"{source}: line {i + 1} has {cells.Length} cells but the header has {header.Length}");
            var values = new List<(string, double)>();
            for (int c = 2; c < cells.Length; c++)
                if (cells[c].Length > 0) values.Add((header[c], Parse(cells[c], source, i + 1)));
            history.Log(cells[0], Parse(cells[1], source, i + 1), [.. values]);
        }
        foreach (var c in header.Skip(2))
            if (!history._columns.Contains(c)) history._columns.Add(c);
        return history;
    }

    private static double Parse(string s, string source, int line) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
            ? v
            : throw new InvalidDataException($"{source}: line {line} holds '{s}', which is not a number");
}
