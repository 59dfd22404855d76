using System.Globalization;
using Stamen.Simulation.Engine;

namespace Stamen.Cli.Rendering;

/// <summary>One CSV row per engine request, so anyone can recompute any metric; times in seconds, empty when rejected; adapter empty for the base model.</summary>
internal static class EngineRequestCsv
{
    public const string Header = "id,adapter,instance,arrival_s,first_token_s,finish_s,prompt_tokens,output_tokens,preemptions,outcome";

    public static void Write(TextWriter w, IReadOnlyList<EngineRequestRecord> requests)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(requests);
        w.WriteLine(Header);
        foreach (var r in requests)
            w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Id},{r.Adapter},{r.Instance},{Seconds(r.ArrivalMs)},{Seconds(r.FirstTokenMs)},{Seconds(r.FinishMs)},{r.PromptTokens},{r.OutputTokens},{r.Preemptions},{r.Outcome.ToString().ToLowerInvariant()}"));
    }

    private static string Seconds(double ms) => double.IsNaN(ms) ? "" : (ms / 1000).ToString("0.######", CultureInfo.InvariantCulture);
}
