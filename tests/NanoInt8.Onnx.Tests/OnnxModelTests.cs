using Google.Protobuf;
using NanoInt8.Onnx.Protobuf;
using DataType = NanoInt8.Onnx.Protobuf.TensorProto.Types.DataType;

namespace NanoInt8.Onnx.Tests;

[TestClass]
public sealed class OnnxModelTests
{
    /// <summary>
    /// x(float[batch,1,4,4]) -> QuantizeLinear -> QLinearConv -> QLinearAdd (com.microsoft) -> y.
    /// Loaded, never run: it exercises the reading side.
    /// </summary>
    private static OnnxGraphBuilder ConvModelBuilder()
    {
        var builder = new OnnxGraphBuilder("conv", opsetVersion: 21);
        builder.AddOpsetImport(OnnxModel.MicrosoftDomain, 1);
        builder.AddInput("x", DataType.Float, OnnxDimension.Symbolic("batch"), 1, 4, 4);
        builder.AddInitializer("x_scale", [0.05f], []);
        builder.AddInitializer("x_zero_point", [(sbyte)-3], []);
        builder.AddInitializer("w", new sbyte[] { 1, -1, 2, -2, 3, -3, 4, -4, 5, 5, 4, 4, 3, 3, 2, 2, 1, 1 }, [2, 1, 3, 3]);
        builder.AddInitializer("w_scale", [0.01f, 0.02f], [2]);
        builder.AddInitializer("w_zero_point", [(sbyte)0, (sbyte)0], [2]);
        builder.AddInitializer("bias", [100, -100], [2]);
        builder.AddInitializer("y_scale", [0.1f], []);
        builder.AddInitializer("y_zero_point", [(byte)128], []);
        builder.AddNode("QuantizeLinear", ["x", "x_scale", "x_zero_point"], ["x_q"]);
        builder.AddNode("QLinearConv", ["x_q", "x_scale", "x_zero_point", "w", "w_scale", "w_zero_point", "y_scale", "y_zero_point", "bias"], ["conv_q"])
            .WithName("conv1")
            .WithInts("kernel_shape", 3, 3)
            .WithInts("pads", 1, 1, 1, 1)
            .WithInt("group", 1)
            .WithString("auto_pad", "NOTSET");
        builder.AddNode("QLinearAdd", ["conv_q", "y_scale", "y_zero_point", "conv_q", "y_scale", "y_zero_point", "y_scale", "y_zero_point"], ["y"])
            .WithDomain(OnnxModel.MicrosoftDomain)
            .WithFloat("unused_float", 0.25f)
            .WithFloats("unused_floats", 1f, 2f)
            .WithTensor("unused_tensor", TensorData.Create("t", [1L, 2L], [2]));
        builder.AddOutput("y", DataType.Uint8, OnnxDimension.Symbolic("batch"), 2, 4, 4);
        return builder;
    }

    [TestMethod]
    public void Load_BuilderModel_ReportsIrAndOpsetVersions()
    {
        OnnxModel model = OnnxModel.Load(ConvModelBuilder().ToBytes());

        Assert.AreEqual(OnnxGraphBuilder.DefaultIrVersion, model.IrVersion);
        Assert.AreEqual(21L, model.DefaultOpsetVersion);
        Assert.AreEqual(21L, model.GetOpsetVersion("ai.onnx"));
        Assert.AreEqual(1L, model.MicrosoftOpsetVersion);
        Assert.IsNull(model.GetOpsetVersion("com.example"));
    }

    [TestMethod]
    public void Load_ModelWithoutMicrosoftImport_ReportsNoMicrosoftOpset()
    {
        var builder = new OnnxGraphBuilder(opsetVersion: 13);
        builder.AddInput("x", DataType.Float, 2);
        builder.AddNode("Relu", ["x"], ["y"]);
        builder.AddOutput("y", DataType.Float, 2);

        OnnxModel model = OnnxModel.Load(builder.ToBytes());

        Assert.AreEqual(13L, model.DefaultOpsetVersion);
        Assert.IsNull(model.MicrosoftOpsetVersion);
    }

    [TestMethod]
    public void Load_BuilderModel_ReportsInputsAndOutputsWithTypesAndSymbolicDims()
    {
        OnnxModel model = OnnxModel.Load(ConvModelBuilder().ToBytes());

        Assert.HasCount(1, model.Inputs);
        OnnxValueInfo input = model.Inputs[0];
        Assert.AreEqual("x", input.Name);
        Assert.IsTrue(input.IsTensor);
        Assert.AreEqual(DataType.Float, input.ElementType);
        Assert.IsNotNull(input.Shape);
        CollectionAssert.AreEqual(
            new[] { OnnxDimension.Symbolic("batch"), OnnxDimension.Fixed(1), OnnxDimension.Fixed(4), OnnxDimension.Fixed(4) },
            input.Shape.ToArray());
        Assert.AreEqual("batch", input.Shape[0].Parameter);
        Assert.IsFalse(input.Shape[0].IsFixed);
        Assert.AreEqual(4L, input.Shape[2].Value);
        Assert.AreEqual("x: Float[batch, 1, 4, 4]", input.ToString());

        Assert.HasCount(1, model.Outputs);
        Assert.AreEqual("y: Uint8[batch, 2, 4, 4]", model.Outputs[0].ToString());
    }

    [TestMethod]
    public void Load_BuilderModel_ExposesInitializersAndNodesInOrder()
    {
        OnnxModel model = OnnxModel.Load(ConvModelBuilder().ToBytes());

        Assert.HasCount(8, model.Initializers);
        CollectionAssert.AreEqual(new[] { 0.01f, 0.02f }, model.GetInitializer("w_scale").ToFloats());
        Assert.IsTrue(model.TryGetInitializer("bias", out TensorProto? bias));
        CollectionAssert.AreEqual(new[] { 100, -100 }, bias.ToInt32());
        Assert.IsFalse(model.TryGetInitializer("x", out _));
        CollectionAssert.AreEqual(
            new[] { "QuantizeLinear", "QLinearConv", "QLinearAdd" },
            model.Nodes.Select(node => node.OpType).ToArray());
        Assert.AreEqual(OnnxModel.MicrosoftDomain, model.Nodes[2].Domain);
        Assert.AreEqual("conv1", model.Nodes[1].Name);
    }

    [TestMethod]
    public void GetInitializer_UnknownName_ThrowsOnnxFormatException()
    {
        OnnxModel model = OnnxModel.Load(ConvModelBuilder().ToBytes());

        OnnxFormatException exception = Assert.ThrowsExactly<OnnxFormatException>(() => model.GetInitializer("x"));

        StringAssert.Contains(exception.Message, "'x'");
    }

    [TestMethod]
    public void Load_Path_ReadsSavedModel()
    {
        string path = Path.Combine(Path.GetTempPath(), $"nanoint8-{Guid.NewGuid():N}.onnx");
        try
        {
            ConvModelBuilder().Save(path);

            OnnxModel model = OnnxModel.Load(path);

            Assert.HasCount(3, model.Nodes);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void Load_InitializerAlsoListedAsGraphInput_LeavesItOutOfInputs()
    {
        ModelProto proto = ConvModelBuilder().Build();
        proto.Graph.Input.Add(new ValueInfoProto
        {
            Name = "w_scale",
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)DataType.Float } },
        });

        OnnxModel model = OnnxModel.Load(proto.ToByteArray());

        CollectionAssert.AreEqual(new[] { "x" }, model.Inputs.Select(input => input.Name).ToArray());
    }

    [TestMethod]
    public void Load_InputWithoutShape_ReportsUnknownRank()
    {
        ModelProto proto = ConvModelBuilder().Build();
        proto.Graph.Input[0].Type.TensorType.Shape = null;

        OnnxModel model = OnnxModel.Load(proto.ToByteArray());

        Assert.IsNull(model.Inputs[0].Shape);
    }

    [TestMethod]
    public void Load_ExternalDataInitializer_ThrowsNamingInitializerAndFile()
    {
        ModelProto proto = ConvModelBuilder().Build();
        TensorProto weights = proto.Graph.Initializer.Single(initializer => initializer.Name == "w");
        weights.ClearRawData();
        weights.DataLocation = TensorProto.Types.DataLocation.External;
        weights.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "conv.onnx.data" });
        weights.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = "0" });

        OnnxFormatException exception = Assert.ThrowsExactly<OnnxFormatException>(() => OnnxModel.Load(proto.ToByteArray()));

        StringAssert.Contains(exception.Message, "initializer 'w'");
        StringAssert.Contains(exception.Message, "conv.onnx.data");
    }

    [TestMethod]
    public void Load_ExternalDataInConstantNodeTensor_Throws()
    {
        var builder = new OnnxGraphBuilder();
        TensorProto value = TensorData.Create("c", [1f, 2f], [2]);
        value.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "constants.bin" });
        builder.AddNode("Constant", [], ["c"]).WithTensor("value", value);
        builder.AddOutput("c", DataType.Float, 2);

        OnnxFormatException exception = Assert.ThrowsExactly<OnnxFormatException>(() => OnnxModel.Load(builder.ToBytes()));

        StringAssert.Contains(exception.Message, "constants.bin");
    }

    [TestMethod]
    public void Load_BytesThatAreNotProtobuf_ThrowsOnnxFormatException()
    {
        // 0xFF 0xFF ... is a varint tag that never ends within ten bytes: invalid protobuf.
        byte[] bytes = Enumerable.Repeat((byte)0xFF, 16).ToArray();

        OnnxFormatException exception = Assert.ThrowsExactly<OnnxFormatException>(() => OnnxModel.Load(bytes));

        StringAssert.Contains(exception.Message, "not a valid protobuf message");
    }

    [TestMethod]
    public void Load_ProtobufThatIsNotAModel_ThrowsOnnxFormatException()
    {
        // A valid protobuf message whose fields mean nothing to a ModelProto.
        byte[] bytes = new StringStringEntryProto { Key = "not", Value = "a model" }.ToByteArray();

        OnnxFormatException exception = Assert.ThrowsExactly<OnnxFormatException>(() => OnnxModel.Load(bytes));

        StringAssert.Contains(exception.Message, "not an ONNX model");
    }

    [TestMethod]
    public void Load_EmptyBytes_ThrowsOnnxFormatException()
    {
        Assert.ThrowsExactly<OnnxFormatException>(() => OnnxModel.Load(Array.Empty<byte>()));
    }

    [TestMethod]
    public void Load_ModelWithoutGraph_ThrowsOnnxFormatException()
    {
        var proto = new ModelProto { IrVersion = 8 };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = 13 });

        OnnxFormatException exception = Assert.ThrowsExactly<OnnxFormatException>(() => OnnxModel.Load(proto.ToByteArray()));

        StringAssert.Contains(exception.Message, "no graph");
    }

    [TestMethod]
    public void Load_DuplicateInitializerNames_ThrowsOnnxFormatException()
    {
        ModelProto proto = ConvModelBuilder().Build();
        proto.Graph.Initializer.Add(TensorData.Create("w_scale", [1f], []));

        OnnxFormatException exception = Assert.ThrowsExactly<OnnxFormatException>(() => OnnxModel.Load(proto.ToByteArray()));

        StringAssert.Contains(exception.Message, "'w_scale'");
    }

    [TestMethod]
    public void Load_UnknownFields_AreKeptWhenWrittenBack()
    {
        ModelProto proto = ConvModelBuilder().Build();
        byte[] bytes = proto.ToByteArray();

        // Field 20 (training_info, not declared in our .proto), length-delimited, 2 bytes of payload.
        byte[] withUnknown = [.. bytes, 0xA2, 0x01, 0x02, 0x0A, 0x00];

        CollectionAssert.AreEqual(withUnknown, OnnxModel.Load(withUnknown).ToBytes());
    }

    [TestMethod]
    public void Attributes_PresentValues_AreRead()
    {
        OnnxModel model = OnnxModel.Load(ConvModelBuilder().ToBytes());
        NodeProto conv = model.Nodes[1];
        NodeProto add = model.Nodes[2];

        CollectionAssert.AreEqual(new[] { 3L, 3L }, conv.GetInts("kernel_shape"));
        Assert.AreEqual(1L, conv.GetInt("group"));
        Assert.AreEqual("NOTSET", conv.GetString("auto_pad"));
        Assert.AreEqual(0.25f, add.GetFloat("unused_float"));
        CollectionAssert.AreEqual(new[] { 1f, 2f }, add.GetFloats("unused_floats"));
        CollectionAssert.AreEqual(new[] { 1L, 2L }, add.GetTensor("unused_tensor").ToInt64());
    }

    [TestMethod]
    public void Attributes_Absent_ReturnDefaults()
    {
        NodeProto conv = OnnxModel.Load(ConvModelBuilder().ToBytes()).Nodes[1];

        CollectionAssert.AreEqual(new[] { 1L, 1L }, conv.GetInts("strides", [1L, 1L]));
        Assert.AreEqual(7L, conv.GetInt("missing", 7));
        Assert.AreEqual(0.5f, conv.GetFloat("missing", 0.5f));
        Assert.AreEqual("VALID", conv.GetString("missing", "VALID"));
        Assert.IsFalse(conv.HasAttribute("strides"));
    }

    [TestMethod]
    public void Attributes_RequiredButAbsent_ThrowOnnxFormatException()
    {
        NodeProto conv = OnnxModel.Load(ConvModelBuilder().ToBytes()).Nodes[1];

        OnnxFormatException exception = Assert.ThrowsExactly<OnnxFormatException>(() => conv.GetInts("strides"));

        StringAssert.Contains(exception.Message, "'conv1'");
        StringAssert.Contains(exception.Message, "'strides'");
    }

    [TestMethod]
    public void Attributes_OfAnotherType_ThrowOnnxFormatExceptionEvenWithDefault()
    {
        NodeProto conv = OnnxModel.Load(ConvModelBuilder().ToBytes()).Nodes[1];

        OnnxFormatException exception = Assert.ThrowsExactly<OnnxFormatException>(() => conv.GetInt("kernel_shape", 3));

        StringAssert.Contains(exception.Message, "Ints");
    }

    [TestMethod]
    public void Attributes_WithoutTypeField_TypeIsInferredFromValue()
    {
        // IR version 1 writers left AttributeProto.type unset.
        var node = new NodeProto { OpType = "Gemm" };
        node.Attribute.Add(new AttributeProto { Name = "alpha", F = 2f });
        node.Attribute.Add(new AttributeProto { Name = "transB", I = 1 });

        Assert.AreEqual(2f, node.GetFloat("alpha"));
        Assert.AreEqual(1L, node.GetInt("transB"));
    }

    [TestMethod]
    public void Builder_NodeReadsUndefinedValue_ThrowsInvalidOperationException()
    {
        var builder = new OnnxGraphBuilder();
        builder.AddInput("x", DataType.Float, 2);
        builder.AddNode("Add", ["x", "nowhere"], ["y"]);
        builder.AddOutput("y", DataType.Float, 2);

        InvalidOperationException exception = Assert.ThrowsExactly<InvalidOperationException>(() => builder.Build());

        StringAssert.Contains(exception.Message, "'nowhere'");
    }

    [TestMethod]
    public void Builder_OutputNotProduced_ThrowsInvalidOperationException()
    {
        var builder = new OnnxGraphBuilder();
        builder.AddInput("x", DataType.Float, 2);
        builder.AddOutput("y", DataType.Float, 2);

        Assert.ThrowsExactly<InvalidOperationException>(() => builder.Build());
    }

    [TestMethod]
    public void Builder_DuplicateInputName_ThrowsArgumentException()
    {
        var builder = new OnnxGraphBuilder();
        builder.AddInitializer("x", [1f], []);

        Assert.ThrowsExactly<ArgumentException>(() => builder.AddInput("x", DataType.Float, 1));
    }

    [TestMethod]
    public void Builder_InitializerDimsDisagreeWithValues_ThrowsArgumentException()
    {
        var builder = new OnnxGraphBuilder();

        Assert.ThrowsExactly<ArgumentException>(() => builder.AddInitializer("w", [1f, 2f, 3f], [2, 2]));
    }
}
