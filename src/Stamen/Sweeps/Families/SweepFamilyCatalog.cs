using Stamen.Options;

namespace Stamen.Sweeps.Families;

/// <summary>The scenario families a sweep file's <c>family:</c> names.</summary>
public static class SweepFamilyCatalog
{
    public static Catalog<ISweepFamily> Families { get; } = new("sweep families", "sweep-families",
    [
        new("swarm", "Swarm scenarios (`stamen compare`): algorithms x Monte Carlo runs; algorithms: and runs: as in the scenario", [], _ => new SwarmSweepFamily()),
        new("engine", "Engine scenarios (`stamen engine compare`): policies on one arrival stream per run, run r from seed + r; algorithms: sets policies:", [], _ => new EngineSweepFamily()),
    ]);
}
