using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace NanoInt8.Onnx;

/// <summary>
/// Runs ONNX models in ONNX Runtime, the reference for what an ONNX model computes, on
/// <see cref="NpyArray"/> inputs.
/// </summary>
/// <remarks>
/// Defaults are chosen for a reference, not for speed: graph optimizations are off
/// (<see cref="GraphOptimizationLevel.ORT_DISABLE_ALL"/>), because at EXTENDED ONNX Runtime fuses
/// QDQ groups into QLinear kernels and at ALL it rewrites to NHWC contrib operators, whose
/// rounding is not the ONNX operators' semantics; one intra-op and one inter-op thread and
/// sequential execution, so results do not depend on the machine's core count.
/// </remarks>
public sealed class OnnxRuntimeRunner
{
    /// <summary>
    /// Sets how much ONNX Runtime itself prints on the process's standard error (its process-wide
    /// environment's log level, which sessions use): its warnings (e.g. "Removing initializer ...")
    /// with <paramref name="warnings"/>, else only errors. ONNX Runtime's own default is warnings.
    /// </summary>
    public static void SetLogging(bool warnings)
    {
        OrtEnv.Instance().EnvLogLevel = warnings ? OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING : OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR;
    }

    /// <summary>The graph optimization level sessions are created with; ORT_DISABLE_ALL by default.</summary>
    public GraphOptimizationLevel OptimizationLevel { get; set; } = GraphOptimizationLevel.ORT_DISABLE_ALL;

    /// <summary>Threads ONNX Runtime may use inside one operator; 1 by default for determinism.</summary>
    public int IntraOpThreads { get; set; } = 1;

    /// <summary>Runs a model once.</summary>
    /// <param name="model">The serialized model (.onnx bytes).</param>
    /// <param name="inputs">One array per graph input, by input name.</param>
    /// <returns>The outputs in graph output order.</returns>
    /// <exception cref="ArgumentException">An input is missing, unknown, or of the wrong element type.</exception>
    /// <exception cref="OnnxRuntimeRunException">ONNX Runtime rejected the model or failed to run it, or an output has a type NpyArray cannot hold.</exception>
    public IReadOnlyList<NpyArray> Run(byte[] model, IReadOnlyDictionary<string, NpyArray> inputs)
    {
        using OnnxRuntimeSession session = CreateSession(model);
        return session.Run(inputs);
    }

    /// <summary>Runs a model file once.</summary>
    /// <param name="modelPath">The .onnx file.</param>
    /// <param name="inputs">One array per graph input, by input name.</param>
    /// <returns>The outputs in graph output order.</returns>
    /// <exception cref="ArgumentException">An input is missing, unknown, or of the wrong element type.</exception>
    /// <exception cref="OnnxRuntimeRunException">ONNX Runtime rejected the model or failed to run it, or an output has a type NpyArray cannot hold.</exception>
    public IReadOnlyList<NpyArray> Run(string modelPath, IReadOnlyDictionary<string, NpyArray> inputs)
    {
        using OnnxRuntimeSession session = CreateSession(modelPath);
        return session.Run(inputs);
    }

    /// <summary>Loads a model once to run it on many inputs.</summary>
    /// <param name="model">The serialized model (.onnx bytes).</param>
    /// <returns>A session to dispose after use.</returns>
    /// <exception cref="OnnxRuntimeRunException">ONNX Runtime rejected the model.</exception>
    public OnnxRuntimeSession CreateSession(byte[] model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return CreateSession(options => new InferenceSession(model, options), "the model");
    }

    /// <summary>Loads a model file once to run it on many inputs.</summary>
    /// <param name="modelPath">The .onnx file.</param>
    /// <returns>A session to dispose after use.</returns>
    /// <exception cref="OnnxRuntimeRunException">ONNX Runtime rejected the model.</exception>
    public OnnxRuntimeSession CreateSession(string modelPath)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        return CreateSession(options => new InferenceSession(modelPath, options), modelPath);
    }

    private OnnxRuntimeSession CreateSession(Func<SessionOptions, InferenceSession> create, string source)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(IntraOpThreads);
        using var options = new SessionOptions
        {
            GraphOptimizationLevel = OptimizationLevel,
            IntraOpNumThreads = IntraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        };

        try
        {
            return new OnnxRuntimeSession(create(options));
        }
        catch (OnnxRuntimeException exception)
        {
            throw new OnnxRuntimeRunException($"ONNX Runtime could not load {source}: {exception.Message}", exception);
        }
    }
}

/// <summary>A model loaded in ONNX Runtime, run on <see cref="NpyArray"/> inputs.</summary>
public sealed class OnnxRuntimeSession : IDisposable
{
    private readonly InferenceSession _session;

    internal OnnxRuntimeSession(InferenceSession session)
    {
        _session = session;
    }

    /// <summary>The names of the inputs the model must be fed, in graph order.</summary>
    public IReadOnlyList<string> InputNames => _session.InputNames;

    /// <summary>The names of the outputs, in graph order.</summary>
    public IReadOnlyList<string> OutputNames => _session.OutputNames;

    /// <summary>Runs the model.</summary>
    /// <param name="inputs">One array per graph input, by input name.</param>
    /// <returns>The outputs in graph output order.</returns>
    /// <exception cref="ArgumentException">An input is missing, unknown, or of the wrong element type.</exception>
    /// <exception cref="OnnxRuntimeRunException">ONNX Runtime failed to run the model, or an output has a type NpyArray cannot hold.</exception>
    public IReadOnlyList<NpyArray> Run(IReadOnlyDictionary<string, NpyArray> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        foreach (string name in inputs.Keys)
        {
            if (!_session.InputMetadata.ContainsKey(name))
            {
                throw new ArgumentException(
                    $"The model has no input named '{name}'; its inputs are {string.Join(", ", InputNames.Select(input => $"'{input}'"))}.",
                    nameof(inputs));
            }
        }

        var values = new List<OrtValue>();
        try
        {
            foreach (string name in InputNames)
            {
                if (!inputs.TryGetValue(name, out NpyArray? array))
                {
                    throw new ArgumentException($"Input '{name}' of the model was not given.", nameof(inputs));
                }

                TensorElementType expected = _session.InputMetadata[name].ElementDataType;
                if (expected != ToTensorElementType(array.ElementType))
                {
                    throw new ArgumentException(
                        $"Input '{name}' needs {expected} elements but the array given holds {array.ElementType}.",
                        nameof(inputs));
                }

                values.Add(CreateValue(array));
            }

            using var runOptions = new RunOptions();
            using IDisposableReadOnlyCollection<OrtValue> results = RunSession(runOptions, values);
            var outputs = new List<NpyArray>(results.Count);
            int index = 0;
            foreach (OrtValue result in results)
            {
                outputs.Add(ToNpyArray(OutputNames[index++], result));
            }

            return outputs;
        }
        finally
        {
            foreach (OrtValue value in values)
            {
                value.Dispose();
            }
        }
    }

    /// <summary>Releases the native session.</summary>
    public void Dispose() => _session.Dispose();

    private IDisposableReadOnlyCollection<OrtValue> RunSession(RunOptions runOptions, List<OrtValue> values)
    {
        try
        {
            return _session.Run(runOptions, _session.InputNames, values, _session.OutputNames);
        }
        catch (OnnxRuntimeException exception)
        {
            throw new OnnxRuntimeRunException($"ONNX Runtime failed to run the model: {exception.Message}", exception);
        }
    }

    private static TensorElementType ToTensorElementType(NpyType type) => type switch
    {
        NpyType.Float32 => TensorElementType.Float,
        NpyType.Int8 => TensorElementType.Int8,
        NpyType.UInt8 => TensorElementType.UInt8,
        NpyType.Int32 => TensorElementType.Int32,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown element type."),
    };

    private static OrtValue CreateValue(NpyArray array)
    {
        long[] shape = array.Shape.Select(dimension => (long)dimension).ToArray();

        // The OrtValue pins the managed array: the caller's data is read in place, not copied.
        return array.ElementType switch
        {
            NpyType.Float32 => OrtValue.CreateTensorValueFromMemory(array.AsFloats(), shape),
            NpyType.Int8 => OrtValue.CreateTensorValueFromMemory(array.AsInt8(), shape),
            NpyType.UInt8 => OrtValue.CreateTensorValueFromMemory(array.AsUInt8(), shape),
            NpyType.Int32 => OrtValue.CreateTensorValueFromMemory(array.AsInt32(), shape),
            _ => throw new ArgumentOutOfRangeException(nameof(array), array.ElementType, "Unknown element type."),
        };
    }

    private static NpyArray ToNpyArray(string name, OrtValue value)
    {
        if (value.OnnxType != OnnxValueType.ONNX_TYPE_TENSOR)
        {
            throw new OnnxRuntimeRunException($"Output '{name}' is a {value.OnnxType}, not a tensor; only tensor outputs are supported.");
        }

        OrtTensorTypeAndShapeInfo info = value.GetTensorTypeAndShape();
        int[] shape = info.Shape.Select(dimension => checked((int)dimension)).ToArray();
        return info.ElementDataType switch
        {
            TensorElementType.Float => new NpyArray(NpyType.Float32, shape, value.GetTensorDataAsSpan<float>().ToArray()),
            TensorElementType.Int8 => new NpyArray(NpyType.Int8, shape, value.GetTensorDataAsSpan<sbyte>().ToArray()),
            TensorElementType.UInt8 => new NpyArray(NpyType.UInt8, shape, value.GetTensorDataAsSpan<byte>().ToArray()),
            TensorElementType.Int32 => new NpyArray(NpyType.Int32, shape, value.GetTensorDataAsSpan<int>().ToArray()),
            TensorElementType other => throw new OnnxRuntimeRunException(
                $"Output '{name}' has element type {other}; an NpyArray holds only Float, Int8, UInt8 and Int32."),
        };
    }
}

/// <summary>Thrown when ONNX Runtime rejects a model, fails to run it, or returns an output NanoInt8 cannot represent.</summary>
public sealed class OnnxRuntimeRunException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, with ONNX Runtime's own message where there is one.</param>
    public OnnxRuntimeRunException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception around ONNX Runtime's error.</summary>
    /// <param name="message">What failed, with ONNX Runtime's own message.</param>
    /// <param name="innerException">ONNX Runtime's exception.</param>
    public OnnxRuntimeRunException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
