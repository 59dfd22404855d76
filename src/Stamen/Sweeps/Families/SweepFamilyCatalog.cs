using Stamen.Options;

namespace Stamen.Sweeps.Families;

/// <summary>The scenario families a sweep file's <c>family:</c> names.</summary>
public static class SweepFamilyCatalog
{
    public static Catalog<ISweepFamily> Families { get; } = new("sweep families", "sweep-families",
    [
        new("swarm", "Swarm scenarios (`stamen compare`): algorithms x Monte Carlo runs; algorithms: and runs: as in the scenario", [], _ => new SwarmSweepFamily()),
        new("engine", "Engine scenarios (`stamen engine compare`): policies on one arrival stream per run, run r from seed + r; algorithms: sets policies:", [], _ => new EngineSweepFamily()),
        new("adapters", "Adapter workloads (`stamen adapters verify`): each method's placement, verified in the twin on run r's arrivals (seed + 1 + r); algorithms: sets methods:", [], _ => new AdaptersSweepFamily()),
        new("split", "Split scenarios (`stamen split simulate`): each method's placements, served by the server twin on run r's arrivals (seed + r); algorithms: sets methods:", [], _ => new SplitSweepFamily()),
        new("helix", "Helix clusters (`stamen helix simulate`) as a YAML file: each placement made once, simulated by the batching twin with seed + r; algorithms: sets placements:", [], _ => new HelixSweepFamily()),
        new("lora-grid", "One cell of the multi-LoRA grid (`stamen reproduce engine-lora`): adapters and slots on one H100, policies on the same arrivals (seed + r)", [], _ => new LoraGridSweepFamily()),
        new("helix-study", "One cluster of the Helix study (`stamen reproduce helix`): rows pairing a placement with the study's scheduler and feed; run r uses seed + r", [], _ => new HelixStudySweepFamily()),
        new("milp-gap", "The MILP-gap study (`stamen reproduce milp-gap`): run r is instance r of the seed's sequence; every scaling heuristic priced against the exact MILP; algorithms: keeps rows", [], _ => new MilpGapSweepFamily()),
        new("split-grid", "One request type of the split grid (`stamen reproduce split`): model, device, link, sequence, SLA factor; the program, greedy and single cut", [], _ => new SplitGridSweepFamily()),
    ]);
}
