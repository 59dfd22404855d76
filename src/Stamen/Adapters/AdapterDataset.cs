using System.Globalization;
using Stamen.Experiments;
using Stamen.IO;
using Stamen.Simulation;
using Stamen.Workload;

namespace Stamen.Adapters;

/// <summary>One twin run of the dataset: the GPU load's features and what the twin measured.</summary>
public sealed record AdapterDatasetRow(GpuLoadFeatures Features, GpuServingOutcome Outcome);

/// <summary>
/// Training data for the distilled predictor, from the engine twin: cells drawn at random (seeded) from a grid of
/// served adapters (8-384), rank mixes ({8}, {16}, {32}, {8,16}, {16,32}, {8,16,32}), slots (the ladder, within
/// the memory limit of the max rank and the adapters served), total rates (log-uniform 0.2-40 req/s, spread
/// uniformly or Zipf over the adapters) and prompt/output lengths (three uniform ranges); each cell one GPU in the twin.
/// </summary>
public static class AdapterDataset
{
    private static readonly int[] AdapterCounts = [8, 16, 24, 32, 48, 64, 96, 128, 160, 192, 256, 320, 384];
    private static readonly int[][] RankMixes = [[8], [16], [32], [8, 16], [16, 32], [8, 16, 32]];
    private static readonly (int Lo, int Hi, int OutLo, int OutHi)[] Lengths = [(32, 1024, 16, 512), (64, 2048, 32, 256), (16, 512, 64, 1024)];

    /// <summary>Column names of the CSV: features, then targets.</summary>
    public static IReadOnlyList<string> Columns { get; } =
        [.. GpuLoadFeatures.Names, "throughput_tokens_per_s", "twin_offered_tokens_per_s", "starved", "mean_ttft_s", "mean_itl_s", "kv_capacity_tokens"];

    /// <summary>Runs <paramref name="cells"/> twin cells in parallel; the same seed gives the same rows in the same order.</summary>
    /// <param name="twin">Model, GPU, step time and duration; its token lengths are replaced per cell.</param>
    public static IReadOnlyList<AdapterDatasetRow> Generate(GpuServingTwin twin, int cells, int seed, IProgress<ExperimentProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(twin);
        ArgumentOutOfRangeException.ThrowIfLessThan(cells, 1);
        var rows = new AdapterDatasetRow[cells];
        var done = 0;
        progress?.Report(new ExperimentProgress(0, cells));
        Parallel.For(0, cells, i =>
        {
            rows[i] = Cell(twin, SeedStreams.Derive(seed, i));
            progress?.Report(new ExperimentProgress(Interlocked.Increment(ref done), cells));
        });
        return rows;
    }

    private static AdapterDatasetRow Cell(GpuServingTwin baseTwin, int seed)
    {
        var rng = new Random(seed);
        var n = AdapterCounts[rng.Next(AdapterCounts.Length)];
        var mix = RankMixes[rng.Next(RankMixes.Length)];
        var lengths = Lengths[rng.Next(Lengths.Length)];
        var twin = new GpuServingTwin(baseTwin.Model, baseTwin.Gpu, baseTwin.StepTime, new UniformTokenCount(lengths.Lo, lengths.Hi),
            new UniformTokenCount(lengths.OutLo, lengths.OutHi), baseTwin.DurationSec, baseTwin.Policy, seed);
        var totalRate = Math.Exp(Math.Log(0.2) + rng.NextDouble() * (Math.Log(40) - Math.Log(0.2)));
        var rates = rng.Next(2) == 0
            ? AdapterPoissonWorkload.UniformRates(n, totalRate / n)
            : AdapterPoissonWorkload.ZipfRates(n, totalRate, 0.5 + rng.NextDouble());
        var adapters = Enumerable.Range(0, n)
            .Select(k => new AdapterDemand(string.Create(CultureInfo.InvariantCulture, $"a{k}"), mix[rng.Next(mix.Length)], rates[k])).ToArray();
        var maxSlots = Math.Min(twin.MaxSlots(adapters.Max(a => a.Rank)), n);
        var ladder = SlotLadder.UpTo(Math.Max(maxSlots, 1)).Where(s => s <= maxSlots).DefaultIfEmpty(Math.Max(1, maxSlots)).ToArray();
        var slots = ladder[rng.Next(ladder.Length)];
        var outcome = twin.Serve(adapters, slots);
        return new AdapterDatasetRow(GpuLoadFeatures.Of(adapters, slots, twin.PromptTokens.Mean, twin.OutputTokens.Mean), outcome);
    }

    /// <summary>Writes the rows as CSV (header <see cref="Columns"/>), atomically.</summary>
    public static void WriteCsv(string path, IReadOnlyList<AdapterDatasetRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        AtomicFile.Write(path, w =>
        {
            w.WriteLine(string.Join(',', Columns));
            foreach (var r in rows)
            {
                var o = r.Outcome;
                var values = r.Features.ToArray().Concat([o.ThroughputTokensPerSec, o.OfferedTokensPerSec, o.Starved || !o.Starts ? 1 : 0,
                    Finite(o.MeanTtftSec), Finite(o.MeanItlSec), o.KvCapacityTokens]);
                w.WriteLine(string.Join(',', values.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
            }
        });
    }

    private static double Finite(double v) => double.IsFinite(v) ? v : 0;

    /// <summary>Reads a dataset CSV: the feature matrix, throughput and starvation per row; errors name the file, line and column.</summary>
    public static (double[][] Features, double[] Throughput, double[] Starved) ReadCsv(string path)
    {
        if (!File.Exists(path))
            throw new StamenInputException(path, "(file)", "file not found", "write one with `stamen adapters dataset -o PATH`");
        using var reader = new StreamReader(Stamen.IO.BoundedFile.OpenRead(path, Stamen.IO.BoundedFile.MaxDataBytes, "dataset"));
        var header = reader.ReadLine()?.Split(',') ?? throw new StamenInputException(path, "header", "the file is empty", "write one with `stamen adapters dataset`");
        int Column(string name)
        {
            var i = Array.IndexOf(header, name);
            return i >= 0 ? i : throw new StamenInputException(path, "header", $"column '{name}' is missing", "use a file written by `stamen adapters dataset`");
        }
        var featureColumns = GpuLoadFeatures.Names.Select(Column).ToArray();
        var throughputColumn = Column("throughput_tokens_per_s");
        var starvedColumn = Column("starved");
        var features = new List<double[]>();
        var throughput = new List<double>();
        var starved = new List<double>();
        string? line;
        var lineNo = 1;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNo++;
            if (line.Length == 0) continue;
            var f = line.Split(',');
            double Value(int column)
            {
                if (column >= f.Length || !double.TryParse(f[column], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
                    throw new StamenInputException(path, $"line {lineNo}: {header[column]}", $"'{(column < f.Length ? f[column] : "")}' is not a number", "regenerate the file or fix the value");
                return v;
            }
            features.Add([.. featureColumns.Select(Value)]);
            throughput.Add(Value(throughputColumn));
            starved.Add(Value(starvedColumn) >= 0.5 ? 1 : 0);
        }
        if (features.Count == 0) throw new StamenInputException(path, "rows", "the file has no rows", "generate a dataset with more cells");
        return ([.. features], [.. throughput], [.. starved]);
    }
}
