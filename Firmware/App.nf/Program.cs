// API checked against: nanoframework/nanoFramework.Hardware.Esp32 v1.6.40 (182a6e5),
// nanoFramework.Hardware.Esp32/Configuration.cs (static SetPinFunction(int pin, DeviceFunction));
// nanoframework/System.IO.Ports v1.1.139 (3cc8cdf), System.IO.Ports/SerialPort.cs (constructor
// SerialPort(string portName, int baudRate, Parity, int dataBits, StopBits), ReadBufferSize set before Open, Open);
// nanoframework/System.Device.Adc v1.1.24 (ac05de0), System.Device.Adc/AdcController.cs (constructor);
// the pin-then-open order: nanoframework/Samples, samples/SerialCommunication/SerialCommunication/Scenario1_ConfigureDevice.cs;
// the device side: Firmware/Device/DeviceInfo.cs and DeviceServer.cs of this repository.
using System.Device.Adc;
using System.Diagnostics;
using System.IO.Ports;
using nanoFramework.Hardware.Esp32;
using NanoInt8.Device;

namespace NanoInt8.App
{
    /// <summary>
    /// The firmware's entry point: sets up the selected board (<see cref="BoardProfile.Selected"/>),
    /// then hands the model link, the flash store and the sensor to the device server for good.
    /// </summary>
    public static class Program
    {
        /// <summary>Firmware version reported by INFO; keep in step with Properties/AssemblyInfo.cs.</summary>
        public const int FirmwareMajor = 1;

        /// <summary>Firmware minor version.</summary>
        public const int FirmwareMinor = 0;

        /// <summary>Firmware patch version.</summary>
        public const int FirmwarePatch = 0;

        // The UART driver's receive buffer: a transfer window of chunks fits in it, less 128 bytes,
        // and sets the largest CHUNK (DeviceInfo.TransferWindowBytes, MaxChunkBytes). nanoCLR allocates it twice (its ring buffer and the IDF
        // driver's) from native memory, not from the managed heap.
        private const int SerialReadBufferBytes = 4096;

        // How long one link read waits for data before the server gets control back (sensor mode).
        private const int LinkWaitMilliseconds = 10;

        /// <summary>Sets the board up and runs the device server; never returns.</summary>
        public static void Main()
        {
            BoardProfile board = BoardProfile.Selected;

            // The pins must be routed to the UART before the port is created and opened.
            Configuration.SetPinFunction(board.RxPin, board.RxFunction);
            Configuration.SetPinFunction(board.TxPin, board.TxFunction);
            SerialPort port = new SerialPort(board.ComPort, board.Baud, Parity.None, 8, StopBits.One);
            port.ReadBufferSize = SerialReadBufferBytes;
            port.Open();

            IByteLink link = new SerialByteLink(port, LinkWaitMilliseconds);
            IInputSource sensor = board.AdcChannel < 0 ? null : new AdcInputSource(new AdcController(), board.AdcChannel);
            NativeMemoryMonitor memory = new NativeMemoryMonitor();

            // A stored blob longer than the heap left after the reserve would exhaust it at every boot.
            int freeBytes = memory.FreeBytes;
            IModelStore store = new FlashModelStore(freeBytes - board.ReserveBytes);

            DeviceInfo info = new DeviceInfo(board.Name, FirmwareMajor, FirmwareMinor, FirmwarePatch,
                SerialReadBufferBytes, memory, board.ReserveBytes, board.MaxWorkPerInference);
            DeviceServer server = new DeviceServer(link, store, info, sensor);

            Debug.WriteLine("NanoInt8 " + board.Name + ": " + board.ComPort + " RX GPIO" + board.RxPin.ToString()
                + " TX GPIO" + board.TxPin.ToString() + " " + board.Baud.ToString() + " baud, "
                + freeBytes.ToString() + " bytes of managed heap free");

            server.Boot();
            server.Run();
        }
    }
}
