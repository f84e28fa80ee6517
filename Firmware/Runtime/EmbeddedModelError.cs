namespace NanoInt8.Runtime
{
    /// <summary>
    /// What an <see cref="EmbeddedModel"/> call returns: <see cref="None"/>, or why it did nothing.
    /// Codes 1 to 99 are the model reader's (<see cref="ModelError"/>, docs/model-format.md, "Error
    /// codes") passed on unchanged when <see cref="EmbeddedModel.Load"/> refuses a blob; this enum
    /// names the one the memory check also gives. Codes from 100 on are this API's own. The numbers
    /// are stable: print them, compare them, never renumber them.
    /// </summary>
    public enum EmbeddedModelError
    {
        /// <summary>The call did what it says.</summary>
        None = 0,

        /// <summary>
        /// The model, its interpreter and this API's staging arrays need more than the memory budget
        /// given to <see cref="EmbeddedModel.Load"/> (the reader's <see cref="ModelError.TooLarge"/>).
        /// </summary>
        TooLarge = 10,

        /// <summary>
        /// The model's raw input transform (host metadata key 8) is malformed or out of range, or
        /// its host metadata cannot be walked to find it.
        /// </summary>
        BadInputTransform = 100,

        /// <summary>
        /// <see cref="EmbeddedModel.SetRawInput"/> on a model converted without a raw input transform
        /// (hosttool convert --raw-input-scale).
        /// </summary>
        NoInputTransform = 101,

        /// <summary>An input or output index outside the model's.</summary>
        BadIndex = 102,

        /// <summary>A null array, or one too short for the tensor from the given offset.</summary>
        BadBuffer = 103,

        /// <summary>Outputs read before <see cref="EmbeddedModel.Invoke"/> ran once.</summary>
        NoResult = 104,

        /// <summary>The runtime threw while loading or running the model (a defect to report).</summary>
        Failed = 105,
    }
}
