namespace Stamen.Simulation.Swarm;

/// <summary>Cache bytes in use on one server over time: current, peak, and the time integral for a mean.</summary>
internal sealed class MemoryMeter(double fromMs)
{
    private double _lastMs = fromMs;
    private double _areaByteMs;

    public double UsedBytes { get; private set; }
    public double PeakBytes { get; private set; }

    public void Change(double nowMs, double deltaBytes)
    {
        Advance(nowMs);
        UsedBytes += deltaBytes;
        PeakBytes = Math.Max(PeakBytes, UsedBytes);
    }

    /// <summary>Mean cache in use from the start to <paramref name="toMs"/> (current use when the window is empty).</summary>
    public double MeanBytes(double fromMs, double toMs)
    {
        Advance(toMs);
        return toMs > fromMs ? _areaByteMs / (toMs - fromMs) : UsedBytes;
    }

    private void Advance(double nowMs)
    {
        _areaByteMs += UsedBytes * (nowMs - _lastMs);
        _lastMs = nowMs;
    }
}
