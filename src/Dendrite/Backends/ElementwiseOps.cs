namespace Dendrite.Backends;

/// <summary>The elementwise functions of <see cref="IBackend.Unary"/>.</summary>
internal enum UnaryKind
{
    Neg, Abs, Exp, Log, Sqrt, Square, Relu, Sigmoid, Tanh, Gelu, Softplus,
    /// <summary>x &gt; 0 ? x : A·(eˣ − 1).</summary>
    Elu,
    /// <summary>x &gt; 0 ? x : A·x.</summary>
    LeakyRelu,
    /// <summary>min(max(x, A), B), NaN kept.</summary>
    Clamp,
    /// <summary>x^A.</summary>
    Pow,
}

/// <summary>An elementwise function and its scalar parameters (<see cref="A"/>, <see cref="B"/>: see <see cref="UnaryKind"/>).</summary>
internal readonly record struct UnaryOp(UnaryKind Kind, double A = 0, double B = 0)
{
    /// <summary>True when the backward needs the output y (sigmoid, tanh, ReLU); otherwise it needs the input x.</summary>
    public bool SavesOutput => Kind is UnaryKind.Sigmoid or UnaryKind.Tanh or UnaryKind.Relu;

    /// <summary>
    /// True when <see cref="IBackend.UnaryBackward"/> implements the gradient; the others (Neg, Exp, Log, Sqrt,
    /// Square) compose their backward from tensor ops.
    /// </summary>
    public bool HasFusedBackward => Kind is not (UnaryKind.Neg or UnaryKind.Exp or UnaryKind.Log or UnaryKind.Sqrt or UnaryKind.Square);

    // Properties rather than static fields: precompiled (ReadyToRun) code reads a static field through a helper call.
    public static UnaryOp Neg => new(UnaryKind.Neg);
    public static UnaryOp Abs => new(UnaryKind.Abs);
    public static UnaryOp Exp => new(UnaryKind.Exp);
    public static UnaryOp Log => new(UnaryKind.Log);
    public static UnaryOp Sqrt => new(UnaryKind.Sqrt);
    public static UnaryOp Square => new(UnaryKind.Square);
    public static UnaryOp Relu => new(UnaryKind.Relu);
    public static UnaryOp Sigmoid => new(UnaryKind.Sigmoid);
    public static UnaryOp Tanh => new(UnaryKind.Tanh);
    public static UnaryOp Gelu => new(UnaryKind.Gelu);
    public static UnaryOp Softplus => new(UnaryKind.Softplus);
}

/// <summary>The broadcasting binary functions of <see cref="IBackend.Binary"/>.</summary>
internal enum BinaryKind
{
    Add, Sub, Mul, Div,
    /// <summary>max(a, b), NaN propagates.</summary>
    Maximum,
    /// <summary>min(a, b), NaN propagates.</summary>
    Minimum,
    /// <summary>a^b.</summary>
    Pow,
    /// <summary>The share of a gradient that goes to a in max(a, b): 1 where a &gt; b, ½ where a = b, else 0.</summary>
    WinWeight,
}

/// <summary>The comparisons of <see cref="IBackend.Compare"/>.</summary>
internal enum CompareKind { Eq, Ne, Gt, Lt, Ge, Le }
