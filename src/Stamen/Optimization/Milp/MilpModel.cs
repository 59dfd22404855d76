using System.Globalization;

namespace Stamen.Optimization.Milp;

/// <summary>Whether a constraint's left side must be at most, at least or exactly its right side.</summary>
public enum ConstraintSense
{
    LessOrEqual,
    GreaterOrEqual,
    Equal,
}

/// <summary>Direction of the objective.</summary>
public enum ObjectiveSense
{
    Minimize,
    Maximize,
}

/// <summary>A decision variable of one <see cref="MilpModel"/>; <see cref="Index"/> is its column.</summary>
/// <param name="Index">Position in <see cref="MilpModel.Variables"/> and in <see cref="MilpResult.Values"/>.</param>
/// <param name="Name">Name shown in solver logs and error messages.</param>
/// <param name="LowerBound">Lower bound; <see cref="double.NegativeInfinity"/> for none.</param>
/// <param name="UpperBound">Upper bound; <see cref="double.PositiveInfinity"/> for none.</param>
/// <param name="IsInteger">True for an integer (binary when bounds are 0 and 1) variable.</param>
public sealed record MilpVariable(int Index, string Name, double LowerBound, double UpperBound, bool IsInteger)
{
    /// <summary>Lets formulations read like the mathematics: <c>3 * x</c>.</summary>
    public static MilpTerm operator *(double coefficient, MilpVariable variable) => new(variable, coefficient);

    /// <summary>Named alternative to the <c>*</c> operator.</summary>
    public MilpTerm Multiply(double coefficient) => new(this, coefficient);
}

/// <summary>One product <c>Coefficient * Variable</c> of a linear expression.</summary>
public readonly record struct MilpTerm(MilpVariable Variable, double Coefficient);

/// <summary>A linear constraint <c>sum Terms (sense) RightHandSide</c>; terms are merged per variable.</summary>
public sealed record MilpConstraint(int Index, string Name, IReadOnlyList<MilpTerm> Terms, ConstraintSense Sense, double RightHandSide);

/// <summary>
/// A mixed-integer linear program independent of any solver, so formulations (placement, routing)
/// are written once and can be checked, printed or handed to another solver than CBC.
/// </summary>
public sealed class MilpModel
{
    private readonly List<MilpVariable> _variables = [];
    private readonly List<MilpConstraint> _constraints = [];
    private IReadOnlyList<MilpTerm> _objective = [];

    public IReadOnlyList<MilpVariable> Variables => _variables;
    public IReadOnlyList<MilpConstraint> Constraints => _constraints;
    public IReadOnlyList<MilpTerm> Objective => _objective;
    public ObjectiveSense Sense { get; private set; } = ObjectiveSense.Minimize;

    /// <summary>Constant added to the objective; solvers ignore it, results include it.</summary>
    public double ObjectiveConstant { get; private set; }

    public MilpVariable AddVariable(string name, double lowerBound, double upperBound, bool isInteger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (double.IsNaN(lowerBound) || double.IsNaN(upperBound) || lowerBound > upperBound
            || double.IsPositiveInfinity(lowerBound) || double.IsNegativeInfinity(upperBound))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"variable '{name}': bounds [{lowerBound}, {upperBound}] are empty or not numbers"));
        }

        var variable = new MilpVariable(_variables.Count, name, lowerBound, upperBound, isInteger);
        _variables.Add(variable);
        return variable;
    }

    public MilpVariable AddBinary(string name) => AddVariable(name, 0, 1, isInteger: true);

    public MilpVariable AddInteger(string name, double lowerBound, double upperBound) =>
        AddVariable(name, lowerBound, upperBound, isInteger: true);

    public MilpVariable AddContinuous(string name, double lowerBound, double upperBound) =>
        AddVariable(name, lowerBound, upperBound, isInteger: false);

    public MilpConstraint AddConstraint(string name, IEnumerable<MilpTerm> terms, ConstraintSense sense, double rightHandSide)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!double.IsFinite(rightHandSide))
        {
            throw new ArgumentException($"constraint '{name}': right-hand side must be finite", nameof(rightHandSide));
        }

        var constraint = new MilpConstraint(_constraints.Count, name, Merge(terms, name), sense, rightHandSide);
        _constraints.Add(constraint);
        return constraint;
    }

    public void Minimize(IEnumerable<MilpTerm> terms, double constant = 0) => SetObjective(ObjectiveSense.Minimize, terms, constant);

    public void Maximize(IEnumerable<MilpTerm> terms, double constant = 0) => SetObjective(ObjectiveSense.Maximize, terms, constant);

    public void SetObjective(ObjectiveSense sense, IEnumerable<MilpTerm> terms, double constant = 0)
    {
        if (!double.IsFinite(constant))
        {
            throw new ArgumentException("objective constant must be finite", nameof(constant));
        }

        _objective = Merge(terms, "objective");
        Sense = sense;
        ObjectiveConstant = constant;
    }

    /// <summary>Objective value of an assignment (one value per variable), constant included.</summary>
    public double EvaluateObjective(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return ObjectiveConstant + Dot(_objective, values);
    }

    /// <summary>
    /// Largest violation of a bound, constraint or integrality by an assignment: 0 for a feasible
    /// one. Lets callers and tests check a solver's answer instead of trusting it.
    /// </summary>
    public double MaxViolation(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count != _variables.Count)
        {
            throw new ArgumentException($"expected {_variables.Count} values, got {values.Count}", nameof(values));
        }

        double worst = 0;
        foreach (var v in _variables)
        {
            double x = values[v.Index];
            worst = Math.Max(worst, Math.Max(v.LowerBound - x, x - v.UpperBound));
            if (v.IsInteger)
            {
                worst = Math.Max(worst, Math.Abs(x - Math.Round(x)));
            }
        }

        foreach (var c in _constraints)
        {
            double lhs = Dot(c.Terms, values);
            double excess = c.Sense switch
            {
                ConstraintSense.LessOrEqual => lhs - c.RightHandSide,
                ConstraintSense.GreaterOrEqual => c.RightHandSide - lhs,
                _ => Math.Abs(lhs - c.RightHandSide),
            };
            worst = Math.Max(worst, excess);
        }

        return worst;
    }

    private static double Dot(IReadOnlyList<MilpTerm> terms, IReadOnlyList<double> values)
    {
        double sum = 0;
        foreach (var term in terms)
        {
            sum += term.Coefficient * values[term.Variable.Index];
        }

        return sum;
    }

    /// <summary>Sums repeated variables and drops zero coefficients: solvers reject duplicate matrix entries.</summary>
    private List<MilpTerm> Merge(IEnumerable<MilpTerm> terms, string owner)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var byIndex = new SortedDictionary<int, double>();
        foreach (var term in terms)
        {
            var v = term.Variable;
            if (v is null || v.Index < 0 || v.Index >= _variables.Count || !ReferenceEquals(_variables[v.Index], v))
            {
                throw new ArgumentException($"{owner}: a term uses a variable of another model");
            }

            if (!double.IsFinite(term.Coefficient))
            {
                throw new ArgumentException($"{owner}: coefficient of '{v.Name}' must be finite");
            }

            byIndex[v.Index] = byIndex.GetValueOrDefault(v.Index) + term.Coefficient;
        }

        return [.. byIndex.Where(p => p.Value != 0).Select(p => new MilpTerm(_variables[p.Key], p.Value))];
    }
}
