using Stamen.Performance;
using Stamen.Plans;
using Stamen.Routing;
using Stamen.Workload;

namespace Stamen.Simulation.Swarm;

/// <summary>
/// One run of the twin: the kernel loop and the three event handlers. Handlers update the swarm
/// state (ledgers, meters, counters) and return follow-up events through a buffer; only the
/// kernel touches the queue and the clock.
/// </summary>
internal sealed class SwarmTwinRun
{
    private readonly SwarmTwinInput _input;
    private readonly IReadOnlyList<SwarmRequest> _requests;
    private readonly SwarmState _shared;
    private readonly SwarmState[] _views;
    private readonly SwarmPerformanceModel _performance;
    private readonly Random _routerRandom;
    private readonly MemoryMeter[] _meters;
    private readonly RequestOutcome?[] _outcomes;
    private readonly List<TimelinePoint> _timeline = [];
    private readonly List<string> _violations = [];
    private readonly double _fixedDelayMs;
    private readonly double _firstArrivalMs;
    private int _arrived, _started, _done, _failed;

    public SwarmTwinRun(SwarmTwinInput input)
    {
        _input = input;
        _requests = input.Requests;
        var shared = _shared = new SwarmState(input.Swarm, input.Placement);
        _views = new SwarmState[input.Swarm.ClientCount];
        for (var c = 0; c < _views.Length; c++) _views[c] = shared.ForClient(c);
        _performance = shared.Performance;
        _routerRandom = SeedStreams.Create(input.Seed, SeedStreams.SwarmRouter);
        _fixedDelayMs = input.SessionStartMs + input.AllocationMs;
        _firstArrivalMs = 0;
        if (_requests.Count > 0)
        {
            _firstArrivalMs = double.PositiveInfinity;
            foreach (var r in _requests) _firstArrivalMs = Math.Min(_firstArrivalMs, r.ArrivalMs);
        }
        _meters = new MemoryMeter[input.Swarm.ServerCount];
        for (var j = 0; j < _meters.Length; j++) _meters[j] = new MemoryMeter(_firstArrivalMs);
        _outcomes = new RequestOutcome?[_requests.Count];
    }

    public SwarmRunResult Execute()
    {
        var queue = new EventQueue<SwarmEvent>();
        for (var i = 0; i < _requests.Count; i++)
        {
            var r = _requests[i];
            if (r.ClientIndex < 0 || r.ClientIndex >= _views.Length)
                throw new ArgumentException($"Request {r.Id} names client {r.ClientIndex}; the swarm has {_views.Length}.");
            if (r.Shape.OutputTokens < 1 || r.Shape.PromptTokens < 0)
                throw new ArgumentException($"Request {r.Id} needs at least one output token and a non-negative prompt.");
            queue.Enqueue(new SwarmEvent(SwarmEventKind.Attempt, i, 0).At(r.ArrivalMs));
        }

        var invariants = _input.CheckInvariants ? new SwarmInvariants(_shared, _violations) : null;
        var emitted = new List<ScheduledEvent<SwarmEvent>>(2);
        var nowMs = _firstArrivalMs;
        long events = 0;
        while (queue.TryDequeue(out var ev, out var key))
        {
            nowMs = key.TimeMs;
            Handle(ev, nowMs, emitted);
            foreach (var next in emitted) queue.Enqueue(next);
            emitted.Clear();
            events++;
            invariants?.Check(nowMs, queue, _arrived, _done, _failed);
        }
        return new SwarmRunResult(Outcomes(), ServerMemories(nowMs), _timeline, _violations, events);
    }

    private void Handle(SwarmEvent ev, double nowMs, List<ScheduledEvent<SwarmEvent>> emitted)
    {
        switch (ev.Kind)
        {
            case SwarmEventKind.Attempt: OnAttempt(ev, nowMs, emitted); break;
            case SwarmEventKind.SessionStart: OnSession(ev.Request, nowMs, +1); break;
            case SwarmEventKind.SessionEnd: OnSession(ev.Request, nowMs, -1); break;
            default: throw new InvalidOperationException($"Unknown event kind {ev.Kind}.");
        }
    }

    /// <summary>Route, admit, and either commit the session or schedule a retry (or drop after the cap).</summary>
    private void OnAttempt(SwarmEvent ev, double nowMs, List<ScheduledEvent<SwarmEvent>> emitted)
    {
        var request = _requests[ev.Request];
        if (ev.Retry == 0) _arrived++;
        var view = _views[request.ClientIndex];
        var policy = _input.Admission;
        var bytesPerBlock = _performance.SessionCacheBytesPerBlock(request.Shape);
        var route = _input.Router.Choose(new RoutingQuery(request.ClientIndex, request.Shape, nowMs, view, _routerRandom));
        if (route is not null) RequireValid(route, request);
        var decision = route is null ? AdmissionDecision.Refused(-1) : policy.Decide(route, view, bytesPerBlock, nowMs);

        if (!decision.IsAdmitted)
        {
            if (decision.RefusingServer >= 0) view.Ban(decision.RefusingServer, nowMs + policy.BanMs);
            var retry = ev.Retry + 1;
            if (retry > policy.MaxRetries)
            {
                _failed++;
                _outcomes[ev.Request] = new RequestOutcome(request.Id, request.ArrivalMs, request.ClientIndex, [], ev.Retry,
                    double.NaN, double.NaN, double.NaN, double.NaN, nowMs, request.Shape.OutputTokens, false);
                return;
            }
            emitted.Add((ev with { Retry = retry }).At(nowMs + RetrySchedule.GapMs(retry)));
            return;
        }

        var timing = _performance.Time(route!, request.ClientIndex, request.Shape);
        var startMs = decision.StartMs;
        var endMs = startMs + _fixedDelayMs + timing.TotalMs;
        foreach (var hop in route!.Hops)
            view.Ledger(hop.Server).Commit(new CacheCommitment(startMs, endMs, hop.StartBlock, hop.EndBlock, bytesPerBlock));
        view.RecordSession(route, startMs, endMs);
        var waitMs = startMs - request.ArrivalMs;
        _outcomes[ev.Request] = new RequestOutcome(request.Id, request.ArrivalMs, request.ClientIndex, route.Hops, ev.Retry + decision.RetriesWaited,
            waitMs, startMs, waitMs + _fixedDelayMs + timing.FirstTokenMs, waitMs + _fixedDelayMs + timing.TotalMs, endMs,
            request.Shape.OutputTokens, true);
        emitted.Add(new SwarmEvent(SwarmEventKind.SessionStart, ev.Request, 0).At(startMs));
        emitted.Add(new SwarmEvent(SwarmEventKind.SessionEnd, ev.Request, 0).At(endMs));
    }

    /// <summary>A session starts (+1) or ends (-1): meters, counters, timeline. Its cache was committed at admission.</summary>
    private void OnSession(int requestIndex, double nowMs, int sign)
    {
        var outcome = _outcomes[requestIndex]!;
        var bytesPerBlock = _performance.SessionCacheBytesPerBlock(_requests[requestIndex].Shape);
        if (sign > 0) _started++;
        else _done++;
        foreach (var hop in outcome.Hops)
        {
            var meter = _meters[hop.Server];
            meter.Change(nowMs, sign * bytesPerBlock * hop.Blocks);
            if (_input.RecordTimeline)
                _timeline.Add(new TimelinePoint(nowMs, hop.Server, meter.UsedBytes, _arrived - _started - _failed));
        }
    }

    private void RequireValid(Route route, SwarmRequest request)
    {
        var placement = _input.Placement;
        var next = 0;
        foreach (var hop in route.Hops)
        {
            var valid = hop.Server >= 0 && hop.Server < placement.ServerCount && hop.StartBlock == next && hop.EndBlock > hop.StartBlock
                && placement.Spans[hop.Server].Start <= hop.StartBlock && hop.EndBlock <= placement.Spans[hop.Server].End;
            if (!valid)
                throw new InvalidOperationException($"Router {_input.Router.GetType().Name} gave request {request.Id} an invalid route {route}: hops must cover blocks 0..{placement.NumBlocks} in order, each within its server's span.");
            next = hop.EndBlock;
        }
        if (next != placement.NumBlocks)
            throw new InvalidOperationException($"Router {_input.Router.GetType().Name} gave request {request.Id} route {route}, which stops at block {next} of {placement.NumBlocks}.");
    }

    private RequestOutcome[] Outcomes()
    {
        var outcomes = new RequestOutcome[_outcomes.Length];
        for (var i = 0; i < outcomes.Length; i++)
            outcomes[i] = _outcomes[i] ?? throw new InvalidOperationException($"Request {i} never finished: the event loop lost it.");
        return outcomes;
    }

    private ServerMemory[] ServerMemories(double lastEventMs)
    {
        var swarm = _input.Swarm;
        var memories = new ServerMemory[swarm.ServerCount];
        for (var j = 0; j < memories.Length; j++)
        {
            var weights = swarm.Model.BlockBytes * _input.Placement.Spans[j].Count;
            var meter = _meters[j];
            memories[j] = new ServerMemory(j, weights, weights + meter.PeakBytes, weights + meter.MeanBytes(_firstArrivalMs, lastEventMs), swarm.Servers[j].MemoryBytes);
        }
        return memories;
    }
}
