using Stamen.Hardware;
using Stamen.Model;

namespace Stamen.Split;

/// <summary>A client's network link to the server.</summary>
/// <param name="RttMs">Round trip; each one-way transfer pays half of it.</param>
public sealed record LinkSpec(double UplinkBitsPerSec, double DownlinkBitsPerSec, double RttMs);

/// <summary>One layer's cost on each side for one request.</summary>
/// <param name="ServerWorkMs">GPU time the layer takes from the server: the work a split saves.</param>
public sealed record LayerCost(double ClientMs, double ServerMs, double ServerWorkMs);

/// <summary>
/// One request type's split problem: per-layer costs, transfer times at a switch, the client's layer budget and
/// the SLA. The input starts on the client (token embedding there) and the output must end on the client
/// (the LM head there): an uplink before the first server layer of a run, a downlink after its last.
/// </summary>
/// <param name="InputUplinkMs">Client to server when the first layer runs on the server: the prompt's token ids (the server embeds them).</param>
/// <param name="UplinkMs">Client to server at a switch after a client layer: the activations of every position.</param>
/// <param name="DownlinkMs">Server to client at a switch inside the network: the activations of every position.</param>
/// <param name="FinalDownlinkMs">Server to client after the last layer: the last position's hidden state only (all the LM head needs).</param>
/// <param name="MaxClientLayers">Layers whose weights fit in the client's memory.</param>
public sealed record SplitProblem(IReadOnlyList<LayerCost> Layers, double InputUplinkMs, double UplinkMs, double DownlinkMs, double FinalDownlinkMs,
    int MaxClientLayers, double SlaMs)
{
    public int LayerCount => Layers.Count;

    /// <summary>Exact latency of a placement (true = layer on the client).</summary>
    public double LatencyMs(IReadOnlyList<bool> onClient)
    {
        ArgumentNullException.ThrowIfNull(onClient);
        var ms = 0.0;
        var previousOnClient = true;
        for (var i = 0; i < Layers.Count; i++)
        {
            var c = onClient[i];
            if (previousOnClient && !c) ms += i == 0 ? InputUplinkMs : UplinkMs;
            else if (!previousOnClient && c) ms += DownlinkMs;
            ms += c ? Layers[i].ClientMs : Layers[i].ServerMs;
            previousOnClient = c;
        }
        return previousOnClient ? ms : ms + FinalDownlinkMs;
    }

    public double ServerWorkMs(IReadOnlyList<bool> onClient)
    {
        ArgumentNullException.ThrowIfNull(onClient);
        var work = 0.0;
        for (var i = 0; i < Layers.Count; i++)
            if (!onClient[i]) work += Layers[i].ServerWorkMs;
        return work;
    }
}

/// <summary>
/// Per-layer costs from the catalogs, for one forward pass over a sequence of s tokens (a prompt's prefill; s = 1
/// is one decode step): FLOPs 2 x params of the block x s plus causal attention 2 x s^2 x hidden; time on each side
/// the slower of compute (FLOPs / (peak x MFU)) and weight reads (bytes / (bandwidth x MBU)). Activations cross the
/// link as s x hidden fp16 values; a server that starts the network gets the token ids (32 bits each) instead, and
/// the LM head runs on the client, so only the last position's hidden state comes back at the end. Each transfer
/// also pays half the round trip.
/// </summary>
public static class SplitCostModel
{
    /// <summary>Server GPU model-FLOPs utilisation for a single request's prefill (the engine twin's default).</summary>
    public const double ServerMfu = 0.4;

    /// <summary>Server GPU bandwidth utilisation.</summary>
    public const double ServerMbu = 0.8;

    public static SplitProblem Build(ModelSpec model, GpuSpec server, DeviceSpec device, LinkSpec link, int sequenceTokens, double slaMs,
        double clientWeightBits = 16)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(link);
        var s = (double)sequenceTokens;
        var flops = 2.0 * model.ParamsPerBlock * s + 2.0 * s * s * model.HiddenSize;
        var serverMs = Math.Max(flops / (server.PeakTflops * 1e12 * ServerMfu), model.BlockBytes / (server.BandwidthBytesPerSec * ServerMbu)) * 1000;
        var clientLayerBytes = model.ParamsPerBlock * clientWeightBits / 8;
        var clientMs = Math.Max(flops / (device.PeakTflops * 1e12 * device.Mfu), clientLayerBytes / (device.BandwidthBytesPerSec * device.Mbu)) * 1000;
        var layers = Enumerable.Repeat(new LayerCost(clientMs, serverMs, serverMs), model.NumBlocks).ToArray();
        var activationBits = s * model.HiddenSize * 16;
        var oneWayMs = link.RttMs / 2;
        return new SplitProblem(layers,
            s * 32 / link.UplinkBitsPerSec * 1000 + oneWayMs,
            activationBits / link.UplinkBitsPerSec * 1000 + oneWayMs,
            activationBits / link.DownlinkBitsPerSec * 1000 + oneWayMs,
            model.HiddenSize * 16.0 / link.DownlinkBitsPerSec * 1000 + oneWayMs,
            (int)Math.Min(model.NumBlocks, Math.Floor(device.MemoryForModelBytes / clientLayerBytes)),
            slaMs);
    }
}
