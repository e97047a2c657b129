// nanoFramework platform members the firmware calls that desktop .NET lacks: System.Device.I2c 1.1
// (System.Device.I2c-1.1.txt), nanoFramework.Networking in System.Net 1.11 (System.Net-1.11.txt), System.Device.Wifi
// 1.5 (System.Device.Wifi-1.5.txt), nanoFramework.Runtime.Native 1.7 (nanoFramework.Runtime.Native-1.7.txt) and
// nanoFramework.Hardware.Esp32 1.6 (nanoFramework.Hardware.Esp32-1.6.txt).
using System;
using System.Threading;

namespace System.Device.I2c
{
    public class I2cConnectionSettings
    {
        public I2cConnectionSettings(int busId, int deviceAddress) => throw new NotSupportedException();
    }

    public class I2cDevice : IDisposable
    {
        private I2cDevice() => throw new NotSupportedException(); // only I2cDevice.Create makes one

        public static I2cDevice Create(I2cConnectionSettings settings) => throw new NotSupportedException();

        public void Dispose() => throw new NotSupportedException();
    }
}

namespace System.Device.Wifi
{
    public enum WifiReconnectionKind
    {
        Automatic,
        Manual,
    }
}

namespace nanoFramework.Networking
{
    public static class WifiNetworkHelper
    {
        public static bool ConnectDhcp(string ssid, string password, System.Device.Wifi.WifiReconnectionKind reconnectionKind,
            bool requiresDateTime, int wifiAdapterId, CancellationToken token) => throw new NotSupportedException();

        public static Exception HelperException => throw new NotSupportedException();
    }

    public static class NetworkHelper
    {
        public static bool SetupAndConnectNetwork(CancellationToken token, bool requiresDateTime) => throw new NotSupportedException();

        public static Exception HelperException => throw new NotSupportedException();
    }
}

namespace nanoFramework.Runtime.Native
{
    public enum RebootOption
    {
        NormalReboot,
        EnterNanoBooter,
        ClrOnly,
        EnterProprietaryBooter,
    }

    public class Power
    {
        public static void RebootDevice(RebootOption rebootOption) => throw new NotSupportedException();
    }
}

namespace nanoFramework.Hardware.Esp32
{
    public enum DeviceFunction
    {
        I2C1_DATA,
        I2C1_CLOCK,
    }

    public static class Configuration
    {
        public static void SetPinFunction(int pin, DeviceFunction function) => throw new NotSupportedException();
    }
}
