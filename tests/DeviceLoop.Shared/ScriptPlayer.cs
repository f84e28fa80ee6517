using NanoInt8.Device;
using NanoInt8.Device.Tests;

namespace NanoInt8.DeviceLoop
{
    /// <summary>
    /// Replays a frame script (<see cref="ScriptStep"/>) against the real <see cref="DeviceServer"/>
    /// on an in-memory link, an in-memory model store, a scripted sensor and a clock that moves only
    /// by a fixed step per read and by the script: nothing depends on the runtime it runs on, so the
    /// device build on nanoCLR must answer exactly what the .NET build answers.
    /// </summary>
    /// <remarks>
    /// Output, one line per step that made the device write: the step's index, a space, and the
    /// bytes the device wrote (COBS frames with their delimiters) in lowercase hex. The last line is
    /// "end" with the server's counters.
    /// </remarks>
    public static class ScriptPlayer
    {
        /// <summary>The board the replayed server claims to be.</summary>
        public const string BoardName = "ReplayBoard";

        /// <summary>Ticks the clock moves at every read: INFER then reports exactly this elapsed time.</summary>
        public const long TicksPerClockRead = 1234;

        // Enough polls to drain a script step: each poll reads at most 1 KB of the line.
        private const int MaxPollsPerStep = 4096;

        private const string HexDigits = "0123456789abcdef";

        /// <summary>Replays <paramref name="script"/> and writes the device's answers to <paramref name="log"/>.</summary>
        public static void Play(byte[] script, IAnswerLog log)
        {
            MemoryLink link = new MemoryLink();
            MemoryModelStore store = new MemoryModelStore();
            SteppingClock clock = new SteppingClock();
            clock.StepPerRead = TicksPerClockRead;
            ScriptedInputSource sensor = new ScriptedInputSource(new sbyte[] { -100, 0, 42, 127 });
            DeviceServer server = Boot(link, store, sensor, clock);
            byte[] answer = new byte[4096];
            int step = 0;
            int at = 0;
            while (at < script.Length)
            {
                int code = script[at];
                int length = LittleEndian.ReadUInt16(script, at + 1);
                int data = at + 3;
                at = data + length;
                switch (code)
                {
                    case ScriptStep.Send:
                        link.ToDevice.Write(script, data, length);
                        Drain(server, link);
                        break;
                    case ScriptStep.Disconnect:
                        link.Disconnect();
                        break;
                    case ScriptStep.AdvanceClock:
                        clock.AdvanceMilliseconds(LittleEndian.ReadUInt32(script, data));
                        Drain(server, link);
                        break;
                    case ScriptStep.StoreFailure:
                        store.FailCommits = script[data] != 0;
                        break;
                    case ScriptStep.Reboot:
                        server = Boot(link, store, sensor, clock);
                        break;
                    default:
                        log.WriteLine(step.ToString() + " unknown step " + code.ToString());
                        return;
                }

                int written = link.ToHost.Count;
                if (written > 0)
                {
                    if (written > answer.Length)
                    {
                        answer = new byte[written];
                    }

                    link.ToHost.Read(answer, 0, written);
                    log.WriteLine(step.ToString() + " " + ToHex(answer, written));
                }

                step++;
            }

            log.WriteLine("end steps=" + step.ToString() + " received=" + server.FramesReceived.ToString()
                + " dropped=" + server.FramesDropped.ToString() + " requests=" + server.RequestsHandled.ToString()
                + " faults=" + server.Faults.ToString());
        }

        private static DeviceServer Boot(MemoryLink link, MemoryModelStore store, ScriptedInputSource sensor, SteppingClock clock)
        {
            DeviceInfo info = new DeviceInfo(BoardName, 1, 0, 0, 4096, 64 * 1024, 256 * 1024);
            DeviceServer server = new DeviceServer(link, store, info, sensor, clock);
            server.Boot();
            return server;
        }

        // Polls until the server has read everything on the line, then once more (a due sensor run).
        private static void Drain(DeviceServer server, MemoryLink link)
        {
            for (int poll = 0; poll < MaxPollsPerStep && link.ToDevice.Count > 0; poll++)
            {
                server.Poll();
            }

            server.Poll();
        }

        private static string ToHex(byte[] data, int count)
        {
            char[] text = new char[2 * count];
            for (int i = 0; i < count; i++)
            {
                text[2 * i] = HexDigits[data[i] >> 4];
                text[2 * i + 1] = HexDigits[data[i] & 0xF];
            }

            return new string(text);
        }
    }
}
