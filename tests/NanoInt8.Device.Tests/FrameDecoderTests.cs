using System.Buffers.Binary;

namespace NanoInt8.Device.Tests;

[TestClass]
public class FrameDecoderTests
{
    [TestMethod]
    public void Feed_ByteByByte_EveryFrameOfAStream()
    {
        FrameDecoder decoder = new();
        List<byte> stream = new();
        for (int i = 0; i < 20; i++)
        {
            stream.AddRange(Frames.Wire(i, i, Enumerable.Repeat((byte)i, i * 13).ToArray()));
        }

        List<int> types = new();
        foreach (byte value in stream)
        {
            decoder.Feed(new[] { value }, 0, 1);
            if (decoder.FrameReady)
            {
                types.Add(decoder.Type);
            }
        }

        CollectionAssert.AreEqual(Enumerable.Range(0, 20).ToArray(), types.ToArray());
    }

    [TestMethod]
    public void Feed_SeveralFramesInOneBlock_StopsAfterEachFrame()
    {
        FrameDecoder decoder = new();
        byte[] block = Frames.Wire(1, 1, new byte[] { 1 }).Concat(Frames.Wire(2, 2, new byte[] { 2, 2 })).ToArray();

        int first = decoder.Feed(block, 0, block.Length);
        Assert.IsTrue(decoder.FrameReady);
        Assert.AreEqual(1, decoder.Type);
        int second = decoder.Feed(block, first, block.Length - first);
        Assert.IsTrue(decoder.FrameReady);
        Assert.AreEqual(2, decoder.Type);
        Assert.AreEqual(block.Length, first + second);
    }

    [TestMethod]
    public void Feed_GarbageWithoutDelimiterBeforeFrame_BothLostThenNextFrameDecoded()
    {
        // Garbage glued to a frame's start makes one malformed block; the following frame is clean.
        FrameDecoder decoder = new();
        byte[] stream = new byte[] { 0x21, 0x22 }.Concat(Frames.Wire(3, 4, new byte[] { 5 })).Concat(Frames.Wire(7, 8, new byte[] { 9 })).ToArray();

        List<int> types = FeedAll(decoder, stream);

        CollectionAssert.AreEqual(new[] { 7 }, types.ToArray());
        Assert.AreEqual(1, decoder.FramesDropped);
    }

    [TestMethod]
    public void Feed_FrameWithPayloadOf513_Dropped()
    {
        // Correct COBS and CRC, but one byte longer than the protocol allows.
        FrameDecoder decoder = new();
        byte[] wire = Frames.UncheckedWire(1, 1, new byte[513], lengthField: 513);

        List<int> types = FeedAll(decoder, wire);

        Assert.IsEmpty(types);
        Assert.AreEqual(1, decoder.FramesDropped);
    }

    [TestMethod]
    public void Feed_LengthFieldDisagrees_Dropped()
    {
        FrameDecoder decoder = new();
        byte[] wire = Frames.UncheckedWire(1, 1, new byte[10], lengthField: 11);

        Assert.IsEmpty(FeedAll(decoder, wire));
        Assert.AreEqual(1, decoder.FramesDropped);
    }

    [TestMethod]
    public void Feed_BadCrc_DroppedAndNextFrameDecoded()
    {
        FrameDecoder decoder = new();
        byte[] bad = Frames.UncheckedWire(1, 1, new byte[] { 1, 2, 3 }, lengthField: 3, crcXor: 0x00010000);
        byte[] stream = bad.Concat(Frames.Wire(2, 2, new byte[] { 4 })).ToArray();

        List<int> types = FeedAll(decoder, stream);

        CollectionAssert.AreEqual(new[] { 2 }, types.ToArray());
        Assert.AreEqual(1, decoder.FramesDropped);
    }

    [TestMethod]
    public void Feed_EmptyBlocks_NeitherReceivedNorDropped()
    {
        FrameDecoder decoder = new();
        byte[] stream = new byte[] { 0, 0, 0 }.Concat(Frames.Wire(1, 1, new byte[0])).Concat(new byte[] { 0, 0 }).ToArray();

        List<int> types = FeedAll(decoder, stream);

        CollectionAssert.AreEqual(new[] { 1 }, types.ToArray());
        Assert.AreEqual(0, decoder.FramesDropped);
        Assert.AreEqual(1, decoder.FramesReceived);
    }

    [TestMethod]
    public void Reset_ForgetsPartialFrame()
    {
        FrameDecoder decoder = new();
        byte[] wire = Frames.Wire(1, 1, new byte[] { 1, 2, 3 });
        decoder.Feed(wire, 0, 4);

        decoder.Reset();
        List<int> types = FeedAll(decoder, Frames.Wire(2, 2, new byte[] { 9 }));

        CollectionAssert.AreEqual(new[] { 2 }, types.ToArray());
        Assert.AreEqual(0, decoder.FramesDropped);
    }

    private static List<int> FeedAll(FrameDecoder decoder, byte[] stream)
    {
        List<int> types = new();
        int offset = 0;
        while (offset < stream.Length)
        {
            offset += decoder.Feed(stream, offset, stream.Length - offset);
            if (decoder.FrameReady)
            {
                types.Add(decoder.Type);
            }
        }

        return types;
    }
}

/// <summary>Builds wire bytes for the framing tests.</summary>
internal static class Frames
{
    public static byte[] Wire(int type, int sequence, byte[] payload)
    {
        byte[] frame = new byte[FrameCodec.MaxFrameLength];
        byte[] wire = new byte[FrameCodec.MaxWireLength];
        payload.CopyTo(frame, FrameCodec.PayloadOffset);
        int length = FrameCodec.Encode(frame, type, sequence, payload.Length, wire, 0);
        return wire.Take(length).ToArray();
    }

    /// <summary>A frame built by hand, without the encoder's checks: any length field, any CRC error.</summary>
    public static byte[] UncheckedWire(int type, int sequence, byte[] payload, int lengthField, uint crcXor = 0)
    {
        byte[] frame = new byte[8 + payload.Length];
        frame[0] = (byte)type;
        frame[1] = (byte)sequence;
        BinaryPrimitives.WriteUInt16LittleEndian(frame.AsSpan(2), (ushort)lengthField);
        payload.CopyTo(frame, 4);
        uint crc = System.IO.Hashing.Crc32.HashToUInt32(frame.AsSpan(0, 4 + payload.Length)) ^ crcXor;
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(4 + payload.Length), crc);
        byte[] encoded = new byte[Cobs.MaxEncodedLength(frame.Length)];
        int length = Cobs.Encode(frame, 0, frame.Length, encoded, 0);
        return encoded.Take(length).Append((byte)0).ToArray();
    }

    public static byte[] Payload(FrameDecoder decoder)
    {
        return decoder.Buffer.Skip(FrameCodec.PayloadOffset).Take(decoder.PayloadLength).ToArray();
    }
}
