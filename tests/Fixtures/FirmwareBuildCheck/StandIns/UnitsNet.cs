// UnitsNet.nanoFramework.Temperature / .Pressure / .RelativeHumidity 5.75.0 (../shared/nanoframework-api/
// UnitsNet.<Quantity>-5.75.txt): the quantity structs Bmxx80 returns and the one unit each the firmware reads.
using System;

namespace UnitsNet
{
    public struct Temperature
    {
        public double DegreesCelsius => throw new NotSupportedException();
    }

    public struct Pressure
    {
        public double Pascals => throw new NotSupportedException();
    }

    public struct RelativeHumidity
    {
        public double Percent => throw new NotSupportedException();
    }
}
