using System.Globalization;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace NanoInt8.Bench.NanoHeap;

/// <summary>One method's stack frame on nanoCLR.</summary>
/// <param name="Method">Type::Method.</param>
/// <param name="Locals">Local variable slots.</param>
/// <param name="MaxStack">The evaluation stack's depth (.maxstack).</param>
/// <param name="Blocks">The frame in heap blocks (12 bytes each on the ESP32 and the i386 build).</param>
internal sealed record MethodFrame(string Method, int Locals, int MaxStack, int Blocks)
{
    /// <summary>The frame's bytes with 12-byte heap blocks.</summary>
    public int Bytes => Blocks * StackFrames.BlockBytes;
}

/// <summary>
/// The stack frames nanoCLR allocates for a device assembly's methods, from their IL headers. A call
/// takes one piece of the managed heap (CLR_RT_StackFrame::Push, nf-interpreter a3e8139): a header of
/// 7 heap blocks (the frame's fields up to m_extension, 76 bytes on i386), one block per local, and the
/// evaluation stack (.maxstack + 3 blocks), locals and stack together at least 10 blocks. The arguments
/// stay on the caller's evaluation stack. A frame that returns goes to the event cache until the next
/// collection: frames under 40 blocks to a list of their exact size, larger ones to one list reused by
/// best fit (up to 25 % larger, the rest split off).
/// </summary>
internal static class StackFrames
{
    /// <summary>Bytes per heap block on the ESP32 and the i386 build.</summary>
    public const int BlockBytes = 12;

    /// <summary>Frames of at least this many blocks share the event cache's best-fit list.</summary>
    public const int CachedBySizeBelow = 40;

    private const int HeaderBlocks = 7;
    private const int EvaluationStackOverhead = 3;
    private const int MinimumLocalsAndStack = 10;

    /// <summary>The frames of every method with IL in <paramref name="assemblyPaths"/>, largest first.</summary>
    public static IReadOnlyList<MethodFrame> Read(params string[] assemblyPaths)
    {
        List<MethodFrame> frames = new();
        foreach (string assemblyPath in assemblyPaths)
        {
            AddFrames(assemblyPath, frames);
        }

        return frames.OrderByDescending(frame => frame.Blocks).ThenBy(frame => frame.Method, StringComparer.Ordinal).ToList();
    }

    private static void AddFrames(string assemblyPath, List<MethodFrame> frames)
    {
        using FileStream file = File.OpenRead(assemblyPath);
        using PEReader pe = new(file);
        MetadataReader metadata = pe.GetMetadataReader();
        foreach (TypeDefinitionHandle typeHandle in metadata.TypeDefinitions)
        {
            TypeDefinition type = metadata.GetTypeDefinition(typeHandle);
            foreach (MethodDefinitionHandle methodHandle in type.GetMethods())
            {
                MethodDefinition method = metadata.GetMethodDefinition(methodHandle);
                if (method.RelativeVirtualAddress == 0)
                {
                    continue;
                }

                MethodBodyBlock body = pe.GetMethodBody(method.RelativeVirtualAddress);
                int locals = 0;
                if (!body.LocalSignature.IsNil)
                {
                    BlobReader signature = metadata.GetBlobReader(metadata.GetStandaloneSignature(body.LocalSignature).Signature);
                    signature.ReadSignatureHeader();
                    locals = signature.ReadCompressedInteger();
                }

                int blocks = HeaderBlocks + Math.Max(locals + body.MaxStack + EvaluationStackOverhead, MinimumLocalsAndStack);
                frames.Add(new MethodFrame($"{metadata.GetString(type.Name)}::{metadata.GetString(method.Name)}", locals, body.MaxStack, blocks));
            }
        }
    }

    /// <summary>Writes the frames of <see cref="CachedBySizeBelow"/> blocks and more.</summary>
    public static void Write(TextWriter output, string assemblyName, IReadOnlyList<MethodFrame> frames)
    {
        output.WriteLine($"Stack frames of {assemblyName} of {CachedBySizeBelow} heap blocks and more (one piece of heap per call; 12 B a block on the ESP32):");
        output.WriteLine();
        output.WriteLine("| method | locals | .maxstack | frame |");
        output.WriteLine("|---|---:|---:|---:|");
        foreach (MethodFrame frame in frames.Where(frame => frame.Blocks >= CachedBySizeBelow))
        {
            output.WriteLine($"| {frame.Method} | {frame.Locals} | {frame.MaxStack} | {frame.Blocks} blocks, {frame.Bytes.ToString("N0", CultureInfo.InvariantCulture)} B |");
        }

        output.WriteLine();
    }
}
