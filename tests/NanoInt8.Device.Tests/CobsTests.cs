namespace NanoInt8.Device.Tests;

[TestClass]
public class CobsTests
{
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
