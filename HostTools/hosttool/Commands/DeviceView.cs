using System.Globalization;
using NanoInt8.Host.Device;
using Spectre.Console;

namespace NanoInt8.HostTool.Commands
{
    /// <summary>How the device commands print: numbers, the device line, transfer progress.</summary>
    internal static class DeviceView
    {
        private static readonly CultureInfo s_invariant = CultureInfo.InvariantCulture;

        public static string Count(long value) => value.ToString("N0", s_invariant);

        public static string Milliseconds(double value) => value.ToString(value < 10 ? "0.000" : "0.0", s_invariant);

        public static string Rate(double bytesPerSecond) => bytesPerSecond >= 1024
            ? $"{(bytesPerSecond / 1024).ToString("0.0", s_invariant)} KB/s"
            : $"{bytesPerSecond.ToString("0", s_invariant)} B/s";

        public static string Crc(uint crc) => $"0x{crc:X8}";

        /// <summary>One line about the device: name, firmware, protocol, budget, running model.</summary>
        public static void WriteDevice(TextWriter writer, DeviceSession session)
        {
            DeviceInformation information = session.Information;
            string model = information.ModelLoaded ? $"runs model CRC {Crc(information.ModelCrc)}" : "no model";
            writer.WriteLine(
                $"device: {information.BoardName} on {session.Description}, firmware {information.FirmwareVersion}, protocol {information.ProtocolVersion}, model budget {Count(information.MaxModelBytes)} bytes, {model}");
        }

        /// <summary>
        /// Runs <paramref name="work"/> with a progress sink on standard error: a Spectre.Console bar
        /// (bytes/s, time left) on a terminal, a plain line every 10 % otherwise, nothing with --quiet.
        /// </summary>
        public static T WithProgress<T>(Terminal terminal, string label, long total, Func<IProgress<TransferProgress>, T> work)
        {
            if (terminal.Quiet || !terminal.ErrorConsole.Profile.Capabilities.Interactive)
            {
                return work(new PlainProgress(terminal.Diagnostics, label));
            }

            T result = default!;
            terminal.ErrorConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
                .Start(context =>
                {
                    // Descriptions are Spectre markup: a model name with brackets must not be read as a tag.
                    ProgressTask task = context.AddTask(Markup.Escape(label), maxValue: total);
                    result = work(new CallbackProgress(report =>
                    {
                        task.Value = report.BytesAcknowledged;
                        task.Description = Markup.Escape($"{label}  {Rate(report.BytesPerSecond)}  {Remaining(report)}");
                    }));
                    task.Value = total;
                });
            return result;
        }

        private static string Remaining(TransferProgress report) =>
            report.EstimatedTimeRemaining is TimeSpan left ? $"{left.TotalSeconds.ToString("0.0", s_invariant)} s left" : string.Empty;

        /// <summary>Progress as lines, one per 10 % step, for logs and pipes.</summary>
        private sealed class PlainProgress : IProgress<TransferProgress>
        {
            private readonly TextWriter _writer;
            private readonly string _label;
            private int _nextStep = 1;

            public PlainProgress(TextWriter writer, string label)
            {
                _writer = writer;
                _label = label;
            }

            public void Report(TransferProgress value)
            {
                int percent = value.TotalBytes == 0 ? 100 : (int)(100 * value.BytesAcknowledged / value.TotalBytes);
                if (percent < _nextStep * 10)
                {
                    return;
                }

                _nextStep = (percent / 10) + 1;
                _writer.WriteLine(
                    $"{_label}: {Count(value.BytesAcknowledged)} of {Count(value.TotalBytes)} bytes ({percent} %), {Rate(value.BytesPerSecond)}{(value.EstimatedTimeRemaining is null ? string.Empty : ", " + Remaining(value))}");
            }
        }

        private sealed class CallbackProgress : IProgress<TransferProgress>
        {
            private readonly Action<TransferProgress> _report;

            public CallbackProgress(Action<TransferProgress> report)
            {
                _report = report;
            }

            public void Report(TransferProgress value) => _report(value);
        }
    }
}
