namespace NfDtls.Diagnostics
{
    /// <summary>
    /// Diagnostics out of the core. Engines check <see cref="Enabled"/> before building any string, so the
    /// default <see cref="NullLog"/> costs nothing on the hot path.
    /// </summary>
    public interface ILog
    {
        bool Enabled { get; }
        void Write(string message);
    }

    public sealed class NullLog : ILog
    {
        public static readonly NullLog Instance = new NullLog();

        public bool Enabled { get { return false; } }

        public void Write(string message)
        {
        }
    }
}
