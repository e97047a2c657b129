using System.Reflection;
using System.Runtime.InteropServices;

[assembly: AssemblyTitle("NfDtls.SensorNode")]
[assembly: AssemblyDescription("nf-dtls sensor node firmware: BME280 readings as SenML over CoAP/DTLS")]
[assembly: AssemblyProduct("nf-dtls")]
[assembly: ComVisible(false)]
[assembly: AssemblyVersion("0.1.0.0")]
[assembly: AssemblyFileVersion("0.1.0.0")]
