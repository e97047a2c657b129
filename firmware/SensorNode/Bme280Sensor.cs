using System;
using System.Device.I2c;
using Iot.Device.Bmxx80;
using NfDtls.Diagnostics;
using NfDtls.Node;
#if BOARD_ESP32
using nanoFramework.Hardware.Esp32;
#endif

namespace NfDtls.Firmware
{
    /// <summary>
    /// A Bosch BME280 (temperature, humidity, pressure) through Iot.Device.Bindings, as the portable node's
    /// <see cref="ISensor"/>. Units are SenML's (RFC 8428 §12.1): Cel, %RH, Pa.
    /// </summary>
    public sealed class Bme280Sensor : ISensor
    {
        private readonly Bme280 _bme;
        private readonly ILog _log;

        private Bme280Sensor(Bme280 bme, ILog log)
        {
            _bme = bme;
            _log = log;
        }

        public static Bme280Sensor Open(int busId, int address, ILog log)
        {
#if BOARD_ESP32
            Configuration.SetPinFunction(BoardPins.I2cDataPin, DeviceFunction.I2C1_DATA);
            Configuration.SetPinFunction(BoardPins.I2cClockPin, DeviceFunction.I2C1_CLOCK);
#endif
            I2cDevice device = I2cDevice.Create(new I2cConnectionSettings(busId, address));
            Bme280 bme = new Bme280(device);
            bme.TemperatureSampling = Sampling.Standard;
            bme.PressureSampling = Sampling.Standard;
            bme.HumiditySampling = Sampling.Standard;
            return new Bme280Sensor(bme, log);
        }

        public int Read(SensorReading[] into, long nowMs)
        {
            try
            {
                // Forced mode: one measurement per call, the chip sleeps in between (datasheet §3.3.3).
                var result = _bme.Read();
                int n = 0;
                if (result.TemperatureIsValid && n < into.Length)
                {
                    into[n++].Set("temperature", "Cel", result.Temperature.DegreesCelsius);
                }
                if (result.HumidityIsValid && n < into.Length)
                {
                    into[n++].Set("humidity", "%RH", result.Humidity.Percent);
                }
                if (result.PressureIsValid && n < into.Length)
                {
                    into[n++].Set("pressure", "Pa", result.Pressure.Pascals);
                }
                return n;
            }
            catch (Exception e)
            {
                // A loose wire is a missing sample, not a crashed node.
                _log.Write("bme280: " + e.Message);
                return 0;
            }
        }
    }
}
