using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;

namespace Dendrite.NN;

/// <summary>
/// Finds the child modules and parameters a user module declares as fields (see <see cref="Module"/>'s remarks for
/// the rules). The candidate fields of each type are computed once per type; values are read once per instance.
/// </summary>
internal static class ModuleDiscovery
{
    private static readonly ConcurrentDictionary<Type, (FieldInfo Field, string Name)[]> Cache = new();

    public static void Discover(Module module)
    {
        foreach (var (field, name) in Cache.GetOrAdd(module.GetType(), CandidateFields))
        {
            object? value = field.GetValue(module);
            switch (value)
            {
                case null:
                    break;
                case Module m:
                    if (!ReferenceEquals(m, module) && !module.IsRegistered(m) && !module.HasName(name))
                        module.AddDiscoveredModule(name, m);
                    break;
                case Tensor t:
                    if (t.IsLeaf && t.RequiresGrad && !module.IsRegistered(t) && !module.HasName(name))
                        module.AddDiscoveredParameter(name, t, field);
                    break;
                case IEnumerable items:
                    int i = 0;
                    foreach (var item in items)
                    {
                        string itemName = name + "." + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                        i++;
                        if (item is Module child && !ReferenceEquals(child, module) && !module.IsRegistered(child))
                            module.AddDiscoveredModule(itemName, child);
                    }
                    break;
            }
        }
    }

    // Instance fields of Module subclasses, most-base class first, each class in metadata (= declaration) order.
    private static (FieldInfo, string)[] CandidateFields(Type type)
    {
        var chain = new List<Type>();
        for (var t = type; t is not null && t != typeof(Module); t = t.BaseType)
            chain.Add(t);
        chain.Reverse();
        var result = new List<(FieldInfo, string)>();
        const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        foreach (var t in chain)
            foreach (var f in t.GetFields(flags).OrderBy(f => f.MetadataToken))
                if (IsCandidate(f.FieldType))
                    result.Add((f, CleanName(f.Name)));
        return [.. result];
    }

    private static bool IsCandidate(Type fieldType)
    {
        if (typeof(Module).IsAssignableFrom(fieldType) || fieldType == typeof(Tensor))
            return true;
        if (fieldType.IsArray)
            return typeof(Module).IsAssignableFrom(fieldType.GetElementType());
        // List<T>, IReadOnlyList<T>, ... of modules.
        if (fieldType.IsGenericType && typeof(IEnumerable).IsAssignableFrom(fieldType))
            return fieldType.GetGenericArguments() is [var arg] && typeof(Module).IsAssignableFrom(arg);
        return false;
    }

    // "<Fc1>k__BackingField" -> "Fc1"
    private static string CleanName(string name)
    {
        if (name.StartsWith('<'))
        {
            int end = name.IndexOf('>', StringComparison.Ordinal);
            if (end > 1)
                return name[1..end];
        }
        return name;
    }
}
