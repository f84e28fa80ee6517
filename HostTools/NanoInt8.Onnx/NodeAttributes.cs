using NanoInt8.Onnx.Protobuf;
using AttributeType = NanoInt8.Onnx.Protobuf.AttributeProto.Types.AttributeType;

namespace NanoInt8.Onnx;

/// <summary>
/// Reads node attributes by name with a type check: a present attribute of another kind is an
/// <see cref="OnnxFormatException"/>, never a silent default. Each getter comes in two forms:
/// without a default the attribute is required, with one it is optional.
/// </summary>
public static class NodeAttributes
{
    /// <summary>The attribute with the given name, or null.</summary>
    /// <param name="node">The node.</param>
    /// <param name="name">The attribute name.</param>
    public static AttributeProto? FindAttribute(this NodeProto node, string name)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(name);
        return node.Attribute.FirstOrDefault(attribute => attribute.Name == name);
    }

    /// <summary>True when the node has an attribute with the given name.</summary>
    /// <param name="node">The node.</param>
    /// <param name="name">The attribute name.</param>
    public static bool HasAttribute(this NodeProto node, string name) => node.FindAttribute(name) is not null;

    /// <summary>A required INT attribute.</summary>
    /// <param name="node">The node.</param>
    /// <param name="name">The attribute name.</param>
    /// <exception cref="OnnxFormatException">The attribute is missing or not INT.</exception>
    public static long GetInt(this NodeProto node, string name) => Require(node, name, AttributeType.Int).I;

    /// <summary>An optional INT attribute.</summary>
    /// <param name="node">The node.</param>
    /// <param name="name">The attribute name.</param>
    /// <param name="defaultValue">The value when the attribute is absent.</param>
    /// <exception cref="OnnxFormatException">The attribute is present but not INT.</exception>
    public static long GetInt(this NodeProto node, string name, long defaultValue) =>
        Find(node, name, AttributeType.Int) is { } attribute ? attribute.I : defaultValue;

    /// <summary>A required INTS attribute.</summary>
    /// <param name="node">The node.</param>
    /// <param name="name">The attribute name.</param>
    /// <exception cref="OnnxFormatException">The attribute is missing or not INTS.</exception>
    public static long[] GetInts(this NodeProto node, string name) => Require(node, name, AttributeType.Ints).Ints.ToArray();

    /// <summary>An optional INTS attribute.</summary>
    /// <param name="node">The node.</param>
    /// <param name="name">The attribute name.</param>
    /// <param name="defaultValue">The value when the attribute is absent (returned as given).</param>
    /// <exception cref="OnnxFormatException">The attribute is present but not INTS.</exception>
    public static long[] GetInts(this NodeProto node, string name, long[] defaultValue) =>
        Find(node, name, AttributeType.Ints) is { } attribute ? attribute.Ints.ToArray() : defaultValue;

    /// <summary>A required FLOAT attribute.</summary>
    /// <param name="node">The node.</param>
    /// <param name="name">The attribute name.</param>
    /// <exception cref="OnnxFormatException">The attribute is missing or not FLOAT.</exception>
    public static float GetFloat(this NodeProto node, string name) => Require(node, name, AttributeType.Float).F;

    /// <summary>An optional FLOAT attribute.</summary>
    /// <param name="node">The node.</param>
    /// <param name="name">The attribute name.</param>
    /// <param name="defaultValue">The value when the attribute is absent.</param>
    /// <exception cref="OnnxFormatException">The attribute is present but not FLOAT.</exception>
    public static float GetFloat(this NodeProto node, string name, float defaultValue) =>
        Find(node, name, AttributeType.Float) is { } attribute ? attribute.F : defaultValue;

    /// <summary>A required FLOATS attribute.</summary>
    /// <param name="node">The node.</param>
    /// <param name="name">The attribute name.</param>
    /// <exception cref="OnnxFormatException">The attribute is missing or not FLOATS.</exception>
    public static float[] GetFloats(this NodeProto node, string name) => Require(node, name, AttributeType.Floats).Floats.ToArray();

    /// <summary>An optional FLOATS attribute.</summary>
    /// <param name="node">The node.</param>
    /// <param name="name">The attribute name.</param>
    /// <param name="defaultValue">The value when the attribute is absent (returned as given).</param>
    /// <exception cref="OnnxFormatException">The attribute is present but not FLOATS.</exception>
    public static float[] GetFloats(this NodeProto node, string name, float[] defaultValue) =>
        Find(node, name, AttributeType.Floats) is { } attribute ? attribute.Floats.ToArray() : defaultValue;

    /// <summary>A required STRING attribute, decoded as UTF-8.</summary>
    /// <param name="node">The node.</param>
    /// <param name="name">The attribute name.</param>
    /// <exception cref="OnnxFormatException">The attribute is missing or not STRING.</exception>
    public static string GetString(this NodeProto node, string name) => Require(node, name, AttributeType.String).S.ToStringUtf8();

    /// <summary>An optional STRING attribute, decoded as UTF-8.</summary>
    /// <param name="node">The node.</param>
    /// <param name="name">The attribute name.</param>
    /// <param name="defaultValue">The value when the attribute is absent.</param>
    /// <exception cref="OnnxFormatException">The attribute is present but not STRING.</exception>
    public static string GetString(this NodeProto node, string name, string defaultValue) =>
        Find(node, name, AttributeType.String) is { } attribute ? attribute.S.ToStringUtf8() : defaultValue;

    /// <summary>A required TENSOR attribute (e.g. the value of a Constant node).</summary>
    /// <param name="node">The node.</param>
    /// <param name="name">The attribute name.</param>
    /// <exception cref="OnnxFormatException">The attribute is missing or not TENSOR.</exception>
    public static TensorProto GetTensor(this NodeProto node, string name) => Require(node, name, AttributeType.Tensor).T;

    /// <summary>
    /// The kind of value an attribute holds: its type field, or for IR version 1 files that
    /// lack it, the value field that is present.
    /// </summary>
    /// <param name="attribute">The attribute.</param>
    public static AttributeType GetAttributeType(this AttributeProto attribute)
    {
        ArgumentNullException.ThrowIfNull(attribute);
        if (attribute.HasType && attribute.Type != AttributeType.Undefined)
        {
            return attribute.Type;
        }

        return attribute switch
        {
            { HasF: true } => AttributeType.Float,
            { HasI: true } => AttributeType.Int,
            { HasS: true } => AttributeType.String,
            { T: not null } => AttributeType.Tensor,
            { G: not null } => AttributeType.Graph,
            { Floats.Count: > 0 } => AttributeType.Floats,
            { Ints.Count: > 0 } => AttributeType.Ints,
            { Strings.Count: > 0 } => AttributeType.Strings,
            { Tensors.Count: > 0 } => AttributeType.Tensors,
            { Graphs.Count: > 0 } => AttributeType.Graphs,
            _ => AttributeType.Undefined,
        };
    }

    /// <summary>"node 'conv1' (Conv)" or "a Conv node", for messages.</summary>
    internal static string DescribeNode(NodeProto node) =>
        node.Name.Length > 0 ? $"node '{node.Name}' ({node.OpType})" : $"a {node.OpType} node";

    private static AttributeProto Require(NodeProto node, string name, AttributeType expected) =>
        Find(node, name, expected)
        ?? throw new OnnxFormatException($"{Capitalize(DescribeNode(node))} has no attribute '{name}' ({expected}), which is required.");

    private static AttributeProto? Find(NodeProto node, string name, AttributeType expected)
    {
        AttributeProto? attribute = node.FindAttribute(name);
        if (attribute is null)
        {
            return null;
        }

        AttributeType actual = attribute.GetAttributeType();
        if (actual != expected)
        {
            throw new OnnxFormatException(
                $"{Capitalize(DescribeNode(node))} has attribute '{name}' of type {actual}; expected {expected}.");
        }

        return attribute;
    }

    private static string Capitalize(string text) => char.ToUpperInvariant(text[0]) + text[1..];
}
