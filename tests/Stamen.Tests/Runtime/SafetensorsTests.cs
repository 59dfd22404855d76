using Stamen.Runtime.Model;

namespace Stamen.Tests.Runtime;

public sealed class SafetensorsTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"stamen-safetensors-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void SaveThenLoad_F32_WeightsAndTokensEqualTheInMemoryModel()
    {
        LlamaCheckpoint.Save(_folder, TinyModel.Weights, SafetensorsDtype.F32);

        var loaded = LlamaCheckpoint.Load(_folder);

        Assert.Equal(TinyModel.Config, loaded.Config);
        for (var b = 0; b < TinyModel.Config.Blocks; b++)
            Assert.Equal(TinyModel.Weights.Block(b).Tensors(), loaded.Block(b).Tensors());
        Assert.Equal(TinyModel.Weights.Embedding, loaded.Embedding);
        Assert.Equal(TinyModel.Weights.LmHead, loaded.LmHead);
        Assert.Equal(new LocalModel(TinyModel.Weights).Generate(TinyModel.Prompt, 8), new LocalModel(loaded).Generate(TinyModel.Prompt, 8));
    }

    [Theory]
    [InlineData(SafetensorsDtype.F16)]
    [InlineData(SafetensorsDtype.BF16)]
    public void SaveThenLoad_HalfWidths_GiveTheRoundedValuesAndARunnableModel(SafetensorsDtype dtype)
    {
        LlamaCheckpoint.Save(_folder, TinyModel.Weights, dtype);

        var loaded = LlamaCheckpoint.Load(_folder);

        Func<float, float> round = dtype == SafetensorsDtype.F16
            ? v => (float)(Half)v
            : v => BitConverter.UInt32BitsToSingle((uint)SafetensorsFile.ToBFloat16(v) << 16);
        var original = TinyModel.Weights.Block(1).Gate;
        Assert.Equal(original.Select(round).ToArray(), loaded.Block(1).Gate);
        Assert.Equal(TinyModel.Weights.FinalNorm!.Select(round).ToArray(), loaded.FinalNorm);
        Assert.Equal(8, new LocalModel(loaded).Generate(TinyModel.Prompt, 8).Count);
    }

    [Fact]
    public void ToBFloat16_RoundsToNearestEven()
    {
        Assert.Equal(0x3F80, SafetensorsFile.ToBFloat16(1f));
        Assert.Equal(0x3F80, SafetensorsFile.ToBFloat16(BitConverter.UInt32BitsToSingle(0x3F808000))); // tie, even below
        Assert.Equal(0x3F82, SafetensorsFile.ToBFloat16(BitConverter.UInt32BitsToSingle(0x3F818000))); // tie, even above
        Assert.Equal(0x3F81, SafetensorsFile.ToBFloat16(BitConverter.UInt32BitsToSingle(0x3F808001)));
    }

    [Fact]
    public void Load_ABlockRangeWithoutClientParts_ReadsOnlyThose()
    {
        LlamaCheckpoint.Save(_folder, TinyModel.Weights);

        var part = LlamaCheckpoint.Load(_folder, new BlockRange(1, 3), clientParts: false);

        Assert.Equal(new BlockRange(1, 3), part.Range);
        Assert.Null(part.Embedding);
        Assert.Equal(TinyModel.Weights.Block(2).Tensors(), part.Block(2).Tensors());
    }

    [Fact]
    public void Load_TiedEmbeddings_UseTheEmbeddingAsHead()
    {
        var tied = SeededWeights.Create(LlamaConfig.Tiny with { TieEmbeddings = true }, seed: 3);
        LlamaCheckpoint.Save(_folder, tied);

        var loaded = LlamaCheckpoint.Load(_folder);

        Assert.False(SafetensorsFile.Open(Path.Combine(_folder, LlamaCheckpoint.WeightsFile)).Contains(LlamaCheckpoint.LmHeadName));
        Assert.Same(loaded.Embedding, loaded.LmHead);
    }

    [Fact]
    public void Load_TruncatedFile_NamesFileAndTensor()
    {
        LlamaCheckpoint.Save(_folder, TinyModel.Weights);
        var path = Path.Combine(_folder, LlamaCheckpoint.WeightsFile);
        using (var file = File.OpenWrite(path)) file.SetLength(file.Length - 100);

        var e = Assert.Throws<StamenInputException>(() => LlamaCheckpoint.Load(_folder));

        Assert.Equal(path, e.File);
        Assert.Equal(LlamaCheckpoint.LmHeadName, e.Field); // the last tensor in the file
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FileShorterThanItsHeader_IsRefused()
    {
        Directory.CreateDirectory(_folder);
        File.WriteAllText(Path.Combine(_folder, LlamaCheckpoint.ConfigFile), LlamaCheckpoint.ConfigJson(LlamaConfig.Tiny));
        File.WriteAllBytes(Path.Combine(_folder, LlamaCheckpoint.WeightsFile), [200, 0, 0, 0, 0, 0, 0, 0, (byte)'{']);

        var e = Assert.Throws<StamenInputException>(() => LlamaCheckpoint.Load(_folder));

        Assert.Equal("(header)", e.Field);
    }

    [Fact]
    public void Load_WrongShape_SaysWhatTheConfigImplies()
    {
        var name = LlamaCheckpoint.BlockTensorName(2, "self_attn.k_proj.weight");
        var tensors = LlamaCheckpoint.ToTensors(TinyModel.Weights)
            .Select(t => t.Name == name ? t with { Shape = [128, 64], Values = new float[128 * 64] } : t);
        WriteCheckpoint(tensors);

        var e = Assert.Throws<StamenInputException>(() => LlamaCheckpoint.Load(_folder));

        Assert.Equal(name, e.Field);
        Assert.Contains("[128, 64] but config.json implies [64, 128]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingTensor_NamesIt()
    {
        var name = LlamaCheckpoint.BlockTensorName(3, "mlp.up_proj.weight");
        WriteCheckpoint(LlamaCheckpoint.ToTensors(TinyModel.Weights).Where(t => t.Name != name));

        var e = Assert.Throws<StamenInputException>(() => LlamaCheckpoint.Load(_folder));

        Assert.Equal(name, e.Field);
        Assert.Contains("missing", e.Message, StringComparison.Ordinal);
        // A server holding blocks 0..3 never needs it.
        Assert.Equal(new BlockRange(0, 3), LlamaCheckpoint.Load(_folder, new BlockRange(0, 3)).Range);
    }

    [Fact]
    public void ReadConfig_UnsupportedFeatures_AreRefusedWithTheField()
    {
        Directory.CreateDirectory(_folder);
        var path = Path.Combine(_folder, LlamaCheckpoint.ConfigFile);
        File.WriteAllText(path, """{"model_type": "llama", "hidden_size": 64, "intermediate_size": 128, "num_attention_heads": 4, "num_hidden_layers": 2, "vocab_size": 100, "rope_scaling": {"rope_type": "llama3"}}""");
        Assert.Equal("rope_scaling", Assert.Throws<StamenInputException>(() => LlamaCheckpoint.ReadConfig(path)).Field);

        File.WriteAllText(path, """{"model_type": "llama", "hidden_size": 64, "num_attention_heads": 4, "num_hidden_layers": 2, "vocab_size": 100}""");
        Assert.Equal("intermediate_size", Assert.Throws<StamenInputException>(() => LlamaCheckpoint.ReadConfig(path)).Field);

        File.WriteAllText(path, """{"model_type": "llama", "hidden_size": 64, "intermediate_size": 128, "num_attention_heads": 4, "num_hidden_layers": 2, "vocab_size": 100}""");
        var config = LlamaCheckpoint.ReadConfig(path);
        Assert.Equal(4, config.KvHeads);
        Assert.Equal(1e-6, config.RmsEps);
    }

    private void WriteCheckpoint(IEnumerable<SafetensorsTensor> tensors)
    {
        Directory.CreateDirectory(_folder);
        File.WriteAllText(Path.Combine(_folder, LlamaCheckpoint.ConfigFile), LlamaCheckpoint.ConfigJson(TinyModel.Config));
        SafetensorsFile.Write(Path.Combine(_folder, LlamaCheckpoint.WeightsFile), tensors);
    }
}
