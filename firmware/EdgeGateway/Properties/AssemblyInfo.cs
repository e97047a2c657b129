using System.Reflection;
using System.Runtime.InteropServices;

[assembly: AssemblyTitle("NfDtls.EdgeGateway")]
[assembly: AssemblyDescription("nf-dtls edge gateway firmware: nodes' readings over CoAP/DTLS published to MQTT with M2Mqtt")]
[assembly: AssemblyProduct("nf-dtls")]
[assembly: ComVisible(false)]
[assembly: AssemblyVersion("0.1.0.0")]
[assembly: AssemblyFileVersion("0.1.0.0")]
