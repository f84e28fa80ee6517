using Spectre.Console;

namespace NanoInt8.HostTool
{
    /// <summary>
    /// Where a command prints. Results go to standard output: plain lines to <see cref="Writer"/>,
    /// tables through <see cref="Console"/>, a JSON document with <c>--json</c>. Everything else goes
    /// to standard error: notices and progress through <see cref="Diagnostics"/> and
    /// <see cref="ErrorConsole"/> (silent with <c>--quiet</c>), warnings through <see cref="Warn"/>
    /// (always). So a script can read stdout and a person still sees what happens.
    /// </summary>
    internal sealed class Terminal
    {
        // Tables going to a file or a pipe are not wrapped (the default tables fit 80 columns anyway;
        // --wide ones are wider).
        private const int RedirectedWidth = 200;

        private readonly TextWriter _error;

        public Terminal(TextWriter output, TextWriter error)
        {
            Writer = output;
            _error = error;
            Console = CreateConsole(output, ReferenceEquals(output, System.Console.Out) && !System.Console.IsOutputRedirected);
            ErrorConsole = CreateConsole(error, ReferenceEquals(error, System.Console.Error) && !System.Console.IsErrorRedirected);
        }

        /// <summary>Standard output: results.</summary>
        public TextWriter Writer { get; }

        /// <summary>A Spectre.Console console writing to <see cref="Writer"/>.</summary>
        public IAnsiConsole Console { get; }

        /// <summary>A Spectre.Console console on standard error, for progress bars.</summary>
        public IAnsiConsole ErrorConsole { get; }

        /// <summary>Set by <c>--quiet</c>: no notices and no progress.</summary>
        public bool Quiet { get; set; }

        /// <summary>Set by <c>--verbose</c>.</summary>
        public bool Verbose { get; set; }

        /// <summary>"hosttool" and the arguments, for the owner file of a device lock.</summary>
        public string CommandLine { get; set; } = "hosttool";

        /// <summary>Standard error for notices and progress, or nothing with <c>--quiet</c>.</summary>
        public TextWriter Diagnostics => Quiet ? TextWriter.Null : _error;

        /// <summary>
        /// Called by the commands that run ONNX Runtime: its own log (warnings such as "Removing
        /// initializer", printed straight to the process's stderr) appears only with <c>--verbose</c>.
        /// </summary>
        public void UseOnnxRuntime() => NanoInt8.Onnx.OnnxRuntimeRunner.SetLogging(warnings: Verbose);

        /// <summary>Prints "warning: ..." on standard error, also with <c>--quiet</c>.</summary>
        public void Warn(string message) => _error.WriteLine($"warning: {message}");

        private static IAnsiConsole CreateConsole(TextWriter writer, bool isConsole)
        {
            IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(writer),
                Ansi = isConsole ? AnsiSupport.Detect : AnsiSupport.No,
                ColorSystem = isConsole ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
                Interactive = isConsole ? InteractionSupport.Detect : InteractionSupport.No,
            });
            if (!isConsole)
            {
                console.Profile.Width = RedirectedWidth;
            }

            return console;
        }
    }
}
