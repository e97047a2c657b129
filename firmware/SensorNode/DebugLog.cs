using System.Diagnostics;
using NfDtls.Diagnostics;

namespace NfDtls.Firmware
{
    /// <summary>The core's log to the debugger output (Visual Studio / VS Code "Output" while attached).</summary>
    public sealed class DebugLog : ILog
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
