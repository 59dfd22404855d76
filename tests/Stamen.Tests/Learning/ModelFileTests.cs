using Stamen.Learning;
using Stamen.Tests.Model;

namespace Stamen.Tests.Learning;

public class ModelFileTests
{
    public static TheoryData<string> Kinds => ["tree", "forest", "classifier"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void SaveThenLoad_PredictsBitForBit(string kind)
    {
        var model = Train(kind);
        var path = Path.Combine(Path.GetTempPath(), $"stamen-model-{Guid.NewGuid():N}.json");
        try
        {
            ModelFile.Save(path, model);
            var loaded = ModelFile.Load(path);

            Assert.Equal(model.GetType(), loaded.GetType());
            Assert.Equal(model.Task, loaded.Task);
            Assert.Equal(model.FeatureNames, loaded.FeatureNames);
            foreach (var row in SyntheticData.RandomRows(500, seed: 21))
                Assert.Equal(BitConverter.DoubleToInt64Bits(model.Predict(row)), BitConverter.DoubleToInt64Bits(loaded.Predict(row)));
            Assert.Empty(Directory.GetFiles(Path.GetTempPath(), $".{Path.GetFileName(path)}.*.tmp"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("{\"format\": \"stamen-tree-model\", \"version\": 1, \"kind\": \"tree\"", "(json)")]
    [InlineData("[1, 2]", "(root)")]
    [InlineData("{\"name\": \"llama\", \"layers\": 32}", "format")]
    [InlineData("{\"format\": \"stamen-tree-model\", \"version\": 2}", "version")]
    [InlineData("{\"format\": \"stamen-tree-model\", \"version\": 1, \"kind\": \"bush\"}", "kind")]
    public void Load_ForeignOrBrokenFile_NamesTheField(string json, string field)
    {
        using var file = new TempFile(".json", json);

        var e = Assert.Throws<StamenInputException>(() => ModelFile.Load(file.Path));

        Assert.Equal(field, e.Field);
        Assert.Equal(file.Path, e.File);
    }

    [Theory]
    [InlineData("\"left\": [1, -1, -1]", "\"left\": [0, -1, -1]", "trees[0].left[0]")]
    [InlineData("\"right\": [2, -1, -1]", "\"right\": [1, -1, -1]", "trees[0].right[0]")]
    [InlineData("\"feature\": [0, -1, -1]", "\"feature\": [5, -1, -1]", "trees[0].feature[0]")]
    [InlineData("\"value\": [0.5, 0, 1]", "\"value\": [0.5, 0, 1, 1]", "trees[0].value")]
    [InlineData("\"value\": [0.5, 0, 1]", "\"value\": [0.5, 0, 2]", "trees[0].value[2]")]
    [InlineData("\"threshold\": [1.5, 0, 0]", "\"threshold\": [\"1.5\", 0, 0]", "trees[0].threshold[0]")]
    [InlineData("\"features\": [\"a\", \"b\"]", "\"features\": [\"a\", \"a\"]", "features")]
    public void Load_InconsistentTree_NamesTheNode(string find, string replace, string field)
    {
        var tree = DecisionTree.Fit([[1.0, 0], [2.0, 0]], [0.0, 1], TreeTask.Classification, new TreeOptions(), 0);
        var compact = System.Text.RegularExpressions.Regex.Replace(ModelFile.ToJson(tree), @"\[\s*([^\[\]]*?)\s*\]",
            m => "[" + System.Text.RegularExpressions.Regex.Replace(m.Groups[1].Value, @",\s*", ", ") + "]")
            .Replace("\"x0\", \"x1\"", "\"a\", \"b\"", StringComparison.Ordinal);
        Assert.Contains(find, compact, StringComparison.Ordinal);

        var e = Assert.Throws<StamenInputException>(() => ModelFile.FromJson(compact.Replace(find, replace, StringComparison.Ordinal), "m.json"));

        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void Load_MissingFile_ThrowsInputException()
    {
        var e = Assert.Throws<StamenInputException>(() => ModelFile.Load(Path.Combine(Path.GetTempPath(), $"absent-{Guid.NewGuid():N}.json")));

        Assert.Equal("(file)", e.Field);
    }

    private static TabularModel Train(string kind) => kind switch
    {
        "tree" => DecisionTree.Fit(SyntheticData.Regression(400, 22), TreeTask.Regression, new TreeOptions(MaxDepth: 8), 0),
        "forest" => RandomForest.Fit(SyntheticData.Regression(400, 23), TreeTask.Regression, new ForestOptions(Trees: 10, Seed: 4)),
        _ => RandomForest.Fit(SyntheticData.Classification(400, 24), TreeTask.Classification, new ForestOptions(Trees: 10, Seed: 5)),
    };
}
