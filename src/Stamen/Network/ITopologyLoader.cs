namespace Stamen.Network;

/// <summary>Reads a topology file of one format. Errors are <see cref="StamenInputException"/>s naming the file and line or field.</summary>
public interface ITopologyLoader
{
    Topology Load(string path);
}
