using System.Buffers.Binary;

namespace NanoInt8.Device.Tests;

[TestClass]
public class FrameCodecTests
{
    [TestMethod]
    public void Constants_MatchTheSpec()
    {
        Assert.AreEqual(520, FrameCodec.MaxFrameLength);
        Assert.AreEqual(523, FrameCodec.MaxEncodedLength);
        Assert.AreEqual(524, FrameCodec.MaxWireLength);
        Assert.AreEqual(508, Protocol.MaxChunkData);
        Assert.AreEqual(480, Protocol.BaseModelChunk);
        Assert.AreEqual(4064, Protocol.LargestModelChunk);
        Assert.AreEqual(4076, FrameCodec.MaxChunkFrameLength);
        Assert.AreEqual(4094, FrameCodec.MaxChunkWireLength);
    }

    [TestMethod]
    public void Encode_Layout_HeaderPayloadAndZlibCrc()
    {
        byte[] payload = { 0x00, 0x01, 0x02, 0x00, 0xFF };

        byte[] wire = Frames.Wire(0x86, 0x42, payload);

        Assert.AreEqual(0, wire[^1]);
        byte[] frame = new byte[wire.Length];
        int length = Cobs.Decode(wire, 0, wire.Length - 1, frame, 0);
        Assert.AreEqual(8 + payload.Length, length);
        Assert.AreEqual(0x86, frame[0]);
        Assert.AreEqual(0x42, frame[1]);
        Assert.AreEqual(payload.Length, BinaryPrimitives.ReadUInt16LittleEndian(frame.AsSpan(2)));
        CollectionAssert.AreEqual(payload, frame.Skip(4).Take(payload.Length).ToArray());
        uint expectedCrc = System.IO.Hashing.Crc32.HashToUInt32(frame.AsSpan(0, 4 + payload.Length));
        Assert.AreEqual(expectedCrc, BinaryPrimitives.ReadUInt32LittleEndian(frame.AsSpan(4 + payload.Length)));
    }

    [TestMethod]
    public void Encode_RandomPayloads0To512_OneDelimiterAtTheEndAndWithinWireLimit()
    {
        Random random = new(7);
        for (int length = 0; length <= FrameCodec.MaxPayloadLength; length++)
        {
            byte[] payload = new byte[length];
            random.NextBytes(payload);

            byte[] wire = Frames.Wire(random.Next(256), random.Next(256), payload);

            Assert.IsLessThanOrEqualTo(FrameCodec.MaxWireLength, wire.Length);
            Assert.AreEqual(wire.Length - 1, Array.IndexOf(wire, (byte)0), $"payload of {length} bytes");
        }
    }

    [TestMethod]
    public void RoundTrip_RandomPayloads0To512_DecoderReturnsSameFrame()
    {
        Random random = new(8);
        FrameDecoder decoder = new();
        for (int length = 0; length <= FrameCodec.MaxPayloadLength; length++)
        {
            byte[] payload = new byte[length];
            random.NextBytes(payload);
            int type = random.Next(256);
            int sequence = random.Next(256);
            byte[] wire = Frames.Wire(type, sequence, payload);

            int consumed = decoder.Feed(wire, 0, wire.Length);

            Assert.AreEqual(wire.Length, consumed);
            Assert.IsTrue(decoder.FrameReady, $"payload of {length} bytes");
            Assert.AreEqual(type, decoder.Type);
            Assert.AreEqual(sequence, decoder.Sequence);
            CollectionAssert.AreEqual(payload, Frames.Payload(decoder));
        }

        Assert.AreEqual(0, decoder.FramesDropped);
    }

    [TestMethod]
    public void RoundTrip_AllZeroAndNoZeroPayloads_DecoderReturnsSameFrame()
    {
        FrameDecoder decoder = new();
        foreach (int length in new[] { 1, 246, 247, 250, 254, 255, 500, 508, 512 })
        {
            foreach (byte[] payload in new[] { new byte[length], Enumerable.Repeat((byte)0x5A, length).ToArray() })
            {
                byte[] wire = Frames.Wire(1, 2, payload);

                decoder.Feed(wire, 0, wire.Length);

                Assert.IsTrue(decoder.FrameReady, $"{length} bytes of {payload[0]:X2}");
                CollectionAssert.AreEqual(payload, Frames.Payload(decoder));
            }
        }
    }

    [TestMethod]
    public void Encode_PayloadTooLong_Throws()
    {
        byte[] frame = new byte[FrameCodec.MaxChunkFrameLength + 1];
        byte[] wire = new byte[FrameCodec.MaxChunkWireLength + 10];

        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => FrameCodec.Encode(frame, 1, 1, FrameCodec.MaxChunkPayloadLength + 1, wire, 0));
    }

    [TestMethod]
    public void Encode_SequenceOutOfRange_Throws()
    {
        byte[] frame = new byte[FrameCodec.MaxFrameLength];
        byte[] wire = new byte[FrameCodec.MaxWireLength];

        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => FrameCodec.Encode(frame, 1, 256, 0, wire, 0));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => FrameCodec.Encode(frame, -1, 0, 0, wire, 0));
    }

    [TestMethod]
    public void Encode_WireBufferTooSmall_Throws()
    {
        byte[] frame = new byte[FrameCodec.MaxFrameLength];
        byte[] wire = new byte[20];

        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => FrameCodec.Encode(frame, 1, 1, 100, wire, 0));
    }

    [TestMethod]
    public void LittleEndian_RoundTrips()
    {
        byte[] data = new byte[8];

        LittleEndian.WriteInt64(data, 0, -2);
        Assert.AreEqual(-2L, LittleEndian.ReadInt64(data, 0));
        LittleEndian.WriteUInt32(data, 0, 0xDEADBEEF);
        Assert.AreEqual(0xDEADBEEF, LittleEndian.ReadUInt32(data, 0));
        CollectionAssert.AreEqual(new byte[] { 0xEF, 0xBE, 0xAD, 0xDE }, data.Take(4).ToArray());
        LittleEndian.WriteUInt16(data, 1, 0xABCD);
        Assert.AreEqual(0xABCD, LittleEndian.ReadUInt16(data, 1));
    }
}
