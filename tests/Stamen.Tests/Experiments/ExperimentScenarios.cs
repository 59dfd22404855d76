using Stamen.Scenarios;
using Stamen.Workload;

namespace Stamen.Tests.Experiments;

/// <summary>Scenarios for experiment tests, made small so each simulation takes milliseconds.</summary>
internal static class ExperimentScenarios
{
    /// <summary>The built-in default scenario with its Poisson workload resized.</summary>
    public static ScenarioDefinition Default(double ratePerSec, int requests, int? outputTokens = null)
    {
        var d = BuiltinScenarios.Load(null);
        var poisson = Assert.IsType<PoissonWorkloadDefinition>(d.Workload);
        poisson = poisson with { RatePerSec = ratePerSec, Requests = requests };
        if (outputTokens is { } l) poisson = poisson with { OutputTokens = new FixedTokenCount(l) };
        return d with { Workload = poisson };
    }

    /// <summary>A scenario from YAML text, relative paths resolved against the temp folder.</summary>
    public static ScenarioDefinition FromYaml(string yaml) =>
        ScenarioParser.ParseText(yaml, "(test scenario)", Path.GetTempPath());
}
