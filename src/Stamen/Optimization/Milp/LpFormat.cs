using System.Globalization;
using System.Text.RegularExpressions;
using Stamen.IO;

namespace Stamen.Optimization.Milp;

/// <summary>
/// Reads a MILP in the CPLEX LP text format as Gurobi writes it (<c>Maximize</c>/<c>Minimize</c>, <c>Subject To</c>
/// with named rows, <c>Bounds</c>, <c>Binaries</c>, <c>Generals</c>, <c>End</c>; <c>\</c> comments), so published
/// instances (Helix's placement MILPs) can be solved through Stamen's solvers; and solution files of
/// <c>name value</c> lines. Variables default to [0, +inf), in order of first appearance. Written here
/// because no .NET reader of the format is available; it covers the subset these files use and says so
/// for anything else.
/// </summary>
public static partial class LpFormat
{
    public const long MaxFileBytes = 64L * 1024 * 1024;

    /// <summary>Most variables or rows one file may declare.</summary>
    public const int MaxItems = 5_000_000;

    public static MilpModel Load(string path) => Parse(BoundedFile.ReadAllText(path, MaxFileBytes, "LP"), path);

    public static MilpModel Parse(string text, string file)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sections = Split(text, file);
        var model = new MilpModel();
        var variables = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = new List<string>();
        var lower = new List<double>();
        var upper = new List<double>();
        var integer = new List<bool>();
        int Var(string name, string where)
        {
            if (variables.TryGetValue(name, out var i)) return i;
            if (names.Count >= MaxItems) throw new StamenInputException(file, where, $"more than {MaxItems} variables", "split the model");
            variables[name] = names.Count;
            names.Add(name);
            lower.Add(0);
            upper.Add(double.PositiveInfinity);
            integer.Add(false);
            return names.Count - 1;
        }

        var (sense, objectiveText) = sections.Objective ?? throw new StamenInputException(file, "Maximize/Minimize", "no objective section", "start the model with Maximize or Minimize");
        var objective = Expression(Tokens(objectiveText), 0, file, "objective", out _, stopAtSense: false);
        var rows = new List<(string Name, List<(int Var, double Coef)> Terms, ConstraintSense Sense, double Rhs)>();
        var tokens = Tokens(sections.Constraints);
        var at = 0;
        while (at < tokens.Count)
        {
            var row = Expression(tokens, at, file, $"row {rows.Count + 1}", out at, stopAtSense: true);
            if (at >= tokens.Count || !IsSense(tokens[at]))
                throw new StamenInputException(file, $"Subject To, {row.Name ?? $"row {rows.Count + 1}"}", "no <=, >= or = after the terms", "write name: terms <= number");
            var rowSense = tokens[at++] switch
            {
                "<=" or "=<" or "<" => ConstraintSense.LessOrEqual,
                ">=" or "=>" or ">" => ConstraintSense.GreaterOrEqual,
                _ => ConstraintSense.Equal,
            };
            var rhs = SignedNumber(tokens, ref at, file, row.Name ?? $"row {rows.Count + 1}");
            if (rows.Count >= MaxItems) throw new StamenInputException(file, "Subject To", $"more than {MaxItems} rows", "split the model");
            rows.Add((row.Name ?? $"r{rows.Count}", [.. row.Terms.Select(t => (Var(t.Name, "Subject To"), t.Coef))], rowSense, rhs - row.Constant));
        }
        var objectiveTerms = objective.Terms.Select(t => (Var(t.Name, "objective"), t.Coef)).ToList();
        foreach (var line in sections.Bounds) Bound(line, file, Var, lower, upper);
        foreach (var name in Words(sections.Binaries)) { var i = Var(name, "Binaries"); (lower[i], upper[i], integer[i]) = (Math.Max(0, lower[i]), Math.Min(1, upper[i]), true); }
        foreach (var name in Words(sections.Generals)) integer[Var(name, "Generals")] = true;

        var vars = names.Select((n, i) => model.AddVariable(n, lower[i], upper[i], integer[i])).ToArray();
        foreach (var (name, terms, rowSense, rhs) in rows) model.AddConstraint(name, terms.Select(t => t.Coef * vars[t.Var]), rowSense, rhs);
        if (sense == ObjectiveSense.Maximize) model.Maximize(objectiveTerms.Select(t => t.Coef * vars[t.Item1]), objective.Constant);
        else model.Minimize(objectiveTerms.Select(t => t.Coef * vars[t.Item1]), objective.Constant);
        return model;
    }

    /// <summary>A solution file's values (<c>name value</c> per line, <c>#</c> comments) in the model's variable order; absent variables are 0.</summary>
    public static double[] ReadSolution(string path, MilpModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var index = model.Variables.ToDictionary(v => v.Name, v => v.Index, StringComparer.Ordinal);
        var values = new double[model.Variables.Count];
        var lineNumber = 0;
        foreach (var raw in BoundedFile.ReadAllText(path, MaxFileBytes, "solution").Split('\n'))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2 || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
                throw new StamenInputException(path, $"line {lineNumber}", $"'{line}' is not 'name value'", "write one variable and its value per line");
            if (!index.TryGetValue(parts[0], out var i))
                throw new StamenInputException(path, $"line {lineNumber}", $"'{parts[0]}' is not a variable of the model", "use the solution written for this model");
            values[i] = v;
        }
        return values;
    }

    private sealed record Sections((ObjectiveSense, string)? Objective, string Constraints, List<string> Bounds, string Binaries, string Generals);

    private static Sections Split(string text, string file)
    {
        (ObjectiveSense, string)? objective = null;
        var current = "";
        var parts = new Dictionary<string, System.Text.StringBuilder> { ["obj"] = new(), ["st"] = new(), ["bin"] = new(), ["gen"] = new() };
        var bounds = new List<string>();
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.Trim();
            var comment = line.IndexOf('\\', StringComparison.Ordinal);
            if (comment >= 0) line = line[..comment].Trim();
            if (line.Length == 0) continue;
            var keyword = line.ToLowerInvariant();
            switch (keyword)
            {
                case "maximize" or "maximise" or "max" or "minimize" or "minimise" or "min":
                    objective = (keyword.StartsWith("max", StringComparison.Ordinal) ? ObjectiveSense.Maximize : ObjectiveSense.Minimize, "");
                    current = "obj";
                    continue;
                case "subject to" or "such that" or "st" or "s.t.":
                    current = "st";
                    continue;
                case "bounds" or "bound":
                    current = "bounds";
                    continue;
                case "binaries" or "binary" or "bin":
                    current = "bin";
                    continue;
                case "generals" or "general" or "gen":
                    current = "gen";
                    continue;
                case "end":
                    current = "end";
                    continue;
                case "semi-continuous" or "semis" or "sos" or "general constraints" or "pwlobj" or "lazy constraints" or "user cuts":
                    throw new StamenInputException(file, $"line {lineNumber}", $"section '{line}' is not supported", "write the model with linear rows, bounds, binaries and generals only");
            }
            switch (current)
            {
                case "": throw new StamenInputException(file, $"line {lineNumber}", "text before the objective section", "start with Maximize or Minimize");
                case "end": throw new StamenInputException(file, $"line {lineNumber}", "text after End", "end the file with End");
                case "bounds": bounds.Add(line); break;
                default: parts[current].Append(line).Append(' '); break;
            }
        }
        if (objective is { } o) objective = (o.Item1, parts["obj"].ToString());
        return new Sections(objective, parts["st"].ToString(), bounds, parts["bin"].ToString(), parts["gen"].ToString());
    }

    private sealed record Parsed(string? Name, List<(string Name, double Coef)> Terms, double Constant);

    /// <summary>An optional "name:" then signed terms "3 x", "- y", "+ 2.5e3 z" and constants, up to a sense operator.</summary>
    private static Parsed Expression(List<string> tokens, int start, string file, string where, out int end, bool stopAtSense)
    {
        var at = start;
        string? name = null;
        if (at < tokens.Count && tokens[at].EndsWith(':') && tokens[at].Length > 1)
        {
            name = tokens[at][..^1];
            at++;
        }
        var terms = new List<(string, double)>();
        double constant = 0;
        while (at < tokens.Count && !(stopAtSense && IsSense(tokens[at])))
        {
            double sign = 1;
            while (at < tokens.Count && tokens[at] is "+" or "-") sign *= tokens[at++] == "-" ? -1 : 1;
            if (at >= tokens.Count) throw new StamenInputException(file, name ?? where, "the expression ends with a sign", "finish the expression");
            double coefficient = 1;
            var isNumber = double.TryParse(tokens[at], NumberStyles.Float, CultureInfo.InvariantCulture, out var number);
            if (isNumber)
            {
                coefficient = number;
                at++;
                if (at >= tokens.Count || tokens[at] is "+" or "-" || IsSense(tokens[at]))
                {
                    constant += sign * coefficient;
                    continue;
                }
            }
            var variable = tokens[at++];
            if (!VariableName().IsMatch(variable))
                throw new StamenInputException(file, name ?? where, $"'{variable}' is not a variable name", "write terms as COEFFICIENT NAME");
            if (!double.IsFinite(coefficient)) throw new StamenInputException(file, name ?? where, "a coefficient is not finite", "use finite numbers");
            terms.Add((variable, sign * coefficient));
        }
        end = at;
        return new Parsed(name, terms, constant);
    }

    private static double SignedNumber(List<string> tokens, ref int at, string file, string where)
    {
        double sign = 1;
        while (at < tokens.Count && tokens[at] is "+" or "-") sign *= tokens[at++] == "-" ? -1 : 1;
        if (at < tokens.Count && double.TryParse(tokens[at], NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
        {
            at++;
            return sign * v;
        }
        if (at < tokens.Count && tokens[at].ToLowerInvariant() is "inf" or "infinity")
        {
            at++;
            return sign * double.PositiveInfinity;
        }
        throw new StamenInputException(file, where, "no number on the right side", "write the row as terms <= number");
    }

    /// <summary>"x <= 5", "x >= -2", "-inf <= x <= 3", "x = 1", "x free".</summary>
    private static void Bound(string line, string file, Func<string, string, int> var, List<double> lower, List<double> upper)
    {
        var t = Tokens(line);
        var where = $"Bounds: {line}";
        if (t.Count == 2 && t[1].Equals("free", StringComparison.OrdinalIgnoreCase))
        {
            var i = var(t[0], where);
            (lower[i], upper[i]) = (double.NegativeInfinity, double.PositiveInfinity);
            return;
        }
        var at = 0;
        double? first = null;
        if (!VariableName().IsMatch(t[0]) || t[0].ToLowerInvariant() is "inf" or "infinity") first = SignedNumber(t, ref at, file, where);
        if (first is { } left)
        {
            if (at >= t.Count || !IsSense(t[at])) throw new StamenInputException(file, where, "not a bound", "write e.g. x <= 5 or 0 <= x <= 5");
            var op = t[at++];
            var i = var(t[at++], where);
            if (op is "<=" or "=<" or "<") lower[i] = left; else if (op is ">=" or "=>" or ">") upper[i] = left; else (lower[i], upper[i]) = (left, left);
            if (at < t.Count)
            {
                var op2 = t[at++];
                var right = SignedNumber(t, ref at, file, where);
                if (op2 is "<=" or "=<" or "<") upper[i] = right; else lower[i] = right;
            }
            return;
        }
        var v = var(t[at++], where);
        if (at >= t.Count || !IsSense(t[at])) throw new StamenInputException(file, where, "not a bound", "write e.g. x <= 5 or 0 <= x <= 5");
        var sense = t[at++];
        var value = SignedNumber(t, ref at, file, where);
        if (sense is "<=" or "=<" or "<") upper[v] = value; else if (sense is ">=" or "=>" or ">") lower[v] = value; else (lower[v], upper[v]) = (value, value);
    }

    private static bool IsSense(string token) => token is "<=" or ">=" or "=<" or "=>" or "=" or "<" or ">";

    private static List<string> Tokens(string text) => [.. Token().Matches(text).Select(m => m.Value)];

    private static string[] Words(string text) => text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);

    [GeneratedRegex(@"<=|>=|=<|=>|[<>=+\-]|(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?(?![^\s<>=+\-:])|[^\s<>=+\-:]+:?|:")]
    private static partial Regex Token();

    [GeneratedRegex(@"^[A-Za-z_!""#$%&()/,;?@`'{}|~][^\s:]*$")]
    private static partial Regex VariableName();
}
