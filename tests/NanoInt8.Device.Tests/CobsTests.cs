namespace NanoInt8.Device.Tests;

[TestClass]
public class CobsTests
{
    [TestMethod]
    [DataRow(new byte[] { 0x00 }, new byte[] { 0x01, 0x01 })]
    [DataRow(new byte[] { 0x00, 0x00 }, new byte[] { 0x01, 0x01, 0x01 })]
    [DataRow(new byte[] { 0x11, 0x22, 0x00, 0x33 }, new byte[] { 0x03, 0x11, 0x22, 0x02, 0x33 })]
    [DataRow(new byte[] { 0x11, 0x22, 0x33, 0x44 }, new byte[] { 0x05, 0x11, 0x22, 0x33, 0x44 })]
    [DataRow(new byte[] { 0x11, 0x00, 0x00, 0x00 }, new byte[] { 0x02, 0x11, 0x01, 0x01, 0x01 })]
    [DataRow(new byte[0], new byte[] { 0x01 })]
    public void Encode_KnownVectors_MatchThePaper(byte[] data, byte[] expected)
    {
        CollectionAssert.AreEqual(expected, Encode(data));
        CollectionAssert.AreEqual(data, Decode(expected));
    }

    [TestMethod]
    public void Encode_254NonZeroBytes_OneFullGroupThenEmptyGroup()
    {
        byte[] data = Enumerable.Range(1, 254).Select(value => (byte)value).ToArray();

        byte[] encoded = Encode(data);

        Assert.HasCount(256, encoded);
        Assert.AreEqual(0xFF, encoded[0]);
        Assert.AreEqual(0x01, encoded[255]);
        CollectionAssert.AreEqual(data, Decode(encoded));
    }

    [TestMethod]
    public void Decode_FullGroupWithoutTrailingGroup_IsAccepted()
    {
        // Encoders that omit the empty group after a final 254-byte run are valid COBS too.
        byte[] data = Enumerable.Range(1, 254).Select(value => (byte)value).ToArray();
        byte[] encoded = new byte[] { 0xFF }.Concat(data).ToArray();

        CollectionAssert.AreEqual(data, Decode(encoded));
    }

    [TestMethod]
    public void RoundTrip_RandomPayloads0To600_Identical()
    {
        Random random = new(1234);
        for (int length = 0; length <= 600; length++)
        {
            byte[] data = new byte[length];
            random.NextBytes(data);
            AssertRoundTrip(data);
        }
    }

    [TestMethod]
    public void RoundTrip_AllZero_Identical()
    {
        foreach (int length in new[] { 1, 2, 253, 254, 255, 256, 508, 509, 520 })
        {
            AssertRoundTrip(new byte[length]);
        }
    }

    [TestMethod]
    public void RoundTrip_NoZeroRunsAroundGroupSize_Identical()
    {
        foreach (int length in new[] { 1, 253, 254, 255, 256, 507, 508, 509, 510, 520 })
        {
            byte[] data = Enumerable.Range(0, length).Select(i => (byte)(1 + i % 255)).ToArray();
            AssertRoundTrip(data);
        }
    }

    [TestMethod]
    public void RoundTrip_254And255ByteRunsBetweenZeros_Identical()
    {
        foreach (int run in new[] { 253, 254, 255 })
        {
            byte[] data = new byte[1 + run + 1 + run + 1];
            for (int i = 1; i <= run; i++)
            {
                data[i] = 0xAA;
                data[run + 1 + i] = 0x55;
            }

            AssertRoundTrip(data);
        }
    }

    [TestMethod]
    public void Decode_ZeroInsideBlock_Invalid()
    {
        Assert.AreEqual(-1, Cobs.Decode(new byte[] { 0x03, 0x11, 0x00 }, 0, 3, new byte[3], 0));
        Assert.AreEqual(-1, Cobs.Decode(new byte[] { 0x00, 0x11 }, 0, 2, new byte[2], 0));
    }

    [TestMethod]
    public void Decode_GroupRunningPastEnd_Invalid()
    {
        Assert.AreEqual(-1, Cobs.Decode(new byte[] { 0x05, 0x11, 0x22 }, 0, 3, new byte[3], 0));
    }

    [TestMethod]
    public void Decode_InPlace_SameResult()
    {
        Random random = new(99);
        for (int length = 0; length < 700; length += 7)
        {
            byte[] data = new byte[length];
            random.NextBytes(data);
            byte[] buffer = Encode(data);

            int decoded = Cobs.Decode(buffer, 0, buffer.Length, buffer, 0);

            CollectionAssert.AreEqual(data, buffer.Take(decoded).ToArray());
        }
    }

    [TestMethod]
    public void Encode_AtOffsets_WritesOnlyItsRange()
    {
        byte[] source = { 9, 9, 0x11, 0x00, 0x22, 9 };
        byte[] destination = Enumerable.Repeat((byte)0xEE, 10).ToArray();

        int written = Cobs.Encode(source, 2, 3, destination, 3);

        Assert.AreEqual(4, written);
        CollectionAssert.AreEqual(new byte[] { 0xEE, 0xEE, 0xEE, 0x02, 0x11, 0x02, 0x22, 0xEE, 0xEE, 0xEE }, destination);
    }

    private static void AssertRoundTrip(byte[] data)
    {
        byte[] encoded = Encode(data);
        Assert.DoesNotContain((byte)0, encoded, $"a zero in the encoding of {data.Length} bytes");
        Assert.IsLessThanOrEqualTo(Cobs.MaxEncodedLength(data.Length), encoded.Length);
        CollectionAssert.AreEqual(data, Decode(encoded), $"round trip of {data.Length} bytes");
    }

    private static byte[] Encode(byte[] data)
    {
        byte[] destination = new byte[Cobs.MaxEncodedLength(data.Length)];
        int length = Cobs.Encode(data, 0, data.Length, destination, 0);
        return destination.Take(length).ToArray();
    }

    private static byte[] Decode(byte[] encoded)
    {
        byte[] destination = new byte[encoded.Length];
        int length = Cobs.Decode(encoded, 0, encoded.Length, destination, 0);
        Assert.IsGreaterThanOrEqualTo(0, length, "invalid COBS");
        return destination.Take(length).ToArray();
    }
}
