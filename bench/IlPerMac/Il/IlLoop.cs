namespace NanoInt8.Bench.IlPerMac.Il;

/// <summary>
/// A loop found from a backward branch: the instruction range [<see cref="Start"/>, <see cref="End"/>],
/// from the branch target to the branch. One iteration of a loop whose body has no other branch
/// executes every instruction of the range once.
/// </summary>
/// <remarks>
/// Roslyn compiles <c>for</c> and <c>while</c> loops as
/// <code>
///       br COND        ; once per entry
/// BODY: ...            ; Start
/// COND: ...condition
///       blt BODY       ; End: taken once per iteration
/// </code>
/// so each entry also costs the <c>br</c> and one last evaluation of the condition, [COND, End]:
/// <see cref="EntryInstructions"/>.
/// </remarks>
/// <param name="Method">The method.</param>
/// <param name="Start">Index of the first instruction (the backward branch's target).</param>
/// <param name="End">Index of the backward branch.</param>
/// <param name="ConditionStart">Index of COND when the loop is entered by a <c>br</c> to it, else -1.</param>
/// <param name="Depth">1 for a loop in no other loop, 2 inside one loop, ...</param>
/// <param name="IsInnermost">True when no other loop lies inside this one.</param>
public sealed record IlLoop(IlMethod Method, int Start, int End, int ConditionStart, int Depth, bool IsInnermost)
{
    /// <summary>IL instructions executed per iteration (the range, branch included).</summary>
    public int InstructionCount => End - Start + 1;

    /// <summary>IL instructions executed once per entry: the <c>br</c> and the failing test, or 0.</summary>
    public int EntryInstructions => ConditionStart < 0 ? 0 : 1 + End - ConditionStart + 1;

    /// <summary>True when the body has no branch but the backward one: every iteration runs the whole range.</summary>
    public bool IsStraightLine => Enumerable.Range(Start, End - Start)
        .All(index => !Method.Instructions[index].IsBranch && Method.Instructions[index].SwitchTargets is null);

    /// <summary>The range as ildasm labels, e.g. <c>IL_0120..IL_0141</c>.</summary>
    public string Range => $"{Method.Instructions[Start].Label}..{Method.Instructions[End].Label}";

    /// <summary>True when <paramref name="other"/> lies inside this loop (and is not this loop).</summary>
    public bool Contains(IlLoop other) => other != this && other.Start >= Start && other.End <= End;

    /// <summary>The loop's instructions in order.</summary>
    public IEnumerable<IlInstruction> Instructions => Method.Instructions.Skip(Start).Take(InstructionCount);
}

/// <summary>Finds the loops of a method from its backward branches.</summary>
public static class LoopFinder
{
    /// <summary>
    /// Every loop of <paramref name="method"/>, ordered by start. Backward branches to the same
    /// target (a <c>continue</c> compiled as a second back edge) are one loop ending at the last of them.
    /// </summary>
    public static IReadOnlyList<IlLoop> Find(IlMethod method)
    {
        IReadOnlyList<IlInstruction> instructions = method.Instructions;
        Dictionary<int, int> endOfStart = new();
        foreach (IlInstruction instruction in instructions)
        {
            if (instruction.IsBranch && instruction.Target <= instruction.Index)
            {
                endOfStart[instruction.Target] = Math.Max(endOfStart.GetValueOrDefault(instruction.Target, -1), instruction.Index);
            }
        }

        List<(int Start, int End)> ranges = endOfStart.Select(pair => (pair.Key, pair.Value)).OrderBy(range => range.Key).ToList();
        List<IlLoop> loops = new();
        foreach (var (start, end) in ranges)
        {
            int depth = ranges.Count(other => other.Start <= start && other.End >= end);
            bool innermost = !ranges.Any(other => other != (start, end) && other.Start >= start && other.End <= end);
            int conditionStart = -1;
            if (start > 0)
            {
                IlInstruction before = instructions[start - 1];
                if (before.IsUnconditionalBranch && before.Target > start && before.Target <= end)
                {
                    conditionStart = before.Target;
                }
            }

            loops.Add(new IlLoop(method, start, end, conditionStart, depth, innermost));
        }

        return loops;
    }
}
