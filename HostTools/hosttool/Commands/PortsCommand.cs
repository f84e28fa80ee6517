using System.CommandLine;
using NanoInt8.Host.Device;

namespace NanoInt8.HostTool.Commands
{
    /// <summary><c>hosttool ports</c>.</summary>
    internal static class PortsCommand
    {
        public static Command Create(Terminal terminal)
        {
            Command command = new Command("ports", "List the serial ports the operating system knows (pseudo-terminals such as socat's are not listed).");
            command.SetAction(_ => Run(terminal));
            return command;
        }

        private static int Run(Terminal terminal)
        {
            IReadOnlyList<string> ports = SerialPortLink.GetPortNames();
            if (ports.Count == 0)
            {
                terminal.Writer.WriteLine("no serial ports found");
            }

            foreach (string port in ports)
            {
                terminal.Writer.WriteLine(port);
            }

            terminal.Writer.WriteLine("(pseudo-terminals, e.g. socat's, are not listed; pass their path to --port)");
            return (int)ExitCode.Ok;
        }
    }
}
