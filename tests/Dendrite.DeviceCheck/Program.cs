using System.Diagnostics;
using System.Reflection;
using Xunit;

namespace Dendrite.DeviceCheck;

/// <summary>
/// A minimal runner for the test methods of Dendrite.Tests on a machine that has the .NET runtime but no SDK: runs every
/// [Fact] and [Theory] (with [InlineData] or [MemberData]) of the test classes whose full name contains one of the
/// filters, or that carry the trait Category=&lt;value&gt; with --category. Prints one line per failure and a summary;
/// the exit code is the number of failures (capped at 100).
/// usage: Dendrite.DeviceCheck [--category Gpu] [--class Parity ...] [--list]
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var classFilters = new List<string>();
        string? category = null;
        bool list = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--class" when i + 1 < args.Length: classFilters.Add(args[++i]); break;
                case "--category" when i + 1 < args.Length: category = args[++i]; break;
                case "--list": list = true; break;
                default:
                    Console.Error.WriteLine($"unknown argument '{args[i]}'; usage: Dendrite.DeviceCheck [--category Gpu] [--class Parity ...] [--list]");
                    return 2;
            }
        }
        var assembly = typeof(Dendrite.Tests.Devices.TestDevice).Assembly;
        var cases = Discover(assembly, classFilters, category).ToList();
        if (list)
        {
            foreach (var c in cases)
                Console.WriteLine(c.Name);
            return 0;
        }
        int passed = 0, failed = 0;
        var clock = Stopwatch.StartNew();
        foreach (var c in cases)
        {
            try
            {
                c.Run();
                passed++;
            }
            catch (Exception e)
            {
                failed++;
                var inner = e is TargetInvocationException { InnerException: { } ie } ? ie : e;
                Console.WriteLine($"FAIL {c.Name}: {inner.GetType().Name}: {FirstLine(inner.Message)}");
            }
        }
        Console.WriteLine($"device {Dendrite.Tests.Devices.TestDevice.Current}: {passed} passed, {failed} failed ({clock.Elapsed.TotalSeconds:F1} s)");
        return Math.Min(failed, 100);
    }

    private static string FirstLine(string s) => s.Split('\n')[0].Trim();

    private sealed record TestCase(string Name, Action Run);

    private static IEnumerable<TestCase> Discover(Assembly assembly, List<string> classFilters, string? category)
    {
        foreach (var type in assembly.GetTypes().Where(t => t.IsClass && !t.IsAbstract && t.IsPublic).OrderBy(t => t.FullName))
        {
            bool classMatch = classFilters.Any(f => type.FullName!.Contains(f, StringComparison.Ordinal));
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static).OrderBy(m => m.Name))
            {
                var fact = method.GetCustomAttribute<FactAttribute>();
                if (fact is null || fact.Skip is not null)
                    continue;
                bool traitMatch = category is not null && HasCategory(method, type, category);
                if (!classMatch && !traitMatch)
                    continue;
                if (fact is TheoryAttribute)
                {
                    foreach (var row in Rows(type, method))
                    {
                        var data = row;
                        yield return new TestCase($"{type.Name}.{method.Name}({string.Join(", ", data.Select(Format))})", () => Invoke(type, method, data));
                    }
                }
                else
                    yield return new TestCase($"{type.Name}.{method.Name}", () => Invoke(type, method, []));
            }
        }
    }

    // xunit keeps a trait's name and value only as the attribute's constructor arguments.
    private static bool HasCategory(MethodInfo method, Type type, string category) =>
        method.GetCustomAttributesData().Concat(type.GetCustomAttributesData())
            .Any(a => a.AttributeType == typeof(TraitAttribute) && a.ConstructorArguments.Count == 2
                && (string?)a.ConstructorArguments[0].Value == "Category" && (string?)a.ConstructorArguments[1].Value == category);

    private static IEnumerable<object?[]> Rows(Type type, MethodInfo method)
    {
        foreach (var inline in method.GetCustomAttributes<InlineDataAttribute>())
            foreach (var row in inline.GetData(method))
                yield return row;
        foreach (var member in method.GetCustomAttributes<MemberDataAttribute>())
        {
            var source = member.MemberType ?? type;
            var flags = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.FlattenHierarchy;
            object? value = source.GetProperty(member.MemberName, flags)?.GetValue(null)
                ?? source.GetMethod(member.MemberName, flags)?.Invoke(null, member.Parameters)
                ?? source.GetField(member.MemberName, flags)?.GetValue(null);
            if (value is IEnumerable<object?[]> rows)
                foreach (var row in rows)
                    yield return row;
            else if (value is System.Collections.IEnumerable items)
                foreach (var item in items)
                    yield return item is object?[] arr ? arr : [item];
        }
    }

    private static void Invoke(Type type, MethodInfo method, object?[] data)
    {
        object? instance = method.IsStatic ? null : Create(type);
        try
        {
            var result = method.Invoke(instance, data);
            if (result is Task task)
                task.GetAwaiter().GetResult();
        }
        finally
        {
            (instance as IDisposable)?.Dispose();
        }
    }

    // A test class with a parameterless constructor, or one taking xunit's ITestOutputHelper (written to stdout).
    private static object Create(Type type)
    {
        var ctor = type.GetConstructors().OrderBy(c => c.GetParameters().Length).First();
        var args = ctor.GetParameters().Select(p => p.ParameterType == typeof(Xunit.Abstractions.ITestOutputHelper)
            ? new ConsoleOutput()
            : throw new NotSupportedException($"{type.Name}: constructor parameter {p.Name} of type {p.ParameterType.Name} cannot be supplied")).ToArray<object>();
        return ctor.Invoke(args);
    }

    private sealed class ConsoleOutput : Xunit.Abstractions.ITestOutputHelper
    {
        public void WriteLine(string message) => Console.WriteLine("    " + message);

        public void WriteLine(string format, params object[] args) => Console.WriteLine("    " + string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));
    }

    private static string Format(object? value) => value switch
    {
        null => "null",
        string s => s.Length > 40 ? "\"" + s[..40] + "…\"" : "\"" + s + "\"",
        _ => value.ToString() ?? "",
    };
}
