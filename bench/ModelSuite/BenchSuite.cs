namespace NanoInt8.Bench.ModelSuite;

/// <summary>
/// The suite of issue 15: nine networks of the kinds people run on ESP32-class boards, none shaped
/// for NanoInt8's kernels. Each is a float model with He-initialized weights from its own seed,
/// quantized and converted as a user would (<see cref="SuiteModel"/>). Outputs are the logits (or
/// the last feature map): a Softmax after them changes no ranking and is left to the host.
/// </summary>
public static class BenchSuite
{
    /// <summary>The models, smallest first.</summary>
    public static IReadOnlyList<SuiteModel> Models { get; } = new[]
    {
        new SuiteModel("mlp-64-32-10", "[1,64] Gemm 64->32 Relu, Gemm 32->10", SuiteInput.Signal, () =>
        {
            var network = new FloatNetwork("mlp_64_32_10", 1501, 1, 64);
            network.Gemm(32);
            network.Gemm(10, relu: false);
            return network;
        }),
        new SuiteModel("mlp-256-64-32-10", "[1,256] Gemm ->64 Relu, ->32 Relu, ->10", SuiteInput.Signal, () =>
        {
            var network = new FloatNetwork("mlp_256_64_32_10", 1502, 1, 256);
            network.Gemm(64);
            network.Gemm(32);
            network.Gemm(10, relu: false);
            return network;
        }),
        new SuiteModel("digits-cnn", "[1,1,8,8] Conv 3x3 p1 1->8 Relu, Conv 3x3 p1 8->16 Relu, MaxPool 2, Flatten, Gemm 256->10", SuiteInput.Image, () =>
        {
            var network = new FloatNetwork("digits_cnn", 1503, 1, 1, 8, 8);
            network.Conv2D(8, 3, pad: 1);
            network.Conv2D(16, 3, pad: 1);
            network.MaxPool(2);
            network.Flatten();
            network.Gemm(10, relu: false);
            return network;
        }),
        new SuiteModel("conv1d-1ch", "[1,1,128] Conv1d k5 p2 1->8 Relu, MaxPool 2, Conv1d k5 p2 8->16 Relu, MaxPool 2, GlobalAveragePool, Gemm 16->4", SuiteInput.Signal, () =>
        {
            var network = new FloatNetwork("conv1d_1ch", 1504, 1, 1, 128);
            network.Conv1D(8, 5, pad: 2);
            network.MaxPool(2);
            network.Conv1D(16, 5, pad: 2);
            network.MaxPool(2);
            network.GlobalAveragePoolFlatten();
            network.Gemm(4, relu: false);
            return network;
        }),
        new SuiteModel("conv1d-3ch", "[1,3,128] Conv1d k5 p2 3->16 Relu, MaxPool 2, Conv1d k5 p2 16->32 Relu, MaxPool 2, Conv1d k3 p1 32->32 Relu, GlobalAveragePool, Gemm 32->6", SuiteInput.Signal, () =>
        {
            var network = new FloatNetwork("conv1d_3ch", 1505, 1, 3, 128);
            network.Conv1D(16, 5, pad: 2);
            network.MaxPool(2);
            network.Conv1D(32, 5, pad: 2);
            network.MaxPool(2);
            network.Conv1D(32, 3, pad: 1);
            network.GlobalAveragePoolFlatten();
            network.Gemm(6, relu: false);
            return network;
        }),
        new SuiteModel("ds-block", "[1,16,32,32] depthwise Conv 3x3 p1 Relu, Conv 1x1 16->32 Relu (MobileNet-style)", SuiteInput.Signal, () =>
        {
            var network = new FloatNetwork("ds_block", 1506, 1, 16, 32, 32);
            network.Depthwise2D(3, pad: 1);
            network.Conv2D(32, 1);
            return network;
        }),
        new SuiteModel("residual-block", "[1,16,16,16] Conv 3x3 p1 16->16 Relu, Conv 3x3 p1 16->16, Add (input), Relu", SuiteInput.Signal, () =>
        {
            var network = new FloatNetwork("residual_block", 1507, 1, 16, 16, 16);
            string input = network.Current;
            network.Conv2D(16, 3, pad: 1);
            network.Conv2D(16, 3, pad: 1, relu: false);
            network.Add(input);
            return network;
        }),
        new SuiteModel("kws-ds-cnn", "[1,1,49,10] Conv 10x4 s2 1->64 Relu, 4 x (depthwise 3x3 p1 Relu, Conv 1x1 64->64 Relu), GlobalAveragePool, Gemm 64->12", SuiteInput.Image, () =>
        {
            var network = new FloatNetwork("kws_ds_cnn", 1508, 1, 1, 49, 10);
            // 'same' padding of stride 2 (TensorFlow's): 25 x 5 outputs.
            network.Conv(64, [10, 4], [2, 2], [4, 1], [5, 2]);
            for (int block = 0; block < 4; block++)
            {
                network.Depthwise2D(3, pad: 1);
                network.Conv2D(64, 1);
            }

            network.GlobalAveragePoolFlatten();
            network.Gemm(12, relu: false);
            return network;
        }),
        new SuiteModel("person-detect-head", "[1,1,96,96] Conv 3x3 s2 p1 1->8 Relu, depthwise 3x3 p1 Relu, Conv 1x1 8->16 Relu, depthwise 3x3 s2 p1 Relu, Conv 1x1 16->32 Relu (MobileNet v1 0.25's first layers)", SuiteInput.Image, () =>
        {
            var network = new FloatNetwork("person_detect_head", 1509, 1, 1, 96, 96);
            network.Conv2D(8, 3, stride: 2, pad: 1);
            network.Depthwise2D(3, pad: 1);
            network.Conv2D(16, 1);
            network.Depthwise2D(3, stride: 2, pad: 1);
            network.Conv2D(32, 1);
            return network;
        }),
    };
}
