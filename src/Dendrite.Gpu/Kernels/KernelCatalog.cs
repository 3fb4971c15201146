using System.Reflection;

namespace Dendrite.Gpu.Kernels;

/// <summary>
/// Every kernel instance of this assembly: the closed generic methods (or plain methods) marked
/// <see cref="GpuKernelAttribute"/>, closed with their <see cref="KernelInstanceAttribute"/> lists and, for operator
/// kernels, with every operator struct. The PTX test compiles exactly this list, and <see cref="EnsureRegistered"/>
/// refuses to load anything else, so no kernel can run that the PTX test has not compiled.
/// </summary>
internal static class KernelCatalog
{
    private static readonly Lazy<IReadOnlyList<MethodInfo>> Instances = new(Discover);
    private static readonly Lazy<HashSet<string>> Keys = new(() => Instances.Value.Select(Describe).ToHashSet());

    /// <summary>All kernel instances, in a stable order (declaring type, method, type arguments).</summary>
    public static IReadOnlyList<MethodInfo> All => Instances.Value;

    /// <summary>Throws unless <paramref name="kernel"/> (a closed method) is in <see cref="All"/>.</summary>
    /// <exception cref="InvalidOperationException">The kernel is unregistered, with what to add.</exception>
    public static void EnsureRegistered(MethodInfo kernel)
    {
        if (Keys.Value.Contains(Describe(kernel)))
            return;
        string fix = kernel.GetCustomAttribute<GpuKernelAttribute>() is null
            && (!kernel.IsGenericMethod || kernel.GetGenericMethodDefinition().GetCustomAttribute<GpuKernelAttribute>() is null)
            ? "mark the method [GpuKernel]"
            : "add [KernelInstance(...)] for these type arguments (or [OperatorInstance(...)] on the operator struct)";
        throw new InvalidOperationException(
            $"Kernel {Describe(kernel)} is not registered in KernelCatalog, so the PTX test would not compile it: {fix}.");
    }

    /// <summary>A readable, unique name: <c>Type.Method&lt;Arg1, Arg2&gt;</c>.</summary>
    public static string Describe(MethodInfo kernel)
    {
        string name = $"{TypeName(kernel.DeclaringType!)}.{kernel.Name}";
        return kernel.IsGenericMethod ? $"{name}<{string.Join(", ", kernel.GetGenericArguments().Select(TypeName))}>" : name;
    }

    private static string TypeName(Type t)
    {
        if (!t.IsGenericType)
            return t.Name;
        string baseName = t.Name[..t.Name.IndexOf('`')];
        return $"{baseName}<{string.Join(", ", t.GetGenericArguments().Select(TypeName))}>";
    }

    private static IReadOnlyList<MethodInfo> Discover()
    {
        var assembly = typeof(KernelCatalog).Assembly;
        var types = assembly.GetTypes();
        var operators = types.Where(t => t.IsValueType && !t.IsEnum).SelectMany(CloseOperator).ToList();
        var result = new List<MethodInfo>();
        foreach (var type in types.OrderBy(t => t.FullName, StringComparer.Ordinal))
        foreach (var method in type.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
                     .Where(m => m.GetCustomAttribute<GpuKernelAttribute>() is not null)
                     .OrderBy(m => m.ToString(), StringComparer.Ordinal))
        {
            if (!method.IsGenericMethodDefinition)
            {
                result.Add(method);
                continue;
            }
            foreach (var args in method.GetCustomAttributes<KernelInstanceAttribute>())
                result.Add(method.MakeGenericMethod(args.TypeArguments));
            result.AddRange(OperatorInstances(method, operators));
        }
        return result;
    }

    // A struct and its closed forms: itself when not generic, else one per [OperatorInstance].
    private static IEnumerable<Type> CloseOperator(Type type)
    {
        if (!type.IsGenericTypeDefinition)
            return [type];
        return type.GetCustomAttributes<OperatorInstanceAttribute>().Select(a => type.MakeGenericType(a.TypeArguments));
    }

    // For K<T1..Tk, TOp> where TOp : I<...> and I is a [KernelOperator] interface: every operator struct S that
    // implements a closed I<X...> gives K<T1..Tk, S>, with T1..Tk read off by matching I's arguments.
    private static IEnumerable<MethodInfo> OperatorInstances(MethodInfo kernel, List<Type> operators)
    {
        var parameters = kernel.GetGenericArguments();
        var last = parameters[^1];
        var constraint = last.GetGenericParameterConstraints()
            .FirstOrDefault(c => c.IsInterface && c.IsGenericType
                && c.GetGenericTypeDefinition().GetCustomAttribute<KernelOperatorAttribute>() is not null);
        if (constraint is null)
            yield break;
        var definition = constraint.GetGenericTypeDefinition();
        var pattern = constraint.GetGenericArguments();
        foreach (var op in operators)
        foreach (var implemented in op.GetInterfaces().Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == definition))
        {
            var actual = implemented.GetGenericArguments();
            var map = new Type?[parameters.Length];
            map[^1] = op;
            bool consistent = true;
            for (int i = 0; i < pattern.Length && consistent; i++)
            {
                if (!pattern[i].IsGenericMethodParameter)
                    consistent = pattern[i] == actual[i];
                else if (map[pattern[i].GenericParameterPosition] is { } bound)
                    consistent = bound == actual[i];
                else
                    map[pattern[i].GenericParameterPosition] = actual[i];
            }
            if (!consistent || map.Any(t => t is null))
                continue;
            MethodInfo? closed;
            try
            {
                closed = kernel.MakeGenericMethod(map!);
            }
            catch (ArgumentException)
            {
                closed = null; // the operator's types violate another constraint of the kernel
            }
            if (closed is not null)
                yield return closed;
        }
    }
}
