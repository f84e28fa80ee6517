namespace NanoInt8.Samples.VibrationSensor
{
    /// <summary>Values of one trainable tensor and the gradient accumulated for them.</summary>
    public sealed class Parameter
    {
        /// <summary>Creates a tensor of <paramref name="count"/> zeros.</summary>
        public Parameter(string name, int count)
        {
            Name = name;
            Values = new double[count];
            Gradient = new double[count];
        }

        /// <summary>The tensor's name, for messages and export.</summary>
        public string Name { get; }

        /// <summary>The values, row-major.</summary>
        public double[] Values { get; }

        /// <summary>d loss / d value, summed over the batch so far.</summary>
        public double[] Gradient { get; }
    }

    /// <summary>
    /// A 1-D convolution over [channels, length] with zero padding, as ONNX Conv computes it:
    /// out[o, t] = bias[o] + Σ_c Σ_k w[o, c, k] · in[c, t·stride + k - padding].
    /// </summary>
    public sealed class Conv1DLayer
    {
        /// <summary>Creates the layer with He-initialized weights (normal, variance 2 / fan-in) and zero bias.</summary>
        public Conv1DLayer(string name, int inputChannels, int outputChannels, int kernel, int stride, int padding, Random random)
        {
            InputChannels = inputChannels;
            OutputChannels = outputChannels;
            Kernel = kernel;
            Stride = stride;
            Padding = padding;
            Weights = new Parameter(name + ".weight", outputChannels * inputChannels * kernel);
            Bias = new Parameter(name + ".bias", outputChannels);
            double deviation = Math.Sqrt(2.0 / (inputChannels * kernel));
            for (int index = 0; index < Weights.Values.Length; index++)
            {
                Weights.Values[index] = deviation * VibrationSignalModel.Gaussian(random);
            }
        }

        /// <summary>Input channels C.</summary>
        public int InputChannels { get; }

        /// <summary>Output channels O.</summary>
        public int OutputChannels { get; }

        /// <summary>Kernel length K.</summary>
        public int Kernel { get; }

        /// <summary>Stride.</summary>
        public int Stride { get; }

        /// <summary>Zeros added at each end.</summary>
        public int Padding { get; }

        /// <summary>Weights [O, C, K].</summary>
        public Parameter Weights { get; }

        /// <summary>Bias [O].</summary>
        public Parameter Bias { get; }

        /// <summary>Output length for an input of <paramref name="inputLength"/>: floor((L + 2P - K) / S) + 1.</summary>
        public int OutputLength(int inputLength) => ((inputLength + (2 * Padding) - Kernel) / Stride) + 1;

        /// <summary>Computes the output [O, outputLength] from the input [C, inputLength].</summary>
        public void Forward(double[] input, int inputLength, double[] output)
        {
            int outputLength = OutputLength(inputLength);
            double[] weights = Weights.Values;
            for (int outputChannel = 0; outputChannel < OutputChannels; outputChannel++)
            {
                for (int position = 0; position < outputLength; position++)
                {
                    double sum = Bias.Values[outputChannel];
                    int start = (position * Stride) - Padding;
                    for (int inputChannel = 0; inputChannel < InputChannels; inputChannel++)
                    {
                        int weightBase = ((outputChannel * InputChannels) + inputChannel) * Kernel;
                        int inputBase = inputChannel * inputLength;
                        for (int tap = 0; tap < Kernel; tap++)
                        {
                            int at = start + tap;
                            if (at >= 0 && at < inputLength)
                            {
                                sum += weights[weightBase + tap] * input[inputBase + at];
                            }
                        }
                    }

                    output[(outputChannel * outputLength) + position] = sum;
                }
            }
        }

        /// <summary>
        /// Adds d loss / d weights and d loss / d bias to the gradients and, when
        /// <paramref name="inputGradient"/> is given, writes d loss / d input into it.
        /// </summary>
        public void Backward(double[] input, int inputLength, double[] outputGradient, double[]? inputGradient)
        {
            int outputLength = OutputLength(inputLength);
            double[] weights = Weights.Values;
            double[] weightGradient = Weights.Gradient;
            if (inputGradient is not null)
            {
                Array.Clear(inputGradient, 0, InputChannels * inputLength);
            }

            for (int outputChannel = 0; outputChannel < OutputChannels; outputChannel++)
            {
                for (int position = 0; position < outputLength; position++)
                {
                    double gradient = outputGradient[(outputChannel * outputLength) + position];
                    if (gradient == 0)
                    {
                        continue;
                    }

                    Bias.Gradient[outputChannel] += gradient;
                    int start = (position * Stride) - Padding;
                    for (int inputChannel = 0; inputChannel < InputChannels; inputChannel++)
                    {
                        int weightBase = ((outputChannel * InputChannels) + inputChannel) * Kernel;
                        int inputBase = inputChannel * inputLength;
                        for (int tap = 0; tap < Kernel; tap++)
                        {
                            int at = start + tap;
                            if (at >= 0 && at < inputLength)
                            {
                                weightGradient[weightBase + tap] += gradient * input[inputBase + at];
                                if (inputGradient is not null)
                                {
                                    inputGradient[inputBase + at] += gradient * weights[weightBase + tap];
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>A fully connected layer: out[j] = bias[j] + Σ_i w[j, i] · in[i] (weights [outputs, inputs], as Gemm with transB=1).</summary>
    public sealed class DenseLayer
    {
        /// <summary>Creates the layer with Glorot-initialized weights (normal, variance 2 / (inputs + outputs)) and zero bias.</summary>
        public DenseLayer(string name, int inputs, int outputs, Random random)
        {
            Inputs = inputs;
            Outputs = outputs;
            Weights = new Parameter(name + ".weight", outputs * inputs);
            Bias = new Parameter(name + ".bias", outputs);
            double deviation = Math.Sqrt(2.0 / (inputs + outputs));
            for (int index = 0; index < Weights.Values.Length; index++)
            {
                Weights.Values[index] = deviation * VibrationSignalModel.Gaussian(random);
            }
        }

        /// <summary>Input features.</summary>
        public int Inputs { get; }

        /// <summary>Outputs.</summary>
        public int Outputs { get; }

        /// <summary>Weights [outputs, inputs].</summary>
        public Parameter Weights { get; }

        /// <summary>Bias [outputs].</summary>
        public Parameter Bias { get; }

        /// <summary>Computes the outputs.</summary>
        public void Forward(double[] input, double[] output)
        {
            for (int row = 0; row < Outputs; row++)
            {
                double sum = Bias.Values[row];
                for (int column = 0; column < Inputs; column++)
                {
                    sum += Weights.Values[(row * Inputs) + column] * input[column];
                }

                output[row] = sum;
            }
        }

        /// <summary>Adds the parameter gradients and writes d loss / d input.</summary>
        public void Backward(double[] input, double[] outputGradient, double[] inputGradient)
        {
            Array.Clear(inputGradient, 0, Inputs);
            for (int row = 0; row < Outputs; row++)
            {
                double gradient = outputGradient[row];
                Bias.Gradient[row] += gradient;
                for (int column = 0; column < Inputs; column++)
                {
                    Weights.Gradient[(row * Inputs) + column] += gradient * input[column];
                    inputGradient[column] += gradient * Weights.Values[(row * Inputs) + column];
                }
            }
        }
    }
}
