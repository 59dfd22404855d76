using Stamen.Performance;
using Stamen.Workload;

namespace Stamen.Placement;

/// <summary>
/// Planning time of a hop for the typical request, t_j(k) = tau^c_j + tau^p_j k in the notation of
/// Sun, He, Hou: Stamen's <see cref="SwarmPerformanceModel"/> hop time (first token plus l_max - 1
/// tokens) for the worst client, as CG-BP's amortized time takes the worst client. The model is
/// linear in the blocks k and only the RTT terms depend on the client, so the worst client's time
/// is max_c (time of 0 blocks) + k x (time of one block).
/// </summary>
internal sealed class PlanningHopTimes
{
    private readonly double[] _fixedMs;
    private readonly double[] _perBlockMs;

    public PlanningHopTimes(SwarmPerformanceModel performance, RequestShape typical)
    {
        var swarm = performance.Swarm;
        _fixedMs = new double[swarm.ServerCount];
        _perBlockMs = new double[swarm.ServerCount];
        for (var j = 0; j < swarm.ServerCount; j++)
        {
            var fixedMs = double.NegativeInfinity;
            for (var c = 0; c < swarm.ClientCount; c++)
                fixedMs = Math.Max(fixedMs, performance.HopTiming(c, j, 0, typical).TotalMs);
            _fixedMs[j] = swarm.ClientCount == 0 ? 0 : fixedMs;
            var times = swarm.Servers[j].Times;
            _perBlockMs[j] = times.PrefillMsPerBlock(typical.PromptTokens) + (typical.OutputTokens - 1) * times.DecodeMsPerBlock;
        }
    }

    public double Ms(int server, int blocks) => _fixedMs[server] + _perBlockMs[server] * blocks;
}
