using NanoInt8.Runtime;

namespace NanoInt8.Device.Tests
{
    /// <summary>
    /// CRC-32, frame layout and the frame decoder on deterministic data: runs on .NET and on
    /// nanoCLR. The CRC is also checked against System.IO.Hashing, host-only (FrameCodecTests).
    /// </summary>
    [TestClass]
    public class FramingTests
    {
        [TestMethod]
        public void Crc32_CheckValue_IsTheZlibCrc()
        {
            // The CRC-32 catalogue's check value: CRC of the ASCII digits "123456789".
            byte[] digits = new byte[] { 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39 };

            Assert.AreEqual(0xCBF43926u, Crc32.Compute(digits, 0, digits.Length));
        }

        [TestMethod]
        public void Crc32_UpdateInPieces_SameAsAtOnce()
        {
            byte[] data = Payload(300, 7);
            uint crc = Crc32.Update(0xFFFFFFFFu, data, 0, 100);
            crc = Crc32.Update(crc, data, 100, 200);

            Assert.AreEqual(Crc32.Compute(data, 0, data.Length), Crc32.Finish(crc));
        }

        [TestMethod]
        public void Encode_Layout_HeaderPayloadAndCrc()
        {
            byte[] payload = new byte[] { 0x00, 0x01, 0x02, 0x00, 0xFF };
            byte[] wire = Wire(0x86, 0x42, payload);

            Assert.AreEqual((byte)0, wire[wire.Length - 1]);
            byte[] frame = new byte[wire.Length];
            int length = Cobs.Decode(wire, 0, wire.Length - 1, frame, 0);

            Assert.AreEqual(8 + payload.Length, length);
            Assert.AreEqual((byte)0x86, frame[0]);
            Assert.AreEqual((byte)0x42, frame[1]);
            Assert.AreEqual(payload.Length, LittleEndian.ReadUInt16(frame, 2));
            for (int i = 0; i < payload.Length; i++)
            {
                Assert.AreEqual(payload[i], frame[4 + i]);
            }

            Assert.AreEqual(Crc32.Compute(frame, 0, 4 + payload.Length), LittleEndian.ReadUInt32(frame, 4 + payload.Length));
        }

        [TestMethod]
        public void Feed_FrameSplitAtEveryPosition_DecodedOnce()
        {
            byte[] payload = Payload(300, 7);
            byte[] wire = Wire(0x04, 9, payload);
            for (int split = 0; split <= wire.Length; split++)
            {
                FrameDecoder decoder = new FrameDecoder();

                int first = decoder.Feed(wire, 0, split);
                bool readyAfterFirst = decoder.FrameReady;
                int second = decoder.Feed(wire, split, wire.Length - split);

                Assert.AreEqual(split, first);
                Assert.IsFalse(readyAfterFirst && split < wire.Length);
                Assert.AreEqual(wire.Length - split, second);
                Assert.IsTrue(decoder.FrameReady || readyAfterFirst);
                AssertPayload(payload, decoder);
                Assert.AreEqual(1, decoder.FramesReceived);
            }
        }

        [TestMethod]
        public void Feed_EveryCorruptedBitOfAFrame_NeverAFalseFrame()
        {
            byte[] wire = Wire(6, 1, Payload(40, 1));
            byte[] next = Wire(2, 2, new byte[] { 1 });
            for (int bit = 0; bit < (wire.Length - 1) * 8; bit++)
            {
                byte[] corrupted = new byte[wire.Length];
                System.Array.Copy(wire, corrupted, wire.Length);
                corrupted[bit / 8] ^= (byte)(1 << (bit % 8));
                FrameDecoder decoder = new FrameDecoder();

                int firstType = FeedUntilFrame(decoder, corrupted);
                int secondType = FeedUntilFrame(decoder, next);

                // A flipped bit may split the block in two (a new 0x00) but never yields a valid frame.
                Assert.AreEqual(-1, firstType);
                Assert.AreEqual(2, secondType);
            }
        }

        [TestMethod]
        public void Feed_GarbageThenFrame_GarbageDroppedFrameDecoded()
        {
            FrameDecoder decoder = new FrameDecoder();
            byte[] garbage = new byte[] { 0x13, 0x37, 0x42, 0x00 };

            Assert.AreEqual(-1, FeedUntilFrame(decoder, garbage));
            Assert.AreEqual(5, FeedUntilFrame(decoder, Wire(5, 1, new byte[] { 1, 2 })));
            Assert.AreEqual(1, decoder.FramesDropped);
        }

        [TestMethod]
        public void Feed_TooShortFrame_Dropped()
        {
            FrameDecoder decoder = new FrameDecoder();
            byte[] wire = new byte[10];
            int length = Cobs.Encode(new byte[] { 1, 2, 3, 4, 5, 6, 7 }, 0, 7, wire, 0);
            wire[length] = 0;

            decoder.Feed(wire, 0, length + 1);

            Assert.IsFalse(decoder.FrameReady);
            Assert.AreEqual(1, decoder.FramesDropped);
        }

        [TestMethod]
        public void Feed_OversizedBlock_DroppedAndNextFrameDecoded()
        {
            FrameDecoder decoder = new FrameDecoder();
            byte[] oversized = new byte[FrameCodec.MaxEncodedLength + 100];
            for (int i = 0; i < oversized.Length - 1; i++)
            {
                oversized[i] = 0x01;
            }

            Assert.AreEqual(-1, FeedUntilFrame(decoder, oversized));
            Assert.AreEqual(3, FeedUntilFrame(decoder, Wire(3, 3, new byte[] { 9 })));
            Assert.AreEqual(1, decoder.FramesDropped);
        }

        /// <summary>An encoded, delimited frame.</summary>
        public static byte[] Wire(int type, int sequence, byte[] payload)
        {
            byte[] frame = new byte[FrameCodec.MaxFrameLength];
            System.Array.Copy(payload, 0, frame, FrameCodec.PayloadOffset, payload.Length);
            byte[] wire = new byte[FrameCodec.MaxWireLength];
            int length = FrameCodec.Encode(frame, type, sequence, payload.Length, wire, 0);
            byte[] result = new byte[length];
            System.Array.Copy(wire, result, length);
            return result;
        }

        /// <summary>Deterministic bytes: i * step.</summary>
        public static byte[] Payload(int length, int step)
        {
            byte[] payload = new byte[length];
            for (int i = 0; i < length; i++)
            {
                payload[i] = (byte)(i * step);
            }

            return payload;
        }

        private static int FeedUntilFrame(FrameDecoder decoder, byte[] data)
        {
            int offset = 0;
            while (offset < data.Length)
            {
                offset += decoder.Feed(data, offset, data.Length - offset);
                if (decoder.FrameReady)
                {
                    return decoder.Type;
                }
            }

            return -1;
        }

        private static void AssertPayload(byte[] expected, FrameDecoder decoder)
        {
            Assert.AreEqual(expected.Length, decoder.PayloadLength);
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.AreEqual(expected[i], decoder.Buffer[FrameCodec.PayloadOffset + i]);
            }
        }
    }
}
