using NanoInt8.Conversion.Tests.Generators;

namespace NanoInt8.Conversion.Tests;

/// <summary>
/// Converter plus device runtime against ONNX Runtime on single-operator QDQ models
/// (float input → QuantizeLinear → DequantizeLinear → operator → QuantizeLinear → DequantizeLinear
/// → float output), 16 random configurations per family, fixed seeds.
/// </summary>
/// <remarks>
/// Semantics checked, for every test here: ONNX Runtime with optimizations off computes the
/// operator in float32 on dequantized values and requantizes with QuantizeLinear (divide by the
/// scale, round half to even, add the zero point, saturate); the converted model computes in
/// integers and requantizes in fixed point (TFLite's multiplier and shift, ties away from zero).
/// The two may differ where the exact result sits within float rounding of a half step, so the bar
/// is the issue's: at least 99.5% of output values bit-identical and none more than 1 step apart,
/// per model, over about 2000 output values per model; a mismatch whose exact value lies at a
/// rounding tie (x.5 steps, where ORT's float32 noise picks the side) counts as agreeing, provided
/// every mismatch of the model was analysed, and over each family at least 97% must be
/// bit-identical with ties counted against (<see cref="AgreementChecks.SingleOperatorVerdict"/>,
/// <see cref="AgreementChecks.SingleOperatorFamilyVerdict"/>).
/// </remarks>
[TestClass]
public sealed class QdqSingleOperatorTests
{
    /// <summary>MSTest's context, for printing the figures.</summary>
    public TestContext TestContext { get; set; } = null!;

    /// <summary>
    /// Conv 2-D: kernel 1..5, stride 1..3, dilation 1..2, asymmetric pads, groups (depthwise with
    /// multiplier 1 and 2), per-channel int8 weights (scales 1e-5..1) as initializers or float
    /// behind QuantizeLinear, int32 or float bias or none, int8/uint8, sometimes a Relu node.
    /// Semantics: float Conv + QuantizeLinear (half to even) vs integer Conv + fixed-point requantization.
    /// </summary>
    [TestMethod]
    public void Convert_QdqConv2d_MatchesOnnxRuntimeWithinOneStep() => AgreementChecks.SingleOperatorFamily(TestContext, Family.QdqConv2d);

    /// <summary>Conv 1-D ([N,C,L]), configured like the 2-D one. Semantics: as <see cref="Convert_QdqConv2d_MatchesOnnxRuntimeWithinOneStep"/>.</summary>
    [TestMethod]
    public void Convert_QdqConv1d_MatchesOnnxRuntimeWithinOneStep() => AgreementChecks.SingleOperatorFamily(TestContext, Family.QdqConv1d);

    /// <summary>
    /// Gemm, transB=1 (weights [N,K], per-channel axis 0) or 0 ([K,N], axis 1), with int32, float or
    /// no bias. Semantics: float Gemm + QuantizeLinear vs integer FullyConnected + fixed point.
    /// </summary>
    [TestMethod]
    public void Convert_QdqGemm_MatchesOnnxRuntimeWithinOneStep() => AgreementChecks.SingleOperatorFamily(TestContext, Family.QdqGemm);

    /// <summary>
    /// MatMul with a constant right operand [K,N] (per-channel axis 1 or per tensor), left operand
    /// 2-D [M,K] or 3-D [B,M,K]. Semantics: float MatMul + QuantizeLinear vs integer + fixed point.
    /// </summary>
    [TestMethod]
    public void Convert_QdqMatMul_MatchesOnnxRuntimeWithinOneStep() => AgreementChecks.SingleOperatorFamily(TestContext, Family.QdqMatMul);

    /// <summary>
    /// Add, Sub, Mul of two activations with different scales: same shape, per-channel [1,C,1,1]
    /// and row [K] broadcasting on either side, scalars, a constant quantized operand. Semantics:
    /// float element-wise op + QuantizeLinear vs TFLite-style integer Add/Mul with rescaled operands.
    /// </summary>
    [TestMethod]
    [DataRow(Family.QdqAdd)]
    [DataRow(Family.QdqSub)]
    [DataRow(Family.QdqMul)]
    public void Convert_QdqElementwiseBinary_MatchesOnnxRuntimeWithinOneStep(string family) => AgreementChecks.SingleOperatorFamily(TestContext, family);

    /// <summary>
    /// MaxPool (kernel 1..4, stride 1..3, dilation 1..2, pads), output sharing the input's
    /// quantization as exporters write it. Semantics: float max then QuantizeLinear with the input's
    /// own parameters (exact) vs integer max: identical expected.
    /// </summary>
    [TestMethod]
    public void Convert_QdqMaxPool_MatchesOnnxRuntimeWithinOneStep() => AgreementChecks.SingleOperatorFamily(TestContext, Family.QdqMaxPool);

    /// <summary>
    /// AveragePool with count_include_pad 0 and 1 and pads, output shared or recalibrated.
    /// Semantics: float average + QuantizeLinear vs integer sum times a fixed-point reciprocal.
    /// </summary>
    [TestMethod]
    public void Convert_QdqAveragePool_MatchesOnnxRuntimeWithinOneStep() => AgreementChecks.SingleOperatorFamily(TestContext, Family.QdqAveragePool);

    /// <summary>GlobalAveragePool, output shared or recalibrated. Semantics: as <see cref="Convert_QdqAveragePool_MatchesOnnxRuntimeWithinOneStep"/>.</summary>
    [TestMethod]
    public void Convert_QdqGlobalAveragePool_MatchesOnnxRuntimeWithinOneStep() => AgreementChecks.SingleOperatorFamily(TestContext, Family.QdqGlobalAveragePool);

    /// <summary>
    /// Concat of 2..4 inputs with different scales, mostly along axis 1. Semantics: float concat +
    /// QuantizeLinear vs per-input fixed-point requantization into the output's parameters.
    /// </summary>
    [TestMethod]
    public void Convert_QdqConcat_MatchesOnnxRuntimeWithinOneStep() => AgreementChecks.SingleOperatorFamily(TestContext, Family.QdqConcat);

    /// <summary>
    /// Reshape (shape initializer with -1 and 0) and Flatten (axis 0..3), output sharing the input's
    /// quantization. Semantics: a pure relayout in both: identical expected.
    /// </summary>
    [TestMethod]
    [DataRow(Family.QdqReshape)]
    [DataRow(Family.QdqFlatten)]
    public void Convert_QdqReshapeAndFlatten_MatchesOnnxRuntimeWithinOneStep(string family) => AgreementChecks.SingleOperatorFamily(TestContext, family);

    /// <summary>Transpose, perm [0,2,3,1], [0,3,1,2] and random, 3-D and 4-D. Semantics: a pure relayout: identical expected.</summary>
    [TestMethod]
    public void Convert_QdqTranspose_MatchesOnnxRuntimeWithinOneStep() => AgreementChecks.SingleOperatorFamily(TestContext, Family.QdqTranspose);

    /// <summary>
    /// Pad, constant mode, pads as an int64 initializer, constant value 0.0 given or omitted (both
    /// quantize to the zero point). Semantics: padding with the real value 0 = the zero point: identical expected.
    /// </summary>
    [TestMethod]
    public void Convert_QdqPad_MatchesOnnxRuntimeWithinOneStep() => AgreementChecks.SingleOperatorFamily(TestContext, Family.QdqPad);

    /// <summary>
    /// Conv, Gemm or Add followed by a separate Relu or Clip node (both bounds, min only, max only,
    /// [0, max]) before the QuantizeLinear, as PyTorch exports fused activations. Semantics: float
    /// op, float clamp, QuantizeLinear vs integer op with the clamp folded into the activation range.
    /// </summary>
    [TestMethod]
    [DataRow(Family.QdqFusedRelu)]
    [DataRow(Family.QdqFusedClip)]
    public void Convert_QdqFusedActivation_MatchesOnnxRuntimeWithinOneStep(string family) => AgreementChecks.SingleOperatorFamily(TestContext, family);

    /// <summary>
    /// Element-wise activations alone, DequantizeLinear → op → QuantizeLinear: Relu, Clip, LeakyRelu,
    /// HardSigmoid, HardSwish (opset 14/21), Sigmoid, Tanh. Semantics: ORT evaluates the function in
    /// float on each dequantized input; the device looks up a 256-entry table the host computed;
    /// a table entry can differ by 1 where the host's and ORT's float evaluation straddle a half step.
    /// </summary>
    [TestMethod]
    [DataRow(Family.QdqRelu)]
    [DataRow(Family.QdqClip)]
    [DataRow(Family.QdqLeakyRelu)]
    [DataRow(Family.QdqHardSigmoid)]
    [DataRow(Family.QdqHardSwish)]
    [DataRow(Family.QdqSigmoid)]
    [DataRow(Family.QdqTanh)]
    public void Convert_QdqActivation_MatchesOnnxRuntimeWithinOneStep(string family) => AgreementChecks.SingleOperatorFamily(TestContext, family);

    /// <summary>
    /// Softmax over the last axis of [N,K] or [1,C,K], output scale 1/256 and zero point at the
    /// type's minimum. Semantics: float softmax + QuantizeLinear vs the device's integer softmax
    /// (exponential table, fixed-point normalization).
    /// </summary>
    [TestMethod]
    public void Convert_QdqSoftmax_MatchesOnnxRuntimeWithinOneStep() => AgreementChecks.SingleOperatorFamily(TestContext, Family.QdqSoftmax);
}
