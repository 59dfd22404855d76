using Stamen.Experiments;
using Stamen.Reporting;
using Stamen.Reporting.Split;
using Stamen.Scenarios.Split;

namespace Stamen.Tests.Reporting;

public sealed class SplitReportBuilderTests
{
    private static readonly Lazy<(SplitScenario Scenario, IReadOnlyList<SplitTypeResult> Plans)> Planned = new(() =>
    {
        var scenario = SplitScenarioParser.Load(null);
        return (scenario, SplitStudy.Plan(scenario));
    });

    [Fact]
    public void Plan_LayerChartPerMethod_ClientPlusServerIsTheModelsLayersForEveryType()
    {
        var (scenario, plans) = Planned.Value;

        var report = SplitReportBuilder.Plan(scenario, plans, "stamen split plan");

        ReportAssert.WellFormed(report);
        foreach (var method in scenario.MethodNames)
        {
            var chart = ReportAssert.Chart<BarChart>(report, $"Layers on client and server per request type: {method}");
            Assert.True(chart.Stacked);
            Assert.Equal(scenario.RequestTypes.Select(t => t.Name), chart.Categories);
            var client = chart.Series.Single(s => s.Name == "client layers").Values;
            var server = chart.Series.Single(s => s.Name == "server layers").Values;
            for (var i = 0; i < plans.Count; i++)
            {
                Assert.Equal(plans[i].Type.Problem.LayerCount, client[i] + server[i]);
                Assert.Equal(plans[i].For(method).ClientLayers, client[i]);
            }
        }
    }

    [Fact]
    public void Plan_ServerWorkChart_OneSeriesPerMethodWithThePlansWork()
    {
        var (scenario, plans) = Planned.Value;

        var chart = ReportAssert.Chart<BarChart>(SplitReportBuilder.Plan(scenario, plans, "stamen split plan"), "Server work per request");

        Assert.Equal(scenario.MethodNames, chart.Series.Select(s => s.Name));
        foreach (var series in chart.Series)
            Assert.Equal(plans.Select(p => p.For(series.Name).ServerWorkMs), series.Values);
    }

    [Fact]
    public void Simulate_ServerChartsCarryTheTwinsFiguresPerMethod()
    {
        var (scenario, plans) = Planned.Value;
        var server = SplitStudy.Simulate(scenario, plans, 1);

        var report = SplitReportBuilder.Simulate(scenario, plans, 1, server, "stamen split simulate");

        ReportAssert.WellFormed(report);
        var capacity = ReportAssert.Chart<BarChart>(report, "Server capacity");
        Assert.Equal(scenario.MethodNames, capacity.Categories);
        Assert.Equal(server.Select(m => m.CapacityPerSec), capacity.Series.Single(s => s.Name == "capacity").Values);
        Assert.Equal(server.Select(m => m.ThroughputPerSec), capacity.Series.Single(s => s.Name == "served").Values);
        var best = server.MaxBy(m => m.CapacityPerSec)!;
        Assert.StartsWith(best.Method, capacity.AltText, StringComparison.Ordinal);
        Assert.Equal(server.Count, report.Sections[^1].Tables[0].Rows.Count);
    }
}
