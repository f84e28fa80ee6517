using NanoInt8.Runtime;

namespace NanoInt8.Bench.Fuzz
{
    /// <summary>
    /// Mutated model blobs through the device's reader (<see cref="ModelReader.TryRead(byte[], int, long, out Model)"/>
    /// with a 256 KB memory budget and a work budget) and, when it accepts one, one inference. Each
    /// case takes a seed model and applies one to eight mutations: flipped bytes, header or table
    /// words set to edge values, a cut or a tail of random bytes, a run of bytes copied from
    /// elsewhere. Half the cases then fix the CRCs (and a version-4 header's work) so the mutation
    /// reaches the validator instead of stopping at a CRC.
    /// </summary>
    /// <remarks>
    /// Outcomes: "refused: ERROR" (the reader's ModelError), "valid, inference ran". Defects: an
    /// exception from the reader or the inference, the reader allocating more than the budget and
    /// the blob (its arrays are within deviceBytes, checked against the budget before any is
    /// allocated), an accepted model whose work is above the work budget.
    /// </remarks>
    internal sealed class BlobCampaign : ICampaign
    {
        private const int MemoryBudget = 256 * 1024;
        private const long WorkBudget = 2_000_000;

        // Slack for the reader's own small objects beside the model's arrays.
        private const long AllocationSlack = 64 * 1024;

        private static readonly uint[] s_edgeValues = { 0, 1, 2, 3, 4, 0x7F, 0x80, 0xFF, 0x100, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xFFFFFFFE };

        private readonly IReadOnlyList<byte[]> _seeds;
        private readonly int _seed;

        public BlobCampaign(IReadOnlyList<byte[]> seeds, int seed)
        {
            _seeds = seeds;
            _seed = seed;
        }

        public void RunCase(long number, Outcomes outcomes)
        {
            Random random = new Random(unchecked((_seed * 1_000_003) + (int)number));
            byte[] blob = Mutate(_seeds[random.Next(_seeds.Count)], random);
            if (random.Next(2) == 0)
            {
                FixUp(blob, fixWork: random.Next(2) == 0);
            }

            Model? model;
            ModelError error;
            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                error = ModelReader.TryRead(blob, MemoryBudget, WorkBudget, out model);
            }
            catch (Exception exception)
            {
                outcomes.Add($"DEFECT: the reader threw {exception.GetType().Name}", number);
                return;
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (allocated > MemoryBudget + blob.Length + AllocationSlack)
            {
                outcomes.Add("DEFECT: the reader allocated more than the budget", number);
            }

            if (error != ModelError.None || model is null)
            {
                outcomes.Add($"refused: {error}", number);
                return;
            }

            if (model.Work > WorkBudget)
            {
                outcomes.Add("DEFECT: a model above the work budget was accepted", number);
                return;
            }

            try
            {
                Interpreter interpreter = new Interpreter(model);
                for (int index = 0; index < model.InputCount; index++)
                {
                    sbyte[] input = new sbyte[interpreter.GetInputInfo(index).ElementCount];
                    random.NextBytes((byte[])(Array)input);
                    interpreter.SetInput(index, input, 0);
                }

                interpreter.Invoke();
                outcomes.Add("valid, inference ran", number);
            }
            catch (Exception exception)
            {
                outcomes.Add($"DEFECT: an accepted model threw {exception.GetType().Name} in inference", number);
            }
        }

        /// <summary>Recomputes the CRCs, and with <paramref name="fixWork"/> a version-4 header's work, of a mutated blob.</summary>
        private static void FixUp(byte[] blob, bool fixWork)
        {
            if (blob.Length < ModelFormat.HeaderSize)
            {
                return;
            }

            WriteUInt32(blob, 12, Crc32.Compute(blob, ModelFormat.HeaderSize, blob.Length - ModelFormat.HeaderSize));
            WriteUInt32(blob, 60, Crc32.Compute(blob, 0, 60));
            if (fixWork && BitConverter.ToUInt16(blob, 4) >= ModelFormat.WorkVersion && ModelReader.ComputeWork(blob, out long work) == ModelError.None && work <= ModelFormat.MaxWork)
            {
                WriteUInt32(blob, 36, (uint)work);
                WriteUInt32(blob, 60, Crc32.Compute(blob, 0, 60));
            }
        }

        private static byte[] Mutate(byte[] seed, Random random)
        {
            byte[] blob = (byte[])seed.Clone();
            int mutations = 1 + random.Next(8);
            for (int step = 0; step < mutations && blob.Length > 0; step++)
            {
                switch (random.Next(6))
                {
                    case 0:
                        blob[random.Next(blob.Length)] ^= (byte)(1 << random.Next(8));
                        break;
                    case 1:
                        blob[random.Next(blob.Length)] = (byte)random.Next(256);
                        break;
                    case 2:
                        // Header words are what a hostile blob would aim at: half the edits go there.
                        int limit = random.Next(2) == 0 ? Math.Min(blob.Length, ModelFormat.HeaderSize) : blob.Length;
                        int at = random.Next(Math.Max(1, limit - 3)) & ~3;
                        if (at + 4 <= blob.Length)
                        {
                            WriteUInt32(blob, at, s_edgeValues[random.Next(s_edgeValues.Length)]);
                        }

                        break;
                    case 3:
                        blob = blob[..random.Next(blob.Length)];
                        break;
                    case 4:
                        byte[] tail = new byte[1 + random.Next(64)];
                        random.NextBytes(tail);
                        blob = blob.Concat(tail).ToArray();
                        break;
                    default:
                        int length = 1 + random.Next(Math.Min(64, blob.Length));
                        Array.Copy(blob, random.Next(blob.Length - length + 1), blob, random.Next(blob.Length - length + 1), length);
                        break;
                }
            }

            return blob;
        }

        private static void WriteUInt32(byte[] data, int offset, uint value)
        {
            BitConverter.TryWriteBytes(data.AsSpan(offset, 4), value);
        }
    }
}
