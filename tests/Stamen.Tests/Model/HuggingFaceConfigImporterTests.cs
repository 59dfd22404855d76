using Stamen.Model;

namespace Stamen.Tests.Model;

public class HuggingFaceConfigImporterTests
{
    private const string Llama31Config = """
        {
          "_name_or_path": "meta-llama/Llama-3.1-8B",
          "architectures": ["LlamaForCausalLM"],
          "model_type": "llama",
          "hidden_size": 4096,
          "intermediate_size": 14336,
          "num_attention_heads": 32,
          "num_hidden_layers": 32,
          "num_key_value_heads": 8,
          "rms_norm_eps": 1e-05,
          "torch_dtype": "bfloat16",
          "vocab_size": 128256
        }
        """;

    private const string BloomConfig = """
        {
          "_name_or_path": "bigscience/bloom",
          "model_type": "bloom",
          "n_embed": 14336,
          "n_layer": 70,
          "num_attention_heads": 112,
          "vocab_size": 250880,
          "layer_norm_epsilon": 1e-05,
          "torch_dtype": "bfloat16"
        }
        """;

    [Fact]
    public void Import_Llama31Config_CountsEveryTermOfTheBlock()
    {
        using var file = new TempFile(".json", Llama31Config);

        var imported = HuggingFaceConfigImporter.Import(file.Path);

        const long h = 4096, kv = 4096 / 32 * 8, i = 14336;
        const long q = h * h, k = h * kv, v = h * kv, o = h * h;
        const long mlp = 3 * h * i;
        const long norms = 2 * h;
        Assert.Equal(218_103_808L, q + k + v + o + mlp);
        Assert.Equal(q + k + v + o + mlp + norms, imported.Model.ParamsPerBlock);
        Assert.Equal(218_112_000L, imported.Model.ParamsPerBlock);
        Assert.Equal("llama-3.1-8b", imported.Model.Name);
        Assert.Equal(32, imported.Model.NumBlocks);
        Assert.Equal(8, imported.Model.NumKvHeads);
        Assert.Equal(16, imported.Model.WeightBitsPerParam);
        Assert.Empty(imported.Notes);
    }

    [Fact]
    public void Import_BloomConfig_MatchesPublishedParamsPerBlock()
    {
        using var file = new TempFile(".json", BloomConfig);

        var model = HuggingFaceConfigImporter.Import(file.Path, name: "bloom-176b", dtype: "nf4").Model;

        // BLOOM block: fused qkv (3h^2 + 3h), dense (h^2 + h), MLP 4h (4h^2 + 4h) and back (4h^2 + h),
        // two LayerNorms with weight and bias (4h): 12 h^2 + 13 h.
        const long h = 14336;
        Assert.Equal(12 * h * h + 13 * h, model.ParamsPerBlock);
        Assert.InRange(model.ParamsPerBlock, 2_466_437_120 * 0.999, 2_466_437_120 * 1.001);
        Assert.Equal(2_466_437_120L, model.ParamsPerBlock);
        Assert.Equal(4 * h, model.IntermediateSize);
        Assert.Equal(4.25, model.WeightBitsPerParam);
        Assert.Equal(112, model.NumKvHeads);
    }

    [Fact]
    public void ImportJson_Qwen2_AddsQkvBiasesToTheLlamaCount()
    {
        const string qwen = """{"model_type":"qwen2","hidden_size":3584,"intermediate_size":18944,"num_attention_heads":28,"num_hidden_layers":28,"num_key_value_heads":4,"vocab_size":152064,"torch_dtype":"bfloat16"}""";
        var llamaShaped = qwen.Replace("qwen2", "llama", StringComparison.Ordinal);

        var withBias = HuggingFaceConfigImporter.ImportJson(qwen, "qwen.json").Model.ParamsPerBlock;
        var without = HuggingFaceConfigImporter.ImportJson(llamaShaped, "llama.json").Model.ParamsPerBlock;

        const long kvWidth = 3584 / 28 * 4;
        Assert.Equal(3584 + 2 * kvWidth, withBias - without);
    }

    [Fact]
    public void ImportJson_MultiQuery_UsesOneKvHead()
    {
        const string json = """{"model_type":"falcon","hidden_size":4544,"num_hidden_layers":32,"num_attention_heads":71,"multi_query":true,"vocab_size":65024}""";

        var imported = HuggingFaceConfigImporter.ImportJson(json, "falcon.json");

        Assert.Equal(1, imported.Model.NumKvHeads);
        Assert.Equal(4 * 4544, imported.Model.IntermediateSize);
        Assert.Contains(imported.Notes, n => n.Contains("falcon", StringComparison.Ordinal));
        Assert.Contains(imported.Notes, n => n.Contains("fp16", StringComparison.Ordinal));
    }

    [Fact]
    public void ImportJson_DtypeArgument_OverridesTorchDtype()
    {
        var fp = HuggingFaceConfigImporter.ImportJson(Llama31Config, "c.json").Model;
        var nf4 = HuggingFaceConfigImporter.ImportJson(Llama31Config, "c.json", dtype: "nf4").Model;

        Assert.Equal(fp.ParamsPerBlock, nf4.ParamsPerBlock);
        Assert.Equal(fp.BlockBytes * 4.25 / 16, nf4.BlockBytes, 6);
        Assert.Equal(fp.KvBytesPerTokenPerBlock, nf4.KvBytesPerTokenPerBlock);
    }

    [Fact]
    public void Import_MissingHiddenSize_NamesFileAndField()
    {
        using var file = new TempFile(".json", Llama31Config.Replace("\"hidden_size\": 4096,", "", StringComparison.Ordinal));

        var e = Assert.Throws<StamenInputException>(() => HuggingFaceConfigImporter.Import(file.Path));

        Assert.Equal(file.Path, e.File);
        Assert.StartsWith("hidden_size", e.Field, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_MissingFile_NamesIt()
    {
        var path = Path.Combine(Path.GetTempPath(), "no-such-config-" + Guid.NewGuid().ToString("N") + ".json");

        var e = Assert.Throws<StamenInputException>(() => HuggingFaceConfigImporter.Import(path));

        Assert.Equal(path, e.File);
        Assert.Contains("not found", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ \"hidden_size\": ")]
    [InlineData("[1, 2]")]
    public void ImportJson_NotAConfigObject_Throws(string json)
    {
        var e = Assert.Throws<StamenInputException>(() => HuggingFaceConfigImporter.ImportJson(json, "bad.json"));

        Assert.Equal("bad.json", e.File);
    }

    [Fact]
    public void ImportJson_HeadsNotDivisibleByKvHeads_NamesTheField()
    {
        var json = Llama31Config.Replace("\"num_key_value_heads\": 8", "\"num_key_value_heads\": 5", StringComparison.Ordinal);

        var e = Assert.Throws<StamenInputException>(() => HuggingFaceConfigImporter.ImportJson(json, "c.json"));

        Assert.Equal("num_key_value_heads", e.Field);
    }

    [Fact]
    public void ImportJson_UnknownDtype_NamesTheField()
    {
        var e = Assert.Throws<StamenInputException>(() => HuggingFaceConfigImporter.ImportJson(Llama31Config, "c.json", dtype: "fp8"));

        Assert.Contains("dtype", e.Field, StringComparison.Ordinal);
        Assert.Contains("nf4", e.Fix, StringComparison.Ordinal);
    }
}
