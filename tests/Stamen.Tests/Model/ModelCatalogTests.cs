using System.Globalization;
using Stamen.Model;
using Stamen.Tests.Support;

namespace Stamen.Tests.Model;

public class ModelCatalogTests
{
    [Fact]
    public void BuiltIn_HasTheFourReferenceModels()
    {
        Assert.Equal(["bloom-176b", "llama-1-30b", "llama-2-70b", "llama-3.1-8b", "qwen-2.5-7b", "small-100m", "tiny"], ModelCatalog.BuiltIn.Names);
    }

    [Fact]
    public void BuiltIn_Llama1_30b_HasItsPublishedSize()
    {
        // Per block: attention 4 h^2 (as many KV heads as heads), gated MLP 3 h i, two RMSNorm weights 2 h.
        var m = ModelCatalog.BuiltIn.Find("llama-1-30b");
        const long h = 6656, i = 17920;
        Assert.Equal(4 * h * h + 3 * h * i + 2 * h, m.ParamsPerBlock);
        // With the embedding and the head (untied), 32.5 B parameters: the "30B" model.
        Assert.InRange(m.ParamsPerBlock * 60 + 2 * 32000 * h, 32.4e9, 32.6e9);
        Assert.Equal(60, m.NumBlocks);
    }

    [Fact]
    public void BuiltIn_Bloom_EqualsTheReferenceSpec()
    {
        var bloom = ModelCatalog.BuiltIn.Find("bloom-176b");

        Assert.Equal(TestSwarms.Bloom(), bloom);
        Assert.InRange(bloom.BlockBytes, 1.31e9, 1.33e9);
    }

    [Fact]
    public void BuiltIn_BloomExplicitParams_AgreeWithItsArchitecture()
    {
        var bloom = ModelCatalog.BuiltIn.Find("bloom-176b");
        var arch = BlockArchitecture.Find("bloom")!;

        Assert.Equal(bloom.ParamsPerBlock, arch.ParamsPerBlock(bloom.HiddenSize, bloom.NumHeads, bloom.NumKvHeads, bloom.IntermediateSize));
    }

    [Theory]
    [InlineData("llama-2-70b", "llama", "float16")]
    [InlineData("llama-3.1-8b", "llama", "bfloat16")]
    [InlineData("qwen-2.5-7b", "qwen2", "bfloat16")]
    public void BuiltIn_ComputedParams_AgreeWithTheImporter(string name, string modelType, string torchDtype)
    {
        var m = ModelCatalog.BuiltIn.Find(name);
        var json = string.Create(CultureInfo.InvariantCulture,
            $$"""{"model_type":"{{modelType}}","hidden_size":{{m.HiddenSize}},"intermediate_size":{{m.IntermediateSize}},"num_attention_heads":{{m.NumHeads}},"num_hidden_layers":{{m.NumBlocks}},"num_key_value_heads":{{m.NumKvHeads}},"vocab_size":{{m.VocabSize}},"torch_dtype":"{{torchDtype}}"}""");

        var imported = HuggingFaceConfigImporter.ImportJson(json, "config.json", name: name).Model;

        Assert.Equal(m, imported);
    }

    [Fact]
    public void Find_DifferentCase_FindsTheModel()
    {
        Assert.Equal("llama-3.1-8b", ModelCatalog.BuiltIn.Find("LLaMA-3.1-8B").Name);
    }

    [Fact]
    public void Find_UnknownName_ListsKnownNames()
    {
        var e = Assert.Throws<StamenInputException>(() => ModelCatalog.BuiltIn.Find("gpt-5"));

        Assert.Equal(ModelCatalog.BuiltInSource, e.File);
        Assert.Equal("model", e.Field);
        Assert.All(ModelCatalog.BuiltIn.Names, n => Assert.Contains(n, e.Fix, StringComparison.Ordinal));
    }

    [Fact]
    public void WithFile_NewModelWithoutParams_ComputesThemAndKeepsBuiltIns()
    {
        using var file = new TempFile(".yaml", """
            models:
              - name: tiny-llama
                architecture: llama
                num_blocks: 4
                hidden_size: 256
                num_heads: 8
                num_kv_heads: 2
                intermediate_size: 512
                vocab_size: 1000
                dtype: int8
            """);

        var catalog = ModelCatalog.BuiltIn.WithFile(file.Path);
        var tiny = catalog.Find("tiny-llama");

        Assert.Equal(2 * 256 * 256 + 2 * 256 * 64 + 3 * 256 * 512 + 2 * 256, tiny.ParamsPerBlock);
        Assert.Equal(8, tiny.WeightBitsPerParam);
        Assert.Contains("bloom-176b", catalog.Names);
        Assert.DoesNotContain("tiny-llama", ModelCatalog.BuiltIn.Names);
    }

    [Fact]
    public void WithYaml_SameNameAsBuiltIn_ReplacesIt()
    {
        var catalog = ModelCatalog.BuiltIn.WithYaml("""
            models:
              - name: BLOOM-176B
                num_blocks: 70
                hidden_size: 14336
                num_heads: 112
                intermediate_size: 57344
                vocab_size: 250880
                params_per_block: 2466437120
                dtype: fp16
            """, "mine.yaml");

        Assert.Equal(16, catalog.Find("bloom-176b").WeightBitsPerParam);
        Assert.Equal(ModelCatalog.BuiltIn.Names.Count, catalog.Names.Count);
    }

    [Theory]
    [InlineData("num_kv_heads: 3", "models[0].num_kv_heads")]
    [InlineData("num_kv_heads: -2", "models[0].num_kv_heads")]
    [InlineData("hidden_size: 0", "models[0].hidden_size")]
    [InlineData("dtype: fp7", "models[0].dtype")]
    [InlineData("architecture: mamba", "models[0].architecture")]
    public void WithYaml_BadEntry_NamesFileAndField(string replacement, string field)
    {
        var good = new Dictionary<string, string>
        {
            ["name"] = "m", ["architecture"] = "llama", ["num_blocks"] = "2", ["hidden_size"] = "64", ["num_heads"] = "8",
            ["num_kv_heads"] = "2", ["intermediate_size"] = "128", ["vocab_size"] = "100", ["dtype"] = "fp16",
        };
        var key = replacement.Split(':')[0];
        good[key] = replacement.Split(':')[1].Trim();
        var yaml = "models:\n  - " + string.Join("\n    ", good.Select(kv => $"{kv.Key}: {kv.Value}"));

        var e = Assert.Throws<StamenInputException>(() => ModelCatalog.BuiltIn.WithYaml(yaml, "user.yaml"));

        Assert.Equal("user.yaml", e.File);
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void WithYaml_UnknownKey_NamesTheLine()
    {
        var e = Assert.Throws<StamenInputException>(() => ModelCatalog.BuiltIn.WithYaml("models:\n  - name: x\n    hidden_sise: 3\n", "user.yaml"));

        Assert.Equal("user.yaml", e.File);
        Assert.StartsWith("line 3", e.Field, StringComparison.Ordinal);
    }

    [Fact]
    public void WithFile_MissingFile_NamesIt()
    {
        var path = Path.Combine(Path.GetTempPath(), "missing-models-" + Guid.NewGuid().ToString("N") + ".yaml");

        var e = Assert.Throws<StamenInputException>(() => ModelCatalog.BuiltIn.WithFile(path));

        Assert.Equal(path, e.File);
    }

    [Fact]
    public void Find_UnknownNameAfterUserFile_NamesTheUserFileToo()
    {
        var catalog = ModelCatalog.BuiltIn.WithYaml("models: []", "mine.yaml");

        var e = Assert.Throws<StamenInputException>(() => catalog.Find("nope"));

        Assert.Contains("mine.yaml", e.File, StringComparison.Ordinal);
    }
}
