namespace Stamen.Split;

/// <summary>
/// A client device that can run some of a model's layers itself: roofline figures and how much memory an
/// app may give to model weights (which caps how many layers it can hold).
/// </summary>
/// <param name="PeakTflops">Dense half-precision peak.</param>
/// <param name="Mfu">Fraction of peak compute achieved.</param>
/// <param name="Mbu">Fraction of peak bandwidth achieved.</param>
public sealed record DeviceSpec(string Name, double PeakTflops, double BandwidthBytesPerSec, double MemoryForModelBytes, double Mfu, double Mbu);
