using System.Globalization;

namespace Stamen.Workload;

/// <summary>
/// Reads a request trace CSV with header <c>arrived_at,num_prefill_tokens,num_decode_tokens</c>
/// (seconds since start, as in Vidur's and the Azure traces) and an optional <c>client</c> column
/// naming a client. Requests without a client column are spread over clients round robin.
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
        if (!File.Exists(path))
            throw new StamenInputException(path, "trace", "file not found", "give the path of a CSV with header arrived_at,num_prefill_tokens,num_decode_tokens");
        using var reader = new StreamReader(path);
        var header = reader.ReadLine()?.Split(',').Select(h => h.Trim()).ToArray()
            ?? throw new StamenInputException(path, "header", "the file is empty", "add the header arrived_at,num_prefill_tokens,num_decode_tokens");
        int Column(string name, bool required)
        {
            var i = Array.IndexOf(header, name);
            if (i < 0 && required)
                throw new StamenInputException(path, "header", $"column '{name}' is missing", "use the header arrived_at,num_prefill_tokens,num_decode_tokens[,client]");
            return i;
        }
        var at = Column("arrived_at", true);
        var prefill = Column("num_prefill_tokens", true);
        var decode = Column("num_decode_tokens", true);
        var client = Column("client", false);
        var requests = new List<SwarmRequest>();
        var lineNo = 1;
        string? line;
        while ((line = reader.ReadLine()) is not null && (limit is null || requests.Count < limit))
        {
            lineNo++;
            if (line.Length == 0) continue;
            var f = line.Split(',');
            if (f.Length < header.Length)
                throw new StamenInputException(path, $"line {lineNo}", $"expected {header.Length} columns, found {f.Length}", "fix or remove the line");
            var arrivalS = ParseDouble(f[at], path, lineNo, "arrived_at");
            var prompt = ParseTokens(f[prefill], path, lineNo, "num_prefill_tokens");
            var output = ParseTokens(f[decode], path, lineNo, "num_decode_tokens");
            var clientIndex = requests.Count % Math.Max(1, clientNames.Count);
            if (client >= 0)
            {
                clientIndex = IndexOf(clientNames, f[client].Trim());
                if (clientIndex < 0)
                    throw new StamenInputException(path, $"line {lineNo}: client", $"unknown client '{f[client].Trim()}'", $"use one of: {string.Join(", ", clientNames)}");
            }
            requests.Add(new SwarmRequest(requests.Count, arrivalS * 1000.0 * timeScale, clientIndex, new RequestShape(prompt, output)));
        }
        for (var i = 1; i < requests.Count; i++)
            if (requests[i].ArrivalMs < requests[i - 1].ArrivalMs)
                throw new StamenInputException(path, "arrived_at", $"arrivals are not sorted (request {i})", "sort the trace by arrived_at");
        return requests;
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
        int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= 1
            ? v
            : throw new StamenInputException(path, $"line {line}: {field}", $"'{s}' is not a positive integer", "fix the value");
}
