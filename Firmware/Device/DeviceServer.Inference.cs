using System;
using NanoInt8.Runtime;

namespace NanoInt8.Device
{
    /// <summary>
    /// The running model: INFER, INPUT, OUTPUT, BENCH and field-sensor mode
    /// (docs/serial-protocol.md, "Inference", "Field-sensor mode").
    /// </summary>
    public sealed partial class DeviceServer
    {
        private Interpreter _interpreter;
        private uint _modelCrc;
        private int _modelLength;
        private int _modelDeviceBytes;

        // Element counts of the graph inputs and outputs, in graph order, and their sums.
        private int[] _inputSizes;
        private int[] _outputSizes;
        private int _inputBytes;
        private int _outputBytes;

        // Staging arrays, allocated once per model: all inputs concatenated as INFER and INPUT carry
        // them, all outputs concatenated as INFER_RESULT and OUTPUT send them.
        private sbyte[] _input;
        private sbyte[] _output;
        private int _inputReceived;
        private bool _hasOutput;

        // Of the last inference: its ticks, and the operators it ran (fewer than the model's when a RESET stopped it).
        private long _lastElapsed;
        private int _lastOperatorsRun;

        private bool _sensorEnabled;
        private uint _sensorPeriodMilliseconds;
        private long _sensorDue;
        private uint _sensorRuns;

        /// <summary>True when a model is running.</summary>
        public bool HasModel
        {
            get { return _interpreter != null; }
        }

        /// <summary>Payload CRC of the running model (its identity), 0 without one.</summary>
        public uint ModelCrc
        {
            get { return _modelCrc; }
        }

        /// <summary>totalLength of the running model, 0 without one.</summary>
        public int ModelLength
        {
            get { return _modelLength; }
        }

        /// <summary>Bytes of all graph inputs together, 0 without a model.</summary>
        public int InputBytes
        {
            get { return _inputBytes; }
        }

        /// <summary>Bytes of all graph outputs together, 0 without a model.</summary>
        public int OutputBytes
        {
            get { return _outputBytes; }
        }

        /// <summary>True while field-sensor mode runs.</summary>
        public bool SensorEnabled
        {
            get { return _sensorEnabled; }
        }

        /// <summary>Sensor iterations since sensor mode was last enabled.</summary>
        public uint SensorRuns
        {
            get { return _sensorRuns; }
        }

        private void Activate(Interpreter interpreter, uint crc, int length)
        {
            // Drop the old model's arrays before allocating the new staging arrays.
            ReleaseModel();
            Model model = interpreter.Model;
            int[] inputSizes = new int[model.InputCount];
            int inputBytes = 0;
            for (int i = 0; i < inputSizes.Length; i++)
            {
                inputSizes[i] = interpreter.GetInputInfo(i).ElementCount;
                inputBytes += inputSizes[i];
            }

            int[] outputSizes = new int[model.OutputCount];
            int outputBytes = 0;
            for (int i = 0; i < outputSizes.Length; i++)
            {
                outputSizes[i] = interpreter.GetOutputInfo(i).ElementCount;
                outputBytes += outputSizes[i];
            }

            _input = new sbyte[inputBytes];
            _output = new sbyte[outputBytes];
            _inputSizes = inputSizes;
            _outputSizes = outputSizes;
            _inputBytes = inputBytes;
            _outputBytes = outputBytes;
            _modelCrc = crc;
            _modelLength = length;
            _modelDeviceBytes = model.DeviceBytes;
            _interpreter = interpreter;
        }

        private void ReleaseModel()
        {
            _interpreter = null;
            _input = null;
            _output = null;
            _inputSizes = null;
            _outputSizes = null;
            _inputBytes = 0;
            _outputBytes = 0;
            _inputReceived = 0;
            _hasOutput = false;
            _modelCrc = 0;
            _modelLength = 0;
            _modelDeviceBytes = 0;
        }

        private void HandleInfer(int sequence, byte[] frame, int payload, int length)
        {
            // u16 resultBytes (the output bytes INFER_RESULT carries, 0 .. 500), then the inputs or nothing.
            int resultBytes = length < 2 ? -1 : LittleEndian.ReadUInt16(frame, payload);
            if (resultBytes < 0 || resultBytes > Protocol.MaxDataLength)
            {
                SendError(sequence, ProtocolError.BadPayload, MessageType.Infer, 0);
                return;
            }

            if (_interpreter == null)
            {
                SendError(sequence, ProtocolError.NoModel, MessageType.Infer, 0);
                return;
            }

            int inputLength = length - 2;
            if (inputLength != 0)
            {
                if (inputLength != _inputBytes)
                {
                    SendError(sequence, ProtocolError.InputSize, MessageType.Infer, (uint)_inputBytes);
                    return;
                }

                CopyToInput(frame, payload + 2, 0, inputLength);
                _inputReceived = _inputBytes;
            }
            else if (_inputReceived != _inputBytes)
            {
                SendError(sequence, ProtocolError.InputSize, MessageType.Infer, (uint)_inputBytes);
                return;
            }

            if (!RunModel())
            {
                SendError(sequence, ProtocolError.Interrupted, MessageType.Infer, (uint)_lastOperatorsRun);
                return;
            }

            byte[] response = _responseFrame;
            int at = FrameCodec.PayloadOffset;
            LittleEndian.WriteInt64(response, at, _lastElapsed);
            LittleEndian.WriteUInt32(response, at + 8, (uint)_outputBytes);
            int count = CopyFromOutput(0, resultBytes, response, at + 12);
            Send(MessageType.InferResult, sequence, 12 + count);
        }

        private void HandleInput(int sequence, byte[] frame, int payload, int length)
        {
            int dataLength = length - 4;
            if (dataLength < 1 || dataLength > Protocol.MaxChunkData)
            {
                SendError(sequence, ProtocolError.BadPayload, MessageType.Input, 0);
                return;
            }

            if (_interpreter == null)
            {
                SendError(sequence, ProtocolError.NoModel, MessageType.Input, 0);
                return;
            }

            uint offset = LittleEndian.ReadUInt32(frame, payload);
            if (offset > (uint)_inputBytes || dataLength > _inputBytes - (int)offset)
            {
                SendError(sequence, ProtocolError.InputSize, MessageType.Input, (uint)_inputBytes);
                return;
            }

            // Offset 0 starts a new input; otherwise, as CHUNK, only the bytes at receivedUpTo are taken.
            if (offset == 0)
            {
                _inputReceived = 0;
            }

            if ((int)offset == _inputReceived)
            {
                CopyToInput(frame, payload + 4, (int)offset, dataLength);
                _inputReceived += dataLength;
            }

            SendUInt32(MessageType.InputAck, sequence, (uint)_inputReceived);
        }

        private void HandleOutput(int sequence, byte[] frame, int payload, int length)
        {
            if (!RequireLength(MessageType.Output, sequence, length, 6))
            {
                return;
            }

            uint offset = LittleEndian.ReadUInt32(frame, payload);
            int count = LittleEndian.ReadUInt16(frame, payload + 4);
            if (count < 1 || count > Protocol.MaxDataLength)
            {
                SendError(sequence, ProtocolError.BadPayload, MessageType.Output, 0);
                return;
            }

            if (_interpreter == null)
            {
                SendError(sequence, ProtocolError.NoModel, MessageType.Output, 0);
                return;
            }

            if (!_hasOutput || offset > (uint)_outputBytes || count > _outputBytes - (int)offset)
            {
                SendError(sequence, ProtocolError.BadRange, MessageType.Output, 0);
                return;
            }

            byte[] response = _responseFrame;
            LittleEndian.WriteUInt32(response, FrameCodec.PayloadOffset, offset);
            CopyFromOutput((int)offset, count, response, FrameCodec.PayloadOffset + 4);
            Send(MessageType.OutputData, sequence, 4 + count);
        }

        private void HandleBench(int sequence, byte[] frame, int payload, int length)
        {
            if (!RequireLength(MessageType.Bench, sequence, length, 2))
            {
                return;
            }

            int runs = LittleEndian.ReadUInt16(frame, payload);
            if (runs == 0)
            {
                SendError(sequence, ProtocolError.BadPayload, MessageType.Bench, 0);
                return;
            }

            if (_interpreter == null)
            {
                SendError(sequence, ProtocolError.NoModel, MessageType.Bench, 0);
                return;
            }

            // Runs on whatever the staged input holds (zeros before the first INFER or INPUT).
            SetInputs();
            WatchForReset();
            long total = 0;
            long fastest = long.MaxValue;
            long slowest = 0;
            int operators = _interpreter.Model.OperatorCount;
            for (int run = 0; run < runs; run++)
            {
                long start = _clock.Ticks;
                int ran = _interpreter.Invoke(_resetMonitor);
                long elapsed = _clock.Ticks - start;
                if (ran < operators)
                {
                    _hasOutput = false;
                    _inferencesInterrupted++;
                    SendError(sequence, ProtocolError.Interrupted, MessageType.Bench, (uint)ran);
                    return;
                }

                total += elapsed;
                if (elapsed < fastest)
                {
                    fastest = elapsed;
                }

                if (elapsed > slowest)
                {
                    slowest = elapsed;
                }
            }

            GetOutputs();
            byte[] response = _responseFrame;
            int at = FrameCodec.PayloadOffset;
            LittleEndian.WriteUInt16(response, at, runs);
            LittleEndian.WriteInt64(response, at + 2, total);
            LittleEndian.WriteInt64(response, at + 10, fastest);
            LittleEndian.WriteInt64(response, at + 18, slowest);
            Send(MessageType.BenchResult, sequence, 26);
        }

        private void HandleSensor(int sequence, byte[] frame, int payload, int length)
        {
            if (!RequireLength(MessageType.Sensor, sequence, length, 5))
            {
                return;
            }

            int enable = frame[payload];
            uint period = LittleEndian.ReadUInt32(frame, payload + 1);
            if (enable > 1)
            {
                SendError(sequence, ProtocolError.BadPayload, MessageType.Sensor, 0);
                return;
            }

            if (enable == 1 && _interpreter == null)
            {
                SendError(sequence, ProtocolError.NoModel, MessageType.Sensor, 0);
                return;
            }

            // Without an input source the board cannot do sensor mode: the ack says "not enabled".
            _sensorEnabled = enable == 1 && _sensor != null;
            _sensorPeriodMilliseconds = period;
            if (_sensorEnabled)
            {
                _sensorRuns = 0;
                _sensorDue = _clock.Ticks;
            }

            byte[] response = _responseFrame;
            response[FrameCodec.PayloadOffset] = (byte)(_sensorEnabled ? 1 : 0);
            LittleEndian.WriteUInt32(response, FrameCodec.PayloadOffset + 1, period);
            Send(MessageType.SensorAck, sequence, 5);
        }

        private void RunSensorIfDue()
        {
            if (_interpreter == null)
            {
                return;
            }

            long now = _clock.Ticks;
            if (now < _sensorDue)
            {
                return;
            }

            // Keep the cadence, but after a stall start again from now instead of catching up.
            _sensorDue += _sensorPeriodMilliseconds * Protocol.TicksPerMillisecond;
            if (_sensorDue <= now)
            {
                _sensorDue = now + _sensorPeriodMilliseconds * Protocol.TicksPerMillisecond;
            }

            try
            {
                // The staged input now holds a reading, not what the host sent with INPUT.
                _inputReceived = 0;
                _sensor.Read(_input, 0, _inputBytes);
                if (!RunModel())
                {
                    // A RESET is waiting in the receive buffer; it stops sensor mode next.
                    return;
                }

                _sensorRuns++;
                byte[] response = _responseFrame;
                int at = FrameCodec.PayloadOffset;
                LittleEndian.WriteUInt32(response, at, _sensorRuns);
                LittleEndian.WriteInt64(response, at + 4, _lastElapsed);
                int count = CopyFromOutput(0, Protocol.MaxDataLength, response, at + 12);
                // The frame buffer no longer holds the last request's answer.
                _answerCached = false;
                Send(MessageType.SensorResult, 0, 12 + count);
            }
            catch (Exception)
            {
                _faults++;
            }
        }

        /// <summary>
        /// Copies the staged input into the arena, runs the model once (stopping between two
        /// operators when a RESET arrives), stages the outputs. Returns false when it was stopped;
        /// the ticks of Invoke and the operators run are in _lastElapsed and _lastOperatorsRun.
        /// </summary>
        private bool RunModel()
        {
            SetInputs();
            WatchForReset();
            long start = _clock.Ticks;
            _lastOperatorsRun = _interpreter.Invoke(_resetMonitor);
            _lastElapsed = _clock.Ticks - start;
            if (_lastOperatorsRun < _interpreter.Model.OperatorCount)
            {
                _hasOutput = false;
                _inferencesInterrupted++;
                return false;
            }

            GetOutputs();
            return true;
        }

        private void SetInputs()
        {
            int offset = 0;
            for (int i = 0; i < _inputSizes.Length; i++)
            {
                _interpreter.SetInput(i, _input, offset);
                offset += _inputSizes[i];
            }
        }

        private void GetOutputs()
        {
            int offset = 0;
            for (int i = 0; i < _outputSizes.Length; i++)
            {
                _interpreter.GetOutput(i, _output, offset);
                offset += _outputSizes[i];
            }

            _hasOutput = true;
        }

        private void CopyToInput(byte[] source, int sourceOffset, int inputOffset, int count)
        {
            sbyte[] input = _input;
            int end = inputOffset + count;
            for (int i = inputOffset; i < end; i++)
            {
                input[i] = (sbyte)source[sourceOffset++];
            }
        }

        /// <summary>Copies up to <paramref name="maxCount"/> staged output bytes from <paramref name="outputOffset"/>; returns how many.</summary>
        private int CopyFromOutput(int outputOffset, int maxCount, byte[] destination, int destinationOffset)
        {
            sbyte[] output = _output;
            int available = _outputBytes - outputOffset;
            int count = available < maxCount ? available : maxCount;
            for (int i = 0; i < count; i++)
            {
                destination[destinationOffset + i] = (byte)output[outputOffset + i];
            }

            return count;
        }
    }
}
