using Stamen.IO;

namespace Stamen.Tests.IO;

/// <summary>Outputs never replace what is not a regular file; inputs never read without bound (issue 17).</summary>
public sealed class FileSafetyTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("stamen-io-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string PathOf(string name) => Path.Combine(_dir.FullName, name);

    [Fact]
    public void Write_ThroughASymlink_KeepsTheLinkAndReplacesItsTarget()
    {
        var target = PathOf("target.json");
        File.WriteAllText(target, "old contents");
        var link = PathOf("link.json");
        File.CreateSymbolicLink(link, target);

        AtomicFile.WriteAllText(link, "new");

        Assert.NotNull(new FileInfo(link).LinkTarget);
        Assert.Equal("new", File.ReadAllText(target));
        Assert.Equal(["link.json", "target.json"], _dir.GetFiles().Select(f => f.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Write_ToAFifo_WritesIntoItAndLeavesAFifo()
    {
        if (OperatingSystem.IsWindows()) return;
        var fifo = PathOf("pipe");
        using (var mk = System.Diagnostics.Process.Start("mkfifo", [fifo])) await mk.WaitForExitAsync();
        var reader = Task.Run(() => File.ReadAllText(fifo));

        var write = Task.Run(() => AtomicFile.WriteAllText(fifo, "through the pipe"));
        await Task.WhenAll(write, reader).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal("through the pipe", await reader);
        using var stat = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("stat", ["-c", "%F", fifo]) { RedirectStandardOutput = true })!;
        Assert.Equal("fifo", (await stat.StandardOutput.ReadToEndAsync()).Trim());
    }

    [Fact]
    public void Write_ToAFolderOrAMissingFolder_IsAClearError_AndLeavesNoTemporaryFile()
    {
        Assert.Contains("is a folder", Assert.Throws<StamenInputException>(() => AtomicFile.WriteAllText(_dir.FullName, "x")).Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", Assert.Throws<StamenInputException>(() => AtomicFile.WriteAllText(PathOf("no/such/out.json"), "x")).Message, StringComparison.Ordinal);
        AtomicFile.WriteAllText(PathOf("out.json"), "ok");
        Assert.Equal(["out.json"], _dir.GetFiles().Select(f => f.Name));
    }

    [Fact]
    public async Task Read_AFifoOrADevice_ReadsNothingAndNeverWaits()
    {
        if (OperatingSystem.IsWindows()) return;
        var fifo = PathOf("pipe-in");
        using (var mk = System.Diagnostics.Process.Start("mkfifo", [fifo])) await mk.WaitForExitAsync();

        // A FIFO with no writer would block an open for ever; /dev/zero would fill memory.
        var fromFifo = await Task.Run(() => BoundedFile.ReadAllText(fifo, 1 << 20, "scenario")).WaitAsync(TimeSpan.FromSeconds(10));
        var fromZero = await Task.Run(() => BoundedFile.ReadAllText("/dev/zero", 1 << 20, "scenario")).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("", fromFifo);
        Assert.Equal("", fromZero);
    }

    [Fact]
    public void Read_TooLargeOrAFolder_IsAClearError()
    {
        File.WriteAllText(PathOf("big.yaml"), new string('x', 2000));
        Assert.Contains("more than the 1000", Assert.Throws<StamenInputException>(() => BoundedFile.ReadAllText(PathOf("big.yaml"), 1000, "scenario")).Message, StringComparison.Ordinal);
        Assert.Contains("is a folder", Assert.Throws<StamenInputException>(() => BoundedFile.ReadAllText(_dir.FullName, 1000, "scenario")).Message, StringComparison.Ordinal);
        Assert.Equal(new string('x', 2000), BoundedFile.ReadAllText(PathOf("big.yaml"), 2000, "scenario"));
    }

    [Fact]
    public void Yaml_NestedBeyondTheLimit_IsRefusedBeforeParsing()
    {
        var deep = "a: " + new string('[', 50_000) + new string(']', 50_000);
        var error = Assert.Throws<StamenInputException>(() => Stamen.Scenarios.ScenarioParser.ParseText(deep, "deep.yaml", "."));
        Assert.Contains("nest more than 64", error.Message, StringComparison.Ordinal);
        YamlDepth.Check("a: " + new string('[', 63) + new string(']', 63), "ok.yaml"); // with the top mapping, 64 deep
    }
}
