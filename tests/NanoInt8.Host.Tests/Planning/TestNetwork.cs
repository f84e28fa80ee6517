using NanoInt8.Host.Planning;

namespace NanoInt8.Host.Tests.Planning
{
    /// <summary>
    /// Describes a network as the converter sees it (operators in execution order, each writing one
    /// tensor from earlier ones) and derives the buffer lifetimes the planner gets: written at the
    /// producing step (-1 for a graph input), last read by the last consuming step, graph outputs
    /// live to operatorCount.
    /// </summary>
    internal sealed class TestNetwork
    {
        private readonly List<int> _sizes = new List<int>();
        private readonly List<int> _firstSteps = new List<int>();
        private readonly List<int> _lastSteps = new List<int>();
        private readonly List<int> _outputs = new List<int>();
        private readonly List<(int Alias, int Target)> _aliases = new List<(int Alias, int Target)>();

        public int OperatorCount { get; private set; }

        public int TensorCount => _sizes.Count;

        public int SizeOf(int tensor) => _sizes[tensor];

        public IReadOnlyList<(int Alias, int Target)> Aliases => _aliases;

        /// <summary>A graph input of the given size.</summary>
        public int Input(int size)
        {
            return AddTensor(size, -1);
        }

        /// <summary>The next operator: reads <paramref name="inputs"/>, writes a new tensor.</summary>
        public int Operator(int outputSize, params int[] inputs)
        {
            int step = OperatorCount++;
            foreach (int input in inputs)
            {
                _lastSteps[input] = Math.Max(_lastSteps[input], step);
            }

            return AddTensor(outputSize, step);
        }

        /// <summary>The next operator writes over its input in place (Reshape, Requantize, Lookup).</summary>
        public int InPlace(int input)
        {
            int output = Operator(_sizes[input], input);
            _aliases.Add((output, input));
            return output;
        }

        /// <summary>Marks a tensor as a graph output.</summary>
        public void Output(int tensor)
        {
            _outputs.Add(tensor);
        }

        /// <summary>The buffers with their final lifetimes.</summary>
        public IReadOnlyList<BufferSpec> Buffers()
        {
            var buffers = new List<BufferSpec>();
            for (int tensor = 0; tensor < _sizes.Count; tensor++)
            {
                int lastStep = _outputs.Contains(tensor) ? OperatorCount : _lastSteps[tensor];
                buffers.Add(new BufferSpec(_sizes[tensor], _firstSteps[tensor], lastStep));
            }

            return buffers;
        }

        /// <summary>A planner holding this network's buffers and aliases.</summary>
        public ArenaPlanner ToPlanner(int alignment = 1)
        {
            var planner = new ArenaPlanner(alignment);
            foreach (BufferSpec buffer in Buffers())
            {
                planner.AddBuffer(buffer.Size, buffer.FirstStep, buffer.LastStep);
            }

            foreach ((int alias, int target) in _aliases)
            {
                planner.AddAlias(alias, target);
            }

            return planner;
        }

        private int AddTensor(int size, int firstStep)
        {
            _sizes.Add(size);
            _firstSteps.Add(firstStep);
            _lastSteps.Add(firstStep);
            return _sizes.Count - 1;
        }
    }
}
