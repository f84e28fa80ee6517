// API checked against: nanoframework/System.Device.Adc v1.1.24 (ac05de0), System.Device.Adc/AdcController.cs
// (constructor, OpenChannel) and AdcChannel.cs (ReadValue: the raw reading, 0..4095 on an ESP32);
// nanoframework/nanoFramework.Runtime.Native v1.7.11 (e70ef69), GC.cs (static uint Run(bool compactHeap): the free heap).
using System;
using System.Device.Adc;
using System.Threading;
using NanoInt8.Runtime;

namespace NanoInt8.Samples.AdcClassifier
{
    /// <summary>
    /// Classifies a machine's vibration once a second: 128 readings of an analog accelerometer on an
    /// ADC channel, 1 ms apart, through the embedded sample model, and prints the class.
    /// </summary>
    public static class Program
    {
        // ADC1 channel 6 is GPIO34 on an ESP32-DevKitC (boards/README.md): the accelerometer's output goes there.
        private const int AdcChannelNumber = 6;

        // Managed heap the rest of the app keeps for itself; the model may have what is left.
        private const int AppReserveBytes = 8 * 1024;

        // DateTime ticks are 100 ns: the model was trained on readings 1 ms apart (1 kHz).
        private const long TicksPerReading = TimeSpan.TicksPerMillisecond;

        /// <summary>Loads the model, then reads, classifies and prints forever.</summary>
        public static void Main()
        {
            AdcChannel channel = new AdcController().OpenChannel(AdcChannelNumber);
            int memoryBudget = (int)nanoFramework.Runtime.Native.GC.Run(true) - AppReserveBytes;
            VibrationClassifier classifier;
            EmbeddedModelError error = VibrationClassifier.Create(memoryBudget, out classifier);
            if (error != EmbeddedModelError.None)
            {
                Console.WriteLine("model refused: error " + ((int)error).ToString());
                return;
            }

            int[] window = classifier.Window;
            long nextSecond = DateTime.UtcNow.Ticks;
            while (true)
            {
                long due = DateTime.UtcNow.Ticks;
                for (int i = 0; i < window.Length; i++)
                {
                    while (DateTime.UtcNow.Ticks < due)
                    {
                    }

                    window[i] = channel.ReadValue();
                    due += TicksPerReading;
                }

                Console.WriteLine(classifier.Classify());
                nextSecond += TimeSpan.TicksPerSecond;
                long wait = nextSecond - DateTime.UtcNow.Ticks;
                if (wait > 0)
                {
                    Thread.Sleep((int)(wait / TimeSpan.TicksPerMillisecond));
                }
            }
        }
    }
}
