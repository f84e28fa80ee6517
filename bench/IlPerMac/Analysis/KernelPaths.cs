namespace NanoInt8.Bench.IlPerMac.Analysis;

/// <summary>The MACs one kernel path does for one operator.</summary>
/// <param name="Nominal">MACs as ModelSummary counts them: every tap of every window, padding included.</param>
/// <param name="Executed">Multiplies the path's inner loop executes (the border path skips padded taps).</param>
public readonly record struct PathMacs(long Nominal, long Executed);

/// <summary>Conv2D's geometry, as the interpreter passes it to Conv2DKernel.Eval.</summary>
public sealed record ConvGeometry(
    int Batches, int InputChannels, int InputHeight, int InputWidth,
    int OutputChannels, int FilterHeight, int FilterWidth, int OutputHeight, int OutputWidth,
    int StrideHeight, int StrideWidth, int DilationHeight, int DilationWidth, int PadTop, int PadLeft, int Groups)
{
    /// <summary>Taps per output element: (C / groups)·KH·KW.</summary>
    public long FilterSize => (long)(InputChannels / Groups) * FilterHeight * FilterWidth;

    /// <summary>Nominal MACs: N·O·OH·OW·(C / groups)·KH·KW, as ModelSummary counts them.</summary>
    public long Macs => (long)Batches * OutputChannels * OutputHeight * OutputWidth * FilterSize;

    /// <inheritdoc />
    public override string ToString()
    {
        string kind = Groups == 1 ? string.Empty : Groups == InputChannels && Groups == OutputChannels ? "dw " : $"g{Groups} ";
        string stride = StrideHeight == StrideWidth ? $"s{StrideHeight}" : $"s{StrideHeight}x{StrideWidth}";
        string dilation = DilationHeight == 1 && DilationWidth == 1 ? string.Empty : $" d{DilationHeight}x{DilationWidth}";
        return $"{kind}{FilterHeight}x{FilterWidth} {stride} p{PadTop},{PadLeft}{dilation} {InputChannels}->{OutputChannels} {InputHeight}x{InputWidth}->{OutputHeight}x{OutputWidth}";
    }
}

/// <summary>FullyConnected's geometry: rows × depth input, outputDepth × depth filter.</summary>
public sealed record FullyConnectedGeometry(int Rows, int Depth, int OutputDepth)
{
    /// <summary>Nominal MACs: rows·O·K.</summary>
    public long Macs => (long)Rows * OutputDepth * Depth;

    /// <inheritdoc />
    public override string ToString() => Rows == 1 ? $"{Depth}->{OutputDepth}" : $"{Rows}x {Depth}->{OutputDepth}";
}

/// <summary>
/// How an operator's MACs split between the kernel paths, from the geometry alone, deciding
/// interior and border exactly as Conv2DKernel.Eval does (its interiorTop/Bottom/Left/Right and
/// WindowBounds, replicated here because WindowBounds is internal to the runtime).
/// </summary>
public static class KernelPaths
{
    /// <summary>Conv2D: interior KxK or 1x1 for positions whose whole window is inside the input, border for the rest.</summary>
    public static IReadOnlyDictionary<string, PathMacs> Split(ConvGeometry g)
    {
        int interiorTop = (g.PadTop + g.StrideHeight - 1) / g.StrideHeight;
        int interiorBottom = InteriorEnd(g.InputHeight, g.PadTop, g.FilterHeight, g.DilationHeight, g.StrideHeight, g.OutputHeight);
        int interiorLeft = (g.PadLeft + g.StrideWidth - 1) / g.StrideWidth;
        int interiorRight = InteriorEnd(g.InputWidth, g.PadLeft, g.FilterWidth, g.DilationWidth, g.StrideWidth, g.OutputWidth);
        long interiorRows = Math.Max(0, interiorBottom - interiorTop);
        long interiorColumns = Math.Max(0, interiorRight - interiorLeft);
        long interiorPositions = interiorRows * interiorColumns;
        long channelOutputs = (long)g.Batches * g.OutputChannels;
        long interiorMacs = channelOutputs * interiorPositions * g.FilterSize;

        // The border path multiplies only the taps inside the input: per position
        // (rows inside)·(columns inside)·(C / groups), summed over the positions outside the interior.
        long[] rowsInside = TapsInside(g.OutputHeight, g.StrideHeight, g.PadTop, g.InputHeight, g.FilterHeight, g.DilationHeight);
        long[] columnsInside = TapsInside(g.OutputWidth, g.StrideWidth, g.PadLeft, g.InputWidth, g.FilterWidth, g.DilationWidth);
        long allTaps = rowsInside.Sum() * columnsInside.Sum();
        long interiorTaps = Sum(rowsInside, interiorTop, interiorBottom) * Sum(columnsInside, interiorLeft, interiorRight);
        long borderExecuted = channelOutputs * (g.InputChannels / g.Groups) * (allTaps - interiorTaps);
        long borderNominal = g.Macs - interiorMacs;

        bool pointwise = g.FilterHeight * g.FilterWidth == 1;
        return new Dictionary<string, PathMacs>
        {
            [KernelLoops.ConvInterior] = pointwise ? default : new PathMacs(interiorMacs, interiorMacs),
            [KernelLoops.ConvPointwise] = pointwise ? new PathMacs(interiorMacs, interiorMacs) : default,
            [KernelLoops.ConvBorder] = new PathMacs(borderNominal, borderExecuted),
        };
    }

    /// <summary>FullyConnected: the unrolled loop takes depth rounded down to a multiple of <paramref name="unroll"/>, the remainder the rest.</summary>
    public static IReadOnlyDictionary<string, PathMacs> Split(FullyConnectedGeometry g, int unroll)
    {
        long unrolled = (long)g.Rows * g.OutputDepth * (g.Depth / unroll * unroll);
        long remainder = g.Macs - unrolled;
        return new Dictionary<string, PathMacs>
        {
            [KernelLoops.FullyConnectedUnrolled(unroll)] = new PathMacs(unrolled, unrolled),
            [KernelLoops.FullyConnectedRemainder] = new PathMacs(remainder, remainder),
        };
    }

    /// <summary>
    /// FullyConnectedPackedKernel's one MAC path: it multiplies whole groups of 4 output channels
    /// and whole iterations of 4 taps (2 words), so it executes rows·⌈O/4⌉·4·PairCount(K)·2 lane
    /// products, the padding (zero weights, zero inputs) included, for rows·O·K nominal MACs.
    /// </summary>
    public static IReadOnlyDictionary<string, PathMacs> SplitPacked(FullyConnectedGeometry g)
    {
        long executed = (long)g.Rows * ((g.OutputDepth + 3) / 4 * 4) * (NanoInt8.Runtime.Kernels.FullyConnectedPackedKernel.PairCount(g.Depth) * 2L);
        return new Dictionary<string, PathMacs>
        {
            [KernelLoops.FullyConnectedPackedLoop] = new PathMacs(g.Macs, executed),
        };
    }

    /// <summary>
    /// FullyConnectedTripleKernel's two MAC paths: per row, eight channels at a time (EvalEight)
    /// while more than four are left, then four (EvalFour), each over W = RowWords(K) words of
    /// three taps (zero weights and zero inputs past K, and the channels completing the last
    /// group, included); rows·O·K nominal MACs split between them by their real channels.
    /// </summary>
    public static IReadOnlyDictionary<string, PathMacs> SplitTriple(FullyConnectedGeometry g)
    {
        long lanes = NanoInt8.Runtime.Kernels.FullyConnectedTripleKernel.RowWords(g.Depth) * 3L;
        long eightTiles = 0;
        long eightReal = 0;
        long fourTiles = 0;
        long fourReal = 0;
        for (int first = 0; first < g.OutputDepth;)
        {
            int left = g.OutputDepth - first;
            if (left > 4)
            {
                eightTiles++;
                eightReal += Math.Min(left, 8);
                first += 8;
            }
            else
            {
                fourTiles++;
                fourReal += left;
                first += 4;
            }
        }

        return new Dictionary<string, PathMacs>
        {
            [KernelLoops.FullyConnectedTripleEightLoop] = new PathMacs(g.Rows * eightReal * g.Depth, g.Rows * eightTiles * 8 * lanes),
            [KernelLoops.FullyConnectedTripleFourLoop] = new PathMacs(g.Rows * fourReal * g.Depth, g.Rows * fourTiles * 4 * lanes),
        };
    }

    /// <summary>
    /// Conv2DPackedKernel's MAC paths: whole groups of 4 output channels, every output position,
    /// KH·KW taps of P channel pairs (C rounded up to a multiple of 4; the padding is in the
    /// packed input, so no window is clipped): N·⌈O/4⌉·4·OH·OW·KH·KW·2P lane products.
    /// </summary>
    /// Positions come four at a time while four are left in the row, the rest one at a time
    /// through EvalPositions; while eight channels are left, positions go eight at a time
    /// (EvalTileWide) while eight are left in the row, then four (EvalTileEight); the last O mod 8
    /// channels (one group, perhaps partial) take four positions at a time (EvalTile).
    /// With <paramref name="tapPairs"/> (Conv2DPackedTaps, one input channel) a window row is
    /// TapPairCount(KW) words of two taps instead of KW·P words of two channels.
    public static IReadOnlyDictionary<string, PathMacs> SplitPacked(ConvGeometry g, bool tapPairs = false)
    {
        int tiled = g.OutputWidth / NanoInt8.Runtime.Kernels.Conv2DPackedKernel.TilePositions * NanoInt8.Runtime.Kernels.Conv2DPackedKernel.TilePositions;
        int wide = g.OutputWidth / 8 * 8;
        long lanesPerChannel = tapPairs
            ? (long)g.FilterHeight * NanoInt8.Runtime.Kernels.Conv2DPackedKernel.TapPairCount(g.FilterWidth) * 2L
            : (long)g.FilterHeight * g.FilterWidth * (NanoInt8.Runtime.Kernels.Conv2DPackedKernel.ChannelPairCount(g.InputChannels) * 2L);
        int eightChannels = g.OutputChannels / 8 * 8;
        int otherChannels = g.OutputChannels - eightChannels;
        long perPosition = (long)((g.OutputChannels + 3) / 4 * 4) * lanesPerChannel;
        long eightPerPosition = eightChannels * lanesPerChannel;
        long otherPerPosition = (long)((otherChannels + 3) / 4 * 4) * lanesPerChannel;
        long nominalPerPosition = (long)g.OutputChannels * g.FilterSize;
        long nominalEight = (long)eightChannels * g.FilterSize;
        long nominalOther = (long)otherChannels * g.FilterSize;
        long rows = (long)g.Batches * g.OutputHeight;
        return new Dictionary<string, PathMacs>
        {
            [KernelLoops.ConvPackedTileWideLoop] = new PathMacs(rows * wide * nominalEight, rows * wide * eightPerPosition),
            [KernelLoops.ConvPackedTileEightLoop] = new PathMacs(rows * (tiled - wide) * nominalEight, rows * (tiled - wide) * eightPerPosition),
            [KernelLoops.ConvPackedTileLoop] = new PathMacs(rows * tiled * nominalOther, rows * tiled * otherPerPosition),
            [KernelLoops.ConvPackedLoop] = new PathMacs(rows * (g.OutputWidth - tiled) * nominalPerPosition, rows * (g.OutputWidth - tiled) * perPosition),
        };
    }

    /// <summary>
    /// Conv2DTripleKernel's one MAC path: per batch, ⌈O/8⌉ groups of eight channels times
    /// ⌈OH·OW/8⌉ tiles of eight positions (the last group and tile completed with channels and
    /// positions that are computed, not stored), each KH·R words of three taps
    /// (R = Conv2DTripleKernel.RowWords): the lane products executed; nominal: N·O·OH·OW·C·KH·KW.
    /// </summary>
    public static IReadOnlyDictionary<string, PathMacs> SplitTriple(ConvGeometry g)
    {
        const int tile = NanoInt8.Runtime.Kernels.Conv2DTripleKernel.TilePositions;
        const int channels = NanoInt8.Runtime.Kernels.Conv2DTripleKernel.TileChannels;
        long tiles = (long)g.Batches * ((g.OutputChannels + channels - 1) / channels) * ((((long)g.OutputHeight * g.OutputWidth) + tile - 1) / tile);
        long lanes = (long)g.FilterHeight * NanoInt8.Runtime.Kernels.Conv2DTripleKernel.RowWords(g.InputChannels, g.FilterWidth) * 3;
        long nominal = (long)g.Batches * g.OutputChannels * g.OutputHeight * g.OutputWidth * g.FilterSize;
        return new Dictionary<string, PathMacs>
        {
            [KernelLoops.ConvTripleTileLoop] = new PathMacs(nominal, tiles * tile * channels * lanes),
        };
    }

    private static long[] TapsInside(int outputSize, int stride, int padBefore, int inputSize, int filterSize, int dilation)
    {
        long[] taps = new long[outputSize];
        for (int position = 0; position < outputSize; position++)
        {
            int origin = (position * stride) - padBefore;
            taps[position] = Math.Max(0, EndInside(origin, inputSize, filterSize, dilation) - FirstInside(origin, dilation));
        }

        return taps;
    }

    private static long Sum(long[] values, int start, int end)
    {
        long sum = 0;
        for (int index = start; index < end; index++)
        {
            sum += values[index];
        }

        return sum;
    }

    // WindowBounds.FirstInside, EndInside and InteriorEnd (Firmware/Runtime/Kernels/WindowBounds.cs).
    private static int FirstInside(int origin, int dilation) => origin >= 0 ? 0 : (dilation - 1 - origin) / dilation;

    private static int EndInside(int origin, int inputSize, int filterSize, int dilation)
    {
        int span = inputSize - 1 - origin;
        if (span < 0)
        {
            return 0;
        }

        int end = (span / dilation) + 1;
        return end < filterSize ? end : filterSize;
    }

    private static int InteriorEnd(int inputSize, int padBefore, int filterSize, int dilation, int stride, int outputSize)
    {
        int lastOrigin = inputSize - 1 + padBefore - ((filterSize - 1) * dilation);
        if (lastOrigin < 0)
        {
            return 0;
        }

        int end = (lastOrigin / stride) + 1;
        return end < outputSize ? end : outputSize;
    }
}
