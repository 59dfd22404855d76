using Parquet;
using Parquet.Schema;
using Stamen.IO;
using Stamen.Sweeps.Families;

namespace Stamen.Sweeps;

/// <summary>What a store holds for one plan: its rows (one per run id, in plan order) and what else was found.</summary>
/// <param name="Rows">Rows of the plan's runs, deduplicated, in plan order.</param>
/// <param name="Foreign">Rows whose run id the plan does not have (another sweep's, or an older version of this one).</param>
/// <param name="Duplicates">Run ids found more than once (a shard rerun, a merge beside its parts).</param>
/// <param name="Conflicts">Duplicates whose results differ: never expected, as a run is deterministic.</param>
public sealed record SweepStoreContents(IReadOnlyList<SweepRecord> Rows, int Foreign, int Duplicates, int Conflicts, IReadOnlyList<string> Files);

/// <summary>
/// A folder of Apache Parquet files, one per shard (<c>part-K-of-N.parquet</c>) plus the merge (<c>results.parquet</c>),
/// that data tools read directly (DuckDB: <c>SELECT * FROM 'store/*.parquet'</c>). A shard only ever writes its own
/// file, whole, through a temporary file and a rename, so a killed task leaves the file it had (never a torn one) and
/// two shards never write the same file. Columns: the ids, the cell's axes, the algorithm, the run and its seed, one
/// double column per metric, <c>timing_*</c> wall-clock columns, the Stamen version and, for families that have one, a
/// JSON <c>detail</c> column.
/// </summary>
public sealed class SweepStore
{
    public const string MergedFile = "results.parquet";

    /// <summary>The JSON column of a family's non-numeric findings, written only where some row has them.</summary>
    public const string DetailColumn = "detail";

    /// <summary>Largest store file read (a store of 10 million runs with 40 columns is well below).</summary>
    public const long MaxFileBytes = BoundedFile.MaxDataBytes;

    public SweepStore(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = Path.GetFullPath(directory);
        if (File.Exists(Directory))
            throw new StamenInputException(directory, "--store", "is a file, not a folder", "give a folder for the results (it is created if missing)");
    }

    public string Directory { get; }

    public string ShardFile(SweepShard shard) => Path.Combine(Directory, shard.FileStem + ".parquet");

    public string MergedPath => Path.Combine(Directory, MergedFile);

    /// <summary>The store's Parquet files in name order (parts first, then the merge).</summary>
    public IReadOnlyList<string> Files() =>
        System.IO.Directory.Exists(Directory)
            ? [.. System.IO.Directory.EnumerateFiles(Directory, "*.parquet").Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal)]
            : [];

    /// <summary>Every row of <paramref name="plan"/> found in the store's files.</summary>
    public SweepStoreContents Read(SweepPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var found = new Dictionary<string, SweepRecord>(StringComparer.Ordinal);
        int foreign = 0, duplicates = 0, conflicts = 0;
        var files = Files();
        foreach (var file in files)
            foreach (var (record, ours) in ReadRows(file, plan))
            {
                if (!ours)
                {
                    foreign++;
                    continue;
                }
                if (found.TryGetValue(record.RunId, out var first))
                {
                    duplicates++;
                    if (!first.SameResults(record)) conflicts++;
                    continue;
                }
                found[record.RunId] = record;
            }
        var ordered = found.Values.OrderBy(r => plan.RunIndex[r.RunId].Order).ToList();
        return new SweepStoreContents(ordered, foreign, duplicates, conflicts, files);
    }

    /// <summary>The rows of <paramref name="plan"/> in one file: cell filled in, only the family's metric columns kept.</summary>
    public static IReadOnlyList<SweepRecord> RowsOf(string file, SweepPlan plan) =>
        [.. ReadRows(file, plan).Where(r => r.Ours).Select(r => r.Record)];

    /// <summary>Each row of a file, and whether its run id is one of the plan's (a foreign row is left as read).</summary>
    private static IEnumerable<(SweepRecord Record, bool Ours)> ReadRows(string file, SweepPlan plan)
    {
        var axes = plan.Definition.Axes.Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var row in ReadFile(file, axes))
            yield return plan.RunIndex.TryGetValue(row.RunId, out var at)
                ? (row with { Cell = at.Cell, Metrics = [.. row.Metrics.Where(m => plan.Family.IsMetric(m.Key))] }, true)
                : (row, false);
    }

    /// <summary>Writes a shard's rows (all of them: the file is replaced whole).</summary>
    public void WriteShard(SweepPlan plan, SweepShard shard, IReadOnlyList<SweepRecord> rows) => Write(ShardFile(shard), plan, rows);

    /// <summary>Writes the merge of every shard.</summary>
    public void WriteMerged(SweepPlan plan, IReadOnlyList<SweepRecord> rows) => Write(MergedPath, plan, rows);

    private void Write(string path, SweepPlan plan, IReadOnlyList<SweepRecord> rows)
    {
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StamenInputException(Directory, "--store", $"cannot create the folder: {e.Message}", "give a folder you can write");
        }
        AtomicFile.WriteAllBytes(path, Encode(plan, rows));
    }

    /// <summary>The Parquet bytes of <paramref name="rows"/> (one row group).</summary>
    public static byte[] Encode(SweepPlan plan, IReadOnlyList<SweepRecord> rows)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(rows);
        var d = plan.Definition;
        var metricNames = Union(rows.Select(r => r.Metrics));
        var timingNames = Union(rows.Select(r => r.TimingsMs));
        var cells = rows.Select(r => plan.Cells[r.Cell]).ToList();
        var strings = new List<(DataField Field, string[] Values)>
        {
            (new DataField<string>("run_id"), [.. rows.Select(r => r.RunId)]),
            (new DataField<string>("cell_id"), [.. cells.Select(c => c.Id)]),
            (new DataField<string>("family"), [.. rows.Select(_ => d.Family)]),
            (new DataField<string>("scenario"), [.. cells.Select(c => c.ScenarioName)]),
            (new DataField<string>("base"), [.. cells.Select(c => c.Base.Label)]),
        };
        var fields = new List<Field>();
        var writes = new List<Func<ParquetRowGroupWriter, Task>>();
        void AddStrings(DataField field, string[] values)
        {
            fields.Add(field);
            writes.Add(g => g.WriteAsync(field, values, null));
        }
        void AddDoubles(string name, double[] values)
        {
            var field = new DataField<double>(name);
            fields.Add(field);
            writes.Add(g => g.WriteAsync<double>(field, values.AsMemory(), null, null, CancellationToken.None));
        }
        void AddInts(string name, int[] values)
        {
            var field = new DataField<int>(name);
            fields.Add(field);
            writes.Add(g => g.WriteAsync<int>(field, values.AsMemory(), null, null, CancellationToken.None));
        }
        foreach (var (field, values) in strings.Take(2)) AddStrings(field, values);
        AddInts("cell", [.. rows.Select(r => r.Cell)]);
        foreach (var (field, values) in strings.Skip(2)) AddStrings(field, values);
        for (var a = 0; a < d.Axes.Count; a++)
        {
            var axis = d.Axes[a];
            if (axis.Numeric) AddDoubles(axis.Name, [.. cells.Select(c => axis.Values.First(v => v.Label == c.Labels[a]).Number!.Value)]);
            else AddStrings(new DataField<string>(axis.Name), [.. cells.Select(c => c.Labels[a])]);
        }
        AddStrings(new DataField<string>("algorithm"), [.. rows.Select(r => r.Algorithm)]);
        AddInts("run", [.. rows.Select(r => r.Run)]);
        AddInts("seed", [.. rows.Select(r => r.Seed)]);
        foreach (var name in metricNames) AddDoubles(name, [.. rows.Select(r => SweepRunMetrics.Value(r.Metrics, name))]);
        foreach (var name in timingNames) AddDoubles("timing_" + name, [.. rows.Select(r => SweepRunMetrics.Value(r.TimingsMs, name))]);
        if (rows.Any(r => r.Detail is not null)) AddStrings(new DataField<string>(DetailColumn), [.. rows.Select(r => r.Detail!)]);
        AddStrings(new DataField<string>("stamen_version"), [.. rows.Select(r => r.StamenVersion)]);

        using var stream = new MemoryStream();
        Task.Run(async () =>
        {
            await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream).ConfigureAwait(false);
            using var group = writer.CreateRowGroup();
            foreach (var write in writes) await write(group).ConfigureAwait(false);
        }).GetAwaiter().GetResult();
        return stream.ToArray();
    }

    /// <summary>Reads one store file's rows (cell indices are filled in later from the plan).</summary>
    /// <param name="axes">Numeric axis columns, which are not metrics.</param>
    public static IReadOnlyList<SweepRecord> ReadFile(string path, IReadOnlySet<string> axes)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            // Parquet reads the footer first, so the file is read whole (bounded) into a seekable buffer.
            using var stream = new MemoryStream(BoundedFile.ReadAllBytes(path, MaxFileBytes, "sweep results"), writable: false);
            return Task.Run(() => ReadAsync(stream, axes)).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or InvalidOperationException or ArgumentException or IndexOutOfRangeException or OverflowException
            or Parquet.ParquetException)
        {
            throw new StamenInputException(path, "(file)", $"not a readable sweep results file: {e.Message}", "remove it from the store folder (a killed task never leaves one; see docs/sweeps.md)");
        }
    }

    private static async Task<IReadOnlyList<SweepRecord>> ReadAsync(Stream stream, IReadOnlySet<string> axes)
    {
        await using var reader = await ParquetReader.CreateAsync(stream).ConfigureAwait(false);
        var fields = reader.Schema.GetDataFields();
        var rows = new List<SweepRecord>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var n = checked((int)group.RowCount);
            async Task<string?[]> Strings(string name)
            {
                var field = fields.FirstOrDefault(f => f.Name == name && f.ClrType != typeof(int) && f.ClrType != typeof(double))
                    ?? throw new InvalidDataException($"column {name} is missing");
                var values = new string?[n];
                await group.ReadAsync(field, values.AsMemory(), null, CancellationToken.None).ConfigureAwait(false);
                return values;
            }
            async Task<int[]> Ints(string name)
            {
                var field = fields.FirstOrDefault(f => f.Name == name && f.ClrType == typeof(int))
                    ?? throw new InvalidDataException($"column {name} is missing");
                var values = new int[n];
                await group.ReadAsync<int>(field, values.AsMemory(), null, CancellationToken.None).ConfigureAwait(false);
                return values;
            }
            var ids = await Strings("run_id").ConfigureAwait(false);
            var algorithms = await Strings("algorithm").ConfigureAwait(false);
            var versions = await Strings("stamen_version").ConfigureAwait(false);
            var runs = await Ints("run").ConfigureAwait(false);
            var seeds = await Ints("seed").ConfigureAwait(false);
            var details = fields.Any(f => f.Name == DetailColumn) ? await Strings(DetailColumn).ConfigureAwait(false) : new string?[n];
            var metrics = new List<(string Name, double[] Values)>();
            var timings = new List<(string Name, double[] Values)>();
            foreach (var field in fields)
            {
                // Doubles that are not ids are metrics, timings or numeric axes; axes are told apart by the plan later.
                if (field.ClrType != typeof(double) || axes.Contains(field.Name)) continue;
                var values = new double[n];
                await group.ReadAsync<double>(field, values.AsMemory(), null, CancellationToken.None).ConfigureAwait(false);
                if (field.Name.StartsWith("timing_", StringComparison.Ordinal)) timings.Add((field.Name["timing_".Length..], values));
                else metrics.Add((field.Name, values));
            }
            for (var i = 0; i < n; i++)
            {
                if (ids[i] is not { Length: 16 } || algorithms[i] is null)
                    throw new InvalidDataException($"row {i} has no run id or algorithm");
                rows.Add(new SweepRecord(ids[i]!, -1, algorithms[i]!, runs[i], seeds[i],
                    [.. metrics.Select(m => new KeyValuePair<string, double>(m.Name, m.Values[i]))],
                    [.. timings.Select(t => new KeyValuePair<string, double>(t.Name, t.Values[i]))], versions[i] ?? "") { Detail = details[i] });
            }
        }
        return rows;
    }

    private static List<string> Union(IEnumerable<IReadOnlyList<KeyValuePair<string, double>>> lists)
    {
        var names = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var list in lists)
            foreach (var (name, _) in list)
                if (seen.Add(name)) names.Add(name);
        return names;
    }
}
