namespace NanoInt8.Device.Tests
{
    /// <summary>
    /// COBS (Cheshire and Baker) on fixed vectors and deterministic data: runs on .NET and on
    /// nanoCLR. Random round trips over many lengths are host-only (NanoInt8.Device.Tests/CobsTests).
    /// </summary>
    [TestClass]
    public class CobsVectorTests
    {
        [TestMethod]
        public void Encode_PaperVectors_EncodeAndDecodeBack()
        {
            AssertVector(new byte[] { 0x00 }, new byte[] { 0x01, 0x01 });
            AssertVector(new byte[] { 0x00, 0x00 }, new byte[] { 0x01, 0x01, 0x01 });
            AssertVector(new byte[] { 0x11, 0x22, 0x00, 0x33 }, new byte[] { 0x03, 0x11, 0x22, 0x02, 0x33 });
            AssertVector(new byte[] { 0x11, 0x22, 0x33, 0x44 }, new byte[] { 0x05, 0x11, 0x22, 0x33, 0x44 });
            AssertVector(new byte[] { 0x11, 0x00, 0x00, 0x00 }, new byte[] { 0x02, 0x11, 0x01, 0x01, 0x01 });
            AssertVector(new byte[0], new byte[] { 0x01 });
        }

        [TestMethod]
        public void Encode_254NonZeroBytes_OneFullGroupThenEmptyGroup()
        {
            byte[] data = Counting(254);
            byte[] encoded = new byte[Cobs.MaxEncodedLength(data.Length)];

            int length = Cobs.Encode(data, 0, data.Length, encoded, 0);

            Assert.AreEqual(256, length);
            Assert.AreEqual((byte)0xFF, encoded[0]);
            Assert.AreEqual((byte)0x01, encoded[255]);
            byte[] decoded = new byte[length];
            Assert.AreEqual(254, Cobs.Decode(encoded, 0, length, decoded, 0));
            for (int i = 0; i < 254; i++)
            {
                Assert.AreEqual(data[i], decoded[i]);
            }
        }

        [TestMethod]
        public void Decode_FullGroupWithoutTrailingGroup_IsAccepted()
        {
            // Encoders that omit the empty group after a final 254-byte run are valid COBS too.
            byte[] encoded = new byte[255];
            encoded[0] = 0xFF;
            for (int i = 1; i < 255; i++)
            {
                encoded[i] = (byte)i;
            }

            byte[] decoded = new byte[255];

            Assert.AreEqual(254, Cobs.Decode(encoded, 0, 255, decoded, 0));
            Assert.AreEqual((byte)254, decoded[253]);
        }

        [TestMethod]
        public void RoundTrip_AllZeroAndNoZeroAroundGroupSize_Identical()
        {
            int[] lengths = new int[] { 1, 2, 253, 254, 255, 256, 507, 508, 509, 520 };
            for (int i = 0; i < lengths.Length; i++)
            {
                AssertRoundTrip(new byte[lengths[i]]);
                AssertRoundTrip(Counting(lengths[i]));
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
        public void Encode_AtOffsets_WritesOnlyItsRange()
        {
            byte[] source = new byte[] { 9, 9, 0x11, 0x00, 0x22, 9 };
            byte[] destination = new byte[] { 0xEE, 0xEE, 0xEE, 0xEE, 0xEE, 0xEE, 0xEE, 0xEE, 0xEE, 0xEE };

            int written = Cobs.Encode(source, 2, 3, destination, 3);

            Assert.AreEqual(4, written);
            CollectionAssert.AreEqual(new byte[] { 0xEE, 0xEE, 0xEE, 0x02, 0x11, 0x02, 0x22, 0xEE, 0xEE, 0xEE }, destination);
        }

        private static void AssertVector(byte[] data, byte[] expected)
        {
            byte[] encoded = new byte[Cobs.MaxEncodedLength(data.Length)];
            int length = Cobs.Encode(data, 0, data.Length, encoded, 0);
            Assert.AreEqual(expected.Length, length);
            for (int i = 0; i < length; i++)
            {
                Assert.AreEqual(expected[i], encoded[i]);
            }

            byte[] decoded = new byte[expected.Length];
            Assert.AreEqual(data.Length, Cobs.Decode(expected, 0, expected.Length, decoded, 0));
            for (int i = 0; i < data.Length; i++)
            {
                Assert.AreEqual(data[i], decoded[i]);
            }
        }

        private static void AssertRoundTrip(byte[] data)
        {
            byte[] encoded = new byte[Cobs.MaxEncodedLength(data.Length)];
            int length = Cobs.Encode(data, 0, data.Length, encoded, 0);
            for (int i = 0; i < length; i++)
            {
                Assert.AreNotEqual((byte)0, encoded[i]);
            }

            byte[] decoded = new byte[length];
            Assert.AreEqual(data.Length, Cobs.Decode(encoded, 0, length, decoded, 0));
            for (int i = 0; i < data.Length; i++)
            {
                Assert.AreEqual(data[i], decoded[i]);
            }
        }

        private static byte[] Counting(int length)
        {
            byte[] data = new byte[length];
            for (int i = 0; i < length; i++)
            {
                data[i] = (byte)(1 + i % 255);
            }

            return data;
        }
    }
}
