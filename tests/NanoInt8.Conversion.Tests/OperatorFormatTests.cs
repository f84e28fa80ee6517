using NanoInt8.Conversion.Tests.Generators;

namespace NanoInt8.Conversion.Tests;

/// <summary>
/// Converter plus device runtime against ONNX Runtime on single-operator operator-format models
/// (quantized int8/uint8 graph input → QLinear* / com.microsoft Q* / *Integer → quantized graph
/// output; the quantized interface passes through the host runner unchanged), 16 random
/// configurations per family, fixed seeds.
/// </summary>
/// <remarks>
/// Semantics checked: ONNX Runtime's CPU kernels for these operators accumulate in integers (or
/// compute in float for the element-wise and pooling ones) and requantize with a float multiplier,
/// rounding half to even; the device requantizes in fixed point. Bar: the single-operator
/// one, at least 99.5% of outputs bit-identical and none more than 1 step apart, per model, with
/// mismatches at an exact rounding tie counted as agreeing when every mismatch was analysed, and
/// 97% bit-identical over each family (<see cref="AgreementChecks.SingleOperatorVerdict"/>). A
/// kernel that requantizes internally exposes no float value, so the tie analysis reads it from the
/// model's QDQ equivalent run on the same quantized inputs (<see cref="QdqEquivalentProbe"/>).
/// Every operator listed in the issue runs in ONNX Runtime 1.31.1 CPU (the generator self-test
/// proves it), so none is left out.
/// </remarks>
[TestClass]
public sealed class OperatorFormatTests
{
    /// <summary>MSTest's context, for printing the figures.</summary>
    public TestContext TestContext { get; set; } = null!;

    /// <summary>
    /// QLinearConv (1-D and 2-D, groups, depthwise, per-channel int8 or per-tensor uint8 weights,
    /// int32 bias). Semantics: integer accumulation, float requantization in ORT vs fixed point.
    /// </summary>
    [TestMethod]
    public void Convert_QLinearConv_MatchesOnnxRuntimeWithinOneStep() => AgreementChecks.SingleOperatorFamily(TestContext, Family.QLinearConv);

    /// <summary>
    /// QLinearMatMul (constant right operand, per-column or per-tensor) and com.microsoft QGemm
    /// (transB 0/1, int32 bias). Semantics: integer accumulation, float requantization vs fixed point.
    /// </summary>
    [TestMethod]
    [DataRow(Family.QLinearMatMul)]
    [DataRow(Family.QGemm)]
    public void Convert_QLinearMatMulAndQGemm_MatchesOnnxRuntimeWithinOneStep(string family) => AgreementChecks.SingleOperatorFamily(TestContext, family);

    /// <summary>
    /// com.microsoft QLinearAdd and QLinearMul, with broadcasting and constant operands.
    /// Semantics: ORT dequantizes, computes in float and requantizes (half to even) vs TFLite-style
    /// integer Add/Mul.
    /// </summary>
    [TestMethod]
    [DataRow(Family.QLinearAdd)]
    [DataRow(Family.QLinearMul)]
    public void Convert_QLinearAddAndMul_MatchesOnnxRuntimeWithinOneStep(string family) => AgreementChecks.SingleOperatorFamily(TestContext, family);

    /// <summary>
    /// com.microsoft QLinearAveragePool (count_include_pad 0/1, pads) and QLinearGlobalAveragePool.
    /// Semantics: ORT averages in float and requantizes vs integer sum times a fixed-point reciprocal.
    /// </summary>
    [TestMethod]
    [DataRow(Family.QLinearAveragePool)]
    [DataRow(Family.QLinearGlobalAveragePool)]
    public void Convert_QLinearPooling_MatchesOnnxRuntimeWithinOneStep(string family) => AgreementChecks.SingleOperatorFamily(TestContext, family);

    /// <summary>com.microsoft QLinearConcat of inputs with different scales. Semantics: per-input requantization, float in ORT vs fixed point.</summary>
    [TestMethod]
    public void Convert_QLinearConcat_MatchesOnnxRuntimeWithinOneStep() => AgreementChecks.SingleOperatorFamily(TestContext, Family.QLinearConcat);

    /// <summary>
    /// com.microsoft QLinearSigmoid and QLinearLeakyRelu. Semantics: ORT builds a 256-entry table
    /// in float; the device uses the converter's table.
    /// </summary>
    [TestMethod]
    [DataRow(Family.QLinearSigmoid)]
    [DataRow(Family.QLinearLeakyRelu)]
    public void Convert_QLinearActivation_MatchesOnnxRuntimeWithinOneStep(string family) => AgreementChecks.SingleOperatorFamily(TestContext, family);

    /// <summary>
    /// com.microsoft QLinearSoftmax over the last axis, output scale 1/256. Semantics: ORT's
    /// table-based float softmax vs the device's integer softmax.
    /// </summary>
    [TestMethod]
    public void Convert_QLinearSoftmax_MatchesOnnxRuntimeWithinOneStep() => AgreementChecks.SingleOperatorFamily(TestContext, Family.QLinearSoftmax);

    /// <summary>
    /// MatMulInteger and ConvInteger with per-tensor zero points. Their int32 outputs are no
    /// quantized interface, so each is written as quantized models use it:
    /// *Integer → Cast(float) → Mul(input_scale·weight_scale) → QuantizeLinear. Semantics: exact
    /// int32 accumulation, float scaling and QuantizeLinear (half to even) in ORT vs fixed point.
    /// </summary>
    [TestMethod]
    [DataRow(Family.MatMulInteger)]
    [DataRow(Family.ConvInteger)]
    public void Convert_IntegerOperatorRescaled_MatchesOnnxRuntimeWithinOneStep(string family) => AgreementChecks.SingleOperatorFamily(TestContext, family);
}
