namespace NanoInt8.Device.Tests.Support;

/// <summary>A <see cref="DeviceServer"/> on an in-memory link and store, with a test client at the other end.</summary>
internal sealed class TestDevice
{
    public const string BoardName = "TestBoard";
    public const int ModelBudget = 64 * 1024;
    public const int TransferBudget = 256 * 1024;
    public const int SerialBufferBytes = 4096;

    public TestDevice(DeviceInfo? info = null, IInputSource? sensor = null, IClock? clock = null, InMemoryStore? store = null, bool boot = true)
    {
        Info = info ?? DefaultInfo();
        Sensor = sensor;
        Clock = clock ?? new SystemClock();
        Store = store ?? new InMemoryStore();
        Link = new LinkPair();
        Server = new DeviceServer(Link.Device, Store, Info, sensor, Clock);
        Client = new TestClient(Link.Host, Server);
        if (boot)
        {
            Server.Boot();
        }
    }

    public DeviceInfo Info { get; }

    public IInputSource? Sensor { get; }

    public IClock Clock { get; }

    public InMemoryStore Store { get; }

    public LinkPair Link { get; }

    public DeviceServer Server { get; }

    public TestClient Client { get; }

    public static DeviceInfo DefaultInfo() => new(BoardName, 1, 2, 3, SerialBufferBytes, ModelBudget, TransferBudget);

    /// <summary>A power cycle: a new server on the same store, booted; a new client.</summary>
    public TestDevice Reboot() => new(Info, Sensor, Clock, Store);

    /// <summary>Deploys <paramref name="blob"/> and checks the device reports it.</summary>
    public void Deploy(byte[] blob)
    {
        uint crc = Client.Deploy(blob);
        Assert.AreEqual(TestModels.PayloadCrc(blob), crc, "COMMIT_ACK CRC");
        Assert.AreEqual(crc, Client.Info().ModelCrc, "INFO modelCrc after COMMIT");
    }

    /// <summary>The running model answers INFER like an AddOffset model with this offset.</summary>
    public void AssertAnswersAddOffset(int elements, int offset, int seed = 1)
    {
        sbyte[] input = TestModels.RandomInput(elements, seed);
        InferenceResult result = Client.Infer(input);
        CollectionAssert.AreEqual(TestModels.ExpectedAddOffset(input, offset), result.Output);
    }
}
