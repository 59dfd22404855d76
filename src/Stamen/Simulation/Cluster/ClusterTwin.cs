using Stamen.Plans;
using Stamen.Workload;

namespace Stamen.Simulation.Cluster;

/// <summary>
/// The batching twin of a cluster (issue 16): a step-level discrete-event simulation in which every server
/// runs one batch at a time, over all the layers it holds or (<see cref="ClusterRunOptions.LayerByLayer"/>, as
/// Helix's node) one layer at a time, a batch's time following the server's measured per-layer batch times; links move one transfer at a time at their bandwidth, and its latency is added on
/// arrival. A request is one prompt pass and then one decode iteration per output token, each from the
/// coordinator through the scheduler's path and back; the next iteration leaves when the last one returns.
/// The rules follow Helix's simulator (docs/helix-study.md says where and how ours differ).
/// </summary>
public static class ClusterTwin
{
    public static ClusterRunResult Run(ClusterSpec cluster, IReadOnlyList<BlockSpan> spans, IClusterScheduler scheduler,
        ClusterWorkload workload, ClusterRunOptions options)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(scheduler);
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(options);
        cluster.RequireFits(spans);
        Validate(workload, options);
        return new ClusterTwinRun(cluster, spans, scheduler, workload, options).Execute();
    }

    private static void Validate(ClusterWorkload w, ClusterRunOptions o)
    {
        ClusterRunOptions.RequireWindow(o.WarmupS, o.DurationS, "(cluster run)", "warmup_s, duration_s");
        if (w.Lengths.Count == 0) throw new StamenInputException("(cluster run)", "lengths", "no request lengths", "give a trace or a fixed length");
        foreach (var l in w.Lengths)
            if (l.PromptTokens < 1 || l.OutputTokens < 1 || l.PromptTokens > 1_000_000 || l.OutputTokens > 1_000_000)
                throw new StamenInputException("(cluster run)", "lengths", $"a request of {l.PromptTokens} prompt and {l.OutputTokens} output tokens", "give 1..1,000,000 of each");
        ClusterWorkload.RequireUsers(w.Users, "(cluster run)", "users");
        if (!(w.FeedHighWaterMark is > 0 and <= 1)) throw new StamenInputException("(cluster run)", "feed_high_water_mark", "must be in (0, 1]", "give e.g. 0.8");
        if (!(w.LaunchGapMs is >= 0 and <= 3_600_000)) throw new StamenInputException("(cluster run)", "launch_gap_ms", "must be 0..3,600,000", "give e.g. 100");
        if (w.ExpectedOutputTokens is < 0 or > 1_000_000) throw new StamenInputException("(cluster run)", "expected_output_tokens", "must be 0..1,000,000", "give e.g. 240");
        if (w.Mode == FeedMode.Poisson) ClusterWorkload.RequireRate(w.RatePerSec, o.WarmupS + o.DurationS, "(cluster run)", "rate_per_s");
    }
}

internal sealed class ClusterTwinRun : IClusterView
{
    private enum Kind { Launch, NodeArrive, BatchDone, LinkFree, SinkArrive }

    private readonly record struct Ev(Kind Kind, int A, int B);

    private sealed class Query
    {
        public required int Prompt;
        public required int Output;
        public required int[] Path;
        public required int[] RunLayers; // layers run on each hop: from where the request enters to the span's end
        public double LaunchMs;
        public int Iteration; // 0: prompt; then one per decode
        public int Hop; // index into Path of the server the current iteration is at or going to
        public double IterationStartMs;
        public double HopSentMs;
        public ClusterQuery Asked;
    }

    private sealed class Server
    {
        public readonly List<int> Waiting = [];
        public readonly List<int> Batch = [];
        public List<int>[] LayerWaiting = []; // layer by layer: the queue in front of each of its layers
        public int BatchLayer, NextLayer, LayerItems;
        public bool Busy;
        public double KvUsed, KvExpected, PeakKv, BusyMsInWindow, BatchTokens;
        public long Batches;
        public long Capacity;
        public int Layers;
    }

    private sealed class Link
    {
        public readonly Queue<int> Waiting = new();
        public bool Busy;
    }

    private readonly ClusterSpec _cluster;
    private readonly IReadOnlyList<BlockSpan> _spans;
    private readonly IClusterScheduler _scheduler;
    private readonly ClusterWorkload _workload;
    private readonly ClusterRunOptions _options;
    private readonly Server[] _servers;
    private readonly Link[] _links;
    private readonly List<Query> _queries = [];
    private readonly Queue<RequestShape> _held = new();
    private int[] _promptByRun = [], _decodeByRun = [];
    private readonly EventQueue<Ev> _queue = new();
    private readonly Random _lengthRandom, _schedulerRandom, _arrivalRandom;
    private readonly double _windowStartMs, _endMs;
    private long _decodeTokens, _promptTokens, _launched, _finished, _rejections, _overflows, _events;
    private double _promptLatencySum, _decodeLatencySum;
    private long _promptLatencies, _decodeLatencies;
    private int _inFlight;

    public ClusterTwinRun(ClusterSpec cluster, IReadOnlyList<BlockSpan> spans, IClusterScheduler scheduler, ClusterWorkload workload, ClusterRunOptions options)
    {
        _cluster = cluster;
        _spans = spans;
        _scheduler = scheduler;
        _workload = workload;
        _options = options;
        _servers = new Server[cluster.Servers.Count];
        for (var i = 0; i < _servers.Length; i++)
        {
            var k = spans[i].Count;
            _servers[i] = new Server { Layers = k, Capacity = k == 0 ? 0 : cluster.Servers[i].Profile.KvTokenLayers[k] };
            if (options.LayerByLayer) _servers[i].LayerWaiting = [.. Enumerable.Range(0, k).Select(_ => new List<int>())];
        }
        _links = new Link[cluster.Links.Count];
        for (var l = 0; l < _links.Length; l++) _links[l] = new Link();
        _lengthRandom = SeedStreams.Create(options.Seed, SeedStreams.Workload);
        _schedulerRandom = SeedStreams.Create(options.Seed, SeedStreams.SwarmRouter);
        _arrivalRandom = SeedStreams.Create(options.Seed, SeedStreams.ClusterArrivals);
        _windowStartMs = options.WarmupS * 1000;
        _endMs = (options.WarmupS + options.DurationS) * 1000;
    }

    public ClusterSpec Cluster => _cluster;
    public IReadOnlyList<BlockSpan> Spans => _spans;
    public long KvCapacity(int server) => _servers[server].Capacity;
    public double KvExpected(int server) => _servers[server].KvExpected;

    public ClusterRunResult Execute()
    {
        if (_workload.Mode == FeedMode.Poisson) NextArrival(0);
        else
        {
            for (var u = 0; u < _workload.Users; u++) _queue.Enqueue(new Ev(Kind.Launch, 0, 0), u * _workload.LaunchGapMs, 0);
        }
        while (_queue.TryDequeue(out var ev, out var key))
        {
            if (key.TimeMs > _endMs) break;
            _events++;
            var now = key.TimeMs;
            switch (ev.Kind)
            {
                case Kind.Launch:
                    if (ev.A == PoissonArrival) NextArrival(now);
                    Launch(now);
                    break;
                case Kind.NodeArrive: NodeArrive(ev.A, ev.B, now); break;
                case Kind.BatchDone: BatchDone(ev.A, now); break;
                case Kind.LinkFree: LinkFree(ev.A, now); break;
                case Kind.SinkArrive: SinkArrive(ev.A, now); break;
            }
        }
        return Result();
    }

    private const int PoissonArrival = 1;

    /// <summary>Schedules the next Poisson arrival after <paramref name="now"/> (one pending at a time, so memory does not grow with the rate).</summary>
    private void NextArrival(double now)
    {
        var t = now - Math.Log(1 - _arrivalRandom.NextDouble()) / _workload.RatePerSec * 1000;
        if (t < _endMs) _queue.Enqueue(new Ev(Kind.Launch, PoissonArrival, 0), t, 0);
    }

    private void Launch(double now) => TryLaunch(_workload.Lengths[_lengthRandom.Next(_workload.Lengths.Count)], now);

    /// <summary>
    /// Sends a request, or, when the scheduler refuses it, holds it until a request ends (only then can KV room
    /// appear): held requests are tried again in arrival order when one finishes, up to the first refused again,
    /// which stays first (our choice; Helix's offline mode drops a refused request). No polling, so a cluster
    /// that can serve nothing costs no work.
    /// </summary>
    private bool TryLaunch(RequestShape shape, double now, bool holdIfRefused = true)
    {
        var asked = new ClusterQuery(shape.PromptTokens, shape.PromptTokens + _workload.ExpectedOutputTokens);
        var path = _scheduler.ChoosePath(asked, this, _schedulerRandom);
        if (path is null)
        {
            _rejections++;
            if (holdIfRefused) _held.Enqueue(shape);
            return false;
        }
        var run = RunLayers(path);
        var q = new Query { Prompt = shape.PromptTokens, Output = shape.OutputTokens, Path = path, RunLayers = run, LaunchMs = now, Asked = asked };
        for (var h = 0; h < path.Length; h++) _servers[path[h]].KvExpected += (double)asked.ExpectedTokens * run[h];
        _queries.Add(q);
        _launched++;
        _inFlight++;
        StartIteration(_queries.Count - 1, now);
        return true;
    }

    private void StartIteration(int query, double now)
    {
        var q = _queries[query];
        q.Hop = 0;
        q.IterationStartMs = now;
        if (q.Iteration > 0) _scheduler.OnDecode(q.Path);
        Send(ClusterSpec.Coordinator, q.Path[0], query, now);
    }

    private static int Tokens(Query q) => q.Iteration == 0 ? q.Prompt : 1;

    private void Send(int from, int to, int query, double now)
    {
        var l = _cluster.LinkIndex(from, to);
        if (l < 0) throw new InvalidOperationException($"Request {query} needs link {from} -> {to}, which the cluster lacks.");
        _queries[query].HopSentMs = now;
        var link = _links[l];
        if (link.Busy)
        {
            link.Waiting.Enqueue(query);
            return;
        }
        StartTransfer(l, query, now);
    }

    private void StartTransfer(int l, int query, double now)
    {
        var spec = _cluster.Links[l];
        var q = _queries[query];
        var doneMs = now + _cluster.TransferBytes(spec, Tokens(q)) / spec.BandwidthBytesPerSec * 1000;
        _links[l].Busy = true;
        _queue.Enqueue(new Ev(Kind.LinkFree, l, 0), doneMs, 0);
        var arrive = doneMs + spec.LatencyMs;
        if (spec.To == ClusterSpec.Coordinator) _queue.Enqueue(new Ev(Kind.SinkArrive, query, 0), arrive, 1);
        else _queue.Enqueue(new Ev(Kind.NodeArrive, spec.To, query), arrive, 1);
    }

    private void LinkFree(int l, double now)
    {
        var link = _links[l];
        link.Busy = false;
        if (link.Waiting.Count > 0) StartTransfer(l, link.Waiting.Dequeue(), now);
    }

    private void NodeArrive(int server, int query, double now)
    {
        var s = _servers[server];
        if (_options.LayerByLayer)
        {
            var q = _queries[query];
            s.LayerWaiting[s.Layers - q.RunLayers[q.Hop]].Add(query);
            s.LayerItems++;
        }
        else
        {
            s.Waiting.Add(query);
        }
        if (!s.Busy) StartBatch(server, now);
    }

    /// <summary>
    /// Takes waiting items first come, first served, within the caps (prompts: count and tokens; decodes: tokens
    /// and their context); an item that does not fit waits for the next batch while later ones may go (our choice:
    /// no head-of-line blocking). The first item always goes, so an oversize prompt runs alone.
    /// </summary>
    private void StartBatch(int server, double now)
    {
        var s = _servers[server];
        var profile = _cluster.Servers[server].Profile;
        int prompts = 0, promptTokens = 0, decodes = 0;
        long context = 0;
        var decodeMax = profile.DecodeMaxTokens[s.Layers];
        s.Batch.Clear();
        var waiting = s.Waiting;
        if (_options.LayerByLayer)
        {
            // Helix's node: the next layer, cyclically from the one after the last run, whose queue holds anything.
            var layer = s.NextLayer;
            while (s.LayerWaiting[layer].Count == 0) layer = (layer + 1) % s.Layers;
            s.BatchLayer = layer;
            waiting = s.LayerWaiting[layer];
        }
        var kept = 0;
        for (var i = 0; i < waiting.Count; i++)
        {
            var query = waiting[i];
            var q = _queries[query];
            bool take;
            if (q.Iteration == 0)
            {
                take = s.Batch.Count == 0 || (prompts < profile.PromptMaxRequests && promptTokens + q.Prompt <= profile.PromptMaxTokens);
                if (take) { prompts++; promptTokens += q.Prompt; }
            }
            else
            {
                var ctx = q.Prompt + q.Iteration - 1;
                take = s.Batch.Count == 0 || (decodes < decodeMax && context + ctx <= decodeMax * 1000L);
                if (take) { decodes++; context += ctx; }
            }
            if (take) s.Batch.Add(query);
            else waiting[kept++] = query;
        }
        waiting.RemoveRange(kept, waiting.Count - kept);
        // Input handling once per batch, on its first layer (Helix's node adds it there).
        var inputMs = !_options.LayerByLayer || s.BatchLayer == 0 ? InputCopyMs(promptTokens + decodes) : 0;
        var ms = (_options.LayerByLayer ? OneLayerMs(profile, promptTokens, decodes) : SpanMs(s, profile)) + inputMs;
        s.Busy = true;
        s.Batches++;
        s.BatchTokens += promptTokens + decodes;
        var end = now + ms;
        s.BusyMsInWindow += Math.Max(0, Math.Min(end, _endMs) - Math.Max(now, _windowStartMs));
        _queue.Enqueue(new Ev(Kind.BatchDone, server, 0), end, 0);
    }

    private void BatchDone(int server, double now)
    {
        var s = _servers[server];
        if (_options.LayerByLayer)
        {
            LayerDone(server, s, now);
            return;
        }
        foreach (var query in s.Batch)
        {
            s.KvUsed += (double)Tokens(_queries[query]) * _queries[query].RunLayers[_queries[query].Hop];
            Leave(server, query, now);
        }
        EndBatch(s);
        if (s.Waiting.Count > 0) StartBatch(server, now);
    }

    /// <summary>An item has run its layers here: it goes on to the next server on its path, or back to the coordinator.</summary>
    private void Leave(int server, int query, double now)
    {
        var q = _queries[query];
        _scheduler.OnHopTime(q.Hop == 0 ? ClusterSpec.Coordinator : q.Path[q.Hop - 1], server, now - q.HopSentMs);
        q.Hop++;
        Send(server, q.Hop < q.Path.Length ? q.Path[q.Hop] : ClusterSpec.Coordinator, query, now);
    }

    private void EndBatch(Server s)
    {
        if (s.KvUsed > s.Capacity) _overflows++;
        s.PeakKv = Math.Max(s.PeakKv, s.KvUsed);
        s.Batch.Clear();
        s.Busy = false;
    }

    /// <summary>One layer of a layer-by-layer batch is done: its items go to the next layer's queue, or leave after the last.</summary>
    private void LayerDone(int server, Server s, double now)
    {
        var last = s.BatchLayer == s.Layers - 1;
        foreach (var query in s.Batch)
        {
            var q = _queries[query];
            s.KvUsed += Tokens(q);
            s.LayerItems--;
            if (!last)
            {
                s.LayerWaiting[s.BatchLayer + 1].Add(query);
                s.LayerItems++;
                continue;
            }
            Leave(server, query, now);
        }
        EndBatch(s);
        s.NextLayer = (s.BatchLayer + 1) % s.Layers;
        if (s.LayerItems > 0) StartBatch(server, now);
    }

    /// <summary>One layer of a batch: the prompt table at its prompt tokens plus the decode table at its decode tokens.</summary>
    private double OneLayerMs(Performance.ServerBatchProfile profile, int promptTokens, int decodes)
    {
        var decodeMs = profile.DecodeMs.MsPerLayer(decodes);
        if (decodes == 1 && _options.DoubleSingleDecode) decodeMs *= 2;
        return profile.PromptMs.MsPerLayer(promptTokens) + decodeMs;
    }

    /// <summary>Helix's input handling of a batch: bytes / 4e9 + bytes / 5e9 seconds for its activations (when on).</summary>
    private double InputCopyMs(int tokens)
    {
        if (!_options.InputCopyOverhead) return 0;
        var bytes = tokens * _cluster.ActivationBytesPerToken;
        return (bytes / 4e9 + bytes / 5e9) * 1000;
    }

    private void SinkArrive(int query, double now)
    {
        var q = _queries[query];
        var inWindow = now >= _windowStartMs;
        if (q.Iteration == 0)
        {
            if (inWindow)
            {
                _promptTokens += q.Prompt;
                _promptLatencySum += now - q.LaunchMs;
                _promptLatencies++;
            }
            MaybeFeed(now);
        }
        else if (inWindow)
        {
            _decodeTokens++;
            _decodeLatencySum += now - q.IterationStartMs;
            _decodeLatencies++;
        }
        if (q.Iteration < q.Output)
        {
            q.Iteration++;
            StartIteration(query, now);
            return;
        }
        for (var h = 0; h < q.Path.Length; h++)
        {
            var s = _servers[q.Path[h]];
            s.KvUsed -= (double)(q.Prompt + q.Output) * q.RunLayers[h];
            s.KvExpected -= (double)q.Asked.ExpectedTokens * q.RunLayers[h];
        }
        _scheduler.OnFinished(q.Path, q.Asked);
        _finished++;
        _inFlight--;
        while (_held.TryPeek(out var waiting) && TryLaunch(waiting, now, holdIfRefused: false)) _held.Dequeue();

        if (_workload.Mode == FeedMode.ClosedLoop) Schedule(now);
        else MaybeFeed(now);
    }

    /// <summary>The offline feeder: one more request while the fullest server's expected KV use is at most the watermark.</summary>
    private void MaybeFeed(double now)
    {
        if (_workload.Mode != FeedMode.KvWatermark) return;
        var fullest = 0.0;
        foreach (var s in _servers)
            if (s.Capacity > 0) fullest = Math.Max(fullest, s.KvExpected / s.Capacity);
        if (fullest <= _workload.FeedHighWaterMark && _inFlight < ClusterWorkload.MaxUsers) Schedule(now);
    }

    private void Schedule(double now)
    {
        var at = now + _workload.LaunchGapMs;
        if (at <= _endMs) _queue.Enqueue(new Ev(Kind.Launch, 0, 0), at, 0);
    }

    /// <summary>
    /// Layers each hop runs: a request enters a server where the last one left it (at its span's start, or inside it
    /// when the placement's spans overlap and the scheduler enters mid-span) and runs to the span's end.
    /// </summary>
    private int[] RunLayers(int[] path)
    {
        var run = new int[path.Length];
        var next = 0;
        for (var h = 0; h < path.Length; h++)
        {
            var server = path[h];
            if (server < 0 || server >= _spans.Count || _spans[server].IsEmpty || _spans[server].Start > next || _spans[server].End <= next)
                throw new InvalidOperationException($"Scheduler {_scheduler.GetType().Name} gave path [{string.Join(", ", path)}]: each server must hold the layer where the last one ended.");
            run[h] = _spans[server].End - next;
            next = _spans[server].End;
        }
        if (next != _cluster.Layers)
            throw new InvalidOperationException($"Scheduler {_scheduler.GetType().Name} gave path [{string.Join(", ", path)}], which stops at layer {next} of {_cluster.Layers}.");
        return run;
    }

    /// <summary>
    /// A batch's time, layer by layer (Helix's rule): at each layer of the span, the prompt table at the prompt tokens
    /// that run that layer plus the decode table at the decode tokens that do (a request entering mid-span runs only
    /// the span's last layers). With every request entering at the start, k x (prompt + decode).
    /// </summary>
    private double SpanMs(Server s, Performance.ServerBatchProfile profile)
    {
        var k = s.Layers;
        var promptByRun = _promptByRun.Length > k ? _promptByRun : _promptByRun = new int[k + 1];
        var decodeByRun = _decodeByRun.Length > k ? _decodeByRun : _decodeByRun = new int[k + 1];
        Array.Clear(promptByRun, 0, k + 1);
        Array.Clear(decodeByRun, 0, k + 1);
        foreach (var query in s.Batch)
        {
            var q = _queries[query];
            var run = q.RunLayers[q.Hop];
            if (q.Iteration == 0) promptByRun[run] += q.Prompt;
            else decodeByRun[run]++;
        }
        double ms = 0, layerMs = 0;
        int activePrompt = 0, activeDecode = 0;
        for (var depth = k; depth >= 1; depth--)
        {
            // Layer k - depth of the span: requests that run at least `depth` layers are active there.
            if (depth == k || promptByRun[depth] != 0 || decodeByRun[depth] != 0)
            {
                activePrompt += promptByRun[depth];
                activeDecode += decodeByRun[depth];
                layerMs = OneLayerMs(profile, activePrompt, activeDecode);
            }
            ms += layerMs;
        }
        return ms;
    }

    private ClusterRunResult Result()
    {
        var seconds = _options.DurationS;
        var windowMs = seconds * 1000;
        var servers = new ClusterServerFigures[_servers.Length];
        for (var i = 0; i < servers.Length; i++)
        {
            var s = _servers[i];
            servers[i] = new ClusterServerFigures(_cluster.Servers[i].Name, _cluster.Servers[i].Profile.Machine, s.Layers, s.BusyMsInWindow / windowMs,
                s.Capacity > 0 ? s.PeakKv / s.Capacity : 0, s.Batches > 0 ? s.BatchTokens / s.Batches : 0);
        }
        return new ClusterRunResult(_decodeTokens / seconds, _promptTokens / seconds, _launched, _finished, _rejections,
            _promptLatencies > 0 ? _promptLatencySum / _promptLatencies : double.NaN,
            _decodeLatencies > 0 ? _decodeLatencySum / _decodeLatencies : double.NaN, _overflows, servers, _events);
    }
}
