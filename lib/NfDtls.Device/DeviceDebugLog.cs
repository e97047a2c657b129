using System.Diagnostics;
using NfDtls.Diagnostics;

namespace NfDtls.Device
{
    /// <summary>The core's log to the debugger output (Visual Studio / VS Code "Output" while attached): any board application's.</summary>
    public sealed class DeviceDebugLog : ILog
    {
        public bool Enabled
        {
            get { return true; }
        }

        public void Write(string message)
        {
            Debug.WriteLine(message);
        }
    }
}
