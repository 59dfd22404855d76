using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Stamen.IO;
using Stamen.Sweeps.Families;

namespace Stamen.Sweeps;

/// <summary>What one executor call did.</summary>
/// <param name="Items">Items of the shard.</param>
/// <param name="Skipped">Items already in the store (a resume).</param>
/// <param name="Ran">Items run now and written.</param>
/// <param name="Cancelled">Stopped early (Ctrl+C); what finished is written, a rerun does the rest.</param>
public sealed record SweepRunSummary(SweepShard Shard, int Items, int Skipped, int Ran, bool Cancelled, string File, double WallSeconds);

/// <summary>
/// The local executor: runs a shard's items on this machine's cores and writes the shard's file every few seconds and
/// at the end, so a killed or cancelled run loses at most the items since the last write. Items whose runs are all in
/// the store already are skipped.
/// </summary>
public static class SweepRunner
{
    /// <summary>Shortest time between two writes of the shard's file.</summary>
    public static readonly TimeSpan WriteInterval = TimeSpan.FromSeconds(2);

    private const string MarkerFile = "store.json";

    /// <param name="parallelism">Items at once (null: every core).</param>
    /// <param name="progress">Items of the shard done, skipped ones included.</param>
    public static SweepRunSummary Run(SweepPlan plan, SweepStore store, SweepShard shard, int? parallelism = null,
        IProgress<ExperimentProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(store);
        var clock = Stopwatch.StartNew();
        Claim(store, plan);
        var items = plan.ItemsOf(shard);
        var contents = store.Read(plan);
        var present = contents.Rows.Select(r => r.RunId).ToHashSet(StringComparer.Ordinal);
        // The shard's file is rewritten whole: keep what it holds of this plan.
        var ownFile = store.ShardFile(shard);
        var rows = File.Exists(ownFile) ? [.. SweepStore.RowsOf(ownFile, plan)] : new List<SweepRecord>();
        var kept = rows.Select(r => r.RunId).ToHashSet(StringComparer.Ordinal);
        var pending = items.Where(i => !Done(plan, i, present)).ToList();
        var skipped = items.Count - pending.Count;
        var done = skipped;
        progress?.Report(new ExperimentProgress(done, items.Count));

        var order = plan.RunIndex;
        var remaining = pending.GroupBy(i => i.Cell).ToDictionary(g => g.Key, g => g.Count());
        var scenarios = new ConcurrentDictionary<int, Lazy<ISweepScenario>>();
        var fresh = new ConcurrentQueue<SweepRecord>();
        var writeLock = new Lock();
        var lastWrite = Stopwatch.StartNew();
        var writeCost = TimeSpan.Zero;
        void Flush(bool force)
        {
            lock (writeLock)
            {
                // Rewrites cost more as the file grows: at most a tenth of the time goes to them.
                if (!force && (lastWrite.Elapsed < WriteInterval || lastWrite.Elapsed < writeCost * 10)) return;
                var added = false;
                while (fresh.TryDequeue(out var r))
                    if (kept.Add(r.RunId))
                    {
                        // A partly stored item is run again whole: its runs already here are kept once.
                        rows.Add(r);
                        added = true;
                    }
                if (!added) return;
                rows.Sort((x, y) => order[x.RunId].Order.CompareTo(order[y.RunId].Order));
                var cost = Stopwatch.StartNew();
                store.WriteShard(plan, shard, rows);
                writeCost = cost.Elapsed;
                lastWrite.Restart();
            }
        }

        var cancelled = false;
        var ran = 0;
        try
        {
            Parallel.ForEach(pending, new ParallelOptions { MaxDegreeOfParallelism = parallelism ?? Environment.ProcessorCount, CancellationToken = cancellation }, item =>
            {
                var cell = plan.Cells[item.Cell];
                var scenario = scenarios.GetOrAdd(item.Cell, _ => new Lazy<ISweepScenario>(() => plan.Family.Load(cell.ScenarioText, cell.File, cell.Base.BaseDirectory))).Value;
                var results = scenario.Run(item.Run, cancellation);
                var seed = scenario.RunSeed(item.Run);
                for (var a = 0; a < results.Count; a++)
                    fresh.Enqueue(new SweepRecord(SweepPlan.RunId(cell, a, item.Run), item.Cell, results[a].Algorithm, item.Run, seed,
                        Keep(plan.Definition, results[a].Metrics), results[a].TimingsMs, SweepRecord.CurrentVersion) { Detail = results[a].Detail });
                lock (remaining)
                {
                    if (--remaining[item.Cell] == 0) scenarios.TryRemove(item.Cell, out _);
                }
                Interlocked.Increment(ref ran);
                progress?.Report(new ExperimentProgress(Interlocked.Increment(ref done), items.Count));
                Flush(force: false);
            });
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            cancelled = true;
        }
        catch (AggregateException e) when (e.InnerExceptions.FirstOrDefault(x => x is StamenInputException) is { } input)
        {
            // A cell that fails to load while running is a user's input problem: one clear line, not a stack trace.
            throw input;
        }
        finally
        {
            Flush(force: true);
        }
        return new SweepRunSummary(shard, items.Count, skipped, ran, cancelled, ownFile, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Whether every algorithm's run of <paramref name="item"/> is present.</summary>
    public static bool Done(SweepPlan plan, SweepItem item, IReadOnlySet<string> present)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(present);
        var cell = plan.Cells[item.Cell];
        for (var a = 0; a < cell.Algorithms.Count; a++)
            if (!present.Contains(SweepPlan.RunId(cell, a, item.Run))) return false;
        return true;
    }

    private static List<KeyValuePair<string, double>> Keep(SweepDefinition d, IReadOnlyList<KeyValuePair<string, double>> metrics) =>
        d.Metrics is null ? [.. metrics] : [.. metrics.Where(m => d.Metrics.Contains(m.Key))];

    /// <summary>
    /// Marks the store as this sweep's (store.json), or checks that it is: shard files are named by shard only, so two
    /// sweeps sharing a folder would replace each other's.
    /// </summary>
    public static void Claim(SweepStore store, SweepPlan plan)
    {
        var marker = Path.Combine(store.Directory, MarkerFile);
        if (File.Exists(marker))
        {
            string? owner = null;
            try
            {
                using var doc = JsonDocument.Parse(BoundedFile.ReadAllText(marker, 1 << 20, "store marker"));
                owner = doc.RootElement.TryGetProperty("sweep", out var s) ? s.GetString() : null;
            }
            catch (JsonException)
            {
                owner = null;
            }
            if (owner != plan.Definition.Name)
                throw new StamenInputException(store.Directory, "--store", $"holds the results of sweep '{owner ?? "(unreadable store.json)"}', not '{plan.Definition.Name}'",
                    "give each sweep its own --store folder");
            return;
        }
        try
        {
            Directory.CreateDirectory(store.Directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StamenInputException(store.Directory, "--store", $"cannot create the folder: {e.Message}", "give a folder you can write");
        }
        var marking = new System.Text.Json.Nodes.JsonObject { ["sweep"] = plan.Definition.Name, ["family"] = plan.Definition.Family };
        AtomicFile.WriteAllText(marker, marking.ToJsonString() + "\n");
    }
}
