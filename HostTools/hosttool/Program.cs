using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using NanoInt8.HostTool.Commands;

namespace NanoInt8.HostTool
{
    /// <summary>Entry point: builds the command tree, runs it, turns failures into exit codes.</summary>
    public static class Program
    {
        /// <summary>Runs hosttool on the process's console; Ctrl+C and SIGTERM end it with exit code 130 (<see cref="ProcessSignals"/>).</summary>
        public static async Task<int> Main(string[] args)
        {
            using CancellationTokenSource cancellation = new CancellationTokenSource();
            using ProcessSignals signals = ProcessSignals.Install(cancellation, Console.Error);
            return await RunAsync(args, Console.Out, Console.Error, cancellation.Token);
        }

        /// <summary>
        /// Runs hosttool in-process: parses <paramref name="args"/>, runs the command, prints to
        /// <paramref name="output"/> and <paramref name="error"/>, and returns the exit code
        /// (<see cref="ExitCode"/>).
        /// </summary>
        public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
        {
            return RunAsync(args, output, error, CancellationToken.None);
        }

        /// <summary>
        /// Runs hosttool in-process until it finishes or <paramref name="cancellationToken"/> is
        /// cancelled (as Ctrl+C does for the process): how tests run <c>emulate</c> beside other commands.
        /// </summary>
        public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(args);
            ArgumentNullException.ThrowIfNull(output);
            ArgumentNullException.ThrowIfNull(error);

            Option<bool> verbose = new Option<bool>("--verbose")
            {
                Description = "Print the stack trace of a failure, and ONNX Runtime's own warnings.",
                Recursive = true,
            };
            Option<bool> quiet = new Option<bool>("--quiet", "-q")
            {
                Description = "No notices and no progress on stderr; results, warnings and errors still appear.",
                Recursive = true,
            };
            Terminal terminal = new Terminal(output, error) { CommandLine = string.Join(' ', new[] { "hosttool" }.Concat(args)) };
            RootCommand root = new RootCommand("NanoInt8 host tool: quantize float ONNX models, convert quantized ones to .ni8, inspect and run them, deploy them to a board and run them there.")
            {
                verbose,
                quiet,
                QuantizeCommand.Create(terminal),
                ConvertCommand.Create(terminal),
                AnalyzeCommand.Create(terminal),
                InspectCommand.Create(terminal),
                RunCommand.Create(terminal),
                BoardsCommand.Create(terminal),
                PortsCommand.Create(terminal),
                InfoCommand.Create(terminal),
                DeployCommand.Create(terminal),
                InferCommand.Create(terminal),
                VerifyCommand.Create(terminal),
                BenchCommand.Create(terminal),
                EmulateCommand.Create(terminal),
            };

            ParseResult parseResult = root.Parse(args);
            if (parseResult.Action is ParseErrorAction && parseResult.Errors.Count > 0)
            {
                error.WriteLine($"error: {UsageMessage(root, parseResult)}");
                return (int)ExitCode.UsageError;
            }

            terminal.Verbose = parseResult.GetValue(verbose);
            terminal.Quiet = parseResult.GetValue(quiet);
            try
            {
                int code = await parseResult.InvokeAsync(new InvocationConfiguration
                {
                    Output = output,
                    Error = error,
                    EnableDefaultExceptionHandler = false,
                    // Main handles Ctrl+C and SIGTERM itself (ProcessSignals): exit 130, no stack trace.
                    ProcessTerminationTimeout = null,
                }, cancellationToken);
                // A command that finished although Ctrl+C came still reports it; emulate's normal end is Ctrl+C.
                bool stoppedByDesign = parseResult.CommandResult.Command.Name == "emulate";
                return cancellationToken.IsCancellationRequested && code == (int)ExitCode.Ok && !stoppedByDesign
                    ? Failure.Report(new OperationCanceledException(cancellationToken), terminal.Verbose, error)
                    : code;
            }
            catch (Exception exception)
            {
                // Whatever a cancelled command threw on its way out, the user pressed Ctrl+C.
                Exception reported = cancellationToken.IsCancellationRequested ? new OperationCanceledException(cancellationToken) : exception;
                return Failure.Report(reported, terminal.Verbose, error);
            }
        }

        /// <summary>One sentence for a command line that does not parse, naming the command or option at fault.</summary>
        private static string UsageMessage(RootCommand root, ParseResult parseResult)
        {
            Command command = parseResult.CommandResult.Command;
            string commandName = ReferenceEquals(command, root) ? "hosttool" : $"hosttool {command.Name}";
            string commands = string.Join(", ", root.Subcommands.Select(subcommand => subcommand.Name));
            string? unmatched = parseResult.UnmatchedTokens.FirstOrDefault();
            if (ReferenceEquals(command, root))
            {
                return unmatched is null || unmatched.StartsWith('-')
                    ? unmatched is null ? $"No command given; the commands are {commands} ('hosttool --help')." : $"Unknown option '{unmatched}'; 'hosttool --help' lists the commands and options."
                    : $"Unknown command '{unmatched}'; the commands are {commands} ('hosttool --help').";
            }

            if (unmatched is not null)
            {
                return unmatched.StartsWith('-')
                    ? $"Unknown option '{unmatched}' for {commandName}; '{commandName} --help' lists its options."
                    : $"Unexpected argument '{unmatched}' for {commandName}; '{commandName} --help' shows its usage.";
            }

            string message = parseResult.Errors[0].Message.TrimEnd();
            return message.EndsWith('.') ? $"{message} ('{commandName} --help' shows its usage)" : $"{message}. ('{commandName} --help' shows its usage)";
        }
    }
}
