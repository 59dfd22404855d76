using System.Globalization;

namespace Stamen.Workload;

/// <summary>One row of a request trace: arrival (scaled, ms), token counts, and the optional client and adapter names.</summary>
/// <param name="Line">Line number in the file, for messages.</param>
public sealed record TraceRow(int Line, double ArrivalMs, int PromptTokens, int OutputTokens, string? Client, string? Adapter);

/// <summary>
/// Reads a request trace CSV with header <c>arrived_at,num_prefill_tokens,num_decode_tokens</c>
/// (seconds since start, as in Vidur's and the Azure traces) and optional <c>client</c> and <c>adapter</c>
/// columns naming a client (swarm) or a LoRA adapter (engine). Swarm requests without a client column are
/// spread over clients round robin.
/// </summary>
public static class TraceWorkloadLoader
{
    /// <param name="path">CSV file.</param>
    /// <param name="clientNames">Known clients, in index order.</param>
    /// <param name="limit">Keep at most this many requests (the earliest), or all when null.</param>
    /// <param name="timeScale">Multiply arrival times by this (below 1 compresses the trace, raising the rate).</param>
    public static IReadOnlyList<SwarmRequest> Load(string path, IReadOnlyList<string> clientNames, int? limit = null, double timeScale = 1.0)
    {
        ArgumentNullException.ThrowIfNull(clientNames);
        var rows = LoadRows(path, limit, timeScale);
        var requests = new List<SwarmRequest>(rows.Count);
        foreach (var row in rows)
        {
            var clientIndex = requests.Count % Math.Max(1, clientNames.Count);
            if (row.Client is { } client)
            {
                clientIndex = IndexOf(clientNames, client);
                if (clientIndex < 0)
                    throw new StamenInputException(path, $"line {row.Line}: client", $"unknown client '{client}'", $"use one of: {string.Join(", ", clientNames)}");
            }
            requests.Add(new SwarmRequest(requests.Count, row.ArrivalMs, clientIndex, new RequestShape(row.PromptTokens, row.OutputTokens)));
        }
        return requests;
    }

    /// <summary>The trace's rows in file order, checked (positive token counts, sorted arrivals); errors name the file, line and column.</summary>
    public static IReadOnlyList<TraceRow> LoadRows(string path, int? limit = null, double timeScale = 1.0)
    {
        if (!File.Exists(path))
            throw new StamenInputException(path, "trace", "file not found", "give the path of a CSV with header arrived_at,num_prefill_tokens,num_decode_tokens");
        using var reader = new StreamReader(Stamen.IO.BoundedFile.OpenRead(path, Stamen.IO.BoundedFile.MaxDataBytes, "trace"));
        var header = reader.ReadLine()?.Split(',').Select(h => h.Trim()).ToArray()
            ?? throw new StamenInputException(path, "header", "the file is empty", "add the header arrived_at,num_prefill_tokens,num_decode_tokens");
        int Column(string name, bool required)
        {
            var i = Array.IndexOf(header, name);
            if (i < 0 && required)
                throw new StamenInputException(path, "header", $"column '{name}' is missing", "use the header arrived_at,num_prefill_tokens,num_decode_tokens[,client][,adapter]");
            return i;
        }
        var at = Column("arrived_at", true);
        var prefill = Column("num_prefill_tokens", true);
        var decode = Column("num_decode_tokens", true);
        var client = Column("client", false);
        var adapter = Column("adapter", false);
        var rows = new List<TraceRow>();
        var lineNo = 1;
        string? line;
        while ((line = reader.ReadLine()) is not null && (limit is null || rows.Count < limit))
        {
            lineNo++;
            if (line.Length == 0) continue;
            // Read no more requests than one run may replay.
            if (rows.Count == RequestBudget.MaxRequests)
                throw new StamenInputException(path, $"line {lineNo}", $"the trace has more than {RequestBudget.MaxRequests} requests", "give the scenario's trace a `limit:` of at most that many, or cut the file");
            if (line.Length > 4096)
                throw new StamenInputException(path, $"line {lineNo}", "the line is longer than 4,096 characters", "a trace row is a timestamp, two token counts and optional names");
            var f = line.Split(',');
            if (f.Length < header.Length)
                throw new StamenInputException(path, $"line {lineNo}", $"expected {header.Length} columns, found {f.Length}", "fix or remove the line");
            var arrivalS = ParseDouble(f[at], path, lineNo, "arrived_at");
            var prompt = ParseTokens(f[prefill], path, lineNo, "num_prefill_tokens");
            var output = ParseTokens(f[decode], path, lineNo, "num_decode_tokens");
            rows.Add(new TraceRow(lineNo, arrivalS * 1000.0 * timeScale, prompt, output, client >= 0 ? f[client].Trim() : null,
                adapter >= 0 && f[adapter].Trim().Length > 0 ? f[adapter].Trim() : null));
        }
        for (var i = 1; i < rows.Count; i++)
            if (rows[i].ArrivalMs < rows[i - 1].ArrivalMs)
                throw new StamenInputException(path, "arrived_at", $"arrivals are not sorted (request {i}, line {rows[i].Line})", "sort the trace by arrived_at");
        return rows;
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
            if (string.Equals(names[i], name, StringComparison.Ordinal)) return i;
        return -1;
    }

    private static double ParseDouble(string s, string path, int line, string field) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= 0 && double.IsFinite(v)
            ? v
            : throw new StamenInputException(path, $"line {line}: {field}", $"'{s}' is not a non-negative number", "fix the value");

    private static int ParseTokens(string s, string path, int line, string field) =>
        int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= 1 && v <= 1 << 20
            ? v
            : throw new StamenInputException(path, $"line {line}: {field}", $"'{s}' is not a whole number of tokens in 1..{1 << 20}", "fix the value");
}
