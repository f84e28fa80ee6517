using System.CommandLine;
using System.CommandLine.Invocation;
using NanoInt8.HostTool.Commands;

namespace NanoInt8.HostTool
{
    /// <summary>Entry point: builds the command tree, runs it, turns failures into exit codes.</summary>
    public static class Program
    {
        /// <summary>Runs hosttool on the process's console.</summary>
        public static Task<int> Main(string[] args)
        {
            return RunAsync(args, Console.Out, Console.Error);
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
                Description = "Print the stack trace of a failure.",
                Recursive = true,
            };
            Terminal terminal = new Terminal(output);
            RootCommand root = new RootCommand("NanoInt8 host tool: quantize float ONNX models, convert quantized ones to .ni8, inspect and run them, deploy them to a board and run them there.")
            {
                verbose,
                ConvertCommand.Create(terminal),
                AnalyzeCommand.Create(terminal),
                InspectCommand.Create(terminal),
                RunCommand.Create(terminal),
                QuantizeCommand.Create(terminal),
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
                error.WriteLine($"error: {parseResult.Errors[0].Message} Run 'hosttool --help' for usage.");
                return (int)ExitCode.UsageError;
            }

            try
            {
                return await parseResult.InvokeAsync(new InvocationConfiguration
                {
                    Output = output,
                    Error = error,
                    EnableDefaultExceptionHandler = false,
                }, cancellationToken);
            }
            catch (Exception exception)
            {
                return Failure.Report(exception, parseResult.GetValue(verbose), error);
            }
        }
    }
}
