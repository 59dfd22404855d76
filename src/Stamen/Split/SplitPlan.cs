using System.Globalization;
using System.Text;

namespace Stamen.Split;

/// <summary>Where each layer of one request type runs, and what that costs.</summary>
/// <param name="OnClient">Per layer, true when it runs on the client.</param>
/// <param name="LatencyMs">Exact latency (client, server and transfer times), not the discretised one.</param>
/// <param name="ServerWorkMs">Server GPU time per request.</param>
/// <param name="MeetsSla">Exact latency within the SLA and client layers within the device's memory.</param>
public sealed record SplitPlan(string Method, IReadOnlyList<bool> OnClient, double LatencyMs, double ServerWorkMs, bool MeetsSla)
{
    public int ClientLayers => OnClient.Count(c => c);

    /// <summary>Location changes along the layers, counting the final return to the client.</summary>
    public int Switches
    {
        get
        {
            var switches = 0;
            var previous = true;
            foreach (var c in OnClient)
            {
                if (c != previous) switches++;
                previous = c;
            }
            return previous ? switches : switches + 1;
        }
    }

    /// <summary>Layer ranges per side, 1-based, e.g. "C 1-4, S 5-32".</summary>
    public string Describe()
    {
        var b = new StringBuilder();
        for (var i = 0; i < OnClient.Count;)
        {
            var j = i;
            while (j + 1 < OnClient.Count && OnClient[j + 1] == OnClient[i]) j++;
            if (b.Length > 0) b.Append(", ");
            b.Append(OnClient[i] ? "C " : "S ").Append(i + 1).Append(CultureInfo.InvariantCulture, $"{(j > i ? $"-{j + 1}" : "")}");
            i = j + 1;
        }
        return b.ToString();
    }

    public static SplitPlan Of(string method, SplitProblem problem, bool[] onClient)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var latency = problem.LatencyMs(onClient);
        var meets = latency <= problem.SlaMs + 1e-9 && onClient.Count(c => c) <= problem.MaxClientLayers;
        return new SplitPlan(method, onClient, latency, problem.ServerWorkMs(onClient), meets);
    }
}
