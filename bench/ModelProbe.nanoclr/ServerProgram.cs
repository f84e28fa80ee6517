using System;
using NanoInt8.Device;

namespace NanoInt8.ModelProbe
{
    /// <summary>
    /// The firmware's own managed needs without a model: the device server as Program.cs of
    /// Firmware/App.nf builds it (frame buffers, decoder, board description), booted from an empty
    /// store and polled on a quiet line. Prints "done".
    /// </summary>
    public static class Program
    {
        /// <summary>Entry point.</summary>
        public static void Main()
        {
            DeviceInfo info = new DeviceInfo("ESP32-DevKitC", 1, 0, 0, 4096, 52 * 1024, 52 * 1024);
            DeviceServer server = new DeviceServer(new QuietLink(), new EmptyStore(), info, null);
            server.Boot();
            for (int poll = 0; poll < 10; poll++)
            {
                server.Poll();
            }

            Console.WriteLine("done");
        }

        private sealed class QuietLink : IByteLink
        {
            public int Read(byte[] buffer, int offset, int count)
            {
                return 0;
            }

            public int ReadAvailable(byte[] buffer, int offset, int count)
            {
                return 0;
            }

            public void Write(byte[] buffer, int offset, int count)
            {
            }
        }

        private sealed class EmptyStore : IModelStore
        {
            public byte[] ReadCommitted()
            {
                return null;
            }

            public bool Commit(byte[] blob)
            {
                return false;
            }
        }
    }
}
