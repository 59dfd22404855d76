using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Stamen.Adapters;
using Stamen.Cli.Rendering;
using Stamen.Experiments;

namespace Stamen.Cli.Commands;

/// <summary>`stamen adapters train DATA.csv -o predictor.json`: the distilled predictor and its held-out quality.</summary>
internal static class AdaptersTrainCommand
{
    private sealed record Settings(string Data, string Output, string Kind, int Trees, double TestFraction, int Seed, string? Json, bool Quiet);

    public static Command Create(CliConsole console)
    {
        var data = new Argument<string>("data") { Description = "Dataset CSV from `stamen adapters dataset`" };
        var output = new Option<string>("--output", "-o") { Description = "Predictor file to write", Required = true, HelpName = "PATH" };
        var kind = new Option<string>("--kind") { Description = "What to save: forest (accurate) or tree (depth 5, about 100x faster)", DefaultValueFactory = _ => "forest", HelpName = "forest|tree" };
        var trees = new Option<int>("--trees") { Description = "Trees in the forest", DefaultValueFactory = _ => 256, HelpName = "N" };
        var test = new Option<double>("--test-fraction") { Description = "Share of rows held out for the scores", DefaultValueFactory = _ => 0.2, HelpName = "F" };
        var seed = new Option<int>("--seed") { Description = "Seed of the split and the forest", DefaultValueFactory = _ => 1, HelpName = "N" };
        var json = CommonOptions.Json();
        var quiet = CommonOptions.Quiet();
        var command = new Command("train",
            "Train the throughput regressor and starvation classifier (random forest and depth-5 tree) on twin data; report R^2, SMAPE, accuracy, F1 and prediction time on held-out rows")
        {
            data, output, kind, trees, test, seed, json, quiet,
        };
        command.SetAction(p => CliRunner.Run(console, () => Train(console, new Settings(p.GetValue(data)!, p.GetValue(output)!, p.GetValue(kind)!, p.GetValue(trees),
            p.GetValue(test), p.GetValue(seed), p.GetValue(json), p.GetValue(quiet)))));
        return command;
    }

    private static int Train(CliConsole console, Settings s)
    {
        var kind = s.Kind.Trim().ToLowerInvariant();
        if (kind is not ("forest" or "tree")) throw new StamenInputException("--kind", s.Kind, "is not forest or tree", "use --kind forest or --kind tree");
        if (s.Trees < 1) throw new StamenInputException("--trees", s.Trees.ToString(CultureInfo.InvariantCulture), "must be at least 1", "give e.g. 256");
        if (!(s.TestFraction is > 0 and < 1)) throw new StamenInputException("--test-fraction", s.TestFraction.ToString(CultureInfo.InvariantCulture), "must be between 0 and 1", "give e.g. 0.2");
        var (features, throughput, starved) = AdapterDataset.ReadCsv(s.Data);
        if (features.Length < 10) throw new StamenInputException(s.Data, "rows", $"only {features.Length} rows", "generate at least a few hundred with `stamen adapters dataset`");
        var report = ProgressView.Run(console.Out, "Training", s.Quiet, progress => PredictorTraining.Run(features, throughput, starved, s.Trees, s.TestFraction, s.Seed, progress));
        var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape($"held-out quality ({report.TestRows} rows of {report.TrainRows + report.TestRows}; {report.StarvedShare:P0} starved)"));
        foreach (var h in (string[])["predictor", "R^2", "SMAPE %", "MAE tokens/s", "starvation accuracy", "F1", "predict us/row", "train s"])
            table.AddColumn(new TableColumn(h).RightAligned().NoWrap());
        foreach (var q in report.Predictors.Select(p => p.Quality))
            table.AddRow(Markup.Escape(q.Kind), F(q.RSquared, "0.000"), F(q.SmapePercent, "0.0"), F(q.MeanAbsoluteErrorTokensPerSec, "N0"), F(q.Accuracy, "0.000"),
                F(q.F1, "0.000"), q.PredictMicroseconds > 0 ? F(q.PredictMicroseconds, "0.00") : "-", q.TrainSeconds > 0 ? F(q.TrainSeconds, "0.0") : "-");
        console.Out.Write(table);
        console.Out.Note("Prediction time covers both models (throughput and starvation) for one GPU load, one thread, warm.");
        var chosen = report.Get(kind == "forest" ? "forest" : $"tree (depth {PredictorTraining.TreeDepth})");
        AdapterPredictorFile.Save(s.Output, kind, chosen.Throughput!, chosen.Starvation!);
        console.Out.Note($"Wrote {s.Output} ({kind})");
        if (s.Json is not null)
        {
            JsonOutput.Write(s.Json, new PredictorTrainingJson(s.Data, report.TrainRows, report.TestRows, report.StarvedShare, [.. report.Predictors.Select(p => p.Quality)]));
            console.Out.Note($"Wrote {s.Json}");
        }
        return 0;
    }

    private static string F(double v, string format) => ConsoleOut.F(v, format);
}

/// <summary>The JSON shape of `stamen adapters train --json`.</summary>
internal sealed record PredictorTrainingJson(string Data, int TrainRows, int TestRows, double StarvedShare, IReadOnlyList<Stamen.Experiments.PredictorQuality> Predictors);
