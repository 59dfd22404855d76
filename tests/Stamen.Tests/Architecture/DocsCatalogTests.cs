using System.Text.RegularExpressions;
using Stamen.Adapters.Placement;
using Stamen.Algorithms;
using Stamen.Optimization.Milp;
using Stamen.Placement;
using Stamen.Routing;
using Stamen.Simulation.Engine;
using Stamen.Simulation.Engine.Policies;
using Stamen.Simulation.Swarm;
using Stamen.Split;
using Stamen.Tests.Scenarios;

namespace Stamen.Tests.Architecture;

/// <summary>
/// The docs' algorithm tables are the catalogs': a table marked <c>&lt;!-- catalog: NAME --&gt;</c> lists
/// exactly that catalog's entries in its order, and every entry of every family is named in its doc,
/// so adding, renaming or removing an algorithm without its documentation fails here.
/// </summary>
public sealed partial class DocsCatalogTests
{
    /// <summary>Each family's `stamen catalog` listing, its entries, and the doc that explains them.</summary>
    private static readonly Dictionary<string, (string Doc, IReadOnlyList<string> Names)> Families = new()
    {
        ["algorithms"] = ("docs/scenarios.md", [.. SwarmAlgorithmCatalog.All.Select(a => a.Name)]),
        ["placements"] = ("docs/model.md", [.. PlacementCatalog.Planners.Names]),
        ["routers"] = ("docs/model.md", [.. RouterCatalog.Routers.Names]),
        ["admissions"] = ("docs/model.md", [.. AdmissionCatalog.Policies.Names]),
        ["engine-policies"] = ("docs/engine.md", [.. EnginePolicyCatalog.Policies.Names]),
        ["engine-routers"] = ("docs/engine.md", [.. EngineRouterCatalog.Routers.Names]),
        ["step-times"] = ("docs/engine.md", [.. StepTimeCatalog.Models.Names]),
        ["adapter-placers"] = ("docs/adapters.md", [.. AdapterPlacerCatalog.Placers.Names]),
        ["split-methods"] = ("docs/split.md", [.. SplitPlannerCatalog.Planners.Names]),
        ["milp-solvers"] = ("docs/milp.md", [.. MilpSolverCatalog.Names]),
        ["cluster-placements"] = ("docs/helix.md", [.. Stamen.Helix.ClusterPlacementCatalog.Planners.Names]),
        ["cluster-schedulers"] = ("docs/helix.md", [.. Stamen.Simulation.Cluster.ClusterSchedulerCatalog.Schedulers.Names]),
        ["sweep-families"] = ("docs/sweeps.md", [.. Stamen.Sweeps.Families.SweepFamilyCatalog.Families.Names]),
    };

    public static TheoryData<string> FamilyNames() => [.. Families.Keys];

    private static string Doc(string relative) => File.ReadAllText(Path.Combine(ScenarioFiles.RepositoryRoot, relative));

    [Theory]
    [MemberData(nameof(FamilyNames))]
    public void EveryCatalogEntry_IsNamedInItsDoc(string family)
    {
        var (doc, names) = Families[family];
        var text = Doc(doc);
        var missing = names.Where(n => !text.Contains($"`{n}`", StringComparison.Ordinal) && !text.Contains($"**{n}**", StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, $"{doc} does not name {string.Join(", ", missing)} (`stamen catalog {family}`)");
    }

    [Fact]
    public void MarkedTables_ListExactlyTheirCatalog()
    {
        var checkedTables = new List<string>();
        foreach (var doc in Directory.GetFiles(Path.Combine(ScenarioFiles.RepositoryRoot, "docs"), "*.md").Append(Path.Combine(ScenarioFiles.RepositoryRoot, "README.md")))
        {
            var lines = File.ReadAllLines(doc);
            for (var i = 0; i < lines.Length; i++)
            {
                var marker = Marker().Match(lines[i]);
                if (!marker.Success) continue;
                var family = marker.Groups[1].Value;
                Assert.True(Families.ContainsKey(family), $"{Path.GetFileName(doc)}:{i + 1}: no catalog called '{family}'");
                // The table starts on the next line: header, separator, then one row per entry.
                var rows = lines.Skip(i + 3).TakeWhile(l => l.StartsWith('|')).ToList();
                var listed = rows.Select(r => FirstName().Match(r)).Select(m => m.Success ? m.Groups[1].Value : "(no `name` in the first column)").ToList();
                Assert.Equal(Families[family].Names, listed);
                checkedTables.Add(family);
            }
        }
        // Guard: the tables this test exists for were found.
        Assert.Equal(["adapter-placers", "algorithms", "cluster-placements", "cluster-schedulers", "engine-policies", "engine-routers", "milp-solvers", "split-methods", "step-times", "sweep-families"], checkedTables.Order());
    }

    [GeneratedRegex(@"^<!-- catalog: ([a-z-]+) -->$")]
    private static partial Regex Marker();

    [GeneratedRegex(@"^\|\s*`([^`]+)`")]
    private static partial Regex FirstName();
}
