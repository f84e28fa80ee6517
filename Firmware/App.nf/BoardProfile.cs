// API checked against: nanoframework/nanoFramework.Hardware.Esp32 v1.6.40 (182a6e5),
// nanoFramework.Hardware.Esp32/DeviceTypePins.cs (enum DeviceFunction: COM2_TX, COM2_RX).
// COM port numbering and the free UART: nanoframework/nf-interpreter a3e8139,
// targets/ESP32/_nanoCLR/System.IO.Ports/sys_io_ser_native_System_IO_Ports_SerialPort.cpp
// ("COMn" is UART n-1; COM1 refused when the debugger uses UART0) and
// targets/ESP32/_common/ESP32*_DeviceMapping.cpp (COM2 has no default pins; ADC channel to GPIO maps).
// Every figure mirrors boards/<Id>.json; boards/README.md says where each one comes from.
using nanoFramework.Hardware.Esp32;
using NanoInt8.Device;

namespace NanoInt8.App
{
    /// <summary>
    /// What the firmware needs to know about one board: the model-link UART and its pins, the
    /// sensor's ADC channel, the heap reserve and the work budget. The host reads the same UART figures from
    /// boards/&lt;id&gt;.json; keep both in step when either changes.
    /// </summary>
    public sealed class BoardProfile
    {
        private BoardProfile(string id, string name, string comPort, int rxPin, int txPin,
            DeviceFunction rxFunction, DeviceFunction txFunction, int baud, int adcChannel, int reserveBytes, long maxWorkPerInference)
        {
            Id = id;
            Name = name;
            ComPort = comPort;
            RxPin = rxPin;
            TxPin = txPin;
            RxFunction = rxFunction;
            TxFunction = txFunction;
            Baud = baud;
            AdcChannel = adcChannel;
            ReserveBytes = reserveBytes;
            MaxWorkPerInference = maxWorkPerInference;
        }

        /// <summary>
        /// The board this build runs on. To build for another board, change this one line to
        /// another of the properties below (Firmware/App.nf/README.md, "Choosing the board").
        /// </summary>
        public static BoardProfile Selected => Esp32DevKitC;

        /// <summary>ESP32-DevKitC with an ESP32-WROOM-32E module: no PSRAM (boards/esp32-devkitc.json).</summary>
        public static BoardProfile Esp32DevKitC => new BoardProfile(
            "esp32-devkitc", "ESP32-DevKitC", "COM2", 32, 33, DeviceFunction.COM2_RX, DeviceFunction.COM2_TX,
            921600, 6, DeviceInfo.DefaultReserveBytes, 312500);

        /// <summary>A board with an ESP32-WROVER-E module: 4 MB of PSRAM mapped (boards/esp32-wrover.json).</summary>
        public static BoardProfile Esp32Wrover => new BoardProfile(
            "esp32-wrover", "ESP32-WROVER", "COM2", 32, 33, DeviceFunction.COM2_RX, DeviceFunction.COM2_TX,
            921600, 6, 65536, 312500);

        /// <summary>ESP32-S3-DevKitC-1 N8R8: 8 MB octal PSRAM (boards/esp32-s3-devkitc.json).</summary>
        public static BoardProfile Esp32S3DevKitC => new BoardProfile(
            "esp32-s3-devkitc", "ESP32-S3-DevKitC-1", "COM2", 18, 17, DeviceFunction.COM2_RX, DeviceFunction.COM2_TX,
            921600, 0, 65536, 312500);

        /// <summary>ESP32-C3-DevKitM-1: no PSRAM, Bluetooth firmware (boards/esp32-c3-devkitm.json).</summary>
        public static BoardProfile Esp32C3DevKitM => new BoardProfile(
            "esp32-c3-devkitm", "ESP32-C3-DevKitM-1", "COM2", 6, 7, DeviceFunction.COM2_RX, DeviceFunction.COM2_TX,
            921600, 3, DeviceInfo.DefaultReserveBytes, 208333);

        /// <summary>The board file's name without ".json", the id hosttool's --board takes.</summary>
        public string Id { get; }

        /// <summary>The display name the INFO response reports.</summary>
        public string Name { get; }

        /// <summary>The serial port of the model link, "COM2" (UART1) on every board listed here.</summary>
        public string ComPort { get; }

        /// <summary>GPIO the model link receives on (wired to the adapter's TX).</summary>
        public int RxPin { get; }

        /// <summary>GPIO the model link transmits on (wired to the adapter's RX).</summary>
        public int TxPin { get; }

        /// <summary>The pin function that routes <see cref="RxPin"/> to the port's receiver.</summary>
        public DeviceFunction RxFunction { get; }

        /// <summary>The pin function that routes <see cref="TxPin"/> to the port's transmitter.</summary>
        public DeviceFunction TxFunction { get; }

        /// <summary>Bits per second of the model link, 8 data bits, no parity, one stop bit.</summary>
        public int Baud { get; }

        /// <summary>The nanoFramework ADC channel the sensor example samples, or -1 for no sensor.</summary>
        public int AdcChannel { get; }

        /// <summary>
        /// Managed heap kept free for everything but the model: the server's staging arrays and
        /// transfer state plus collector headroom: DeviceInfo.DefaultReserveBytes on the boards
        /// without PSRAM, 64 KB on the PSRAM boards (a large heap fragments more). The server's
        /// budgets are the free heap, measured whenever it is asked, minus this (DeviceInfo); the
        /// board file's modelBudgetBytes is the host's estimate of the same figure.
        /// </summary>
        public int ReserveBytes { get; }

        /// <summary>
        /// The most work units one inference may take (docs/model-format.md, "Work"): a 10 s time
        /// budget at the board's estimated interpreter speed (boards/README.md, "Work budget");
        /// the device refuses a model above it (ModelError.TooMuchWork).
        /// </summary>
        public long MaxWorkPerInference { get; }
    }
}
