using System.Reflection;
using System.Reflection.Emit;

namespace Stamen.Tests.Architecture;

/// <summary>
/// Which namespaces of an assembly use which others, read from the compiled code: every type's base
/// type, interfaces, field, property and method signatures, and the types, methods and fields its
/// method bodies name (IL tokens). Nested and compiler-generated types count for the namespace of
/// their outermost declaring type.
/// </summary>
internal static class NamespaceGraph
{
    private const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    /// <summary>namespace -> namespaces it uses, for namespaces starting with <paramref name="prefix"/>.</summary>
    public static Dictionary<string, HashSet<string>> Of(Assembly assembly, string prefix) =>
        Witnesses(assembly, prefix).GroupBy(e => e.Key.From, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Key.To).Where(t => t.Length > 0).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);

    /// <summary>Every edge with one type that makes it ("A.T uses B.U"), so a failure says what to move.</summary>
    public static Dictionary<(string From, string To), string> Witnesses(Assembly assembly, string prefix)
    {
        var edges = new Dictionary<(string, string), string>();
        foreach (var type in assembly.GetTypes())
        {
            var from = NamespaceOf(type);
            if (from is null || !from.StartsWith(prefix, StringComparison.Ordinal)) continue;
            edges.TryAdd((from, ""), "");
            foreach (var used in UsedTypes(type))
                if (NamespaceOf(used) is { } to && to != from && to.StartsWith(prefix, StringComparison.Ordinal))
                    edges.TryAdd((from, to), $"{Outermost(type).Name} uses {Outermost(used).Name}");
        }
        return edges;
    }

    private static Type Outermost(Type type)
    {
        while (type.IsGenericParameter || type.HasElementType) type = type.IsGenericParameter ? typeof(object) : type.GetElementType()!;
        while (type.DeclaringType is { } outer) type = outer;
        return type;
    }

    /// <summary>The strongly connected components with more than one namespace: the cycles.</summary>
    public static List<List<string>> Cycles(Dictionary<string, HashSet<string>> graph)
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var cycles = new List<List<string>>();
        var next = 0;
        void Visit(string v)
        {
            index[v] = low[v] = next++;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in graph.GetValueOrDefault(v) ?? [])
            {
                if (!index.TryGetValue(w, out var wIndex))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w)) low[v] = Math.Min(low[v], wIndex);
            }
            if (low[v] != index[v]) return;
            var component = new List<string>();
            string x;
            do
            {
                x = stack.Pop();
                onStack.Remove(x);
                component.Add(x);
            } while (x != v);
            if (component.Count > 1) cycles.Add([.. component.Order(StringComparer.Ordinal)]);
        }
        foreach (var v in graph.Keys.Order(StringComparer.Ordinal))
            if (!index.ContainsKey(v)) Visit(v);
        return [.. cycles.OrderBy(c => c[0], StringComparer.Ordinal)];
    }

    private static string? NamespaceOf(Type type)
    {
        while (type.IsGenericParameter || type.HasElementType) type = type.IsGenericParameter ? typeof(object) : type.GetElementType()!;
        while (type.DeclaringType is { } outer) type = outer;
        return type.Namespace;
    }

    private static IEnumerable<Type> UsedTypes(Type type)
    {
        var used = new List<Type>();
        if (type.BaseType is { } b) used.Add(b);
        used.AddRange(type.GetInterfaces());
        foreach (var f in type.GetFields(All)) used.Add(f.FieldType);
        foreach (var p in type.GetProperties(All)) used.Add(p.PropertyType);
        foreach (var m in type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All)))
        {
            if (m is MethodInfo mi) used.Add(mi.ReturnType);
            used.AddRange(m.GetParameters().Select(p => p.ParameterType));
            used.AddRange(BodyTypes(m));
        }
        return used.SelectMany(Expand);
    }

    /// <summary>A type and its generic arguments and element types, recursively.</summary>
    private static IEnumerable<Type> Expand(Type t)
    {
        yield return t;
        if (t.HasElementType)
            foreach (var e in Expand(t.GetElementType()!)) yield return e;
        if (t.IsGenericType && !t.IsGenericTypeDefinition)
            foreach (var a in t.GetGenericArguments())
                foreach (var e in Expand(a)) yield return e;
    }

    /// <summary>Types named by the tokens in a method body.</summary>
    private static List<Type> BodyTypes(MethodBase method)
    {
        var types = new List<Type>();
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null) return types;
        var typeArgs = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var i = 0; i < il.Length;)
        {
            short value = il[i++];
            if (value == 0xFE) value = (short)(0xFE00 | il[i++]);
            if (!OpCodesByValue.TryGetValue(value, out var op)) break;
            switch (op.OperandType)
            {
                case OperandType.InlineType or OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineTok:
                    var token = BitConverter.ToInt32(il, i);
                    try
                    {
                        switch (method.Module.ResolveMember(token, typeArgs, methodArgs))
                        {
                            case Type t: types.Add(t); break;
                            case MethodBase mb when mb.DeclaringType is { } dt: types.Add(dt); break;
                            case FieldInfo fi when fi.DeclaringType is { } ft: types.Add(ft); types.Add(fi.FieldType); break;
                        }
                    }
                    catch (ArgumentException)
                    {
                        // A token in a generic context reflection cannot resolve: its signature types were counted above.
                    }
                    i += 4;
                    break;
                case OperandType.InlineSwitch:
                    i += 4 + 4 * BitConverter.ToInt32(il, i);
                    break;
                case OperandType.InlineBrTarget or OperandType.InlineI or OperandType.InlineSig or OperandType.InlineString or OperandType.ShortInlineR:
                    i += 4;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    i += 8;
                    break;
                case OperandType.InlineVar:
                    i += 2;
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    i += 1;
                    break;
            }
        }
        return types;
    }
}
