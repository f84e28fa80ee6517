using Spectre.Console;

namespace NanoInt8.HostTool
{
    /// <summary>
    /// Where a command prints: plain lines go to <see cref="Writer"/>, tables through
    /// <see cref="Console"/>, a Spectre.Console console on the same writer (plain text, no colors,
    /// when the writer is not the process's terminal).
    /// </summary>
    internal sealed class Terminal
    {
        // Tables going to a file or a pipe are not wrapped at 80 columns.
        private const int RedirectedWidth = 200;

        public Terminal(TextWriter writer)
        {
            Writer = writer;
            bool isConsole = ReferenceEquals(writer, System.Console.Out) && !System.Console.IsOutputRedirected;
            Console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(writer),
                Ansi = isConsole ? AnsiSupport.Detect : AnsiSupport.No,
                ColorSystem = isConsole ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
                Interactive = isConsole ? InteractionSupport.Detect : InteractionSupport.No,
            });
            if (!isConsole)
            {
                Console.Profile.Width = RedirectedWidth;
            }
        }

        /// <summary>The command's standard output.</summary>
        public TextWriter Writer { get; }

        /// <summary>A Spectre.Console console writing to <see cref="Writer"/>.</summary>
        public IAnsiConsole Console { get; }
    }
}
