namespace Stamen.Simulation.Engine;

/// <summary>
/// Runs the instances of a deployment on one clock: each arrival is routed when it arrives, and the
/// instance whose step ends first moves next. Arrivals come before a step ending at the same instant,
/// so they join the next iteration as in the single-engine loop. Everything is in (arrival, id) order
/// and nothing is random, so a run is deterministic.
/// </summary>
internal sealed class EngineCluster
{
    private readonly EngineDeployment _deployment;
    private readonly EnginePolicy _policy;
    private readonly EngineRequestState[] _states;
    private readonly EngineRequestState[] _byArrival;
    private readonly EngineInstance[] _instances;
    private readonly KvPools _pools;
    private readonly EngineRecorder _recorder;
    private readonly IEngineRouter _router;

    /// <param name="steadyDecoders">Advance steady decoders together (<see cref="SteadyDecoders"/>); false advances every request one by one.</param>
    public EngineCluster(EngineDeployment deployment, EnginePolicy policy, IReadOnlyList<EngineRequest> requests, bool check, bool steadyDecoders = true)
    {
        _deployment = deployment;
        _policy = policy;
        var config = deployment.Config;
        var paged = policy.Memory == KvMemoryMode.PagedOnDemand;
        _pools = new KvPools(deployment.Instances, paged ? config.KvCapacityBlocks : config.KvCapacityTokens,
            paged && policy.LendsKv, deployment.DistKv.LendingCapFraction);
        var sorted = requests.Select((r, i) => (r, i)).OrderBy(x => x.r.ArrivalMs).ThenBy(x => x.r.Id).ThenBy(x => x.i).ToArray();
        _states = new EngineRequestState[requests.Count];
        _byArrival = new EngineRequestState[requests.Count];
        for (var k = 0; k < sorted.Length; k++)
        {
            var s = new EngineRequestState(sorted[k].r);
            _byArrival[k] = s;
            _states[sorted[k].i] = s;
        }
        var start = sorted.Length > 0 ? sorted[0].r.ArrivalMs : 0;
        var end = sorted.Length > 0 ? sorted[^1].r.ArrivalMs : 0;
        _recorder = new EngineRecorder(start, end, deployment.Lora?.Adapters.Count ?? 0, config.KvCapacityTokens * deployment.Instances);
        _instances = [.. Enumerable.Range(0, deployment.Instances).Select(i => new EngineInstance(i, deployment, policy, _pools, _recorder, check, steadyDecoders))];
        _router = EngineRouterCatalog.Find(deployment.Router).Create();
    }

    /// <summary>Decodes the instances' steady decoders computed together, and the steps that dissolved them (tests).</summary>
    public (long Decodes, long Dissolves) SteadyCounts => (_instances.Sum(i => i.SteadyDecodes), _instances.Sum(i => i.SteadyDissolves));

    public EngineRunResult Run()
    {
        var next = 0;
        while (true)
        {
            var instance = Earliest();
            var eventMs = instance.NextEventMs;
            var arrivalMs = next < _byArrival.Length ? _byArrival[next].Request.ArrivalMs : double.PositiveInfinity;
            if (double.IsPositiveInfinity(arrivalMs) && double.IsPositiveInfinity(eventMs)) break;
            if (arrivalMs <= eventMs)
            {
                _recorder.SampleUpTo(arrivalMs);
                var s = _byArrival[next++];
                var target = _instances.Length == 1 ? 0 : _router.Choose(s.Request, _instances);
                if ((uint)target >= (uint)_instances.Length)
                    throw new InvalidOperationException($"router {_deployment.Router} chose instance {target} of {_instances.Length}");
                _instances[target].Enqueue(s, arrivalMs);
                continue;
            }
            _recorder.SampleUpTo(eventMs);
            instance.OnEvent(eventMs);
            foreach (var other in _instances)
                if (other.BlockedSinceRelease >= 0 && other.BlockedSinceRelease != _pools.Releases) other.Wake(eventMs);
        }
        return EngineMetricsBuilder.Build(_policy, _deployment, _states, _instances, _recorder);
    }

    private EngineInstance Earliest()
    {
        var best = _instances[0];
        for (var i = 1; i < _instances.Length; i++)
            if (_instances[i].NextEventMs < best.NextEventMs) best = _instances[i];
        return best;
    }
}
