using System.Text.Json;
using System.Text.Json.Serialization;
using Stamen.Cli.Commands;
using Stamen.Experiments;
using Stamen.Reporting;

namespace Stamen.Cli.Rendering;

/// <summary>
/// Every type the command writes as JSON (and the two it reads back: reports and plans), with the metadata generated at
/// build time. <see cref="JsonOutput.Options"/> are these options plus the enum converters, with this context as the only resolver.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(Report))]
[JsonSerializable(typeof(ComparisonJson))]
[JsonSerializable(typeof(PlanReport))]
[JsonSerializable(typeof(ParetoReport))]
[JsonSerializable(typeof(ThroughputJson))]
[JsonSerializable(typeof(ScenarioCheckJson))]
[JsonSerializable(typeof(List<CatalogCommand.NamedEntry>))]
[JsonSerializable(typeof(List<CatalogCommand.EntryRow>))]
[JsonSerializable(typeof(List<CatalogModelJson>))]
[JsonSerializable(typeof(List<CatalogGpuJson>))]
[JsonSerializable(typeof(EngineComparisonJson))]
[JsonSerializable(typeof(EngineSweepJson))]
[JsonSerializable(typeof(AdapterPlanJson))]
[JsonSerializable(typeof(PredictorTrainingJson))]
[JsonSerializable(typeof(SplitPlanJson))]
[JsonSerializable(typeof(SplitSimulationJson))]
[JsonSerializable(typeof(HelixMilpJson))]
[JsonSerializable(typeof(HelixPlanJson))]
[JsonSerializable(typeof(HelixSimulationJson))]
[JsonSerializable(typeof(HelixFlowJson))]
[JsonSerializable(typeof(GeoStudyJson))]
[JsonSerializable(typeof(MilpGapJson))]
[JsonSerializable(typeof(LoraGridJson))]
[JsonSerializable(typeof(SplitGridJson))]
[JsonSerializable(typeof(HelixStudyJson))]
[JsonSerializable(typeof(SweepPlanJson))]
[JsonSerializable(typeof(SweepRunJson))]
[JsonSerializable(typeof(SweepStatusJson))]
[JsonSerializable(typeof(SweepSubmitJson))]
[JsonSerializable(typeof(SweepCollectJson))]
[JsonSerializable(typeof(SweepReportJson))]
[JsonSerializable(typeof(SwarmKeyJson))]
[JsonSerializable(typeof(GenerationJson))]
[JsonSerializable(typeof(ValidationJson))]
internal sealed partial class CliJson : JsonSerializerContext
{
    /// <summary>
    /// A string converter for every enum the types above hold, named by <paramref name="policy"/>. One generic converter per
    /// enum, because the non-generic factory makes its converters by reflection at run time, which Native AOT cannot do;
    /// a test walks the types and fails on an enum missing here.
    /// </summary>
    public static IEnumerable<JsonConverter> EnumConverters(JsonNamingPolicy policy) =>
    [
        new JsonStringEnumConverter<AxisScale>(policy),
        new JsonStringEnumConverter<MapRole>(policy),
        new JsonStringEnumConverter<Stamen.Optimization.Milp.MilpStatus>(policy),
    ];
}
