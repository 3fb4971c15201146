using System.Reflection;
using System.Text.RegularExpressions;

namespace Dendrite.Tests.Docs;

/// <summary>
/// docs/pytorch-mapping.md names only API that exists: every identifier in the code spans of its tables' Dendrite
/// column must be a public type or member of the Dendrite assembly (<c>Type.Member</c> chains are checked on that
/// type, <c>x.Member</c> on any type), and every named argument (<c>keepDim:</c>) a parameter of a public method.
/// </summary>
public sealed partial class MappingDocTests
{
    // Names from the .NET base library that the column uses as they are.
    private static readonly HashSet<string> Bcl = ["Action", "Func"];

    // Every Dendrite assembly a user references: the library and its add-ons.
    private static readonly Lazy<Api> PublicApi = new(() => Api.Of(typeof(Tensor).Assembly, typeof(Dendrite.Onnx.Onnx).Assembly));

    [Fact]
    public void EveryNameInTheDendriteColumnExists()
    {
        var doc = File.ReadAllLines(DocPath());
        var rows = DendriteCells(doc).ToList();
        Assert.True(rows.Count > 100, $"only {rows.Count} table rows were found in the mapping doc");
        var problems = rows.SelectMany(r => Check(r.Cell).Select(p => $"line {r.Line}: {p}")).ToList();
        Assert.True(problems.Count == 0, "docs/pytorch-mapping.md names API that does not exist:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void TheCourseCallsHaveRows()
    {
        var text = File.ReadAllText(DocPath());
        string[] pytorch = ["torch.sort", "torch.meshgrid", "torch.normal(mean, std, size)", "torch.Tensor(n)", "x.uniform_(a, b)", "x.normal_(m, s)",
            "x.data", "net[0]", "named_modules()", "torch.nn.Parameter(", "torch.load(path)", "@torch.no_grad()", "torch.squeeze(t, dim)",
            "torch.flatten(x)", "torch.tensor(t, dtype=", "y_hat[[0, 1], y]", "optim.Adadelta", "optim.Adamax", "optim.NAdam"];
        foreach (var call in pytorch)
            Assert.Contains(call, text);
    }

    [Fact]
    public void TheCheckerCatchesMissingNamesAndArguments()
    {
        Assert.Empty(Check("`Tensor.Zeros(2, 3)`, `x.Sum(1, keepDim: true)`, `new Linear(in, out)`"));
        Assert.Contains(Check("`Tensor.NoSuchFactory(2)`"), p => p.Contains("NoSuchFactory"));
        Assert.Contains(Check("`Linear.Sum(3)`"), p => p.Contains("Linear.Sum"));
        Assert.Contains(Check("`x.Frobnicate()`"), p => p.Contains("Frobnicate"));
        Assert.Contains(Check("`x.Sum(1, keepdims: true)`"), p => p.Contains("keepdims"));
        Assert.Empty(Check("`Dendrite.Training.Metrics`, `Dendrite.NN.Linear`, `runs/<name>/report.html`"));
        Assert.Contains(Check("`x.Frobnicate() / 2`"), p => p.Contains("Frobnicate"));
        Assert.Contains(Check("`Dendrite.NN.Perceptron`"), p => p.Contains("Perceptron"));
    }

    private static string DocPath()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Dendrite.slnx")))
            dir = dir.Parent;
        Assert.NotNull(dir);
        return Path.Combine(dir.FullName, "docs", "pytorch-mapping.md");
    }

    // The second cell of every table row (header and separator rows included; they hold no code).
    private static IEnumerable<(int Line, string Cell)> DendriteCells(string[] lines)
    {
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (!line.StartsWith('|'))
                continue;
            var cells = CellSplit().Split(line.Trim('|'));
            if (cells.Length >= 2)
                yield return (i + 1, cells[1]);
        }
    }

    private static List<string> Check(string cell)
    {
        var api = PublicApi.Value;
        var problems = new List<string>();
        foreach (Match span in CodeSpan().Matches(cell))
        {
            var code = StringLiteral().Replace(span.Groups[1].Value.Replace("\\|", "|"), "\"\"");
            if (code.StartsWith("dendrite ", StringComparison.Ordinal) || PathLike().IsMatch(code))
                continue;   // a command line or a path, not C#
            foreach (Match arg in NamedArgument().Matches(code))
                if (!api.Parameters.Contains(arg.Groups[1].Value))
                    problems.Add($"`{span.Groups[1].Value}`: no public method has a parameter named '{arg.Groups[1].Value}'");
            foreach (Match chain in Chain().Matches(code))
            {
                var parts = chain.Value.Split('.');
                if (code[(chain.Index + chain.Length)..].TrimStart().StartsWith(':'))
                    continue;   // a named argument, checked above
                int first = 0;
                while (first < parts.Length && api.Namespaces.Contains(string.Join('.', parts[..(first + 1)])))
                    first++;    // a namespace (Dendrite.Training.Metrics) or its prefix
                if (first > 0)
                {
                    if (first < parts.Length && !api.Types.ContainsKey(parts[first]))
                        problems.Add($"`{span.Groups[1].Value}`: namespace {string.Join('.', parts[..first])} has no public type {parts[first]}");
                    continue;
                }
                if (char.IsUpper(parts[0][0]) && parts[0].Length > 1 && api.Types.TryGetValue(parts[0], out var types))
                {
                    if (parts.Length > 1 && !types.Any(t => api.HasMember(t, parts[1])))
                        problems.Add($"`{span.Groups[1].Value}`: {parts[0]} has no public member {parts[1]} ({parts[0]}.{parts[1]})");
                    first = 2;
                }
                else if (char.IsLower(parts[0][0]) || parts[0].Length == 1)
                {
                    first = 1;      // a variable (x, model, opt) or a type parameter (T)
                }
                for (int k = first; k < parts.Length; k++)
                    if (!api.Members.Contains(parts[k]) && !api.Types.ContainsKey(parts[k]) && !Bcl.Contains(parts[k]))
                        problems.Add($"`{span.Groups[1].Value}`: no public type or member is named {parts[k]}");
            }
        }
        return problems;
    }

    [GeneratedRegex(@"(?<!\\)\|")]
    private static partial Regex CellSplit();

    [GeneratedRegex(@"^\S*/\S*$")]
    private static partial Regex PathLike();

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex("\"[^\"]*\"")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"(?<![A-Za-z0-9_.?])([a-z][A-Za-z0-9_]*)\s*:(?!:)")]
    private static partial Regex NamedArgument();

    [GeneratedRegex(@"(?<![A-Za-z0-9_])[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")]
    private static partial Regex Chain();

    // The public surface of an assembly: types by simple name, every member name, every parameter name.
    private sealed record Api(Dictionary<string, List<Type>> Types, HashSet<string> Members, HashSet<string> Parameters, HashSet<string> Namespaces)
    {
        private const BindingFlags All = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.FlattenHierarchy;

        public static Api Of(params Assembly[] assemblies)
        {
            var types = new Dictionary<string, List<Type>>();
            var members = new HashSet<string>();
            var parameters = new HashSet<string>();
            var namespaces = new HashSet<string>();
            foreach (var t in assemblies.SelectMany(a => a.GetExportedTypes()))
            {
                var ns = t.Namespace!.Split('.');
                for (int k = 1; k <= ns.Length; k++)
                    namespaces.Add(string.Join('.', ns[..k]));
                string name = t.Name.Split('`')[0];
                if (!types.TryGetValue(name, out var list))
                    types[name] = list = [];
                list.Add(t);
                foreach (var m in t.GetMembers(All))
                {
                    members.Add(m.Name);
                    if (m is MethodBase method)
                        foreach (var p in method.GetParameters())
                            parameters.Add(p.Name!);
                }
            }
            return new Api(types, members, parameters, namespaces);
        }

        public bool HasMember(Type t, string name) => t.GetMember(name, All).Length > 0;
    }
}
