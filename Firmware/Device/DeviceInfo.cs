using System;

namespace NanoInt8.Device
{
    /// <summary>
    /// What a device says about itself in INFO, and the memory it can give a model: either fixed
    /// numbers (the emulated board, tests) or free heap minus a reserve, read from an
    /// <see cref="IMemoryMonitor"/> each time it is asked (the real board).
    /// </summary>
    /// <remarks>
    /// Two budgets (docs/serial-protocol.md, "Model transfer"):
    /// <list type="bullet">
    /// <item>the model budget limits a model's deviceBytes (INFO maxModelBytes); it is what the host
    /// compares with a board's modelBudgetBytes;</item>
    /// <item>the transfer budget limits deviceBytes + totalLength, because during COMMIT the device
    /// holds the received blob and the newly decoded model at the same time (INFO transferBytes).</item>
    /// </list>
    /// With a memory monitor both are the free heap minus the reserve; the reserve covers the input
    /// and output staging arrays, the frame buffers and whatever the board layer allocates.
    /// A third budget limits time: the work of one inference (INFO maxWorkPerInference, the
    /// board file's maxWorkPerInference, boards/README.md), so the device never takes a model that
    /// would keep it deaf for longer than its time budget.
    /// </remarks>
    public sealed class DeviceInfo
    {
        /// <summary>A reserve that suits the smallest boards (about 50 KB of managed heap).</summary>
        public const int DefaultReserveBytes = 8 * 1024;

        /// <summary>
        /// The largest array nanoCLR can allocate: 65535 heap blocks of 12 bytes, less the array
        /// header (HB_MaxSize in nf-interpreter's nanoCLR_Runtime__HeapBlock.h). A model's largest
        /// array (the receive buffer, the arena or the constants) is at most its deviceBytes or its
        /// totalLength, so capping both budgets here keeps every allocation possible even where
        /// PSRAM gives megabytes of free heap.
        /// </summary>
        public const int MaxArrayBytes = 786400;

        private readonly string _boardName;
        private readonly byte[] _boardNameBytes;
        private readonly int _firmwareMajor;
        private readonly int _firmwareMinor;
        private readonly int _firmwarePatch;
        private readonly int _serialReadBufferBytes;
        private readonly IMemoryMonitor _memory;
        private readonly int _reserveBytes;
        private readonly int _modelBudgetBytes;
        private readonly int _transferBudgetBytes;
        private readonly long _maxWorkPerInference;

        /// <summary>A device with fixed memory budgets.</summary>
        /// <param name="boardName">Board name, ASCII; longer than 64 characters is cut.</param>
        /// <param name="firmwareMajor">Firmware major version, 0 .. 255.</param>
        /// <param name="firmwareMinor">Firmware minor version, 0 .. 255.</param>
        /// <param name="firmwarePatch">Firmware patch version, 0 .. 255.</param>
        /// <param name="serialReadBufferBytes">Size of the serial driver's receive buffer; sets the transfer window.</param>
        /// <param name="modelBudgetBytes">Largest deviceBytes a model may declare.</param>
        /// <param name="transferBudgetBytes">Largest deviceBytes + totalLength of a model transfer.</param>
        public DeviceInfo(string boardName, int firmwareMajor, int firmwareMinor, int firmwarePatch,
            int serialReadBufferBytes, int modelBudgetBytes, int transferBudgetBytes)
            : this(boardName, firmwareMajor, firmwareMinor, firmwarePatch, serialReadBufferBytes, null, 0, modelBudgetBytes, transferBudgetBytes, long.MaxValue)
        {
        }

        /// <summary>A device with fixed memory budgets and a work budget.</summary>
        /// <param name="boardName">Board name, ASCII; longer than 64 characters is cut.</param>
        /// <param name="firmwareMajor">Firmware major version, 0 .. 255.</param>
        /// <param name="firmwareMinor">Firmware minor version, 0 .. 255.</param>
        /// <param name="firmwarePatch">Firmware patch version, 0 .. 255.</param>
        /// <param name="serialReadBufferBytes">Size of the serial driver's receive buffer; sets the transfer window.</param>
        /// <param name="modelBudgetBytes">Largest deviceBytes a model may declare.</param>
        /// <param name="transferBudgetBytes">Largest deviceBytes + totalLength of a model transfer.</param>
        /// <param name="maxWorkPerInference">Most work units one inference may take (at least 1).</param>
        public DeviceInfo(string boardName, int firmwareMajor, int firmwareMinor, int firmwarePatch,
            int serialReadBufferBytes, int modelBudgetBytes, int transferBudgetBytes, long maxWorkPerInference)
            : this(boardName, firmwareMajor, firmwareMinor, firmwarePatch, serialReadBufferBytes, null, 0, modelBudgetBytes, transferBudgetBytes, maxWorkPerInference)
        {
        }

        /// <summary>A device whose budgets are its free managed heap minus a reserve.</summary>
        /// <param name="boardName">Board name, ASCII; longer than 64 characters is cut.</param>
        /// <param name="firmwareMajor">Firmware major version, 0 .. 255.</param>
        /// <param name="firmwareMinor">Firmware minor version, 0 .. 255.</param>
        /// <param name="firmwarePatch">Firmware patch version, 0 .. 255.</param>
        /// <param name="serialReadBufferBytes">Size of the serial driver's receive buffer; sets the transfer window.</param>
        /// <param name="memory">Reports the free managed heap.</param>
        /// <param name="reserveBytes">Heap kept free for everything but the model (see <see cref="DefaultReserveBytes"/>).</param>
        public DeviceInfo(string boardName, int firmwareMajor, int firmwareMinor, int firmwarePatch,
            int serialReadBufferBytes, IMemoryMonitor memory, int reserveBytes)
            : this(boardName, firmwareMajor, firmwareMinor, firmwarePatch, serialReadBufferBytes, memory, reserveBytes, long.MaxValue)
        {
        }

        /// <summary>A device whose budgets are its free managed heap minus a reserve, with a work budget.</summary>
        /// <param name="boardName">Board name, ASCII; longer than 64 characters is cut.</param>
        /// <param name="firmwareMajor">Firmware major version, 0 .. 255.</param>
        /// <param name="firmwareMinor">Firmware minor version, 0 .. 255.</param>
        /// <param name="firmwarePatch">Firmware patch version, 0 .. 255.</param>
        /// <param name="serialReadBufferBytes">Size of the serial driver's receive buffer; sets the transfer window.</param>
        /// <param name="memory">Reports the free managed heap.</param>
        /// <param name="reserveBytes">Heap kept free for everything but the model (see <see cref="DefaultReserveBytes"/>).</param>
        /// <param name="maxWorkPerInference">Most work units one inference may take (at least 1).</param>
        public DeviceInfo(string boardName, int firmwareMajor, int firmwareMinor, int firmwarePatch,
            int serialReadBufferBytes, IMemoryMonitor memory, int reserveBytes, long maxWorkPerInference)
            : this(boardName, firmwareMajor, firmwareMinor, firmwarePatch, serialReadBufferBytes, memory, reserveBytes, 0, 0, maxWorkPerInference)
        {
            if (memory == null)
            {
                throw new ArgumentNullException();
            }
        }

        private DeviceInfo(string boardName, int firmwareMajor, int firmwareMinor, int firmwarePatch,
            int serialReadBufferBytes, IMemoryMonitor memory, int reserveBytes, int modelBudgetBytes, int transferBudgetBytes, long maxWorkPerInference)
        {
            if (boardName == null)
            {
                throw new ArgumentNullException();
            }

            if (!IsByte(firmwareMajor) || !IsByte(firmwareMinor) || !IsByte(firmwarePatch) || serialReadBufferBytes < 1
                || reserveBytes < 0 || modelBudgetBytes < 0 || transferBudgetBytes < 0 || maxWorkPerInference < 1)
            {
                throw new ArgumentOutOfRangeException();
            }

            _boardName = boardName;
            _boardNameBytes = ToAscii(boardName);
            _firmwareMajor = firmwareMajor;
            _firmwareMinor = firmwareMinor;
            _firmwarePatch = firmwarePatch;
            _serialReadBufferBytes = serialReadBufferBytes;
            _memory = memory;
            _reserveBytes = reserveBytes;
            _modelBudgetBytes = modelBudgetBytes;
            _transferBudgetBytes = transferBudgetBytes;
            _maxWorkPerInference = maxWorkPerInference;
        }

        /// <summary>The board name as given.</summary>
        public string BoardName
        {
            get { return _boardName; }
        }

        /// <summary>Firmware major version.</summary>
        public int FirmwareMajor
        {
            get { return _firmwareMajor; }
        }

        /// <summary>Firmware minor version.</summary>
        public int FirmwareMinor
        {
            get { return _firmwareMinor; }
        }

        /// <summary>Firmware patch version.</summary>
        public int FirmwarePatch
        {
            get { return _firmwarePatch; }
        }

        /// <summary>Size of the serial driver's receive buffer in bytes.</summary>
        public int SerialReadBufferBytes
        {
            get { return _serialReadBufferBytes; }
        }

        /// <summary>
        /// Wire bytes of CHUNK frames a host may have in flight without an answer (LOAD_ACK
        /// windowBytes): the serial receive buffer less <see cref="Protocol.WindowMarginBytes"/> for
        /// the small frames a host may send beside the chunks (COMMIT, INFO, RESET), so that
        /// everything in flight fits the driver's buffer even while the device is busy and reads
        /// nothing; at least <see cref="Protocol.MinWindowBytes"/> (a board's buffer holds 2,176 bytes or
        /// more) and at most <see cref="Protocol.MaxWindowBytes"/>.
        /// </summary>
        public int TransferWindowBytes
        {
            get
            {
                int window = _serialReadBufferBytes - Protocol.WindowMarginBytes;
                return window < Protocol.MinWindowBytes ? Protocol.MinWindowBytes : window > Protocol.MaxWindowBytes ? Protocol.MaxWindowBytes : window;
            }
        }

        /// <summary>
        /// The most model bytes one CHUNK may carry (LOAD_ACK maxChunk): the most whole blocks
        /// whose CHUNK frames fit <see cref="Protocol.ChunksPerWindow"/> times into
        /// <see cref="TransferWindowBytes"/>, so that the chunks in flight keep the line busy while
        /// the answer to the first comes back; from <see cref="Protocol.BaseModelChunk"/> to
        /// <see cref="Protocol.LargestModelChunk"/>. The device's frame decoder holds one such
        /// frame (a 4 KB serial buffer: 1,952 bytes of data, a 1,972-byte decoder instead of 523).
        /// </summary>
        public int MaxChunkBytes
        {
            get
            {
                // A CHUNK frame of d data bytes is at most d + 12 + (d + 12) / 254 + 2 bytes on the wire.
                int frameWire = TransferWindowBytes / Protocol.ChunksPerWindow;
                int frame = (frameWire - 2) * 254 / 255;
                int chunk = ((frame - FrameCodec.Overhead - 4) / Protocol.BlockBytes) * Protocol.BlockBytes;
                return chunk < Protocol.BaseModelChunk ? Protocol.BaseModelChunk : chunk > Protocol.LargestModelChunk ? Protocol.LargestModelChunk : chunk;
            }
        }

        /// <summary>Most work units one inference may take (INFO maxWorkPerInference); long.MaxValue for no limit.</summary>
        public long MaxWorkPerInference
        {
            get { return _maxWorkPerInference; }
        }

        /// <summary>The board name as INFO sends it: ASCII, at most 64 bytes, other characters as '?'.</summary>
        internal byte[] BoardNameBytes
        {
            get { return _boardNameBytes; }
        }

        /// <summary>Free managed heap now, or 0 when the device has no memory monitor.</summary>
        public int GetFreeMemory()
        {
            if (_memory == null)
            {
                return 0;
            }

            int free = _memory.FreeBytes;
            return free < 0 ? 0 : free;
        }

        /// <summary>The largest deviceBytes a model may declare now (INFO maxModelBytes).</summary>
        public int GetModelBudget()
        {
            return _memory == null ? _modelBudgetBytes : AvailableBytes();
        }

        /// <summary>The largest deviceBytes + totalLength a LOAD may declare now (INFO transferBytes).</summary>
        public int GetTransferBudget()
        {
            return _memory == null ? _transferBudgetBytes : AvailableBytes();
        }

        private int AvailableBytes()
        {
            int available = _memory.FreeBytes - _reserveBytes;
            if (available > MaxArrayBytes)
            {
                return MaxArrayBytes;
            }

            return available < 0 ? 0 : available;
        }

        private static bool IsByte(int value)
        {
            return value >= 0 && value <= 255;
        }

        private static byte[] ToAscii(string text)
        {
            int length = text.Length < Protocol.MaxBoardNameLength ? text.Length : Protocol.MaxBoardNameLength;
            byte[] bytes = new byte[length];
            for (int i = 0; i < length; i++)
            {
                char character = text[i];
                bytes[i] = character >= ' ' && character <= '~' ? (byte)character : (byte)'?';
            }

            return bytes;
        }
    }
}
