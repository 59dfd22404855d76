using System.Text.Json.Serialization;

namespace Stamen.Reporting;

/// <summary>
/// A command's results as a report: what `--json` saves under <c>report</c> and what the HTML renders. The HTML is a pure
/// function of this record, so a report rendered from saved JSON equals the one rendered at the end of the run.
/// </summary>
/// <param name="Kind">Which command family made it: swarm, pareto, engine, adapters, split, validation.</param>
/// <param name="Title">Heading of the page.</param>
/// <param name="Command">The command line that produced it, for the reader to re-run.</param>
/// <param name="Summary">Scenario facts shown first (model, servers, workload, seed, ...).</param>
/// <param name="Sections">Tables and charts, in reading order.</param>
public sealed record Report(string Kind, string Title, string Command, IReadOnlyList<ReportFact> Summary, IReadOnlyList<ReportSection> Sections)
{
    /// <summary>
    /// Wall-clock figures (planning or solve times), shown last under their own heading: the only part of a
    /// report that differs between two runs on the same inputs and seed. Null when the command measured none.
    /// </summary>
    public ReportTable? Timings { get; init; }
}

/// <summary>One line of the summary: a name and its value as text.</summary>
public sealed record ReportFact(string Name, string Value);

/// <summary>A heading with an optional paragraph, its tables, then its charts.</summary>
public sealed record ReportSection(string Title, string? Text, IReadOnlyList<ReportTable> Tables, IReadOnlyList<Chart> Charts);

/// <summary>A table of text cells; every row has one cell per column.</summary>
public sealed record ReportTable(string Title, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows);

public enum AxisScale
{
    Linear,
    Log,
}

/// <summary>A numeric axis: label and unit (shown as "label (unit)"), scale, and optional fixed bounds.</summary>
public sealed record Axis(string Label, string? Unit, AxisScale Scale = AxisScale.Linear, double? Min = null, double? Max = null);

/// <summary>
/// A chart. Every chart has a title and a text alternative (what a reader who cannot see it should learn from it: the
/// finding, not the colours); renderers add axis labels with units and a legend.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(LineChart), "line")]
[JsonDerivedType(typeof(ScatterChart), "scatter")]
[JsonDerivedType(typeof(BarChart), "bar")]
[JsonDerivedType(typeof(PlacementChart), "placement")]
[JsonDerivedType(typeof(MapChart), "map")]
public abstract record Chart(string Title, string AltText);

/// <summary>
/// A named line through (X[i], Y[i]); <paramref name="Step"/> draws it as a staircase (CDFs, occupancy over time);
/// <paramref name="Markers"/> marks each point, for a few measured points joined only to guide the eye (a sweep of rates).
/// </summary>
public sealed record XySeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y, bool Step = false, bool Markers = false);

/// <summary>Lines on two numeric axes: latency CDFs, throughput against load, cache use over time.</summary>
public sealed record LineChart(string Title, string AltText, Axis X, Axis Y, IReadOnlyList<XySeries> Series) : Chart(Title, AltText);

/// <summary>Named points; <paramref name="Connect"/> joins them in order (a Pareto front), <paramref name="Labels"/> names single points.</summary>
public sealed record PointSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y, bool Connect = false, IReadOnlyList<string>? Labels = null);

/// <summary>Points on two numeric axes; <paramref name="Diagonal"/> adds the y = x line (predicted against measured).</summary>
public sealed record ScatterChart(string Title, string AltText, Axis X, Axis Y, IReadOnlyList<PointSeries> Series, bool Diagonal = false)
    : Chart(Title, AltText);

/// <summary>One value per category of the chart.</summary>
public sealed record BarSeries(string Name, IReadOnlyList<double> Values);

/// <summary>Bars per category, grouped side by side or <paramref name="Stacked"/>.</summary>
public sealed record BarChart(string Title, string AltText, string CategoryLabel, IReadOnlyList<string> Categories, Axis Y, IReadOnlyList<BarSeries> Series,
    bool Stacked = false) : Chart(Title, AltText);

/// <summary>A server's row of the placement strip: blocks [Start, End), its GPU kind (the colour) and how many sessions it fits.</summary>
public sealed record PlacementRow(string Server, string Gpu, int Start, int End, int SessionCapacity);

/// <summary>Servers by blocks: which server holds which blocks, coloured by GPU kind.</summary>
public sealed record PlacementChart(string Title, string AltText, int Blocks, IReadOnlyList<PlacementRow> Servers) : Chart(Title, AltText);

public enum MapRole
{
    Node,
    Server,
    Client,
}

/// <summary>A place on the map by latitude and longitude in degrees, with what stands there.</summary>
public sealed record MapNode(string Name, double Latitude, double Longitude, MapRole Role);

/// <summary>A route drawn as a polyline through the chart's nodes, by index (client, then servers in hop order).</summary>
public sealed record MapRoute(string Name, IReadOnlyList<int> Path);

/// <summary>The topology on a map: nodes, servers and clients at their coordinates, and sample routes.</summary>
public sealed record MapChart(string Title, string AltText, IReadOnlyList<MapNode> Nodes, IReadOnlyList<MapRoute> Routes) : Chart(Title, AltText);
