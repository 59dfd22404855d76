using System.Globalization;
using Stamen.Experiments;

namespace Stamen.Cli.Rendering;

/// <summary>One CSV row per simulated request, so anyone can recompute any metric.</summary>
internal static class RequestCsv
{
    public const string Header = "run,request,client,arrival_s,servers,retries,wait_s,start_s,first_token_s,total_s,mean_s_per_token,prompt_tokens,output_tokens,outcome";

    public static void Write(TextWriter w, IReadOnlyList<SimulatedRun> runs)
    {
        w.WriteLine(Header);
        foreach (var run in runs)
        {
            var swarm = run.Planned.Run.Swarm;
            var requests = run.Planned.Run.Requests;
            foreach (var r in run.Twin.Requests)
            {
                var shape = requests[r.Id].Shape;
                var servers = string.Join(';', r.Hops.Select(h => swarm.Servers[h.Server].Name));
                w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{run.Planned.Run.Run},{r.Id},{swarm.Clients[r.Client].Name},{r.ArrivalMs / 1000:0.######},{servers},{r.Retries},{r.WaitMs / 1000:0.######},{r.StartMs / 1000:0.######},{r.FirstTokenMs / 1000:0.######},{r.TotalMs / 1000:0.######},{r.AverageMsPerToken / 1000:0.######},{shape.PromptTokens},{shape.OutputTokens},{r.Outcome}"));
            }
        }
    }
}
