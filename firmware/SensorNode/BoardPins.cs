namespace NfDtls.Firmware
{
    /// <summary>
    /// Where the BME280 is on each supported board (boards/&lt;board&gt;/README.md). The board is chosen at build time
    /// with the MSBuild property Board (see SensorNode.nfproj), which defines one BOARD_* symbol.
    /// </summary>
    public static class BoardPins
    {
        /// <summary>nanoFramework I²C bus id: I2C1 on every supported board.</summary>
        public const int I2cBusId = 1;

        /// <summary>BME280 with SDO tied to GND answers at 0x76 (0x77 with SDO to VDDIO; Bosch datasheet §6.2).</summary>
        public const int Bme280Address = 0x76;

#if BOARD_ESP32
        /// <summary>ESP32 routes I²C through its GPIO matrix: GPIO21 = SDA, GPIO22 = SCL (DevKitC convention).</summary>
        public const int I2cDataPin = 21;
        public const int I2cClockPin = 22;
#endif
    }
}
