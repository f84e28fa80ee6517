using Google.Protobuf;
using NanoInt8.Onnx.Protobuf;
using DataType = NanoInt8.Onnx.Protobuf.TensorProto.Types.DataType;

namespace NanoInt8.Onnx.Tests;

[TestClass]
public sealed class TensorDataTests
{
    [TestMethod]
    public void ToFloats_RawData_DecodesLittleEndian()
    {
        TensorProto tensor = RoundTrip(TensorData.Create("f", [1.5f, -0f, float.NegativeInfinity, 1e-30f], [2, 2]));

        Assert.IsTrue(tensor.HasRawData);
        CollectionAssert.AreEqual(new[] { 1.5f, -0f, float.NegativeInfinity, 1e-30f }, tensor.ToFloats());
    }

    [TestMethod]
    public void ToInt8_RawData_DecodesSigned()
    {
        TensorProto tensor = RoundTrip(TensorData.Create("i8", new sbyte[] { -128, -1, 0, 127 }, [4]));

        CollectionAssert.AreEqual(new sbyte[] { -128, -1, 0, 127 }, tensor.ToInt8());
    }

    [TestMethod]
    public void ToUInt8_RawData_DecodesUnsigned()
    {
        TensorProto tensor = RoundTrip(TensorData.Create("u8", new byte[] { 0, 128, 255 }, [3]));

        CollectionAssert.AreEqual(new byte[] { 0, 128, 255 }, tensor.ToUInt8());
    }

    [TestMethod]
    public void ToInt32_RawData_DecodesLittleEndian()
    {
        TensorProto tensor = RoundTrip(TensorData.Create("i32", [int.MinValue, -2, 70000], [3]));

        CollectionAssert.AreEqual(new[] { int.MinValue, -2, 70000 }, tensor.ToInt32());
    }

    [TestMethod]
    public void ToInt64_RawData_DecodesLittleEndian()
    {
        TensorProto tensor = RoundTrip(TensorData.Create("i64", [long.MinValue, -1L, 1L << 40], [3]));

        CollectionAssert.AreEqual(new[] { long.MinValue, -1L, 1L << 40 }, tensor.ToInt64());
    }

    [TestMethod]
    public void ToFloats_FloatDataField_Decodes()
    {
        TensorProto tensor = Typed(DataType.Float, [3], typed => typed.FloatData.Add([0.25f, -8f, 3e10f]));

        CollectionAssert.AreEqual(new[] { 0.25f, -8f, 3e10f }, tensor.ToFloats());
    }

    [TestMethod]
    public void ToInt8_Int32DataField_Decodes()
    {
        TensorProto tensor = Typed(DataType.Int8, [2, 2], typed => typed.Int32Data.Add([-128, -5, 0, 127]));

        CollectionAssert.AreEqual(new sbyte[] { -128, -5, 0, 127 }, tensor.ToInt8());
    }

    [TestMethod]
    public void ToUInt8_Int32DataField_Decodes()
    {
        TensorProto tensor = Typed(DataType.Uint8, [], typed => typed.Int32Data.Add(200));

        CollectionAssert.AreEqual(new byte[] { 200 }, tensor.ToUInt8());
    }

    [TestMethod]
    public void ToInt32_Int32DataField_Decodes()
    {
        TensorProto tensor = Typed(DataType.Int32, [2], typed => typed.Int32Data.Add([-70000, 70000]));

        CollectionAssert.AreEqual(new[] { -70000, 70000 }, tensor.ToInt32());
    }

    [TestMethod]
    public void ToInt64_Int64DataField_Decodes()
    {
        TensorProto tensor = Typed(DataType.Int64, [2], typed => typed.Int64Data.Add([-(1L << 50), 3L]));

        CollectionAssert.AreEqual(new[] { -(1L << 50), 3L }, tensor.ToInt64());
    }

    [TestMethod]
    public void ToDoubles_DoubleDataField_Decodes()
    {
        TensorProto tensor = Typed(DataType.Double, [2], typed => typed.DoubleData.Add([0.1, -1e300]));

        CollectionAssert.AreEqual(new[] { 0.1, -1e300 }, tensor.ToDoubles());
    }

    [TestMethod]
    public void ToFloats_RawDataAndFloatData_RawDataWinsAsInOnnxRuntime()
    {
        TensorProto tensor = TensorData.Create("f", [1f], [1]);
        tensor.FloatData.Add(2f);

        CollectionAssert.AreEqual(new[] { 1f }, tensor.ToFloats());
    }

    [TestMethod]
    public void ToFloats_RawDataLengthDisagreesWithDims_ThrowsOnnxFormatException()
    {
        TensorProto tensor = TensorData.Create("f", [1f, 2f], [2]);
        tensor.Dims[0] = 3;

        OnnxFormatException exception = Assert.ThrowsExactly<OnnxFormatException>(() => tensor.ToFloats());

        StringAssert.Contains(exception.Message, "raw_data holds 8 bytes");
    }

    [TestMethod]
    public void ToInt64_TypedFieldCountDisagreesWithDims_ThrowsOnnxFormatException()
    {
        TensorProto tensor = Typed(DataType.Int64, [3], typed => typed.Int64Data.Add([1L, 2L]));

        OnnxFormatException exception = Assert.ThrowsExactly<OnnxFormatException>(() => tensor.ToInt64());

        StringAssert.Contains(exception.Message, "int64_data holds 2");
    }

    [TestMethod]
    public void ToFloats_NoDataForNonEmptyDims_ThrowsOnnxFormatException()
    {
        TensorProto tensor = Typed(DataType.Float, [2], _ => { });

        Assert.ThrowsExactly<OnnxFormatException>(() => tensor.ToFloats());
    }

    [TestMethod]
    public void ToFloats_EmptyTensor_ReturnsEmptyArray()
    {
        TensorProto tensor = Typed(DataType.Float, [0, 3], _ => { });

        Assert.IsEmpty(tensor.ToFloats());
    }

    [TestMethod]
    public void ToInt8_Int32DataEntryOutsideInt8_ThrowsOnnxFormatException()
    {
        TensorProto tensor = Typed(DataType.Int8, [1], typed => typed.Int32Data.Add(200));

        OnnxFormatException exception = Assert.ThrowsExactly<OnnxFormatException>(() => tensor.ToInt8());

        StringAssert.Contains(exception.Message, "200");
    }

    [TestMethod]
    public void ToFloats_OnInt8Tensor_ThrowsOnnxFormatException()
    {
        TensorProto tensor = TensorData.Create("zp", new sbyte[] { 1 }, []);

        OnnxFormatException exception = Assert.ThrowsExactly<OnnxFormatException>(() => tensor.ToFloats());

        StringAssert.Contains(exception.Message, "'zp'");
        StringAssert.Contains(exception.Message, "Int8");
    }

    [TestMethod]
    public void ToFloats_NegativeDimension_ThrowsOnnxFormatException()
    {
        TensorProto tensor = Typed(DataType.Float, [-1], _ => { });

        Assert.ThrowsExactly<OnnxFormatException>(() => tensor.ToFloats());
    }

    [TestMethod]
    public void ToFloats_ExternalData_ThrowsOnnxFormatException()
    {
        TensorProto tensor = Typed(DataType.Float, [1], _ => { });
        tensor.DataLocation = TensorProto.Types.DataLocation.External;

        Assert.ThrowsExactly<OnnxFormatException>(() => tensor.ToFloats());
    }

    [TestMethod]
    public void ToNpyArray_ThenFromNpyArray_KeepsTypeShapeAndValues()
    {
        var array = new NpyArray(new sbyte[] { 1, -2, 3, -4, 5, -6 }, 3, 2);

        NpyArray back = RoundTrip(TensorData.FromNpyArray("a", array)).ToNpyArray();

        Assert.AreEqual(NpyType.Int8, back.ElementType);
        CollectionAssert.AreEqual(array.Shape, back.Shape);
        CollectionAssert.AreEqual(array.Data, back.Data);
    }

    [TestMethod]
    public void ToNpyArray_Int64Tensor_ThrowsOnnxFormatException()
    {
        Assert.ThrowsExactly<OnnxFormatException>(() => TensorData.Create("shape", [1L], [1]).ToNpyArray());
    }

    /// <summary>A tensor with the elements in its typed field, serialized and parsed back.</summary>
    private static TensorProto Typed(DataType dataType, long[] dims, Action<TensorProto> fill)
    {
        var tensor = new TensorProto { Name = "typed", DataType = (int)dataType };
        tensor.Dims.Add(dims);
        fill(tensor);
        return RoundTrip(tensor);
    }

    private static TensorProto RoundTrip(TensorProto tensor) => TensorProto.Parser.ParseFrom(tensor.ToByteArray());
}
