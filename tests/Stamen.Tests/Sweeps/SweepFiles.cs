using Stamen.Sweeps;

namespace Stamen.Tests.Sweeps;

/// <summary>Small sweep files written into a fresh folder, for the sweep tests.</summary>
internal static class SweepFiles
{
    /// <summary>The built-in default swarm with 30 requests: 2 rates x 2 algorithms x <paramref name="runs"/> runs.</summary>
    public static string Small(int runs = 3, string extra = "") => $$"""
        name: small
        family: swarm
        base: default
        axes:
          rate:
            path: workload.poisson.rate_per_s
            values: [0.3, 0.6]
          requests:
            path: workload.poisson.requests
            values: [30]
        algorithms: [petals, cg-bp+ws-rr]
        runs: {{runs}}
        {{extra}}
        """;

    public static string Write(string folder, string text, string name = "sweep.yaml")
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    public static SweepPlan Plan(string text, string? folder = null)
    {
        var dir = folder ?? Directory.CreateTempSubdirectory("stamen-sweep-").FullName;
        return SweepPlanner.Plan(SweepParser.ParseFile(Write(dir, text)));
    }

    /// <summary>The problem a bad sweep file gives, as one message.</summary>
    public static string ErrorOf(string text)
    {
        var e = Assert.Throws<StamenInputException>(() => Plan(text));
        return e.Message;
    }
}
