using NanoInt8.Host.Format;
using NanoInt8.Runtime;

namespace NanoInt8.Host.Tests.Format
{
    /// <summary>
    /// A two-operator model whose byte layout is worked out by hand below, so the writer tests
    /// compare against the spec's arithmetic rather than against the writer's own layout code.
    /// </summary>
    internal static class SmallModel
    {
        // Counts.
        public const int TensorCount = 8;
        public const int OperatorCount = 2;
        public const int ParameterWords = 14;      // FullyConnected 5 + 1 + 2, Requantize 1 + 1 + 4
        public const int Int32Words = 6;           // bias 2, multiplier 2, shift 2
        public const int Int8Bytes = 9;            // weights 6, table 3
        public const int Int8Padding = 3;          // 9 -> 12
        // (6 + 4 "tiny") + (6 + 8 "test 1.0") + tensor names the writer adds: 6 + 4 (count)
        // + 2 per name + 48 bytes of "input", "weights", "bias", "multiplier", "shift", "hidden", "table", "output".
        public const int MetadataBytes = 24 + 74;
        public const int ArenaBytes = 12;

        // Section offsets: 64-byte header, 32-byte tensor records, 12-byte operator records, 4-byte words.
        public const int TensorTableOffset = 64;
        public const int OperatorTableOffset = 64 + (32 * TensorCount);                 // 320
        public const int InputsOffset = OperatorTableOffset + (12 * OperatorCount);     // 344
        public const int OutputsOffset = InputsOffset + 4;                              // 348
        public const int ParametersOffset = OutputsOffset + 4;                          // 352
        public const int Int32Offset = ParametersOffset + (4 * ParameterWords);         // 408
        public const int Int8Offset = Int32Offset + (4 * Int32Words);                   // 432
        public const int MetadataOffset = Int8Offset + Int8Bytes + Int8Padding;        // 444
        public const int TotalLength = MetadataOffset + MetadataBytes;                  // 542

        // arena + int8Bytes + 4·int32Words + 4·parameterWords + 48·tensors + 16·operators + 4·(inputs + outputs)
        public const int DeviceBytes = 12 + 9 + 24 + 56 + 384 + 32 + 8;                 // 525

        // Work of one inference: 64 per operator, FullyConnected 2 outputs × (3 taps + 1), Requantize 2 elements.
        public const int Work = (2 * 64) + (2 * (3 + 1)) + 2;                           // 138

        // Tensor indices.
        public const int Input = 0;
        public const int Weights = 1;
        public const int Bias = 2;
        public const int Multiplier = 3;
        public const int Shift = 4;
        public const int Hidden = 5;
        public const int Table = 6;
        public const int Output = 7;

        public static readonly sbyte[] WeightsData = { 1, -2, 3, -4, 5, -6 };
        public static readonly int[] BiasData = { 100, -200 };
        public static readonly int[] MultiplierData = { 1 << 30, int.MaxValue };
        public static readonly int[] ShiftData = { -3, 2 };
        public static readonly sbyte[] TableData = { -128, 0, 127 };

        public static ModelBuilder Build()
        {
            ModelBuilder builder = new ModelBuilder();
            builder.AddArenaTensor("input", new[] { 1, 3 }, -5, 0);
            builder.AddConstantInt8("weights", WeightsData, new[] { 2, 3 });
            builder.AddConstantInt32("bias", BiasData, new[] { 2 });
            builder.AddConstantInt32("multiplier", MultiplierData, new[] { 2 });
            builder.AddConstantInt32("shift", ShiftData, new[] { 2 });
            builder.AddArenaTensor("hidden", new[] { 1, 2 }, 7, 4);
            builder.AddConstantInt8("table", TableData, new[] { 3 }, 9);
            builder.AddArenaTensor("output", new[] { 1, 2 }, -1, 8);
            builder.AddOperator(OpCode.FullyConnected, new[] { Input, Weights, Bias, Multiplier, Shift }, new[] { Hidden }, OperatorWords.FullyConnected(-128, 127));
            builder.AddOperator(OpCode.Requantize, new[] { Hidden }, new[] { Output }, OperatorWords.Requantize((1 << 30, -1), -100, 100));
            builder.Inputs.Add(Input);
            builder.Outputs.Add(Output);
            builder.ArenaBytes = ArenaBytes;
            builder.Metadata.ModelName = "tiny";
            builder.Metadata.ConverterVersion = "test 1.0";
            return builder;
        }

        /// <summary>A minimal valid-shaped model: one Requantize from an input to an output.</summary>
        public static ModelBuilder BuildMinimal()
        {
            ModelBuilder builder = new ModelBuilder();
            int input = builder.AddArenaTensor("input", new[] { 4 }, 0, 0);
            int output = builder.AddArenaTensor("output", new[] { 4 }, 0, 4);
            builder.AddOperator(OpCode.Requantize, new[] { input }, new[] { output }, OperatorWords.Requantize((1 << 30, 0), -128, 127));
            builder.Inputs.Add(input);
            builder.Outputs.Add(output);
            builder.ArenaBytes = 8;
            return builder;
        }
    }
}
