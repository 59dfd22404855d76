using System.Globalization;
using System.Text.RegularExpressions;

namespace Stamen.Sweeps.Executors;

/// <summary>
/// What a job-array executor needs: how many shards, the resources of each task, and the command line that runs a shard
/// (absolute paths: tasks start on other machines that share the file system).
/// </summary>
/// <param name="Stamen">The command that runs stamen there, as words (e.g. ["dotnet", "/opt/stamen/stamen.dll"]).</param>
/// <param name="SweepFile">The sweep file, absolute.</param>
/// <param name="Store">The results folder, absolute.</param>
/// <param name="WorkingDirectory">Where each task starts.</param>
/// <param name="Shards">Array tasks, one shard each.</param>
/// <param name="CpusPerTask">Cores per task (its `--parallel`).</param>
/// <param name="Time">Slurm time limit per task (e.g. 01:00:00), or null for the partition's.</param>
/// <param name="Memory">Memory per task (e.g. 4G), or null for the default.</param>
/// <param name="Partition">Slurm partition, or null for the default.</param>
/// <param name="MaxRunning">Most tasks at once, or null for no limit.</param>
public sealed partial record JobSettings(IReadOnlyList<string> Stamen, string SweepFile, string Store, string WorkingDirectory, int Shards, int CpusPerTask,
    string? Time = null, string? Memory = null, string? Partition = null, int? MaxRunning = null)
{
    /// <summary>Most array tasks (Slurm's own default MaxArraySize is 1001).</summary>
    public const int MaxShards = 100_000;

    /// <summary>Checks every field, naming the option at fault.</summary>
    public JobSettings Validated()
    {
        if (Shards is < 1 or > MaxShards) throw Bad("--shards", Shards, $"must be in 1..{MaxShards:N0}", "give the number of array tasks, e.g. 8");
        if (CpusPerTask is < 1 or > 1024) throw Bad("--cpus-per-task", CpusPerTask, "must be in 1..1024", "give the cores each task may use, e.g. 4");
        if (MaxRunning is < 1) throw Bad("--max-running", MaxRunning, "must be at least 1", "give how many tasks may run at once");
        if (Time is not null && !TimePattern().IsMatch(Time))
            throw Bad("--time", Time, "is not a Slurm time", "write minutes, MM:SS, HH:MM:SS or D-HH:MM:SS, e.g. 01:00:00");
        if (Memory is not null && !MemoryPattern().IsMatch(Memory))
            throw Bad("--mem", Memory, "is not a Slurm memory size", "write a whole number with an optional K, M, G or T, e.g. 4G");
        if (Partition is not null && !NamePattern().IsMatch(Partition))
            throw Bad("--partition", Partition, "is not a partition name", "use letters, digits, '-', '_', '.' (several: comma-separated)");
        return this;
    }

    private static StamenInputException Bad(string option, object? value, string problem, string fix) =>
        new(option, Convert.ToString(value, CultureInfo.InvariantCulture) ?? "", problem, fix);

    /// <summary>The command one task runs, with <paramref name="shardIndex"/> as shell text (a variable).</summary>
    public string TaskCommand(string shardIndex) =>
        $"{ShellQuote.Join(Stamen)} sweep run {ShellQuote.Quote(SweepFile)} --store {ShellQuote.Quote(Store)} --shard \"{shardIndex}/{Shards.ToString(CultureInfo.InvariantCulture)}\" --parallel {CpusPerTask.ToString(CultureInfo.InvariantCulture)} --quiet";

    [GeneratedRegex(@"^(\d{1,7}|\d{1,7}:\d{1,2}|\d{1,4}:\d{1,2}:\d{1,2}|\d{1,4}-\d{1,2}(:\d{1,2}(:\d{1,2})?)?)$")]
    private static partial Regex TimePattern();

    [GeneratedRegex(@"^\d{1,9}[KMGT]?$")]
    private static partial Regex MemoryPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_.\-]{1,64}(,[A-Za-z0-9_.\-]{1,64}){0,15}$")]
    private static partial Regex NamePattern();
}
