namespace Stamen.Split;

/// <summary>
/// SplitLLM's dynamic program: over (layer, location, discretised latency), and the client layers used when the
/// device cannot hold every layer, the least server work of a placement whose latency fits the SLA. Any number
/// of switches; the output ends on the client. Each state keeps the exact latency of its best path, and a path is
/// dropped the moment its exact latency passes the SLA, so every placement returned meets the SLA exactly; the
/// step only decides which paths compete for a state (two within one step keep the one with less server work,
/// then less latency). Whole-step costs make the program exact; finer steps cost time.
/// </summary>
/// <param name="StepMs">Latency step; null for 1/1000 of the SLA.</param>
public sealed record SplitDynamicProgram(double? StepMs = null) : ISplitPlanner
{
    /// <summary>Steps over the SLA when no step is given (the 1,000 latency steps).</summary>
    public const int DefaultSteps = 1000;

    /// <summary>The least-work placement meeting the SLA, or null when none does.</summary>
    public SplitPlan? Plan(SplitProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var sla = problem.SlaMs;
        if (!(sla >= 0)) return null;
        var step = StepMs ?? Math.Max(sla / DefaultSteps, 1e-9);
        if (!(step > 0)) throw new StamenInputException("split", "latency_step_ms", "must be positive", "use e.g. 1, or leave it out for 1/1000 of the SLA");
        var steps = (int)Math.Min(int.MaxValue / 4, Math.Floor(sla / step + 1e-9));
        var layers = problem.LayerCount;
        var budget = Math.Min(problem.MaxClientLayers, layers);
        // Count the client layers used only when the device cannot hold them all.
        var tracking = budget < layers;
        var counts = tracking ? budget + 1 : 1;
        var width = counts * (steps + 1);

        // Per location (0 client, 1 server) and state c * (steps + 1) + t: least work and its exact latency.
        var work = new[] { new double[width], new double[width] };
        var latency = new[] { new double[width], new double[width] };
        var nextWork = new[] { new double[width], new double[width] };
        var nextLatency = new[] { new double[width], new double[width] };
        // from[i][loc][state] = the previous layer's (location << 31 | state), for reconstruction.
        var from = new int[layers][][];

        var perStep = 1 / step;
        for (var i = 0; i < layers; i++)
        {
            // After layer i at most i + 1 layers are on the client: only those rows of states can be reached.
            var rows = tracking ? Math.Min(i + 2, counts) : 1;
            var reachable = rows * (steps + 1);
            Array.Fill(nextWork[0], double.PositiveInfinity, 0, reachable);
            Array.Fill(nextWork[1], double.PositiveInfinity, 0, reachable);
            from[i] = [new int[reachable], new int[reachable]];
            var layer = problem.Layers[i];
            if (i == 0)
            {
                // The input starts on the client; a server first layer gets the token ids.
                if (!tracking || budget >= 1) Relax(i, 0, tracking ? 1 : 0, layer.ClientMs, 0, 0);
                Relax(i, 1, 0, problem.InputUplinkMs + layer.ServerMs, layer.ServerWorkMs, 0);
            }
            else
            {
                var previousReachable = (tracking ? Math.Min(i + 1, counts) : 1) * (steps + 1);
                for (var state = 0; state < previousReachable; state++)
                {
                    var c = state / (steps + 1);
                    var c1 = tracking ? c + 1 : 0;
                    for (var loc = 0; loc < 2; loc++)
                    {
                        var w = work[loc][state];
                        if (!(w < double.PositiveInfinity)) continue;
                        var ms = latency[loc][state];
                        var origin = loc << 31 | state;
                        if (c1 < counts) Relax(i, 0, c1, ms + (loc == 1 ? problem.DownlinkMs : 0) + layer.ClientMs, w, origin);
                        Relax(i, 1, c, ms + (loc == 0 ? problem.UplinkMs : 0) + layer.ServerMs, w + layer.ServerWorkMs, origin);
                    }
                }
            }
            (work, nextWork) = (nextWork, work);
            (latency, nextLatency) = (nextLatency, latency);
        }

        // The output ends on the client: a last server layer sends the final hidden state down.
        var (bestLoc, bestState, bestWork, bestLatency) = (-1, -1, double.PositiveInfinity, double.PositiveInfinity);
        var lastReachable = (tracking ? Math.Min(layers + 1, counts) : 1) * (steps + 1);
        for (var state = 0; state < lastReachable; state++)
            for (var loc = 0; loc < 2; loc++)
            {
                var w = work[loc][state];
                if (!(w < double.PositiveInfinity)) continue;
                var total = latency[loc][state] + (loc == 1 ? problem.FinalDownlinkMs : 0);
                if (total > sla + 1e-9) continue;
                if (w < bestWork - 1e-12 || (w <= bestWork + 1e-12 && total < bestLatency)) (bestLoc, bestState, bestWork, bestLatency) = (loc, state, w, total);
            }
        if (bestLoc < 0) return null;

        var onClient = new bool[layers];
        var (locNow, stateNow) = (bestLoc, bestState);
        for (var i = layers - 1; i >= 0; i--)
        {
            onClient[i] = locNow == 0;
            var origin = from[i][locNow][stateNow];
            (locNow, stateNow) = ((int)((uint)origin >> 31), origin & int.MaxValue);
        }
        return SplitPlan.Of("dp", problem, onClient);

        void Relax(int i, int loc, int c, double ms, double value, int origin)
        {
            if (ms > sla + 1e-9) return;
            var t = Math.Min(steps, (int)(ms * perStep + 1e-9));
            var state = c * (steps + 1) + t;
            var current = nextWork[loc][state];
            if (value < current - 1e-12 || (value <= current + 1e-12 && ms < nextLatency[loc][state]))
            {
                nextWork[loc][state] = value;
                nextLatency[loc][state] = ms;
                from[i][loc][state] = origin;
            }
        }
    }
}
