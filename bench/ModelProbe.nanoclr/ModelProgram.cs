using System;
using NanoInt8.Runtime;

namespace NanoInt8.ModelProbe
{
    /// <summary>
    /// Loads the compiled-in model (ProbeModel.g.cs) as the device does after a transfer (the blob
    /// and the decoded model are alive together while it is decoded), fills its inputs with fixed
    /// bytes and runs it ProbeModel.Inferences times. Prints "loaded", optionally "ran N" after each
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
            for (int run = 1; run <= ProbeModel.Inferences; run++)
            {
                interpreter.Invoke();
                if (ProbeModel.ReportEachRun)
                {
                    Console.WriteLine("ran " + run.ToString());
                }
            }

            Console.WriteLine("done");
        }

        private static Interpreter Load()
        {
            Model model;
            ModelError error = ModelReader.TryRead(ProbeModel.Blob(), int.MaxValue, out model);
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
