// Compile-time stand-ins for the nanoFramework-only APIs firmware/SensorNode calls, with the signatures of
// ../shared/nanoframework-api (System.Device.Wifi-1.5, System.Net-1.11, nanoFramework.Runtime.Native-1.7,
// nanoFramework.Hardware.Esp32-1.6, System.Device.I2c-1.1) and of the Iot.Device.Bmxx80 binding's samples.
// They let the desktop build prove the firmware still compiles against the real portable core (NfDtls,
// NfDtls.Device). Never run: every body throws.
#pragma warning disable CS1591
using System;
using System.Threading;

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

namespace System.Device.Wifi
{
    public enum WifiReconnectionKind
    {
        Automatic,
        Manual,
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

    public static class Power
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

namespace System.Device.I2c
{
    public sealed class I2cConnectionSettings
    {
        public I2cConnectionSettings(int busId, int deviceAddress) => throw new NotSupportedException();
    }

    public sealed class I2cDevice : IDisposable
    {
        public static I2cDevice Create(I2cConnectionSettings settings) => throw new NotSupportedException();

        public void Dispose()
        {
        }
    }
}

namespace UnitsNet
{
    public readonly struct Temperature
    {
        public double DegreesCelsius => throw new NotSupportedException();
    }

    public readonly struct RelativeHumidity
    {
        public double Percent => throw new NotSupportedException();
    }

    public readonly struct Pressure
    {
        public double Pascals => throw new NotSupportedException();
    }
}

namespace Iot.Device.Bmxx80
{
    public enum Sampling
    {
        Skipped,
        UltraLowPower,
        LowPower,
        Standard,
        HighResolution,
        UltraHighResolution,
    }

    public sealed class Bme280 : IDisposable
    {
        public Bme280(System.Device.I2c.I2cDevice i2cDevice) => throw new NotSupportedException();

        public Sampling TemperatureSampling { get; set; }
        public Sampling PressureSampling { get; set; }
        public Sampling HumiditySampling { get; set; }

        public ReadResult.Bme280ReadResult Read() => throw new NotSupportedException();

        public void Dispose()
        {
        }
    }
}

namespace Iot.Device.Bmxx80.ReadResult
{
    public sealed class Bme280ReadResult
    {
        public UnitsNet.Temperature Temperature => throw new NotSupportedException();
        public bool TemperatureIsValid => throw new NotSupportedException();
        public UnitsNet.Pressure Pressure => throw new NotSupportedException();
        public bool PressureIsValid => throw new NotSupportedException();
        public UnitsNet.RelativeHumidity Humidity => throw new NotSupportedException();
        public bool HumidityIsValid => throw new NotSupportedException();
    }
}
