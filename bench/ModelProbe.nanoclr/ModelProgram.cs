using System;
using System.Reflection;
using NanoInt8.Runtime;

namespace NanoInt8.ModelProbe
{
    /// <summary>
    /// Loads the compiled-in model (ProbeModel.g.cs) as the device does after a transfer (the blob
    /// and the decoded model are alive together while it is decoded), fills its inputs with fixed
    /// bytes and runs it as many times as NanoInt8.ProbeRuns (loaded beside it) says. Prints "loaded",
    /// optionally "ran N" after each run, and "done"; a refused model prints "refused CODE"; an
    /// exception during inference N prints "failed in inference N" before it ends the probe.
    /// When that NanoInt8.ProbeRuns also has FreeBytes (nanoFramework.Runtime.Native.GC.Run(false):
    /// a full collection, then the free bytes), it measures before the first inference, after it
    /// and after the last, and the probe prints "free bytes: BEFORE FIRST LAST" before "done".
    /// </summary>
    public static class Program
    {
        /// <summary>Entry point.</summary>
        public static void Main()
        {
            Interpreter interpreter = Load();
            if (interpreter == null)
            {
                return;
            }

            Console.WriteLine("loaded");
            Type runs = Assembly.Load("NanoInt8.ProbeRuns").GetType("NanoInt8.ProbeRuns.Runs");
            int count = (int)runs.GetMethod("Count").Invoke(null, null);

            // FreeBytes(int[] into, int slot) stores the free bytes into[slot]. Its argument arrays
            // are all made before the first measurement, so every measurement sees the same live
            // objects; a probe without it allocates nothing here (the heap search's runs). The
            // first measurement, before any inference, also settles the heap: the first collection
            // of a run reports 3 heap blocks fewer than a second one made right after it.
            MethodInfo freeBytes = runs.GetMethod("FreeBytes");
            int[] free = null;
            object[] afterFirst = null;
            object[] afterLast = null;
            if (freeBytes != null)
            {
                free = new int[3];
                object[] beforeFirst = new object[] { free, 0 };
                afterFirst = new object[] { free, 1 };
                afterLast = new object[] { free, 2 };
                freeBytes.Invoke(null, beforeFirst);
            }

            int run = 1;
            try
            {
                for (; run <= count; run++)
                {
                    interpreter.Invoke();
                    if (ProbeModel.ReportEachRun)
                    {
                        Console.WriteLine("ran " + run.ToString());
                    }

                    // After the first inference, not before it: what the first one does once
                    // (static constructors) is not what every one does.
                    if (run == 1 && freeBytes != null)
                    {
                        freeBytes.Invoke(null, afterFirst);
                    }
                }

                if (freeBytes != null)
                {
                    freeBytes.Invoke(null, afterLast);
                }
            }
            catch (Exception)
            {
                Console.WriteLine("failed in inference " + run.ToString());
                throw;
            }

            if (freeBytes != null)
            {
                // Printed only now: the strings this makes are not between the measurements.
                Console.WriteLine("free bytes: " + free[0].ToString() + " " + free[1].ToString() + " " + free[2].ToString());
            }

            Console.WriteLine("done");
        }

        // The model as one new array, as a received model is; its pieces come from the data
        // assemblies NanoInt8.ProbeData0, 1, ... (at most 48 KB each, see the .csproj) and are
        // garbage as soon as they are copied.
        private static byte[] Blob()
        {
            byte[] blob = new byte[ProbeModel.Length];
            int offset = 0;
            for (int piece = 0; piece < ProbeModel.Pieces; piece++)
            {
                Assembly data = Assembly.Load("NanoInt8.ProbeData" + piece.ToString());
                byte[] bytes = (byte[])data.GetType("NanoInt8.ProbeData.Piece").GetMethod("Bytes").Invoke(null, null);
                Array.Copy(bytes, 0, blob, offset, bytes.Length);
                offset += bytes.Length;
            }

            return blob;
        }

        private static Interpreter Load()
        {
            Model model;
            ModelError error = ModelReader.TryRead(Blob(), int.MaxValue, out model);
            if (error != ModelError.None)
            {
                Console.WriteLine("refused " + ((int)error).ToString());
                return null;
            }

            Interpreter interpreter = new Interpreter(model);
            int largest = 0;
            for (int index = 0; index < model.InputCount; index++)
            {
                int elements = interpreter.GetInputInfo(index).ElementCount;
                largest = elements > largest ? elements : largest;
            }

            // One staging array for every input, as the device server keeps one for all of them.
            sbyte[] input = new sbyte[largest];
            for (int i = 0; i < input.Length; i++)
            {
                input[i] = (sbyte)(i * 37 + 11);
            }

            for (int index = 0; index < model.InputCount; index++)
            {
                interpreter.SetInput(index, input, 0);
            }

            return interpreter;
        }
    }
}
