namespace Stamen.Split;

/// <summary>Every layer on the server: the input goes up, the last position's result comes down.</summary>
public sealed class ServerOnlySplit : ISplitPlanner
{
    public SplitPlan Plan(SplitProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return SplitPlan.Of("server-only", problem, new bool[problem.LayerCount]);
    }
}

/// <summary>
/// One cut: the first k layers on one side and the rest on the other (client then server, or server then client;
/// k = 0 or L keeps every layer on one side), within the client's memory; the least server work over the cuts
/// meeting the SLA, or, when none does, the fastest cut (reported as missing the SLA).
/// </summary>
public sealed class SingleCutSplit : ISplitPlanner
{
    public SplitPlan Plan(SplitProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        SplitPlan? best = null;
        SplitPlan? fastest = null;
        var layers = problem.LayerCount;
        foreach (var clientFirst in (bool[])[true, false])
        {
            for (var k = 0; k <= layers; k++)
            {
                var onClient = Enumerable.Range(0, layers).Select(i => (i < k) == clientFirst).ToArray();
                if (onClient.Count(c => c) > problem.MaxClientLayers) continue;
                var plan = SplitPlan.Of("single-cut", problem, onClient);
                if (fastest is null || plan.LatencyMs < fastest.LatencyMs) fastest = plan;
                if (plan.MeetsSla && (best is null || plan.ServerWorkMs < best.ServerWorkMs - 1e-12)) best = plan;
            }
        }
        return best ?? fastest!;
    }
}

/// <summary>
/// The published greedy baseline: from all layers on the server, move one layer at a time to the client, the move
/// with the most server work saved per millisecond of latency added (a move that adds none goes first), while the
/// latency stays within the SLA (or, from an infeasible start, does not grow) and the client's memory holds it.
/// </summary>
public sealed class GreedySplit : ISplitPlanner
{
    public SplitPlan Plan(SplitProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var onClient = new bool[problem.LayerCount];
        var latency = problem.LatencyMs(onClient);
        var clientLayers = 0;
        while (clientLayers < problem.MaxClientLayers)
        {
            var (best, bestScore, bestLatency) = (-1, double.NegativeInfinity, 0.0);
            for (var j = 0; j < onClient.Length; j++)
            {
                if (onClient[j]) continue;
                onClient[j] = true;
                var candidate = problem.LatencyMs(onClient);
                onClient[j] = false;
                if (candidate > Math.Max(problem.SlaMs, latency) + 1e-9) continue;
                var added = candidate - latency;
                var saved = problem.Layers[j].ServerWorkMs;
                var score = added <= 1e-12 ? double.PositiveInfinity : saved / added;
                if (score > bestScore || (score == bestScore && candidate < bestLatency)) (best, bestScore, bestLatency) = (j, score, candidate);
            }
            if (best < 0) break;
            onClient[best] = true;
            latency = bestLatency;
            clientLayers++;
        }
        return SplitPlan.Of("greedy", problem, onClient);
    }
}

/// <summary>The fastest placement (least exact latency) within the client's memory, by a two-state dynamic program: what an infeasible SLA is reported against.</summary>
public sealed class FastestSplit : ISplitPlanner
{
    public SplitPlan Plan(SplitProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var layers = problem.LayerCount;
        var budget = Math.Min(problem.MaxClientLayers, layers);
        // best[loc, c]: least latency so far with the current layer at loc and c client layers used.
        var best = new double[2, budget + 1];
        var from = new byte[layers, 2, budget + 1];
        Fill(best, double.PositiveInfinity);
        var client = problem.Layers[0].ClientMs;
        if (budget >= 1) best[0, 1] = client;
        best[1, 0] = problem.InputUplinkMs + problem.Layers[0].ServerMs;
        for (var i = 1; i < layers; i++)
        {
            var next = new double[2, budget + 1];
            Fill(next, double.PositiveInfinity);
            for (var c = 0; c <= budget; c++)
            {
                if (c + 1 <= budget)
                {
                    Take(next, from, i, 0, c + 1, best[0, c] + problem.Layers[i].ClientMs, 0);
                    Take(next, from, i, 0, c + 1, best[1, c] + problem.DownlinkMs + problem.Layers[i].ClientMs, 1);
                }
                Take(next, from, i, 1, c, best[0, c] + problem.UplinkMs + problem.Layers[i].ServerMs, 0);
                Take(next, from, i, 1, c, best[1, c] + problem.Layers[i].ServerMs, 1);
            }
            best = next;
        }
        var (loc, count, total) = (1, 0, double.PositiveInfinity);
        for (var c = 0; c <= budget; c++)
        {
            if (best[0, c] < total) (loc, count, total) = (0, c, best[0, c]);
            if (best[1, c] + problem.FinalDownlinkMs < total) (loc, count, total) = (1, c, best[1, c] + problem.FinalDownlinkMs);
        }
        var onClient = new bool[layers];
        for (var i = layers - 1; i >= 0; i--)
        {
            onClient[i] = loc == 0;
            var previous = from[i, loc, count];
            if (loc == 0) count--;
            loc = previous;
        }
        return SplitPlan.Of("fastest", problem, onClient);
    }

    private static void Take(double[,] target, byte[,,] from, int i, int loc, int c, double value, byte previous)
    {
        if (value < target[loc, c])
        {
            target[loc, c] = value;
            from[i, loc, c] = previous;
        }
    }

    private static void Fill(double[,] a, double v)
    {
        for (var x = 0; x < a.GetLength(0); x++)
            for (var y = 0; y < a.GetLength(1); y++)
                a[x, y] = v;
    }
}
