namespace Stamen.Split;

/// <summary>
/// SplitLLM's dynamic program: over (layer, location, discretised latency), and the client layers used when the
/// device cannot hold every layer, the least server work of a placement whose latency fits the SLA. Any number
/// of switches; the output ends on the client. Every cost is rounded up to whole steps of
/// <paramref name="StepMs"/>, so a placement the program accepts meets the SLA in exact latency too (the plan
/// reports the exact figure); a coarser step is faster and may miss placements within a step of the SLA.
/// </summary>
public sealed record SplitDynamicProgram(double StepMs)
{
    /// <summary>The least-work placement meeting the SLA, or null when none does (at this step).</summary>
    public SplitPlan? Solve(SplitProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        if (!(StepMs > 0)) throw new StamenInputException("split", "latency_step_ms", "must be positive", "use e.g. 1");
        var steps = (int)Math.Floor(problem.SlaMs / StepMs + 1e-9);
        if (steps < 0) return null;
        var layers = problem.LayerCount;
        var budget = Math.Min(problem.MaxClientLayers, layers);
        // Track the client layers used only when the device cannot hold them all.
        var tracking = budget < layers;
        var counts = tracking ? budget + 1 : 1;
        var width = counts * (steps + 1);
        int Steps(double ms) => (int)Math.Ceiling(ms / StepMs - 1e-9);
        var up = Steps(problem.UplinkMs);
        var firstUp = Steps(problem.InputUplinkMs);
        var down = Steps(problem.DownlinkMs);
        var final = Steps(problem.FinalDownlinkMs);

        // work[loc][c * (steps + 1) + t]; loc 0 = client, 1 = server. from[i][loc][state] = the previous layer's location.
        var work = new[] { new double[width], new double[width] };
        var next = new[] { new double[width], new double[width] };
        var from = new byte[layers][][];
        Array.Fill(work[0], double.PositiveInfinity);
        Array.Fill(work[1], double.PositiveInfinity);
        for (var i = 0; i < layers; i++)
        {
            Array.Fill(next[0], double.PositiveInfinity);
            Array.Fill(next[1], double.PositiveInfinity);
            from[i] = [new byte[width], new byte[width]];
            var client = Steps(problem.Layers[i].ClientMs);
            var server = Steps(problem.Layers[i].ServerMs);
            var w = problem.Layers[i].ServerWorkMs;
            if (i == 0)
            {
                // The input starts on the client.
                if (!tracking || budget >= 1) Relax(next, from[i], 0, tracking ? 1 : 0, client, 0.0, 0);
                Relax(next, from[i], 1, 0, firstUp + server, w, 0);
            }
            else
            {
                for (var c = 0; c < counts; c++)
                {
                    for (var t = 0; t <= steps; t++)
                    {
                        var state = c * (steps + 1) + t;
                        var onClient = work[0][state];
                        var onServer = work[1][state];
                        var c1 = tracking ? c + 1 : 0;
                        if (c1 < counts)
                        {
                            if (onClient < double.PositiveInfinity) Relax(next, from[i], 0, c1, t + client, onClient, 0);
                            if (onServer < double.PositiveInfinity) Relax(next, from[i], 0, c1, t + down + client, onServer, 1);
                        }
                        if (onClient < double.PositiveInfinity) Relax(next, from[i], 1, c, t + up + server, onClient + w, 0);
                        if (onServer < double.PositiveInfinity) Relax(next, from[i], 1, c, t + server, onServer + w, 1);
                    }
                }
            }
            (work, next) = (next, work);
        }

        // The output ends on the client: a last server layer sends its result down.
        var (bestLoc, bestState, bestWork, bestT) = (-1, -1, double.PositiveInfinity, int.MaxValue);
        for (var c = 0; c < counts; c++)
            for (var t = 0; t <= steps; t++)
                for (var loc = 0; loc < 2; loc++)
                {
                    var state = c * (steps + 1) + t;
                    var total = loc == 1 ? t + final : t;
                    var v = work[loc][state];
                    if (total > steps || !(v < double.PositiveInfinity)) continue;
                    if (v < bestWork - 1e-12 || (Math.Abs(v - bestWork) <= 1e-12 && total < bestT)) (bestLoc, bestState, bestWork, bestT) = (loc, state, v, total);
                }
        if (bestLoc < 0) return null;

        var onClientPlan = new bool[layers];
        var (locNow, stateNow) = (bestLoc, bestState);
        for (var i = layers - 1; i >= 0; i--)
        {
            onClientPlan[i] = locNow == 0;
            if (i == 0) break;
            var previous = from[i][locNow][stateNow];
            var t = stateNow % (steps + 1);
            var c = stateNow / (steps + 1);
            var cost = locNow == 0
                ? Steps(problem.Layers[i].ClientMs) + (previous == 1 ? down : 0)
                : Steps(problem.Layers[i].ServerMs) + (previous == 0 ? up : 0);
            var previousC = locNow == 0 && tracking ? c - 1 : c;
            (locNow, stateNow) = (previous, previousC * (steps + 1) + t - cost);
        }
        return SplitPlan.Of("dp", problem, onClientPlan);

        void Relax(double[][] target, byte[][] origin, int loc, int c, int t, double value, byte previous)
        {
            if (t > steps) return;
            var state = c * (steps + 1) + t;
            if (value < target[loc][state])
            {
                target[loc][state] = value;
                origin[loc][state] = previous;
            }
        }
    }
}
