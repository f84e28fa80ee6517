using System;
using System.Reflection;
using NanoInt8.Runtime;

namespace NanoInt8.ModelProbe
{
    /// <summary>
    /// Loads the compiled-in model (ProbeModel.g.cs) as the device does after a transfer (the blob
    /// and the decoded model are alive together while it is decoded), fills its inputs with fixed
    /// bytes and runs it as many times as NanoInt8.ProbeRuns (loaded beside it) says. Prints "loaded", optionally "ran N" after each
    /// run, and "done"; a refused model prints "refused CODE".
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
            int runs = (int)Assembly.Load("NanoInt8.ProbeRuns").GetType("NanoInt8.ProbeRuns.Runs").GetMethod("Count").Invoke(null, null);
            for (int run = 1; run <= runs; run++)
            {
                interpreter.Invoke();
                if (ProbeModel.ReportEachRun)
                {
                    Console.WriteLine("ran " + run.ToString());
                }
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
