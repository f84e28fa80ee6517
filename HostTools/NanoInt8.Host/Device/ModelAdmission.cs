using System.Globalization;
using NanoInt8.Device;
using NanoInt8.Host.Boards;
using NanoInt8.Runtime;

namespace NanoInt8.Host.Device
{
    /// <summary>Which of a device's rules a model breaks.</summary>
    public enum AdmissionRefusal
    {
        /// <summary>The device takes the model.</summary>
        None,

        /// <summary>deviceBytes, or the interpreter's records beyond their reserve share, above the model budget.</summary>
        DeviceBytes,

        /// <summary>deviceBytes + totalLength above the transfer budget (LOAD).</summary>
        TransferBytes,

        /// <summary>One inference is more work than the work budget.</summary>
        Work,

        /// <summary>The model itself is invalid (the reader's other errors).</summary>
        Invalid,
    }

    /// <summary>
    /// Whether a device with given budgets takes a model, decided by the device's own code: the LOAD
    /// check on the header (<see cref="LoadCheck"/>) and the COMMIT check on the whole blob
    /// (<see cref="ModelReader.TryRead(byte[], int, long, out Model)"/>), so the host's board check
    /// and its check before a deployment say exactly what the device will do.
    /// </summary>
    /// <param name="Error">The device's error code (ModelRefused detail), or None.</param>
    /// <param name="Refusal">Which rule refused it.</param>
    /// <param name="DeviceBytes">The header's deviceBytes.</param>
    /// <param name="PreparedBytes">The interpreter's records (0 for an invalid model).</param>
    /// <param name="TransferBytes">deviceBytes + totalLength: what receiving the model holds at once.</param>
    /// <param name="Work">Work units of one inference (0 for an invalid model).</param>
    public sealed record ModelAdmission(ModelError Error, AdmissionRefusal Refusal, long DeviceBytes, long PreparedBytes, long TransferBytes, long Work)
    {
        /// <summary>Checks <paramref name="blob"/> as a device with these budgets would, at LOAD and then at COMMIT.</summary>
        /// <param name="blob">The whole .ni8 model.</param>
        /// <param name="modelBudget">Largest deviceBytes (INFO maxModelBytes, a board's modelBudgetBytes).</param>
        /// <param name="transferBudget">Largest deviceBytes + totalLength (INFO transferBytes).</param>
        /// <param name="workBudget">Most work units of one inference (INFO maxWorkPerInference, a board's maxWorkPerInference).</param>
        public static ModelAdmission Check(byte[] blob, long modelBudget, long transferBudget, long workBudget)
        {
            ArgumentNullException.ThrowIfNull(blob);
            int model = (int)Math.Clamp(modelBudget, 0, int.MaxValue);
            int transfer = (int)Math.Clamp(transferBudget, 0, int.MaxValue);
            ModelError valid = ModelReader.TryRead(blob, int.MaxValue, long.MaxValue, out Model? decoded);
            long deviceBytes = blob.Length >= ModelFormat.HeaderSize ? (uint)ModelReader.GetDeviceBytes(blob, 0) : 0;
            long preparedBytes = decoded is null ? 0 : Interpreter.PreparedBytes(decoded);
            long work = decoded?.Work ?? 0;
            if (valid != ModelError.None)
            {
                return new ModelAdmission(valid, AdmissionRefusal.Invalid, deviceBytes, 0, deviceBytes + blob.Length, 0);
            }

            ModelError error = LoadCheck.Check(blob, 0, blob.Length, model, transfer, workBudget);
            if (error == ModelError.None)
            {
                error = ModelReader.TryRead(blob, model, workBudget, out _);
            }

            AdmissionRefusal refusal = error switch
            {
                ModelError.None => AdmissionRefusal.None,
                ModelError.TooMuchWork => AdmissionRefusal.Work,
                ModelError.TooLarge when ModelReader.FitsBudget(deviceBytes, preparedBytes, modelBudget) => AdmissionRefusal.TransferBytes,
                ModelError.TooLarge => AdmissionRefusal.DeviceBytes,
                _ => AdmissionRefusal.Invalid,
            };
            return new ModelAdmission(error, refusal, deviceBytes, preparedBytes, deviceBytes + blob.Length, work);
        }

        /// <summary>
        /// Checks <paramref name="blob"/> as a device of <paramref name="board"/> would: its
        /// modelBudgetBytes for deviceBytes and for the transfer (<see cref="BoardDefinition.TransferBudgetBytes"/>),
        /// its maxWorkPerInference for the work.
        /// </summary>
        public static ModelAdmission ForBoard(byte[] blob, BoardDefinition board)
        {
            ArgumentNullException.ThrowIfNull(board);
            return Check(blob, board.ModelBudgetBytes, board.TransferBudgetBytes, board.WorkBudget);
        }

        /// <summary>
        /// Why the model is refused, in one sentence without a final period, for budgets named as
        /// <paramref name="modelBudgetName"/>, <paramref name="transferBudgetName"/> and
        /// <paramref name="workBudgetName"/> (an INFO field, a board file's field); null when it is not.
        /// </summary>
        public string? Reason(long modelBudget, long transferBudget, long workBudget, string modelBudgetName, string transferBudgetName, string workBudgetName)
        {
            return Refusal switch
            {
                AdmissionRefusal.DeviceBytes => Format(
                    $"the model needs {DeviceBytes:N0} bytes of device memory and {PreparedBytes:N0} of interpreter records (up to {ModelReader.PreparedBytesInReserve:N0} of them from the device's reserve) but at most {modelBudget:N0} are available ({modelBudgetName})"),
                AdmissionRefusal.TransferBytes => Format(
                    $"receiving the model needs {TransferBytes:N0} bytes on the device ({DeviceBytes:N0} device bytes while the {TransferBytes - DeviceBytes:N0}-byte file is still held: the device's LOAD rule) but at most {transferBudget:N0} are available ({transferBudgetName})"),
                AdmissionRefusal.Work => Format(
                    $"one inference of the model is {Work:N0} work units but at most {workBudget:N0} are allowed ({workBudgetName}: the time budget)"),
                AdmissionRefusal.Invalid => $"the device's model reader refuses it: {Error}",
                _ => null,
            };
        }

        private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
    }
}
