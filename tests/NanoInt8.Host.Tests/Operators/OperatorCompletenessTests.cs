using System.Reflection;
using System.Text.RegularExpressions;
using NanoInt8.Host.Format;
using NanoInt8.Runtime;
using NanoInt8.Runtime.Operators;
using NanoInt8.TestModels;

namespace NanoInt8.Host.Tests.Operators
{
    /// <summary>
    /// Every operator code, 1 .. OpCode.Max, has all its parts (docs/adding-an-operator.md): a
    /// registry entry and a layout naming its words, writer support, a validation that accepts its
    /// sample model and refuses it broken, a record the interpreter prepares and runs, a row in
    /// docs/model-format.md naming the layout's words, and an IL measurement in bench/README.md.
    /// Each test lists every code that lacks its part.
    /// </summary>
    [TestClass]
    public sealed class OperatorCompletenessTests
    {
        private static readonly Regex s_backticked = new(@"`(\w+)`(?:\[(\d+)\])?", RegexOptions.Compiled);

        /// <summary>Every code with its name, the OpCode constant's.</summary>
        public static IEnumerable<object[]> Codes => typeof(OpCode).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(constant => constant.IsLiteral && constant.Name != nameof(OpCode.Max))
            .Select(constant => new object[] { (int)constant.GetRawConstantValue()!, constant.Name })
            .OrderBy(pair => (int)pair[0]);

        // Codes that may stay unused: 23, which issue 12 reserved and left free (its Gather, code 22, covers Resize).
        private static readonly int[] s_reserved = { 23 };

        [TestMethod]
        public void OpCodes_OneNamePerCode_FromOneToMax()
        {
            int[] codes = Codes.Select(pair => (int)pair[0]).ToArray();
            CollectionAssert.AreEqual(Enumerable.Range(1, OpCode.Max).Where(code => codes.Contains(code) || !s_reserved.Contains(code)).ToArray(), codes);
        }

        [TestMethod]
        public void EveryCode_IsRegistered_WithLayoutNamesForEachWord()
        {
            var missing = new List<string>();
            foreach ((int code, string name) in AllCodes())
            {
                if (!OperatorRegistry.IsKnown(code))
                {
                    missing.Add($"{code} {name}: no family in OperatorRegistry.For");
                    continue;
                }

                ModelBuilder? sample = OperatorSamples.Build(code);
                int inputCount = sample?.Operators[0].Inputs.Length ?? 1;
                List<Word> words = LayoutWords(code, inputCount);
                if (words.Count == 0 && OperatorRegistry.ParameterCount(code, inputCount) > 0)
                {
                    missing.Add($"{code} {name}: no layout class marked [OperatorLayout(OpCode.{name})]");
                    continue;
                }

                int covered = LayoutWordCount(code, inputCount);
                if (covered != OperatorRegistry.ParameterCount(code, inputCount))
                {
                    missing.Add($"{code} {name}: the layout names {covered} words, the registry counts {OperatorRegistry.ParameterCount(code, inputCount)}");
                }

                int? operands = OperandNames(code)?.Count;
                int expectedInputs = OperatorRegistry.InputCount(code);
                if (operands is int count && count != expectedInputs)
                {
                    missing.Add($"{code} {name}: the layout names {count} operands, the registry counts {expectedInputs}");
                }
            }

            Assert.IsEmpty(missing, string.Join("; ", missing));
        }

        [TestMethod]
        public void EveryCode_HasWriterSupport_WordsByNameAndTheVersionItNeeds()
        {
            var missing = new List<string>();
            foreach ((int code, string name) in AllCodes())
            {
                MethodInfo? words = typeof(OperatorWords).GetMethod(name, BindingFlags.Public | BindingFlags.Static);
                if (words is null || words.ReturnType != typeof(int[]))
                {
                    missing.Add($"{code} {name}: no OperatorWords.{name}");
                }

                ModelBuilder? sample = OperatorSamples.Build(code);
                if (sample is null)
                {
                    missing.Add($"{code} {name}: no OperatorSamples model");
                    continue;
                }

                ModelHeader header = ModelHeader.Parse(ModelWriter.Write(sample));
                if (header.Version < ModelFormat.MinVersionFor(code) || header.Version > ModelFormat.Version)
                {
                    missing.Add($"{code} {name}: written as format version {header.Version}, needs {ModelFormat.MinVersionFor(code)}");
                }
            }

            Assert.IsEmpty(missing, string.Join("; ", missing));
        }

        [TestMethod]
        public void EveryCode_ItsValidation_AcceptsItsSampleAndRefusesItBroken()
        {
            var missing = new List<string>();
            foreach ((int code, string name) in AllCodes())
            {
                ModelBuilder? sample = OperatorSamples.Build(code);
                if (sample is null)
                {
                    missing.Add($"{code} {name}: no OperatorSamples model");
                    continue;
                }

                ModelError valid = ModelReader.TryRead(ModelWriter.Write(sample), int.MaxValue, out _);
                ModelError broken = ModelReader.TryRead(ModelWriter.Write(OperatorSamples.Build(code, broken: true)!), int.MaxValue, out _);
                if (valid != ModelError.None)
                {
                    missing.Add($"{code} {name}: its sample is refused ({valid})");
                }

                if (broken is not (ModelError.ShapeMismatch or ModelError.BadParameter or ModelError.BadOperand))
                {
                    missing.Add($"{code} {name}: its sample with a wrong output shape gives {broken}, not a validation error");
                }
            }

            Assert.IsEmpty(missing, string.Join("; ", missing));
        }

        [TestMethod]
        public void EveryCode_InterpreterPreparesItsRecord_RunsIt_AndCountsItsBytes()
        {
            var missing = new List<string>();
            foreach ((int code, string name) in AllCodes())
            {
                ModelBuilder? sample = OperatorSamples.Build(code);
                if (sample is null || ModelReader.TryRead(ModelWriter.Write(sample), int.MaxValue, out Model model) != ModelError.None)
                {
                    missing.Add($"{code} {name}: no valid sample to prepare");
                    continue;
                }

                var interpreter = new Interpreter(model);
                PreparedOperator record = interpreter.GetOperator(0);
                if (record.GetType().Name != name + "Operator")
                {
                    missing.Add($"{code} {name}: prepared as {record.GetType().Name}, not {name}Operator");
                }

                interpreter.Invoke();
                long measured = PreparedOperator.ArrayBytes(1, PreparedOperator.HeapBlockBytes) + HeapBytes(record, SharedArrays(model, record));
                if (measured != Interpreter.PreparedBytes(model))
                {
                    missing.Add($"{code} {name}: its record takes {measured} heap bytes, PreparedBytes says {Interpreter.PreparedBytes(model)}");
                }
            }

            Assert.IsEmpty(missing, string.Join("; ", missing));
        }

        [TestMethod]
        public void EveryCode_HasItsRowInTheModelFormat_NamingTheLayoutsWords()
        {
            string[] lines = File.ReadAllLines(Path.Combine(RepositoryRoot(), "docs", "model-format.md"));
            int header = Array.FindIndex(lines, line => line.StartsWith("| code | operator |", StringComparison.Ordinal));
            Assert.IsTrue(header >= 0, "docs/model-format.md has no operator table ('| code | operator | ...')");
            Dictionary<int, string[]> rows = lines.Skip(header + 2).TakeWhile(line => line.StartsWith('|'))
                .Select(line => line.Split('|'))
                .Where(cells => cells.Length == 6 && int.TryParse(cells[1].Trim(), out _))
                .ToDictionary(cells => int.Parse(cells[1].Trim()), cells => cells);
            var missing = new List<string>();
            foreach ((int code, string name) in AllCodes())
            {
                if (!rows.TryGetValue(code, out string[]? cells))
                {
                    missing.Add($"{code} {name}: no row in docs/model-format.md's operator table");
                    continue;
                }

                if (cells[2].Trim() != name)
                {
                    missing.Add($"{code} {name}: the docs row names it {cells[2].Trim()}");
                }

                ModelBuilder? sample = OperatorSamples.Build(code);
                int inputCount = sample?.Operators[0].Inputs.Length ?? 1;
                string expectedWords = string.Join(", ", LayoutWords(code, inputCount).Select(word => word.Extent > 1 ? $"{word.Name}[{word.Extent}]" : word.Name));
                string documentedWords = string.Join(", ", s_backticked.Matches(cells[4]).Select(match => match.Groups[2].Success ? $"{match.Groups[1].Value}[{match.Groups[2].Value}]" : match.Groups[1].Value));
                if (documentedWords != expectedWords)
                {
                    missing.Add($"{code} {name}: the docs name the words '{documentedWords}', the layout '{expectedWords}'");
                }

                if (OperandNames(code) is List<string> operands)
                {
                    string documentedOperands = string.Join(", ", s_backticked.Matches(cells[3]).Select(match => match.Groups[1].Value));
                    if (documentedOperands != string.Join(", ", operands))
                    {
                        missing.Add($"{code} {name}: the docs name the operands '{documentedOperands}', the layout '{string.Join(", ", operands)}'");
                    }
                }
            }

            Assert.IsEmpty(missing, string.Join("; ", missing));
        }

        [TestMethod]
        public void EveryCode_HasItsIlMeasurementInTheBenchReadme()
        {
            // bench/IlPerMac measures every code's OperatorSamples model; bench/README.md keeps the figures.
            string[] lines = File.ReadAllLines(Path.Combine(RepositoryRoot(), "bench", "README.md"));
            int table = Array.FindIndex(lines, line => line.StartsWith("### Every operator", StringComparison.Ordinal));
            Assert.IsTrue(table >= 0, "bench/README.md has no '### Every operator' section");
            Dictionary<int, string[]> rows = lines.Skip(table + 1).TakeWhile(line => !line.StartsWith('#'))
                .Select(line => line.Split('|'))
                .Where(cells => cells.Length > 4 && int.TryParse(cells[1].Trim(), out _))
                .ToDictionary(cells => int.Parse(cells[1].Trim()), cells => cells);
            var missing = new List<string>();
            foreach ((int code, string name) in AllCodes())
            {
                if (!rows.TryGetValue(code, out string[]? cells) || cells[2].Trim() != name || !cells.Skip(3).Any(cell => Regex.IsMatch(cell, @"\d")))
                {
                    missing.Add($"{code} {name}: no measured row in bench/README.md's 'Every operator' table");
                }
            }

            Assert.IsEmpty(missing, string.Join("; ", missing));
        }

        private static IEnumerable<(int Code, string Name)> AllCodes() => Codes.Select(pair => ((int)pair[0], (string)pair[1]));

        /// <summary>A named parameter word (or run of words) of a layout.</summary>
        private sealed record Word(string Name, int Position, int Extent);

        // The parameter words of a code: the public int constants (but Count) of every class marked
        // for it, in position order, each up to the next (the last up to the layout's Count), then
        // the names of a PerInput class, once.
        private static List<Word> LayoutWords(int code, int inputCount)
        {
            Type[] layouts = LayoutClasses(code);
            List<(string Name, int Position)> fixedWords = layouts
                .SelectMany(layout => Constants(layout))
                .OrderBy(constant => constant.Position)
                .ToList();
            int fixedCount = layouts.Select(layout => Constants(layout, "Count").Select(constant => constant.Position).DefaultIfEmpty(0).Single()).DefaultIfEmpty(0).Max();
            var words = new List<Word>();
            for (int index = 0; index < fixedWords.Count; index++)
            {
                int end = index + 1 < fixedWords.Count ? fixedWords[index + 1].Position : fixedCount;
                words.Add(new Word(fixedWords[index].Name, fixedWords[index].Position, end - fixedWords[index].Position));
            }

            Type? perInput = PerInputClass(code);
            if (perInput is not null)
            {
                words.AddRange(Constants(perInput).OrderBy(constant => constant.Position).Select(word => new Word(word.Name, fixedCount + word.Position, 1)));
            }

            return words;
        }

        // Words the layout gives an operator of `inputCount` inputs: the fixed ones and the per-input ones for each input.
        private static int LayoutWordCount(int code, int inputCount)
        {
            Type? perInput = PerInputClass(code);
            int perInputWords = perInput is null ? 0 : Constants(perInput, "Count").Single().Position * inputCount;
            return LayoutWords(code, inputCount).Where(word => perInput is null || !IsPerInput(perInput, word)).Sum(word => word.Extent) + perInputWords;
        }

        private static bool IsPerInput(Type perInput, Word word) => Constants(perInput).Any(constant => constant.Name == word.Name);

        private static Type? PerInputClass(int code) => LayoutClasses(code).Select(layout => layout.GetNestedType("PerInput")).FirstOrDefault(type => type is not null);

        // The operand names of a code's layout (its Operands class), or null when it has none (Concat).
        private static List<string>? OperandNames(int code)
        {
            Type? operands = LayoutClasses(code).Select(layout => layout.GetNestedType("Operands")).FirstOrDefault(type => type is not null);
            return operands is null ? null : Constants(operands).OrderBy(constant => constant.Position).Select(constant => constant.Name).ToList();
        }

        private static Type[] LayoutClasses(int code) => typeof(OperatorLayoutAttribute).Assembly.GetTypes()
            .Where(type => type.GetCustomAttributes<OperatorLayoutAttribute>().Any(attribute => attribute.Code == code))
            .ToArray();

        // Public int constants of a class: every one but Count, or only the one named `only`.
        private static IEnumerable<(string Name, int Position)> Constants(Type type, string? only = null) => type
            .GetFields(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Where(field => field.IsLiteral && field.FieldType == typeof(int) && (only is null ? field.Name != "Count" : field.Name == only))
            .Select(field => (field.Name, (int)field.GetRawConstantValue()!));

        // The arrays a record refers to without owning them: the interpreter's arena and scratch and the model's decoded tables.
        private static HashSet<object> SharedArrays(Model model, PreparedOperator record)
        {
            var shared = new HashSet<object>(ReferenceEqualityComparer.Instance);
            foreach (string name in new[] { "Tensors", "Operators", "Parameters", "Int32Constants", "Int64Constants", "Int8Constants", "GraphIo" })
            {
                shared.Add(typeof(Model).GetField(name, BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(model)!);
            }

            foreach (FieldInfo field in AllFields(record.GetType()).Where(field => field.Name is "Output" or "Scratch"))
            {
                shared.Add(field.GetValue(record)!);
            }

            return shared;
        }

        // Heap bytes of an object and what it owns, as nanoCLR lays them out (a 12-byte block for the
        // header and each field; arrays a 20-byte header and their elements, references a block each,
        // rounded up to whole blocks).
        private static long HeapBytes(object instance, HashSet<object> shared)
        {
            if (instance is Array array)
            {
                Type element = array.GetType().GetElementType()!;
                int elementBytes = !element.IsValueType ? PreparedOperator.HeapBlockBytes : element == typeof(long) ? 8 : element == typeof(int) ? 4 : 1;
                long bytes = PreparedOperator.ArrayBytes(array.Length, elementBytes);
                if (!element.IsValueType)
                {
                    bytes += array.Cast<object?>().Where(item => item is not null).Sum(item => HeapBytes(item!, shared));
                }

                return bytes;
            }

            FieldInfo[] fields = AllFields(instance.GetType()).ToArray();
            long total = PreparedOperator.ObjectBytes(fields.Length);
            foreach (FieldInfo field in fields.Where(field => !field.FieldType.IsValueType))
            {
                object? value = field.GetValue(instance);
                if (value is not null && !shared.Contains(value))
                {
                    total += HeapBytes(value, shared);
                }
            }

            return total;
        }

        private static IEnumerable<FieldInfo> AllFields(Type type)
        {
            for (Type? current = type; current is not null; current = current.BaseType)
            {
                foreach (FieldInfo field in current.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                {
                    yield return field;
                }
            }
        }

        private static string RepositoryRoot()
        {
            for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory != null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "NanoInt8.sln")))
                {
                    return directory.FullName;
                }
            }

            throw new InvalidOperationException("NanoInt8.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
