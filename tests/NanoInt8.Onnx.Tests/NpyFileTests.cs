using System.Text;

namespace NanoInt8.Onnx.Tests;

[TestClass]
public sealed class NpyFileTests
{
    // The first 128 bytes numpy 1.24's np.save writes for
    // np.array([[1.5, -2, 3], [4, 5, 6.25]], dtype=np.float32): magic, version 1.0, header length
    // 118 (0x76), the dict, 20 spaces of growth room plus 38 of alignment padding, '\n'.
    private static readonly byte[] NumPyFloat32Matrix =
    [
        .. new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 0x01, 0x00, 0x76, 0x00 },
        .. Encoding.ASCII.GetBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }" + new string(' ', 58) + "\n"),
        0x00, 0x00, 0xC0, 0x3F, 0x00, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x40, 0x40,
        0x00, 0x00, 0x80, 0x40, 0x00, 0x00, 0xA0, 0x40, 0x00, 0x00, 0xC8, 0x40,
    ];

    public static IEnumerable<object[]> RoundTripCases()
    {
        NpyArray[] arrays =
        [
            new NpyArray([1.5f, -2f, 3.25f, float.MaxValue, float.Epsilon, -0f], 2, 3),
            new NpyArray(new sbyte[] { -128, -1, 0, 1, 127 }, 5),
            new NpyArray(new byte[] { 0, 1, 128, 255 }, 2, 1, 2),
            new NpyArray([int.MinValue, -1, 0, 1, int.MaxValue, 42], 3, 2),
            new NpyArray(NpyType.Float32, [], new[] { 0.5f }),
            new NpyArray(NpyType.Int32, [0, 4], Array.Empty<int>()),
        ];
        foreach (NpyArray array in arrays)
        {
            foreach (int version in new[] { 1, 2, 3 })
            {
                yield return [array, version];
            }
        }
    }

    [TestMethod]
    [DynamicData(nameof(RoundTripCases))]
    public void WriteThenRead_EachTypeAndVersion_ReturnsSameArray(NpyArray array, int version)
    {
        byte[] bytes = NpyFile.ToBytes(array, version);

        NpyArray read = NpyFile.Read(bytes);

        Assert.AreEqual(version, bytes[6]);
        Assert.AreEqual(array.ElementType, read.ElementType);
        CollectionAssert.AreEqual(array.Shape, read.Shape);
        CollectionAssert.AreEqual(array.Data, read.Data);
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(2)]
    public void ToBytes_AnyArray_PadsHeaderToMultipleOf64EndingWithNewline(int version)
    {
        byte[] bytes = NpyFile.ToBytes(new NpyArray(new sbyte[] { 1, 2, 3 }, 3), version);

        int dataStart = bytes.Length - 3;
        Assert.AreEqual(0, dataStart % 64);
        Assert.AreEqual((byte)'\n', bytes[dataStart - 1]);
    }

    [TestMethod]
    public void Read_HeaderAsNumPyWritesIt_DecodesShapeAndValues()
    {
        NpyArray array = NpyFile.Read(NumPyFloat32Matrix);

        Assert.AreEqual(NpyType.Float32, array.ElementType);
        CollectionAssert.AreEqual(new[] { 2, 3 }, array.Shape);
        CollectionAssert.AreEqual(new[] { 1.5f, -2f, 3f, 4f, 5f, 6.25f }, array.AsFloats());
    }

    [TestMethod]
    public void ToBytes_Float32Matrix_IsByteIdenticalToNumPy()
    {
        var array = new NpyArray([1.5f, -2f, 3f, 4f, 5f, 6.25f], 2, 3);

        CollectionAssert.AreEqual(NumPyFloat32Matrix, NpyFile.ToBytes(array));
    }

    [TestMethod]
    public void ToBytes_Int8Scalar_IsByteIdenticalToNumPy()
    {
        // np.save of np.array(7, dtype=np.int8): shape () gets no growth room, so 62 spaces pad.
        byte[] expected =
        [
            .. new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 0x01, 0x00, 0x76, 0x00 },
            .. Encoding.ASCII.GetBytes("{'descr': '|i1', 'fortran_order': False, 'shape': (), }" + new string(' ', 62) + "\n"),
            0x07,
        ];

        byte[] actual = NpyFile.ToBytes(new NpyArray(NpyType.Int8, [], new sbyte[] { 7 }));

        CollectionAssert.AreEqual(expected, actual);
    }

    [TestMethod]
    public void Read_Version2UInt8AsNumPyWritesIt_DecodesValues()
    {
        // numpy.lib.format.write_array(f, np.array([1, 2], np.uint8), version=(2, 0)).
        byte[] bytes =
        [
            .. new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 0x02, 0x00, 0x74, 0x00, 0x00, 0x00 },
            .. Encoding.ASCII.GetBytes("{'descr': '|u1', 'fortran_order': False, 'shape': (2,), }" + new string(' ', 58) + "\n"),
            0x01, 0x02,
        ];

        NpyArray array = NpyFile.Read(bytes);

        CollectionAssert.AreEqual(new byte[] { 1, 2 }, array.AsUInt8());
        CollectionAssert.AreEqual(new[] { 2 }, array.Shape);
        CollectionAssert.AreEqual(bytes, NpyFile.ToBytes(array, 2));
    }

    [TestMethod]
    public void Read_HeaderWithDoubleQuotesOtherKeyOrderAndLongSuffix_Parses()
    {
        byte[] bytes = MakeFile("{\"shape\": (1L, 2L), \"fortran_order\": False, \"descr\": \"<i4\"}\n", [1, 0, 0, 0, 2, 0, 0, 0]);

        NpyArray array = NpyFile.Read(bytes);

        CollectionAssert.AreEqual(new[] { 1, 2 }, array.AsInt32());
        CollectionAssert.AreEqual(new[] { 1, 2 }, array.Shape);
    }

    [TestMethod]
    public void Read_Int64InInt32Range_ConvertsToInt32()
    {
        byte[] data = [.. BitConverter.GetBytes(-3L), .. BitConverter.GetBytes(2_000_000_000L)];

        NpyArray array = NpyFile.Read(MakeFile("{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", data));

        Assert.AreEqual(NpyType.Int32, array.ElementType);
        CollectionAssert.AreEqual(new[] { -3, 2_000_000_000 }, array.AsInt32());
    }

    [TestMethod]
    public void Read_Float64_ConvertsToFloat32()
    {
        byte[] data = [.. BitConverter.GetBytes(0.1), .. BitConverter.GetBytes(-2.5)];

        NpyArray array = NpyFile.Read(MakeFile("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", data));

        CollectionAssert.AreEqual(new[] { 0.1f, -2.5f }, array.AsFloats());
    }

    [TestMethod]
    public void Read_StreamWithTwoArrays_ReadsThemInTurn()
    {
        using var stream = new MemoryStream();
        NpyFile.Write(stream, new NpyArray([1.0f], 1));
        NpyFile.Write(stream, new NpyArray(new sbyte[] { -1, -2 }, 2));
        stream.Position = 0;

        NpyArray first = NpyFile.Read(stream);
        NpyArray second = NpyFile.Read(stream);

        CollectionAssert.AreEqual(new[] { 1.0f }, first.AsFloats());
        CollectionAssert.AreEqual(new sbyte[] { -1, -2 }, second.AsInt8());
        Assert.AreEqual(stream.Length, stream.Position);
    }

    [TestMethod]
    public void WriteThenRead_File_RoundTrips()
    {
        string path = Path.Combine(Path.GetTempPath(), $"nanoint8-{Guid.NewGuid():N}.npy");
        try
        {
            NpyFile.Write(path, new NpyArray([7, 8, 9], 3));

            CollectionAssert.AreEqual(new[] { 7, 8, 9 }, NpyFile.Read(path).AsInt32());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void Read_MalformedFile_MessageNamesThePath()
    {
        string path = Path.Combine(Path.GetTempPath(), $"nanoint8-{Guid.NewGuid():N}.npy");
        try
        {
            File.WriteAllBytes(path, Encoding.ASCII.GetBytes("not numpy at all"));

            NpyFormatException exception = Assert.ThrowsExactly<NpyFormatException>(() => NpyFile.Read(path));

            StringAssert.Contains(exception.Message, path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    [DataRow(new byte[] { }, "Truncated", DisplayName = "empty input")]
    [DataRow(new byte[] { 0x93, (byte)'N', (byte)'U' }, "Truncated", DisplayName = "shorter than the magic")]
    [DataRow(new byte[] { (byte)'P', (byte)'K', 3, 4, 0, 0, 1, 0, 10, 0 }, "Bad magic", DisplayName = "zip file magic")]
    [DataRow(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 4, 0, 10, 0 }, "version 4.0", DisplayName = "version 4.0")]
    [DataRow(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 1, 10, 0 }, "version 1.1", DisplayName = "version 1.1")]
    [DataRow(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 }, "header length", DisplayName = "no header length")]
    [DataRow(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, 100, 0, (byte)'{', (byte)'}' }, "header", DisplayName = "header shorter than declared")]
    [DataRow(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 2, 0, 0xFF, 0xFF, 0xFF, 0x7F }, "header declares", DisplayName = "huge version 2 header length")]
    public void Read_MalformedPrelude_ThrowsNpyFormatException(byte[] bytes, string expectedFragment)
    {
        NpyFormatException exception = Assert.ThrowsExactly<NpyFormatException>(() => NpyFile.Read(bytes));

        StringAssert.Contains(exception.Message, expectedFragment);
    }

    [TestMethod]
    [DataRow("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), ", "the header ended", DisplayName = "dict not closed")]
    [DataRow("[1, 2]", "not a Python dict", DisplayName = "a list, not a dict")]
    [DataRow("", "the header ended", DisplayName = "empty header")]
    [DataRow("{'descr': '<f4', 'shape': (2,)}", "exactly the keys", DisplayName = "key missing")]
    [DataRow("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'extra': 1}", "exactly the keys", DisplayName = "extra key")]
    [DataRow("{'descr': '<f4', 'descr': '<f4', 'shape': (2,)}", "appears twice", DisplayName = "duplicate key")]
    [DataRow("{1: '<f4'}", "keys must be strings", DisplayName = "key not a string")]
    [DataRow("{'descr' '<f4'}", "expected ':'", DisplayName = "colon missing")]
    [DataRow("{'descr': '<f4' 'fortran_order': False}", "expected ',' or '}'", DisplayName = "comma missing")]
    [DataRow("{'descr': '<f4, 'fortran_order': False, 'shape': (2,)}", "Malformed .npy header", DisplayName = "quote missing")]
    [DataRow("{'descr': '<f4', 'fortran_order': False, 'shape': (2,)} trailing", "after the dict", DisplayName = "text after the dict")]
    [DataRow("{'descr': '<f4', 'fortran_order': Maybe, 'shape': (2,)}", "unknown name", DisplayName = "unknown name")]
    [DataRow("{'descr': '<f4', 'fortran_order': 0, 'shape': (2,)}", "True or False", DisplayName = "fortran_order not a bool")]
    [DataRow("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 1)}", "Fortran-order", DisplayName = "Fortran order")]
    [DataRow("{'descr': '<f4', 'fortran_order': False, 'shape': (2)}", "must be a tuple", DisplayName = "parenthesized integer, not a tuple")]
    [DataRow("{'descr': '<f4', 'fortran_order': False, 'shape': [2]}", "must be a tuple", DisplayName = "shape is a list")]
    [DataRow("{'descr': '<f4', 'fortran_order': False, 'shape': (-2,)}", "non-negative", DisplayName = "negative dimension")]
    [DataRow("{'descr': '<f4', 'fortran_order': False, 'shape': ('2',)}", "non-negative integers", DisplayName = "dimension is a string")]
    [DataRow("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,)}", "not an integer", DisplayName = "dimension overflows")]
    [DataRow("{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000)}", "more elements", DisplayName = "too many elements")]
    [DataRow("{'descr': '<c8', 'fortran_order': False, 'shape': (2,)}", "Unsupported dtype '<c8'", DisplayName = "complex dtype")]
    [DataRow("{'descr': '<i2', 'fortran_order': False, 'shape': (2,)}", "Unsupported dtype '<i2'", DisplayName = "int16 dtype")]
    [DataRow("{'descr': '', 'fortran_order': False, 'shape': (2,)}", "Unsupported dtype ''", DisplayName = "empty dtype")]
    [DataRow("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,)}", "structured", DisplayName = "structured dtype")]
    [DataRow("{'descr': '>f4', 'fortran_order': False, 'shape': (2,)}", "Big-endian", DisplayName = "big-endian float32")]
    [DataRow("{'descr': '|i4', 'fortran_order': False, 'shape': (2,)}", "one-byte", DisplayName = "no byte order on int32")]
    [DataRow("{'descr': ((((((((((((((((((((1,),),),),),),),),),),),),),),),),),),), 'fortran_order': False, 'shape': (2,)}", "nest", DisplayName = "deep nesting")]
    public void Read_MalformedHeader_ThrowsNpyFormatException(string header, string expectedFragment)
    {
        byte[] bytes = MakeFile(header, new byte[8]);

        NpyFormatException exception = Assert.ThrowsExactly<NpyFormatException>(() => NpyFile.Read(bytes));

        StringAssert.Contains(exception.Message, expectedFragment);
    }

    [TestMethod]
    [DataRow(7, "Truncated", DisplayName = "data one byte short")]
    [DataRow(0, "Truncated", DisplayName = "no data")]
    [DataRow(9, "1 bytes follow", DisplayName = "one byte too many")]
    public void Read_DataSizeDisagreesWithShape_ThrowsNpyFormatException(int dataLength, string expectedFragment)
    {
        byte[] bytes = MakeFile("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", new byte[dataLength]);

        NpyFormatException exception = Assert.ThrowsExactly<NpyFormatException>(() => NpyFile.Read(bytes));

        StringAssert.Contains(exception.Message, expectedFragment);
    }

    [TestMethod]
    public void Read_Int64OutsideInt32_ThrowsNpyFormatException()
    {
        byte[] bytes = MakeFile("{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }", BitConverter.GetBytes(1L << 40));

        NpyFormatException exception = Assert.ThrowsExactly<NpyFormatException>(() => NpyFile.Read(bytes));

        StringAssert.Contains(exception.Message, "outside int32");
    }

    [TestMethod]
    public void Read_Version3HeaderNotUtf8_ThrowsNpyFormatException()
    {
        byte[] bytes = [.. MakeFile("{'descr': '<f4', 'fortran_order': False, 'shape': (0,), }", [], majorVersion: 3)];
        bytes[14] = 0xFF;

        Assert.ThrowsExactly<NpyFormatException>(() => NpyFile.Read(bytes));
    }

    [TestMethod]
    public void Constructor_DataLengthDisagreesWithShape_ThrowsArgumentException()
    {
        Assert.ThrowsExactly<ArgumentException>(() => new NpyArray([1f, 2f, 3f], 2, 2));
    }

    [TestMethod]
    public void Constructor_DataOfWrongClrType_ThrowsArgumentException()
    {
        Assert.ThrowsExactly<ArgumentException>(() => new NpyArray(NpyType.Int8, [2], new byte[] { 1, 2 }));
    }

    [TestMethod]
    public void AsFloats_OnInt8Array_ThrowsInvalidOperationException()
    {
        var array = new NpyArray(new sbyte[] { 1 }, 1);

        Assert.ThrowsExactly<InvalidOperationException>(() => array.AsFloats());
    }

    /// <summary>A .npy file with the given header text (no padding added) and data.</summary>
    private static byte[] MakeFile(string header, byte[] data, int majorVersion = 1)
    {
        byte[] headerBytes = Encoding.Latin1.GetBytes(header);
        var prefix = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)majorVersion, 0 };
        if (majorVersion == 1)
        {
            prefix.AddRange(BitConverter.GetBytes((ushort)headerBytes.Length));
        }
        else
        {
            prefix.AddRange(BitConverter.GetBytes((uint)headerBytes.Length));
        }

        return [.. prefix, .. headerBytes, .. data];
    }
}
