using Stamen.Hardware;
using Stamen.Model;
using Stamen.Split;

namespace Stamen.Experiments;

/// <summary>One cell of the split grid: a request type and each method's server work (NaN when the method misses the SLA).</summary>
public sealed record SplitGridCell(string Model, string Device, string Link, int SequenceTokens, double SlaFactor, double SlaMs,
    double ServerOnlyWorkMs, double DpWorkMs, double GreedyWorkMs, double SingleCutWorkMs, int DpSwitches)
{
    /// <summary>Server work saved by the program against running every layer on the server, in %.</summary>
    public double ReductionVsServerOnlyPercent => 100 * (ServerOnlyWorkMs - DpWorkMs) / ServerOnlyWorkMs;

    /// <summary>Server work the program saves against the greedy's placement, in % of the greedy's (0 when equal).</summary>
    public double GainOverGreedyPercent => double.IsNaN(GreedyWorkMs) ? double.NaN : 100 * (GreedyWorkMs - DpWorkMs) / GreedyWorkMs;

    /// <summary>How many more requests the server carries per second: server-only work / the program's work.</summary>
    public double CapacityGain => ServerOnlyWorkMs / DpWorkMs;
}

/// <summary>
/// The split placement over a grid of request types: models, client devices, links, sequence lengths and SLAs (as
/// multiples of the server-only latency, so every cell is feasible), each solved by the program, greedy and single
/// cut against server only.
/// </summary>
public static class SplitGridStudy
{
    public static IReadOnlyList<string> Models { get; } = ["llama-3.1-8b", "qwen-2.5-7b", "llama-2-70b"];

    public static IReadOnlyList<(string Name, LinkSpec Link)> Links { get; } =
    [
        ("lte", new LinkSpec(20e6, 80e6, 50)),
        ("wifi", new LinkSpec(100e6, 300e6, 20)),
        ("fibre", new LinkSpec(500e6, 500e6, 5)),
    ];

    public static IReadOnlyList<int> SequenceTokens { get; } = [128, 512, 2048];

    public static IReadOnlyList<double> SlaFactors { get; } = [2, 4, 8];

    /// <summary>The link named <paramref name="name"/> (lte, wifi, fibre), or null.</summary>
    public static LinkSpec? Link(string name) => Links.FirstOrDefault(l => l.Name == name).Link;

    /// <summary>One request type of the grid solved by every method (what a sweep's item computes).</summary>
    public static SplitGridCell Cell(string model, string device, (string Name, LinkSpec Link) link, int sequenceTokens, double slaFactor, double? stepMs = null,
        string serverGpu = "a100-80gb")
    {
        var gpu = GpuCatalog.BuiltIn.Find(serverGpu);
        if (!DeviceCatalog.BuiltIn.TryFind(device, out var spec))
            throw new StamenInputException("split grid", "device", $"unknown device '{device}'", $"use one of {string.Join(", ", DeviceCatalog.BuiltIn.Names)}");
        var baseProblem = SplitCostModel.Build(ModelCatalog.BuiltIn.Find(model), gpu, spec, link.Link, sequenceTokens, double.PositiveInfinity);
        var serverOnlyLatency = new ServerOnlySplit().Plan(baseProblem).LatencyMs;
        var problem = baseProblem with { SlaMs = serverOnlyLatency * slaFactor };
        var dp = new SplitDynamicProgram(stepMs).Plan(problem)!;
        var greedy = new GreedySplit().Plan(problem);
        var cut = new SingleCutSplit().Plan(problem);
        return new SplitGridCell(model, device, link.Name, sequenceTokens, slaFactor, problem.SlaMs, new ServerOnlySplit().Plan(problem).ServerWorkMs, dp.ServerWorkMs,
            greedy.MeetsSla ? greedy.ServerWorkMs : double.NaN, cut.MeetsSla ? cut.ServerWorkMs : double.NaN, dp.Switches);
    }

    public static IReadOnlyList<SplitGridCell> Run(double? stepMs = null, string serverGpu = "a100-80gb")
    {
        var cells = new List<(string Model, string Device, (string Name, LinkSpec Link) Link, int Tokens, double Factor)>();
        foreach (var m in Models)
            foreach (var d in DeviceCatalog.BuiltIn.Names)
                foreach (var l in Links)
                    foreach (var s in SequenceTokens)
                        foreach (var f in SlaFactors)
                            cells.Add((m, d, l, s, f));
        var results = new SplitGridCell[cells.Count];
        Parallel.For(0, cells.Count, i =>
        {
            var (m, d, l, s, f) = cells[i];
            results[i] = Cell(m, d, l, s, f, stepMs, serverGpu);
        });
        return results;
    }
}
