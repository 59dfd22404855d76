namespace Stamen.Workload;

/// <summary>
/// Poisson arrivals at <see cref="RatePerSec"/> (exponential gaps, first arrival at the first gap),
/// lengths drawn independently, clients chosen by weight.
/// </summary>
public sealed record PoissonWorkload(
    double RatePerSec,
    int Requests,
    TokenCountDistribution PromptTokens,
    TokenCountDistribution OutputTokens,
    IReadOnlyList<double> ClientWeights)
{
    public List<SwarmRequest> Generate(int seed)
    {
        // Separate streams so changing the length distribution does not move arrival times.
        var arrivals = new Random(Simulation.SeedStreams.Derive(seed, 1));
        var lengths = new Random(Simulation.SeedStreams.Derive(seed, 2));
        var clients = new Random(Simulation.SeedStreams.Derive(seed, 3));
        var total = ClientWeights.Sum();
        var list = new List<SwarmRequest>(Requests);
        double nowMs = 0;
        for (var i = 0; i < Requests; i++)
        {
            nowMs += -Math.Log(1 - arrivals.NextDouble()) / RatePerSec * 1000.0;
            var shape = new RequestShape(PromptTokens.Sample(lengths), OutputTokens.Sample(lengths));
            list.Add(new SwarmRequest(i, nowMs, PickClient(clients.NextDouble() * total), shape));
        }
        return list;
    }

    private int PickClient(double u)
    {
        for (var c = 0; c < ClientWeights.Count; c++)
        {
            u -= ClientWeights[c];
            if (u < 0) return c;
        }
        return ClientWeights.Count - 1;
    }
}
