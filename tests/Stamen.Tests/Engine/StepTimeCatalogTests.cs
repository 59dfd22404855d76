using Stamen.Adapters;
using Stamen.Hardware;
using Stamen.Model;
using Stamen.Scenarios.Engine;
using Stamen.Simulation.Engine;

namespace Stamen.Tests.Engine;

/// <summary>
/// Step-time presets are data with the published coefficients exactly as published; Stamen's prefill
/// term and batch count are separate, named options; scenario files reach every form.
/// </summary>
public sealed class StepTimeCatalogTests
{
    private static string Scenario(string stepTime, string model = "llama-3.1-8b") => $"""
        name: t
        model: {model}
        gpu: h100-sxm
        kv: {"{capacity_tokens: 40000}"}
        step_time: {stepTime}
        workload:
          poisson: {"{rate_per_s: 5, requests: 4, prompt_tokens: 100, output_tokens: 4}"}
        policies: [vllm]
        """;

    private static EngineScenario Parse(string stepTime, string model = "llama-3.1-8b") =>
        EngineScenarioParser.ParseText(Scenario(stepTime, model), "s.yaml", Path.GetTempPath());

    [Theory]
    // Section 4 of the reference: decode ms = c1 * running + c2, no prefill term.
    [InlineData("llama-3.1-8b-h100-published", 0.0437994, 10.54174836)]
    [InlineData("qwen-2.5-7b-h100-published", 0.04894489, 10.61679297)]
    public void PublishedPreset_IsC1TimesRunningPlusC0_WithoutPrefillTerm(string name, double c1, double c0)
    {
        var model = StepTimeCatalog.FittedPreset(name);
        // 7 running after scheduling, of which 3 computed this step with 2,000 prompt tokens among them.
        var shape = new IterationShape(PrefillTokens: 2000, DecodeRequests: 2, DecodeContextTokens: 900, BatchRequests: 3, RunningRequests: 7);
        Assert.Equal(c1 * 7 + c0, model.StepMs(shape), 12);
        Assert.Equal(model.StepMs(shape), model.StepMs(shape with { PrefillTokens = 0 }), 12);
    }

    [Fact]
    public void StamenPreset_CountsTheBatchAndAddsItsPrefillTerm()
    {
        var published = StepTimeCatalog.FittedPreset("llama-3.1-8b-h100-published");
        var ours = StepTimeCatalog.FittedPreset("llama-3.1-8b-h100");
        Assert.Equal((published.C1MsPerRequest, published.C0Ms), (ours.C1MsPerRequest, ours.C0Ms));
        Assert.Equal(FittedCount.Batch, ours.Counts);
        // 2 x 8.03B parameters' FLOPs per token (embeddings and head included) at 0.5 x 989 TFLOPS, in ms, as the preset rounds it.
        Assert.Equal(2 * 8.03e9 / (0.5 * 989e12) * 1000, ours.PrefillMsPerToken, 4);
        var shape = new IterationShape(2000, 2, 900, 3, 7);
        Assert.Equal(ours.C1MsPerRequest * 3 + ours.C0Ms + ours.PrefillMsPerToken * 2000, ours.StepMs(shape), 12);
    }

    [Fact]
    public void Scenario_EveryForm_ReachesTheSameModels()
    {
        Assert.Equal(StepTimeCatalog.FittedPreset("llama-3.1-8b-h100-published"), Parse("llama-3.1-8b-h100-published").Deployment.StepTime);
        Assert.Equal("fitted preset llama-3.1-8b-h100-published", Parse("llama-3.1-8b-h100-published").StepTimeLabel);
        Assert.Equal(StepTimeCatalog.FittedPreset("llama-3.1-8b-h100"), Parse("{fitted: {preset: llama-3.1-8b-h100}}").Deployment.StepTime);

        // A preset with Stamen's prefill term switched off differs from the published one only in what c1 counts.
        var noPrefill = Parse("{name: llama-3.1-8b-h100, prefill_ms_per_token: 0}");
        Assert.Equal(StepTimeCatalog.FittedPreset("llama-3.1-8b-h100") with { PrefillMsPerToken = 0 }, noPrefill.Deployment.StepTime);
        Assert.Contains("prefill 0 ms/token (from llama-3.1-8b-h100)", noPrefill.StepTimeLabel, StringComparison.Ordinal);

        // The older nested form keeps its meaning: c2_ms is c0, and c1 counts the batch.
        Assert.Equal(new FittedStepTimeModel(0.05, 11, 0.03, FittedCount.Batch),
            Parse("{fitted: {c1_ms: 0.05, c2_ms: 11, prefill_ms_per_token: 0.03}}").Deployment.StepTime);
        Assert.Equal(new FittedStepTimeModel(0.05, 11, 0, FittedCount.Running), Parse("{name: fitted, c1_ms: 0.05, c0_ms: 11}").Deployment.StepTime);

        var roofline = Parse("{roofline: {prefill_mfu: 0.3, decode_mfu: 0.15, mbu: 0.7}}");
        Assert.Equal("roofline MFU 0.3/0.15, MBU 0.7", roofline.StepTimeLabel);
        var shape = new IterationShape(512, 8, 4000, 9, 9);
        Assert.Equal(new RooflineStepTimeModel(roofline.Config, 0.3, 0.15, 0.7).StepMs(shape), roofline.Deployment.StepTime.StepMs(shape), 12);
    }

    [Theory]
    [InlineData("gpt-h100", "unknown step-time model 'gpt-h100'")]
    [InlineData("{name: fitted, c1_ms: 0.05}", "the fitted line needs c0_ms")]
    [InlineData("{name: llama-3.1-8b-h100, counts: every}", "'every' is not allowed")]
    [InlineData("{name: roofline, mbu: 1.5}", "1.5 is out of range")]
    [InlineData("{name: roofline, c1_ms: 1}", "'c1_ms' is not an option of roofline")]
    [InlineData("{fitted: {preset: llama-3.1-8b-h100, c1_ms: 1}}", "a preset and coefficients are both given")]
    public void Scenario_Mistake_NamesFieldAndFix(string stepTime, string problem)
    {
        var e = Assert.Throws<StamenInputException>(() => Parse(stepTime));
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
        Assert.Contains("step_time", e.Message, StringComparison.Ordinal);
        Assert.Contains("line", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultFor_UsesTheModelsMarkedPresetOnItsGpu_ElseTheRoofline()
    {
        var llama = ModelCatalog.BuiltIn.Find("llama-3.1-8b");
        Assert.Equal(StepTimeCatalog.FittedPreset("llama-3.1-8b-h100"),
            StepTimeCatalog.DefaultFor(EngineConfig.ForGpu(llama, GpuCatalog.BuiltIn.Find("h100-sxm"))).Model);
        var onA100 = StepTimeCatalog.DefaultFor(EngineConfig.ForGpu(llama, GpuCatalog.BuiltIn.Find("a100-80gb")));
        Assert.IsType<RooflineStepTimeModel>(onA100.Model);
        Assert.Equal("roofline (defaults)", onA100.Label);
        // Every preset names a catalog model and GPU, so DefaultFor can find it.
        Assert.All(StepTimeCatalog.Presets, p =>
        {
            Assert.True(ModelCatalog.BuiltIn.TryFind(p.Model!, out _), p.Name);
            Assert.True(GpuCatalog.BuiltIn.TryFind(p.Gpu!, out _), p.Name);
        });
    }

    [Theory]
    [InlineData("presets:\n  - {name: x, base: fitted, description: d, options: {c1_ms: 1}}", "needs c1_ms and c0_ms")]
    [InlineData("presets:\n  - {name: x, base: linear, description: d, options: {}}", "'linear' is not a step-time model")]
    [InlineData("presets:\n  - {name: x, base: roofline, description: d, options: {mbu: 2}}", "out of range")]
    [InlineData("presets:\n  - {name: roofline, base: roofline, description: d, options: {}}", "appears twice")]
    public void PresetFile_Mistake_NamesTheEntry(string yaml, string problem)
    {
        var e = Assert.Throws<StamenInputException>(() => StepTimeCatalog.Load(yaml, "presets.yaml"));
        Assert.Equal("presets.yaml", e.File);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoraKvCapacity_SaysWhereEachCellComesFrom()
    {
        var h100 = GpuCatalog.BuiltIn.Find("h100-sxm");
        var llama = EngineConfig.ForGpu(ModelCatalog.BuiltIn.Find("llama-3.1-8b"), h100);
        Assert.True(LoraProfileCatalog.BuiltIn.TryFind("llama-3.1-8b", out var profile));
        var point = LoraKvCapacity.Resolve(profile, llama, 32, 8);
        Assert.Equal((295_232L, KvCapacitySource.PublishedPoint), (point.Tokens, point.Source));
        // Halfway between the published 8 (305,104) and 32 (295,232) slots.
        var between = LoraKvCapacity.Resolve(profile, llama, 20, 8);
        Assert.Equal((305_104L - (305_104 - 295_232) / 2, KvCapacitySource.Interpolated), (between.Tokens, between.Source));

        // Qwen has no published curve at max rank 32: the memory model answers, and the label says which cell is missing.
        var qwen = EngineConfig.ForGpu(ModelCatalog.BuiltIn.Find("qwen-2.5-7b"), h100);
        Assert.True(LoraProfileCatalog.BuiltIn.TryFind("qwen-2.5-7b", out var qwenProfile));
        var fallback = LoraKvCapacity.Resolve(qwenProfile, qwen, 8, 32);
        Assert.Equal(KvCapacitySource.Memory, fallback.Source);
        Assert.Equal(LoraMemory.KvCapacityTokens(qwen.KvCapacityTokens, qwen.Model, 8, 32, qwen.KvBytesPerToken), fallback.Tokens);
        Assert.Contains("no capacity is published for qwen-2.5-7b at max_lora_rank 32 (published ranks: 8, 16)", fallback.Label, StringComparison.Ordinal);

        var a100 = EngineConfig.ForGpu(ModelCatalog.BuiltIn.Find("llama-3.1-8b"), GpuCatalog.BuiltIn.Find("a100-80gb"));
        Assert.Contains("published for an H100, not a100-80gb", LoraKvCapacity.Resolve(profile, a100, 8, 8).Label, StringComparison.Ordinal);
    }

    [Fact]
    public void Scenario_LoraWithoutPublishedCell_ShowsTheFallbackInItsKvLabel()
    {
        var yaml = Scenario("qwen-2.5-7b-h100", "qwen-2.5-7b").Replace("kv: {capacity_tokens: 40000}\n", "", StringComparison.Ordinal)
            + "\nlora: {max_loras: 8, adapters: [{name: a, rank: 32}]}";
        var s = EngineScenarioParser.ParseText(yaml, "s.yaml", Path.GetTempPath());
        Assert.Contains("GPU memory less 8 adapter slots of rank 32 (no capacity is published", s.KvLabel, StringComparison.Ordinal);
        var memory = EngineConfig.ForGpu(s.Config.Model, s.Config.Gpu);
        Assert.Equal(LoraMemory.KvCapacityTokens(memory.KvCapacityTokens, memory.Model, 8, 32, memory.KvBytesPerToken), s.Config.KvCapacityTokens);
    }
}
