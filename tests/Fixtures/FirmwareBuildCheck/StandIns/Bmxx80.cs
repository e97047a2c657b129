// nanoFramework.Iot.Device.Bmxx80 1.2.931 (../shared/nanoframework-api/Iot.Device.Bmxx80-1.2.txt): the BME280 path
// firmware/SensorNode uses, with the binding's own class hierarchy (Bme280 : Bmx280Base : Bmxx80Base; the sampling
// properties and Dispose are Bmxx80Base's, Temperature and Pressure Bmp280ReadResult's), so the member references
// the firmware compiles to are the ones the real assembly resolves.
using System;
using System.Device.I2c;

namespace Iot.Device.Bmxx80
{
    public enum Sampling : byte
    {
        Skipped,
        UltraLowPower,
        LowPower,
        Standard,
        HighResolution,
        UltraHighResolution,
    }

    public abstract class Bmxx80Base : IDisposable
    {
        protected Bmxx80Base(byte deviceId, I2cDevice i2cDevice) => throw new NotSupportedException();

        public Sampling TemperatureSampling
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public Sampling PressureSampling
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public void Dispose() => throw new NotSupportedException();

        protected virtual void Dispose(bool disposing) => throw new NotSupportedException();
    }

    public abstract class Bmx280Base : Bmxx80Base
    {
        protected Bmx280Base(byte deviceId, I2cDevice i2cDevice)
            : base(deviceId, i2cDevice) => throw new NotSupportedException();
    }

    public class Bme280 : Bmx280Base
    {
        public Bme280(I2cDevice i2cDevice)
            : base(0x60, i2cDevice) => throw new NotSupportedException();

        public Sampling HumiditySampling
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public ReadResult.Bme280ReadResult Read() => throw new NotSupportedException();
    }
}

namespace Iot.Device.Bmxx80.ReadResult
{
    public class Bmp280ReadResult
    {
        public Bmp280ReadResult(UnitsNet.Temperature temperature, bool temperatureIsValid, UnitsNet.Pressure pressure, bool pressureIsValid) => throw new NotSupportedException();

        public UnitsNet.Temperature Temperature => throw new NotSupportedException();
        public bool TemperatureIsValid => throw new NotSupportedException();
        public UnitsNet.Pressure Pressure => throw new NotSupportedException();
        public bool PressureIsValid => throw new NotSupportedException();
    }

    public class Bme280ReadResult : Bmp280ReadResult
    {
        public Bme280ReadResult(UnitsNet.Temperature temperature, bool temperatureIsValid, UnitsNet.Pressure pressure, bool pressureIsValid,
            UnitsNet.RelativeHumidity humidity, bool humidityIsValid)
            : base(temperature, temperatureIsValid, pressure, pressureIsValid) => throw new NotSupportedException();

        public UnitsNet.RelativeHumidity Humidity => throw new NotSupportedException();
        public bool HumidityIsValid => throw new NotSupportedException();
    }
}
